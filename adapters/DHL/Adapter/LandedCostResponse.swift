import Catalog
import Foundation

/// MyDHL's answers to `POST /landed-cost`, read with `Decimal` so amounts stay exact.
///
/// Success: `products[0].totalPrice[]` (the `BILLC` entry, else the first) is the total; the cost
/// breakdown (`detailedPriceBreakdown[].breakdown[]`) gives shipping (`SPRQD` or the product's name),
/// duties (`DUTY`) and taxes (`TAX`, `VAT`). The breakdown's type codes beyond SPRQD are UNCONFIRMED
/// (the spec copy seen is 2.7.0); an answer without a breakdown is stored with only a total.
/// Errors: the problem JSON `{"instance","detail","title","status","additionalDetails"}`.
enum LandedCostResponse {
    struct Success: Decodable {
        struct Price: Decodable {
            var currencyType: String?
            var priceCurrency: String?
            var price: Decimal?
        }
        struct Charge: Decodable {
            var name: String?
            var typeCode: String?
            var price: Decimal?
        }
        struct Breakdown: Decodable {
            var currencyType: String?
            var priceCurrency: String?
            var breakdown: [Charge]?
        }
        struct Product: Decodable {
            var productName: String?
            var totalPrice: [Price]?
            var detailedPriceBreakdown: [Breakdown]?
        }
        var products: [Product]?
    }

    /// DHL's problem JSON.
    struct Problem: Decodable {
        var instance: String?
        var detail: String?
        var title: String?
        var additionalDetails: [String]?
    }

    /// The estimate in an answer's body, or `nil` when the body is not a priced landed-cost answer.
    static func estimate(_ body: [UInt8], destination: String, fetchedAt: Date) -> LandedCostEstimate? {
        guard let success = try? JSONDecoder().decode(Success.self, from: Data(body)),
            let product = success.products?.first,
            let prices = product.totalPrice, !prices.isEmpty
        else { return nil }
        let total = prices.first { $0.currencyType == "BILLC" } ?? prices[0]
        guard let currencyCode = total.priceCurrency, let currency = Currency(code: currencyCode),
            let totalAmount = total.price, let totalMoney = money(totalAmount, currency)
        else { return nil }
        let breakdown =
            (product.detailedPriceBreakdown?.first { $0.currencyType == "BILLC" }
            ?? product.detailedPriceBreakdown?.first)?.breakdown ?? []
        var duties = Decimal(0)
        var taxes = Decimal(0)
        var shipping = Decimal(0)
        for charge in breakdown {
            guard let price = charge.price else { continue }
            switch (charge.typeCode ?? "").uppercased() {
            case "DUTY": duties += price
            case "TAX", "VAT": taxes += price
            case "SPRQD": shipping += price
            default: continue
            }
        }
        guard let dutiesMoney = money(duties, currency), let taxesMoney = money(taxes, currency),
            let shippingMoney = money(shipping, currency)
        else { return nil }
        return LandedCostEstimate(
            destination: destination,
            total: totalMoney,
            duties: dutiesMoney,
            taxes: taxesMoney,
            shipping: shippingMoney,
            fetchedAt: fetchedAt
        )
    }

    /// The problem's text, DHL's own words: `title: detail (additional details)`.
    static func problemText(_ body: [UInt8], status: Int) -> (title: String, detail: String) {
        guard let problem = try? JSONDecoder().decode(Problem.self, from: Data(body)) else {
            return ("HTTP \(status)", String(decoding: body.prefix(300), as: UTF8.self))
        }
        var detail = problem.detail ?? ""
        if let more = problem.additionalDetails, !more.isEmpty {
            detail += (detail.isEmpty ? "" : " ") + "(" + more.joined(separator: "; ") + ")"
        }
        return (problem.title ?? "HTTP \(status)", detail)
    }

    /// `amount` rounded half-up to `currency`'s minor unit.
    private static func money(_ amount: Decimal, _ currency: Currency) -> Money? {
        var scaled = amount
        for _ in 0..<currency.exponent { scaled *= 10 }
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        let units = NSDecimalNumber(decimal: rounded).int64Value
        guard Decimal(units) == rounded else { return nil }
        return Money(minorUnits: units, currency: currency)
    }
}
