import Foundation
import TOMLKit

extension ListingOracle {
    /// The currency each marketplace prices in when a channel sets no `currency` (DESIGN §4.1 lets
    /// it derive from the marketplace): the oracle's own table, written from the platforms' docs.
    public static let marketplaceCurrencies: [String: String] = [
        "US": "USD", "CA": "CAD", "MX": "MXN", "BR": "BRL", "UK": "GBP", "GB": "GBP", "DE": "EUR", "FR": "EUR",
        "IT": "EUR", "ES": "EUR", "NL": "EUR", "BE": "EUR", "IE": "EUR", "SE": "SEK", "PL": "PLN", "TR": "TRY",
        "AE": "AED", "SA": "SAR", "EG": "EGP", "IN": "INR", "JP": "JPY", "AU": "AUD", "SG": "SGD",
        "EBAY_US": "USD", "EBAY_GB": "GBP", "EBAY_AU": "AUD", "EBAY_DE": "EUR", "EBAY_CA": "CAD",
    ]

    /// The oracle for a configuration file's text (DESIGN §4.1): `[daemon] base_currency`, `[fx]` and
    /// every `[[channels]]` entry's currency, language, pricing and inventory.
    public init(configuration text: String) throws {
        let table = try TOMLTable(string: text)
        let base = table["daemon"]?.table?["base_currency"]?.string ?? "INR"
        var fx: [String: Decimal] = [:]
        for (code, value) in table["fx"]?.table ?? TOMLTable() {
            if let text = value.string { fx[code] = Self.decimal(text) }
        }
        var channels: [Channel] = []
        for element in table["channels"]?.array ?? TOMLArray() {
            guard let entry = element.table, let name = entry["name"]?.string else { continue }
            let marketplace = entry["marketplace"]?.string ?? ""
            let currency = entry["currency"]?.string ?? Self.marketplaceCurrencies[marketplace] ?? base
            var channel = Channel(name: name, currency: currency, language: entry["language"]?.string ?? "en_US")
            if let pricing = entry["pricing"]?.table {
                let text = { (key: String) in pricing[key]?.string.map(Self.decimal) }
                channel.markupPercent = text("markup_percent") ?? 0
                channel.add = text("add") ?? 0
                channel.rounding = pricing["rounding"]?.string ?? "none"
                channel.min = text("min")
                channel.max = text("max")
                channel.addsLandedCostFrom = pricing["add_landed_cost"]?.string
            }
            if let inventory = entry["inventory"]?.table {
                channel.sharePercent = inventory["share_percent"]?.int ?? 100
                channel.buffer = inventory["buffer"]?.int ?? 0
                channel.maxQuantity = inventory["max"]?.int
            }
            channels.append(channel)
        }
        self.init(baseCurrency: base, fx: fx, channels: channels)
    }
}
