import Foundation

/// How a channel's price is derived from the catalog price (DESIGN §5 "Pricing and stock rules").
///
/// `marked = price × fx × (1 + markupPercent / 100) + add (+ landed cost)`, then ``rounding``, then the
/// clamp to [``minimum``, ``maximum``]. All amounts are in the channel's currency; all math is exact.
/// The landed cost is a per-SKU amount from another channel (``landedCostSource``), supplied by the
/// caller of ``ChannelProjector/price(for:landedCost:)``.
public struct PricingRule: Hashable, Sendable {
    /// How a marked-up price becomes an amount of the channel's currency.
    public enum Rounding: Hashable, Sendable, CustomStringConvertible {
        /// Half-up to the currency's minor unit (`none` in the configuration).
        case none
        /// Half-up to a multiple of `step` (`nearest:0.05`).
        case nearest(step: Decimal)
        /// Up to a multiple of `step` (`up:10`).
        case up(step: Decimal)
        /// The smallest amount at or above the price whose fractional part is `fraction` (`ending:0.99`).
        case ending(fraction: Decimal)

        /// Parses `none`, `nearest:S`, `up:S` or `ending:E`.
        /// - Throws: ``ConfigurationError`` with key `rounding`.
        public init(parsing text: String) throws(ConfigurationError) {
            if text == "none" {
                self = .none
                return
            }
            let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw ConfigurationError(
                    key: "rounding",
                    message: "\"\(text)\" is not one of none, nearest:STEP, up:STEP, ending:FRACTION"
                )
            }
            let argument = String(parts[1])
            guard let value = FixedDecimal(parsing: argument), !value.isNegative else {
                throw ConfigurationError(
                    key: "rounding",
                    message: "\"\(argument)\" in \"\(text)\" is not a non-negative decimal number"
                )
            }
            switch parts[0] {
            case "nearest": self = .nearest(step: value.decimal)
            case "up": self = .up(step: value.decimal)
            case "ending": self = .ending(fraction: value.decimal)
            default:
                throw ConfigurationError(
                    key: "rounding",
                    message: "\"\(parts[0])\" in \"\(text)\" is not one of none, nearest, up, ending"
                )
            }
        }

        /// The configuration spelling (`ending:0.99`).
        public var description: String {
            switch self {
            case .none: "none"
            case .nearest(let step): "nearest:\(step)"
            case .up(let step): "up:\(step)"
            case .ending(let fraction): "ending:\(fraction)"
            }
        }
    }

    /// Percent added on top of the converted price (`35` adds 35 %; may be negative, above -100).
    public var markupPercent: Decimal
    /// Amount in the channel currency added after the markup.
    public var add: Decimal
    /// How the result becomes an amount of the channel currency.
    public var rounding: Rounding
    /// The lowest price the channel may get, in its currency.
    public var minimum: Decimal?
    /// The highest price the channel may get, in its currency.
    public var maximum: Decimal?
    /// The name of the channel whose per-SKU landed cost (shipping, duties and taxes of one unit to
    /// this channel's destination) the price adds after `add`, before rounding and clamping
    /// (`add_landed_cost = "dhl-express"`); `nil` when the price adds none.
    public var landedCostSource: String?

    /// The configuration keys of a `pricing` table.
    public static let keys: Set<String> = ["markup_percent", "add", "rounding", "min", "max", "add_landed_cost"]

    /// A rule; the defaults convert and round to the minor unit and nothing else.
    public init(
        markupPercent: Decimal = 0,
        add: Decimal = 0,
        rounding: Rounding = .none,
        minimum: Decimal? = nil,
        maximum: Decimal? = nil,
        landedCostSource: String? = nil
    ) {
        self.markupPercent = markupPercent
        self.add = add
        self.rounding = rounding
        self.minimum = minimum
        self.maximum = maximum
        self.landedCostSource = landedCostSource
    }

    /// Parses a channel's `pricing` table, whose values are all strings
    /// (`{ markup_percent = "35", add = "1.50", rounding = "ending:0.99", min = "4.99" }`,
    /// optionally `add_landed_cost = "dhl-express"`). Whether the named channel exists and keeps landed
    /// costs is the daemon's check.
    /// - Throws: ``ConfigurationError`` naming the key (`add`, `rounding`, ...) for an unknown key or a
    ///   value that is not a plain decimal. Whether the rule fits a currency is checked by ``ChannelProjector``.
    public init(fields: [String: String]) throws(ConfigurationError) {
        self.init()
        for (key, text) in fields.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "markup_percent": markupPercent = try Self.decimal(text, key: key, allowsNegative: true)
            case "add": add = try Self.decimal(text, key: key, allowsNegative: false)
            case "min": minimum = try Self.decimal(text, key: key, allowsNegative: false)
            case "max": maximum = try Self.decimal(text, key: key, allowsNegative: false)
            case "rounding": rounding = try Rounding(parsing: text)
            case "add_landed_cost":
                let name = text.trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else {
                    throw ConfigurationError(key: key, message: "must name the channel whose landed costs are added")
                }
                landedCostSource = name
            default:
                throw ConfigurationError(
                    key: key,
                    message: "unknown pricing key; expected one of \(Self.keys.sorted().joined(separator: ", "))"
                )
            }
        }
    }

    private static func decimal(_ text: String, key: String, allowsNegative: Bool) throws(ConfigurationError)
        -> Decimal
    {
        guard let value = FixedDecimal(parsing: text) else {
            throw ConfigurationError(key: key, message: "\"\(text)\" is not a plain decimal number such as \"1.50\"")
        }
        guard allowsNegative || !value.isNegative else {
            throw ConfigurationError(key: key, message: "\"\(text)\" is negative")
        }
        return value.decimal
    }
}
