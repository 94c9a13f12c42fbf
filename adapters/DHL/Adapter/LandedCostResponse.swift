import Catalog
import Foundation

/// MyDHL's answers to `POST /landed-cost`, read with `Decimal` so amounts stay exact.
///
/// Follows the `/landed-cost` 200 schema of MyDHL API 2.7.0 (`supermodelIoLogisticsExpressRates`):
/// `products[0].totalPrice[]` (the `BILLC` entry, else the first) is the total landed cost; duties
/// and taxes are read from each item's breakdown, `products[0].items[].breakdown[]`, whose `typeCode`
/// the schema lists as `DUTY`, `TAX` or `FEE` — not from the shipment-level `detailedPriceBreakdown`,
/// which carries DHL's own charge names (SPRQN, STSCH, …). Duties are the `DUTY` lines, taxes the
/// `TAX` lines; shipping is the rest of the total (transport and `FEE` lines). An answer without item
/// breakdowns is stored with duties and taxes of 0 and the whole total as shipping.
/// Errors: the problem JSON `supermodelIoLogisticsExpressErrorResponse`
/// (`{"instance","detail","message","status","additionalDetails"}`; `title` is read too).
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
        struct Item: Decodable {
            var number: Decimal?
            var breakdown: [Charge]?
        }
        struct Product: Decodable {
            var productName: String?
            var totalPrice: [Price]?
            var items: [Item]?
        }
        var products: [Product]?
    }

    /// DHL's problem JSON.
    struct Problem: Decodable {
        var instance: String?
        var detail: String?
        var message: String?
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
        var duties = Decimal(0)
        var taxes = Decimal(0)
        for charge in (product.items ?? []).flatMap({ $0.breakdown ?? [] }) {
            guard let price = charge.price else { continue }
            switch (charge.typeCode ?? "").uppercased() {
            case "DUTY": duties += price
            case "TAX": taxes += price
            default: continue  // FEE and anything else: part of shipping
            }
        }
        let shipping = totalAmount - duties - taxes
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
        return (problem.message ?? problem.title ?? "HTTP \(status)", detail)
    }

    /// Whether `body` is MyDHL's documented 500 "process error" (`detail` `999: Process failure
    /// occurred…`), as opposed to any other server error.
    static func isProcessError(_ body: [UInt8]) -> Bool {
        guard let problem = try? JSONDecoder().decode(Problem.self, from: Data(body)), let detail = problem.detail
        else { return false }
        return detail.hasPrefix("999:") || detail.localizedCaseInsensitiveContains("process failure")
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
