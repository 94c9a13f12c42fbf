import Foundation

/// What a channel should show for a product, computed from DESIGN §5 alone: an oracle for tests that
/// shares no code with the daemon's `Catalog` module.
///
/// Every step is written out with Foundation's `Decimal` (38 significant digits, exact for the
/// amounts and rates a catalog holds), so a pricing or stock bug in the daemon shows as a difference
/// here rather than being computed the same way twice.
public struct ListingOracle: Sendable {
    /// One channel's rules, as the configuration file writes them (decimal strings, integers).
    public struct Channel: Sendable, Hashable {
        public var name: String
        /// ISO 4217 code of the currency the channel prices in.
        public var currency: String
        /// The channel's locale (`de_DE`): picks `title@<lang>` translations, most specific first.
        public var language: String
        public var markupPercent: Decimal = 0
        public var add: Decimal = 0
        /// `none`, `nearest:S`, `up:S` or `ending:E`.
        public var rounding = "none"
        public var min: Decimal?
        public var max: Decimal?
        public var sharePercent = 100
        public var buffer = 0
        public var maxQuantity: Int?
        /// The channel whose landed-cost estimates the price adds (`add_landed_cost`), when set.
        public var addsLandedCostFrom: String?

        public init(name: String, currency: String, language: String) {
            self.name = name
            self.currency = currency
            self.language = language
        }
    }

    /// A product as the oracle needs it: plain values, nothing from the daemon's types.
    public struct Product: Sendable, Hashable {
        public var sku: String
        public var title: String
        /// The catalog price in minor units of the base currency (paise for INR).
        public var basePriceMinorUnits: Int64
        public var quantity: Int
        /// `title@<lang>` values by language tag (`de`, `hi`, `fr_CA`).
        public var titleTranslations: [String: String]
        /// `price@<channel>` values: a fixed price in the channel's currency, overriding the rules.
        public var channelPrices: [String: Decimal]

        public init(
            sku: String,
            title: String,
            basePriceMinorUnits: Int64,
            quantity: Int,
            titleTranslations: [String: String] = [:],
            channelPrices: [String: Decimal] = [:]
        ) {
            self.sku = sku
            self.title = title
            self.basePriceMinorUnits = basePriceMinorUnits
            self.quantity = quantity
            self.titleTranslations = titleTranslations
            self.channelPrices = channelPrices
        }
    }

    /// The listing a channel should show.
    public struct Listing: Sendable, Hashable {
        public var title: String
        public var price: Decimal
        public var currency: String
        public var quantity: Int
    }

    /// The base currency (`INR`): its rate is 1.
    public let baseCurrency: String
    /// Units of each currency per unit of the base currency.
    public let fx: [String: Decimal]
    public let channels: [String: Channel]

    public init(baseCurrency: String, fx: [String: Decimal], channels: [Channel]) {
        self.baseCurrency = baseCurrency
        self.fx = fx
        self.channels = Dictionary(channels.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Digits after the decimal point of `currency`'s minor unit (ISO 4217).
    public static func exponent(of currency: String) -> Int {
        switch currency {
        case "JPY", "KRW", "CLP", "VND", "ISK", "UGX", "XOF", "XAF", "PYG": 0
        case "KWD", "BHD", "OMR", "JOD", "TND", "LYD", "IQD": 3
        default: 2
        }
    }

    /// Units of `currency` per unit of the base currency.
    public func rate(_ currency: String) -> Decimal? {
        currency == baseCurrency ? 1 : fx[currency]
    }

    /// What `channel` should show for `product`, or `nil` when its price needs a landed cost and
    /// `landedCost` (the estimate to the channel's country, in `landedCostCurrency`) is absent.
    public func listing(
        of product: Product,
        on channelName: String,
        landedCost: Decimal? = nil,
        landedCostCurrency: String? = nil
    ) -> Listing? {
        guard let channel = channels[channelName] else { return nil }
        var added: Decimal = 0
        if channel.addsLandedCostFrom != nil {
            guard let landedCost,
                let amount = landedCostToAdd(landedCost, in: landedCostCurrency ?? baseCurrency, to: channel.currency)
            else { return nil }
            added = amount
        }
        guard let price = price(of: product, on: channel, adding: added) else { return nil }
        return Listing(
            title: title(of: product, language: channel.language),
            price: price,
            currency: channel.currency,
            quantity: quantity(product.quantity, on: channel)
        )
    }

    /// DESIGN §5 "Price for a channel", steps 1–4, with `added` (a landed cost in the channel's
    /// currency) added before rounding.
    public func price(of product: Product, on channel: Channel, adding added: Decimal = 0) -> Decimal? {
        if let fixed = product.channelPrices[channel.name] { return fixed }
        guard let rate = rate(channel.currency) else { return nil }
        let exponent = Self.exponent(of: channel.currency)
        let base = Decimal(product.basePriceMinorUnits) / Self.power(Self.exponent(of: baseCurrency))
        // 1. converted = price × fx
        let converted = base * rate
        // 2. marked = converted × (1 + markup / 100) + add
        let marked = converted * (1 + channel.markupPercent / 100) + channel.add + added
        // 3. rounding
        var rounded: Decimal
        let parts = channel.rounding.split(separator: ":", maxSplits: 1).map(String.init)
        switch parts.first ?? "none" {
        case "nearest":
            let step = Self.decimal(parts[1])
            rounded = Self.round(marked / step, scale: 0, .plain) * step
        case "up":
            let step = Self.decimal(parts[1])
            rounded = Self.round(marked / step, scale: 0, .up) * step
        case "ending":
            let ending = Self.decimal(parts[1])
            let whole = Self.round(marked, scale: 0, .down)
            rounded = whole + ending >= marked ? whole + ending : whole + 1 + ending
        default:
            rounded = Self.round(marked, scale: exponent, .plain)
        }
        // 4. clamp
        if let min = channel.min, rounded < min { rounded = min }
        if let max = channel.max, rounded > max { rounded = max }
        return rounded
    }

    /// DESIGN §5 "Stock for a channel": the share (floor), less the buffer (never below 0), capped.
    public func quantity(_ catalogQuantity: Int, on channel: Channel) -> Int {
        let shared = catalogQuantity * channel.sharePercent / 100  // integer division: floor for q ≥ 0
        let buffered = Swift.max(0, shared - channel.buffer)
        return channel.maxQuantity.map { Swift.min(buffered, $0) } ?? buffered
    }

    /// The title in the most specific translation of `language` (`de_DE`, then `de`), else the title.
    public func title(of product: Product, language: String) -> String {
        let normalised = language.replacingOccurrences(of: "-", with: "_")
        let primary = String(normalised.prefix { $0 != "_" })
        return product.titleTranslations[normalised] ?? product.titleTranslations[primary] ?? product.title
    }

    /// A landed-cost estimate in `currency`, converted to `channelCurrency` and rounded up to its
    /// minor unit (never priced below what shipping costs).
    public func landedCostToAdd(_ estimate: Decimal, in currency: String, to channelCurrency: String) -> Decimal? {
        guard let from = rate(currency), let to = rate(channelCurrency) else { return nil }
        return Self.round(estimate / from * to, scale: Self.exponent(of: channelCurrency), .up)
    }

    // MARK: - Decimal helpers

    static func round(_ value: Decimal, scale: Int, _ mode: NSDecimalNumber.RoundingMode) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, scale, mode)
        return result
    }

    static func power(_ exponent: Int) -> Decimal {
        (0..<exponent).reduce(Decimal(1)) { value, _ in value * 10 }
    }

    /// A decimal from its plain text (`"0.99"`), in the POSIX locale.
    public static func decimal(_ text: String) -> Decimal {
        Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) ?? .nan
    }
}
