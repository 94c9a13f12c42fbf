/// How much of the stock on hand a channel may sell (DESIGN §5 "Pricing and stock rules").
///
/// `q = floor(quantity × sharePercent / 100)`, then `max(0, q − buffer)`, then `min(q, maximum)`.
public struct InventoryRule: Hashable, Sendable {
    /// Percent of the stock offered on the channel, `0...100`.
    public var sharePercent: Int
    /// Units held back from the channel after the share.
    public var buffer: Int
    /// The most units ever offered on the channel.
    public var maximum: Int?

    /// The configuration keys of an `inventory` table.
    public static let keys: Set<String> = ["share_percent", "buffer", "max"]

    /// A rule; the defaults offer all stock.
    public init(sharePercent: Int = 100, buffer: Int = 0, maximum: Int? = nil) {
        self.sharePercent = sharePercent
        self.buffer = buffer
        self.maximum = maximum
    }

    /// Parses a channel's `inventory` table (`{ share_percent = 50, buffer = 2, max = 500 }`).
    /// - Throws: ``ConfigurationError`` naming the key for an unknown key, a negative value or a share above 100.
    public init(fields: [String: Int]) throws(ConfigurationError) {
        self.init()
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "share_percent": sharePercent = value
            case "buffer": buffer = value
            case "max": maximum = value
            default:
                throw ConfigurationError(
                    key: key,
                    message: "unknown inventory key; expected one of \(Self.keys.sorted().joined(separator: ", "))"
                )
            }
        }
        try validate()
    }

    /// Checks the ranges of the fields.
    /// - Throws: ``ConfigurationError`` naming `share_percent`, `buffer` or `max`.
    public func validate() throws(ConfigurationError) {
        guard (0...100).contains(sharePercent) else {
            throw ConfigurationError(key: "share_percent", message: "\(sharePercent) is not a percentage in 0...100")
        }
        guard buffer >= 0 else {
            throw ConfigurationError(key: "buffer", message: "\(buffer) is negative")
        }
        if let maximum, maximum < 0 {
            throw ConfigurationError(key: "max", message: "\(maximum) is negative")
        }
    }

    /// The quantity offered on the channel for `quantity` units on hand; never negative.
    public func quantity(forStock quantity: Int) -> Int {
        let stock = max(0, quantity)
        // floor(stock × share / 100) without overflow: stock = 100a + b.
        let shared = (stock / 100) * sharePercent + (stock % 100) * sharePercent / 100
        let buffered = max(0, shared - buffer)
        guard let maximum else { return buffered }
        return min(buffered, maximum)
    }
}
