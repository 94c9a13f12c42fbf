/// `GET /v1/fx`: the FX table in force. Wire keys: `base`, `rates` (currency code → decimal string).
///
/// Rates are decimal strings on the wire: money never passes through binary floating point.
public struct FXResponse: Codable, Hashable, Sendable {
    public var base: String
    public var rates: [String: String]

    public init(base: String, rates: [String: String]) {
        self.base = base
        self.rates = rates
    }
}

/// `PUT /v1/fx`: set one rate (re-pricing every listing in that currency).
/// Wire keys: `currency`, `rate` (a decimal string such as `"0.01185"`).
public struct FXSetRequest: Codable, Hashable, Sendable {
    public var currency: String
    public var rate: String

    public init(currency: String, rate: String) {
        self.currency = currency
        self.rate = rate
    }
}
