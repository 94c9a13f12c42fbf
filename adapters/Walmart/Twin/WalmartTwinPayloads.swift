import Foundation

/// The request bodies the Walmart twin reads. Prices decode as `Decimal` from the JSON text, exactly.
enum WalmartTwinPayloads {
    struct Amount: Decodable {
        var currency: String?
        var amount: Decimal?
    }

    struct Pricing: Decodable {
        var currentPriceType: String?
        var currentPrice: Amount?
    }

    /// `PUT /v3/price` body, one element of a price feed.
    struct PriceUpdate: Decodable {
        var sku: String?
        var pricing: [Pricing]?
    }

    struct Quantity: Decodable {
        var unit: String?
        var amount: Int?
    }

    /// `PUT /v3/inventory` body, one element of an inventory feed.
    struct InventoryUpdate: Decodable {
        var sku: String?
        var quantity: Quantity?
    }

    /// `feedType=price`.
    struct PriceFeed: Decodable {
        var price: [PriceUpdate]?

        enum CodingKeys: String, CodingKey { case price = "Price" }
    }

    /// `feedType=inventory`.
    struct InventoryFeed: Decodable {
        var inventory: [InventoryUpdate]?

        enum CodingKeys: String, CodingKey { case inventory = "Inventory" }
    }

    /// Decodes `T` from `bytes`, `nil` when the body is not such JSON.
    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) -> T? {
        try? JSONDecoder().decode(type, from: Data(bytes))
    }
}

/// One error entry as Walmart writes it.
struct WalmartTwinError: Hashable, Sendable {
    var code: String
    var field: String
    var description: String
    var category: String = "DATA"

    /// The entry as a JSON object of Walmart's error shape.
    var json: [String: Any] {
        [
            "code": code, "field": field, "description": description, "info": description, "severity": "ERROR",
            "category": category, "causes": [Any](), "errorIdentifiers": [String: Any](),
        ]
    }
}

/// The item checks Walmart makes, with Walmart-style codes and messages.
enum WalmartTwinValidation {
    /// Problems with a price of `sku` (`nil` price means missing).
    static func price(sku: String?, amount: Decimal?, currency: String?) -> [WalmartTwinError] {
        var errors: [WalmartTwinError] = []
        if (sku ?? "").isEmpty {
            errors.append(
                .init(code: "INVALID_REQUEST_CONTENT.GMP_PRICE_API", field: "sku", description: "sku is required")
            )
        }
        guard let amount else {
            errors.append(
                .init(
                    code: "INVALID_REQUEST_CONTENT.GMP_PRICE_API",
                    field: "currentPrice",
                    description: "currentPrice amount is required"
                )
            )
            return errors
        }
        if amount <= 0 {
            errors.append(
                .init(
                    code: "INVALID_REQUEST_CONTENT.GMP_PRICE_API",
                    field: "currentPrice",
                    description: "Price must be greater than 0. Invalid amount: \(amount)"
                )
            )
        }
        if let currency, currency != "USD" {
            errors.append(
                .init(
                    code: "INVALID_REQUEST_CONTENT.GMP_PRICE_API",
                    field: "currency",
                    description: "Currency \(currency) is not supported. Allowed value: USD"
                )
            )
        }
        return errors
    }

    /// Problems with an inventory update.
    static func inventory(sku: String?, amount: Int?, unit: String?) -> [WalmartTwinError] {
        var errors: [WalmartTwinError] = []
        if (sku ?? "").isEmpty {
            errors.append(
                .init(code: "INVALID_REQUEST_CONTENT.GMP_INVENTORY_API", field: "sku", description: "sku is required")
            )
        }
        if let unit, unit != "EACH" {
            errors.append(
                .init(
                    code: "INVALID_REQUEST_CONTENT.GMP_INVENTORY_API",
                    field: "unit",
                    description: "Invalid unit \(unit)"
                )
            )
        }
        guard let amount else {
            errors.append(
                .init(
                    code: "INVALID_REQUEST_CONTENT.GMP_INVENTORY_API",
                    field: "amount",
                    description: "quantity amount is required"
                )
            )
            return errors
        }
        if amount < 0 {
            errors.append(
                .init(
                    code: "INVALID_REQUEST_CONTENT.GMP_INVENTORY_API",
                    field: "amount",
                    description: "Quantity must not be negative. Invalid amount: \(amount)"
                )
            )
        }
        return errors
    }
}
