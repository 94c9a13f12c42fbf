import Foundation

/// Exchange rates from one base currency, as exact decimals.
///
/// A rate is the number of units of the target currency per one unit of the base currency
/// (`[fx] USD = "0.01185"` with base INR: 1 INR = 0.01185 USD). The base converts at exactly 1.
public struct FXTable: Hashable, Sendable {
    /// The currency catalog prices are in.
    public let base: Currency
    /// Units of each target currency per one unit of ``base``.
    public let rates: [Currency: Decimal]

    /// A table of `rates` from `base`. A rate given for `base` itself is ignored: the base is 1.
    public init(base: Currency, rates: [Currency: Decimal]) {
        self.base = base
        self.rates = rates.filter { $0.key != base }
    }

    /// Parses the `[fx]` table: currency codes to positive decimal strings (`"0.01185"`).
    /// - Throws: ``ConfigurationError`` whose key is the offending currency code (`JPY`), for an unknown
    ///   currency or a value that is not a positive plain decimal. Callers prefix it (`fx.JPY`).
    public init(base: Currency, parsing table: [String: String]) throws(ConfigurationError) {
        var rates: [Currency: Decimal] = [:]
        for (code, text) in table.sorted(by: { $0.key < $1.key }) {
            guard let currency = Currency(code: code) else {
                throw ConfigurationError(key: code, message: "\"\(code)\" is not a known ISO 4217 currency code")
            }
            guard let rate = FixedDecimal(parsing: text), rate.mantissa > 0 else {
                throw ConfigurationError(
                    key: code,
                    message: "\"\(text)\" is not a positive decimal rate (units of \(code) per 1 \(base.code))"
                )
            }
            rates[currency] = rate.decimal
        }
        self.init(base: base, rates: rates)
    }

    /// Units of `currency` per one unit of ``base``: 1 for the base itself, `nil` when the table has no rate.
    public func rate(to currency: Currency) -> Decimal? {
        currency == base ? 1 : rates[currency]
    }
}
