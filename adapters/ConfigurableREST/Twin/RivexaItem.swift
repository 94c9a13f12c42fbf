import Foundation

/// What Rivexa's item endpoints read, decoded with `Decimal` amounts, and Rivexa's validation.
struct RivexaItemBody: Decodable {
    struct Price: Decodable {
        var amount: Decimal?
        var currency: String?
    }

    var sku: String?
    var marketplace: String?
    var title: String?
    var description: String?
    var brand: String?
    var hsCode: String?
    var price: Price?
    var quantity: Int?

    enum CodingKeys: String, CodingKey {
        case sku, marketplace, title, description, brand, price, quantity
        case hsCode = "hs_code"
    }

    /// The first problem with the fields present, as Rivexa's `(code, message)`; `content` requires a title.
    /// An optional text sent empty is refused: an unknown value is left out, never sent as `""`.
    func problem(requireTitle: Bool, requirePrice: Bool, requireQuantity: Bool) -> (String, String)? {
        for (name, value) in [("description", description), ("brand", brand), ("hs_code", hsCode)]
        where value?.isEmpty == true {
            return ("empty_value", "\(name) must be left out when unknown, not sent empty")
        }
        if requireTitle || title != nil {
            let text = title?.trimmingCharacters(in: .whitespaces) ?? ""
            if text.isEmpty { return ("invalid_title", "title must not be empty") }
            if text.contains("[REJECT]") {
                return ("prohibited_content", "title contains prohibited content: [REJECT]")
            }
        }
        if requirePrice || price != nil {
            guard let amount = price?.amount else { return ("invalid_price", "price.amount is required") }
            if amount <= 0 { return ("invalid_price", "price.amount must be positive, got \(amount)") }
            guard let currency = price?.currency, currency.count == 3, currency.allSatisfy(\.isUppercase) else {
                return ("invalid_currency", "price.currency must be an ISO 4217 code")
            }
        }
        if requireQuantity || quantity != nil {
            guard let quantity else { return ("invalid_quantity", "quantity is required") }
            if quantity < 0 { return ("invalid_quantity", "quantity must not be negative, got \(quantity)") }
        }
        return nil
    }
}

/// One item as the twin keeps it.
struct RivexaItem: Sendable, Hashable {
    var sku: String
    var marketplace: String = "GLOBAL"
    var title: String?
    var price: Decimal?
    var currency: String?
    var quantity: Int?

    /// Applies the fields `body` carries.
    mutating func apply(_ body: RivexaItemBody) {
        if let marketplace = body.marketplace, !marketplace.isEmpty { self.marketplace = marketplace }
        if let title = body.title { self.title = title }
        if let amount = body.price?.amount {
            price = amount
            currency = body.price?.currency
        }
        if let quantity = body.quantity { self.quantity = quantity }
    }

    /// The price as plain decimal text with two digits (`"24.99"`), or as sent for other scales.
    var priceText: String? {
        guard var value = price else { return nil }
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .plain)
        guard rounded == value else { return "\(value)" }
        let cents = NSDecimalNumber(decimal: rounded * 100).int64Value
        let fraction = String(cents.magnitude % 100)
        return
            "\(cents < 0 ? "-" : "")\(cents.magnitude / 100).\(String(repeating: "0", count: 2 - fraction.count))\(fraction)"
    }
}
