import Catalog

/// One `[[channels]]` entry: one marketplace of one account, with its pricing and stock rules.
public struct ChannelConfiguration: Hashable, Sendable {
    /// The channel's unique name (`amazon-de`), used in `price@<channel>` columns and the CLI.
    public var name: String
    /// The name of the `[accounts.NAME]` section this channel sells through.
    public var account: String
    /// The platform's marketplace code (`DE`, `US`, `EBAY_GB`, ...).
    public var marketplace: String
    /// The currency prices are sent in. `nil` when the file leaves it to the adapter to derive
    /// from ``marketplace``.
    public var currency: Currency?
    /// The listing language (`de_DE`), which picks `title@<lang>` translations.
    public var language: String?
    /// The pricing rule's fields as written (`markup_percent`, `add`, `rounding`, `min`, `max`).
    public var pricing: [String: String]
    /// The inventory rule's fields as written (`share_percent`, `buffer`, `max`).
    public var inventory: [String: Int]
    /// Platform-specific settings, kept as text for the platform's adapter to read.
    public var extra: [String: String]

    /// The keys every channel has; any other key goes to ``extra``.
    public static let keys = ["name", "account", "marketplace", "currency", "language", "pricing", "inventory"]

    public init(
        name: String,
        account: String,
        marketplace: String,
        currency: Currency? = nil,
        language: String? = nil,
        pricing: [String: String] = [:],
        inventory: [String: Int] = [:],
        extra: [String: String] = [:]
    ) {
        self.name = name
        self.account = account
        self.marketplace = marketplace
        self.currency = currency
        self.language = language
        self.pricing = pricing
        self.inventory = inventory
        self.extra = extra
    }

    /// Reads one channel table; returns `nil` when a required key is missing or wrong.
    init?(reading table: inout TOMLTableReader) {
        let name = table.string("name", required: true)
        if let name, !Self.isValidName(name) {
            table.issues.report(
                table.keyPath("name"),
                "\"\(name)\" is not a channel name (letters, digits, '-' and '_', starting with a letter)"
            )
        }
        let account = table.string("account", required: true)
        let marketplace = table.string("marketplace", required: true)
        var currency: Currency?
        if let code = table.string("currency") {
            currency = Currency(code: code)
            if currency == nil { table.issues.report(table.keyPath("currency"), "unknown currency code \"\(code)\"") }
        }
        let language = table.string("language")
        if let language, !Self.isValidLanguage(language) {
            table.issues.report(
                table.keyPath("language"),
                "\"\(language)\" is not a locale tag (a language such as \"de\", or language_REGION such as \"de_DE\")"
            )
        }
        var pricing: [String: String] = [:]
        if var rule = table.table("pricing") { pricing = rule.decimalStrings() }
        var inventory: [String: Int] = [:]
        if var rule = table.table("inventory") { inventory = rule.integers() }
        let extra = table.remainingAsStrings()
        guard let name, let account, let marketplace else { return nil }
        self.init(
            name: name,
            account: account,
            marketplace: marketplace,
            currency: currency,
            language: language,
            pricing: pricing,
            inventory: inventory,
            extra: extra
        )
    }

    /// Whether `tag` is a locale tag: an ISO 639 language (`de`, two or three lower-case letters),
    /// optionally a script (`Hans`) and a region (`DE`, or three digits such as `419`), joined by `_` or `-`.
    public static func isValidLanguage(_ tag: String) -> Bool {
        let parts = tag.split(omittingEmptySubsequences: false) { $0 == "_" || $0 == "-" }
        guard let language = parts.first, (2...3).contains(language.count),
            language.allSatisfy({ $0.isASCII && $0.isLowercase })
        else { return false }
        var rest = parts.dropFirst()
        if let script = rest.first, script.count == 4, script.first!.isUppercase,
            script.allSatisfy({ $0.isASCII && $0.isLetter }), script.dropFirst().allSatisfy(\.isLowercase)
        {
            rest = rest.dropFirst()
        }
        if let region = rest.first {
            let isLetters = region.count == 2 && region.allSatisfy { $0.isASCII && $0.isUppercase }
            let isDigits = region.count == 3 && region.allSatisfy { $0.isASCII && $0.isNumber }
            guard isLetters || isDigits else { return false }
            rest = rest.dropFirst()
        }
        return rest.isEmpty
    }

    /// Whether `name` can name a channel: ASCII letters, digits, `-` and `_`, starting with a letter.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else {
            return false
        }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-"
                    || scalar == "_")
        }
    }
}
