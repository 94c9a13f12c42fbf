import Foundation

/// An amount of money as integer minor units of one currency.
///
/// Money never passes through `Double`: amounts are `Int64` minor units (paise, cents,
/// yen); arithmetic with rates is exact decimal (``ChannelProjector`` does it in `Int128` fixed point, with
/// the `Decimal` definition as reference) before rounding back to minor units.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    /// The amount in minor units of ``currency`` (for JPY, whole yen).
    public var minorUnits: Int64
    /// The currency of the amount.
    public var currency: Currency

    /// An amount of `minorUnits` minor units of `currency`.
    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// The amount `decimal` exactly, or `nil` if it has more fractional digits than the
    /// currency's minor unit (`1.005 USD`) or does not fit.
    public init?(exactly decimal: Decimal, currency: Currency) {
        var scaled = decimal * Money.scale(currency.exponent)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled, let units = Int64(exactly: NSDecimalNumber(decimal: rounded).int64Value),
            Decimal(units) == rounded
        else { return nil }
        self.init(minorUnits: units, currency: currency)
    }

    /// Parses a plain decimal string (`"1499.50"`, no sign, no exponent, no grouping) in `currency`.
    /// Returns `nil` when the text is not such a number or has more digits than the currency allows.
    public init?(parsing text: String, currency: Currency) {
        guard let decimal = Money.parseDecimal(text) else { return nil }
        self.init(exactly: decimal, currency: currency)
    }

    /// The amount as a `Decimal` in major units (`12.34`).
    public var decimalAmount: Decimal {
        Decimal(minorUnits) / Money.scale(currency.exponent)
    }

    /// The amount as a plain decimal string with exactly the currency's digits (`"12.30"`, `"1780"`).
    public var amountString: String {
        let exponent = currency.exponent
        let sign = minorUnits < 0 ? "-" : ""
        let magnitude = minorUnits.magnitude
        guard exponent > 0 else { return sign + String(magnitude) }
        var divisor: UInt64 = 1
        for _ in 0..<exponent { divisor *= 10 }
        let fraction = String(magnitude % divisor)
        let padded = String(repeating: "0", count: exponent - fraction.count) + fraction
        return "\(sign)\(magnitude / divisor).\(padded)"
    }

    public var description: String { "\(amountString) \(currency.code)" }

    /// `10^exponent` as a `Decimal`.
    static func scale(_ exponent: Int) -> Decimal {
        var result = Decimal(1)
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// Parses an unsigned plain decimal number (`"12"`, `"12.5"`, `"0.99"`): digits, at most one
    /// point, no sign, exponent, spaces or grouping. Exact: no binary floating point involved.
    public static func parseDecimal(_ text: String) -> Decimal? {
        guard !text.isEmpty, text.utf8.count <= 30 else { return nil }
        var sawDigit = false
        var sawPoint = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: ".") where !sawPoint: sawPoint = true
            default: return nil
            }
        }
        guard sawDigit else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }
}

extension Money: Codable {
    private enum CodingKeys: String, CodingKey {
        case amount
        case currency
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let currency = try container.decode(Currency.self, forKey: .currency)
        let amount = try container.decode(String.self, forKey: .amount)
        guard let money = Money(parsing: amount, currency: currency) else {
            throw DecodingError.dataCorruptedError(
                forKey: .amount,
                in: container,
                debugDescription: "\(amount) is not an amount of \(currency.code)"
            )
        }
        self = money
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(amountString, forKey: .amount)
        try container.encode(currency, forKey: .currency)
    }
}
