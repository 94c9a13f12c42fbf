/// One Amazon marketplace as SP-API knows it: id, region, currency and default locale.
///
/// Source: `../shared/reference/marketplace-apis.md` §1.3 (marketplace ids from Amazon's
/// "Marketplace IDs" page; locales from the PA-API locale reference where confirmed, else the
/// marketplace's usual locale). Shared by the adapter and its sandbox twin.
public struct AmazonMarketplace: Sendable, Hashable {
    /// The SP-API selling region whose host serves the marketplace.
    public enum Region: String, Sendable, Hashable, CaseIterable {
        case na, eu, fe

        /// The production SP-API host of the region.
        public var endpoint: String {
            switch self {
            case .na: "https://sellingpartnerapi-na.amazon.com"
            case .eu: "https://sellingpartnerapi-eu.amazon.com"
            case .fe: "https://sellingpartnerapi-fe.amazon.com"
            }
        }
    }

    /// The code channels use (`DE`, `UK`, `US`).
    public var code: String
    /// The SP-API marketplace id (`A1PA6795UKMFR9`).
    public var id: String
    public var region: Region
    /// ISO 4217 code of the currency prices must be sent in.
    public var currency: String
    /// The marketplace's default listing locale (`de_DE`).
    public var defaultLocale: String

    /// Every SP-API marketplace, in the order of Amazon's table.
    public static let all: [AmazonMarketplace] = [
        .init(code: "US", id: "ATVPDKIKX0DER", region: .na, currency: "USD", defaultLocale: "en_US"),
        .init(code: "CA", id: "A2EUQ1WTGCTBG2", region: .na, currency: "CAD", defaultLocale: "en_CA"),
        .init(code: "MX", id: "A1AM78C64UM0Y8", region: .na, currency: "MXN", defaultLocale: "es_MX"),
        .init(code: "BR", id: "A2Q3Y263D00KWC", region: .na, currency: "BRL", defaultLocale: "pt_BR"),
        .init(code: "UK", id: "A1F83G8C2ARO7P", region: .eu, currency: "GBP", defaultLocale: "en_GB"),
        .init(code: "DE", id: "A1PA6795UKMFR9", region: .eu, currency: "EUR", defaultLocale: "de_DE"),
        .init(code: "FR", id: "A13V1IB3VIYZZH", region: .eu, currency: "EUR", defaultLocale: "fr_FR"),
        .init(code: "IT", id: "APJ6JRA9NG5V4", region: .eu, currency: "EUR", defaultLocale: "it_IT"),
        .init(code: "ES", id: "A1RKKUPIHCS9HS", region: .eu, currency: "EUR", defaultLocale: "es_ES"),
        .init(code: "NL", id: "A1805IZSGTT6HS", region: .eu, currency: "EUR", defaultLocale: "nl_NL"),
        .init(code: "BE", id: "AMEN7PMS3EDWL", region: .eu, currency: "EUR", defaultLocale: "fr_BE"),
        .init(code: "IE", id: "A28R8C7NBKEWEA", region: .eu, currency: "EUR", defaultLocale: "en_IE"),
        .init(code: "SE", id: "A2NODRKZP88ZB9", region: .eu, currency: "SEK", defaultLocale: "sv_SE"),
        .init(code: "PL", id: "A1C3SOZRARQ6R3", region: .eu, currency: "PLN", defaultLocale: "pl_PL"),
        .init(code: "TR", id: "A33AVAJ2PDY3EV", region: .eu, currency: "TRY", defaultLocale: "tr_TR"),
        .init(code: "AE", id: "A2VIGQ35RCS4UG", region: .eu, currency: "AED", defaultLocale: "en_AE"),
        .init(code: "SA", id: "A17E79C6D8DWNP", region: .eu, currency: "SAR", defaultLocale: "en_AE"),
        .init(code: "EG", id: "ARBP9OOSHTCHU", region: .eu, currency: "EGP", defaultLocale: "en_AE"),
        .init(code: "ZA", id: "AE08WJ6YKNBMC", region: .eu, currency: "ZAR", defaultLocale: "en_ZA"),
        .init(code: "IN", id: "A21TJRUUN4KGV", region: .eu, currency: "INR", defaultLocale: "en_IN"),
        .init(code: "SG", id: "A19VAU5U5O7RUS", region: .fe, currency: "SGD", defaultLocale: "en_SG"),
        .init(code: "AU", id: "A39IBJ37TRP1C6", region: .fe, currency: "AUD", defaultLocale: "en_AU"),
        .init(code: "JP", id: "A1VC38T7YXB528", region: .fe, currency: "JPY", defaultLocale: "ja_JP"),
    ]

    /// The `language_tag` of English text on this marketplace: its default locale when that is English
    /// (`en_GB`, `en_IN`), else the region's English tag (`en_US` in North America and the Far East,
    /// `en_GB` in Europe). Amazon's Product Type Definitions list the accepted tags per marketplace
    /// (`language_tag` enum); nothing public lists them all, so this rule is ours: the one place to change.
    public var englishLocale: String {
        if defaultLocale.hasPrefix("en_") { return defaultLocale }
        return region == .eu ? "en_GB" : "en_US"
    }

    /// Whether `locale` is a full language tag: language, `_` or `-`, region (`de_DE`, `en-GB`, `es_419`).
    public static func isFullLocale(_ locale: String) -> Bool {
        let parts = locale.split(separator: "_", omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "-", omittingEmptySubsequences: false) }
        guard parts.count == 2 else { return false }
        let language = parts[0]
        let region = parts[1]
        return (2...3).contains(language.count) && language.unicodeScalars.allSatisfy { ("a"..."z").contains($0) }
            && (2...3).contains(region.count)
            && region.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    /// The marketplace with channel code `code` (`GB` is accepted for `UK`), or `nil`.
    public static func named(_ code: String) -> AmazonMarketplace? {
        let wanted = code.uppercased() == "GB" ? "UK" : code.uppercased()
        return all.first { $0.code == wanted }
    }

    /// The marketplace with SP-API id `id`, or `nil`.
    public static func withID(_ id: String) -> AmazonMarketplace? {
        all.first { $0.id == id }
    }
}
