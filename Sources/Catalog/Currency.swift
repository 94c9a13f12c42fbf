/// An ISO 4217 currency with the number of digits of its minor unit.
///
/// Only currencies listed in ``Currency/known`` exist: marketplaces publish prices in
/// these, and each one's exponent decides how a converted price rounds.
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    /// The three-letter ISO 4217 code, upper case.
    public let code: String
    /// Digits after the decimal point of the minor unit (JPY 0, EUR 2, KWD 3).
    public let exponent: Int

    private init(_ code: String, _ exponent: Int) {
        self.code = code
        self.exponent = exponent
    }

    /// The currency with ISO code `code` (case-insensitive), or `nil` when it is not one
    /// of the currencies any supported marketplace uses.
    public init?(code: String) {
        guard let known = Self.known[code.uppercased()] else { return nil }
        self = known
    }

    public var description: String { code }

    public static let inr = Currency("INR", 2)
    public static let usd = Currency("USD", 2)
    public static let eur = Currency("EUR", 2)
    public static let gbp = Currency("GBP", 2)
    public static let jpy = Currency("JPY", 0)
    public static let aed = Currency("AED", 2)

    /// Every currency of the SP-API marketplaces, eBay, Walmart and Flipkart, by code.
    public static let known: [String: Currency] = {
        let all: [Currency] = [
            // Amazon SP-API marketplaces (NA, EU, FE).
            inr, usd, eur, gbp, jpy, aed,
            Currency("CAD", 2), Currency("MXN", 2), Currency("BRL", 2), Currency("SEK", 2),
            Currency("PLN", 2), Currency("TRY", 2), Currency("EGP", 2), Currency("SAR", 2),
            Currency("ZAR", 2), Currency("AUD", 2), Currency("SGD", 2),
            // eBay sites beyond those (Switzerland, Hong Kong, Malaysia, Philippines, Taiwan).
            Currency("CHF", 2), Currency("HKD", 2), Currency("MYR", 2), Currency("PHP", 2),
            Currency("TWD", 2), Currency("NZD", 2), Currency("CNY", 2),
            // Walmart international (Chile, Costa Rica) and three-digit minor units seen in the Gulf.
            Currency("CLP", 0), Currency("CRC", 2), Currency("KWD", 3), Currency("BHD", 3),
            Currency("OMR", 3), Currency("QAR", 2), Currency("KRW", 0),
        ]
        return Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })
    }()
}

extension Currency: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let code = try container.decode(String.self)
        guard let currency = Currency(code: code) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown currency \(code)")
        }
        self = currency
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
