/// `GET /v1/fx`: the FX table in force. Wire keys: `base`, `rates` (currency code → decimal string),
/// `overridden` (codes whose rate was set on the running daemon and differs from the config file).
///
/// Rates are decimal strings on the wire: money never passes through binary floating point.
public struct FXResponse: Codable, Hashable, Sendable {
    public var base: String
    public var rates: [String: String]
    public var overridden: [String]?

    public init(base: String, rates: [String: String], overridden: [String]? = nil) {
        self.base = base
        self.rates = rates
        self.overridden = overridden
    }
}

/// `PUT /v1/fx`: set one rate (re-pricing every listing in that currency).
/// Wire keys: `currency`, `rate` (a decimal string such as `"0.01185"`), `force` (optional: accept a
/// change beyond the daemon's `fx_max_change_factor` of the rate in force).
public struct FXSetRequest: Codable, Hashable, Sendable {
    public var currency: String
    public var rate: String
    public var force: Bool?

    public init(currency: String, rate: String, force: Bool? = nil) {
        self.currency = currency
        self.rate = rate
        self.force = force
    }
}

/// `PUT /v1/fx` answer: the table now in force and how many listings were queued for re-pricing.
/// Wire keys: `fx` (as ``FXResponse``), `channels` (the re-priced channels), `queued`.
public struct FXSetResponse: Codable, Hashable, Sendable {
    public var fx: FXResponse
    public var channels: [String]
    public var queued: Int

    public init(fx: FXResponse, channels: [String], queued: Int) {
        self.fx = fx
        self.channels = channels
        self.queued = queued
    }
}
