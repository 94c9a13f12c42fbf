import Foundation

/// The twin's deterministic landed-cost arithmetic (exact `Decimal`), standing in for DHL's tariff data.
///
/// - duty = a rate by HS chapter (first two digits) × customs value;
/// - tax = a rate by destination × (customs value + duty);
/// - shipping = (20 + 8 per started 0.5 kg of package weight) units of USD, times a fixed per-currency
///   factor for the request's currency (INR 85, EUR 0.92, GBP 0.8, JPY 150, AED 3.67, others 1).
/// Every amount is rounded half-up to the currency's digits (0 for JPY, KRW, CLP; 2 otherwise).
/// The rates are made up for the sandbox; they are not DHL's.
enum LandedCostCalculator {
    /// One computed estimate.
    struct Estimate: Sendable, Hashable {
        var currency: String
        var shipping: Decimal
        var duty: Decimal
        var tax: Decimal
        var total: Decimal { shipping + duty + tax }
    }

    /// Percent duty by HS chapter.
    static let dutyPercent: [String: Decimal] = [
        "09": 5, "17": 15, "42": 8, "52": 12, "57": 6, "61": 16, "62": 16, "69": 6, "71": Decimal(string: "5.5")!,
        "94": 0,
    ]
    /// Percent duty for a chapter not in ``dutyPercent``.
    static let defaultDutyPercent = Decimal(string: "7.5")!
    /// Percent import tax by destination.
    static let taxPercent: [String: Decimal] = [
        "US": 0, "GB": 20, "DE": 19, "FR": 20, "IT": 22, "ES": 21, "AE": 5, "JP": 10, "AU": 10, "CA": 5,
    ]
    /// Percent tax for a destination not in ``taxPercent``.
    static let defaultTaxPercent: Decimal = 15
    /// Units of a currency per USD for the shipping table.
    static let shippingFactor: [String: Decimal] = [
        "INR": 85, "EUR": Decimal(string: "0.92")!, "GBP": Decimal(string: "0.8")!, "JPY": 150,
        "AED": Decimal(string: "3.67")!,
    ]

    /// The estimate of `query` (already validated) to its receiver country.
    static func estimate(_ query: LandedCostQuery) -> Estimate {
        let currency = query.currencyCode ?? "USD"
        let destination = query.customerDetails?.receiverDetails?.countryCode?.uppercased() ?? ""
        var duty = Decimal(0)
        var value = Decimal(0)
        for item in query.items ?? [] {
            let itemValue = (item.unitPrice ?? 0) * Decimal(item.quantity ?? 0)
            let chapter = String((item.commodityCode ?? "").filter(\.isNumber).prefix(2))
            value += itemValue
            duty += itemValue * (dutyPercent[chapter] ?? defaultDutyPercent) / 100
        }
        duty = rounded(duty, currency)
        let tax = rounded((value + duty) * (taxPercent[destination] ?? defaultTaxPercent) / 100, currency)
        let weight = (query.packages ?? []).reduce(Decimal(0)) { $0 + ($1.weight ?? 0) }
        var halfKilos = weight * 2
        var steps = Decimal()
        NSDecimalRound(&steps, &halfKilos, 0, .up)
        let usd = 20 + 8 * max(steps, 1)
        let shipping = rounded(usd * (shippingFactor[currency] ?? 1), currency)
        return Estimate(currency: currency, shipping: shipping, duty: duty, tax: tax)
    }

    /// The digits after the point of `currency`'s minor unit.
    static func exponent(_ currency: String) -> Int {
        ["JPY", "KRW", "CLP"].contains(currency) ? 0 : 2
    }

    /// `amount` half-up to `currency`'s minor unit.
    static func rounded(_ amount: Decimal, _ currency: String) -> Decimal {
        var value = amount
        var result = Decimal()
        NSDecimalRound(&result, &value, exponent(currency), .plain)
        return result
    }

    /// `amount` as plain decimal text with exactly the currency's digits (`"12.30"`).
    static func text(_ amount: Decimal, _ currency: String) -> String {
        let digits = exponent(currency)
        var scaled = amount
        for _ in 0..<digits { scaled *= 10 }
        let units = NSDecimalNumber(decimal: rounded(scaled, "JPY")).int64Value
        guard digits > 0 else { return String(units) }
        let sign = units < 0 ? "-" : ""
        let magnitude = units.magnitude
        let fraction = String(magnitude % 100)
        return "\(sign)\(magnitude / 100).\(String(repeating: "0", count: 2 - fraction.count))\(fraction)"
    }
}
