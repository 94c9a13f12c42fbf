import Catalog
import Foundation

/// One eBay site as the Sell Inventory API knows it: its `MarketplaceEnum` id, currency and language.
///
/// Source: `../shared/reference/marketplace-apis.md` §2 (Inventory `MarketplaceEnum`, `Amount.currency`
/// per offer marketplace). eBay India (`EBAY_IN`) is no longer a functioning marketplace and is absent.
public struct EbayMarketplace: Sendable, Hashable {
    /// The marketplace id offers carry in `marketplaceId` (`EBAY_US`).
    public var id: String
    /// The currency every price on the site is in.
    public var currency: Currency
    /// The `Content-Language` of the site's listings (`en-US`).
    public var contentLanguage: String

    /// Every eBay site the adapter lists on.
    public static let all: [EbayMarketplace] = [
        .init(id: "EBAY_US", currency: .usd, contentLanguage: "en-US"),
        .init(id: "EBAY_MOTORS", currency: .usd, contentLanguage: "en-US"),
        .init(id: "EBAY_CA", currency: Currency(code: "CAD")!, contentLanguage: "en-CA"),
        .init(id: "EBAY_GB", currency: .gbp, contentLanguage: "en-GB"),
        .init(id: "EBAY_AU", currency: Currency(code: "AUD")!, contentLanguage: "en-AU"),
        .init(id: "EBAY_AT", currency: .eur, contentLanguage: "de-AT"),
        .init(id: "EBAY_BE", currency: .eur, contentLanguage: "fr-BE"),
        .init(id: "EBAY_FR", currency: .eur, contentLanguage: "fr-FR"),
        .init(id: "EBAY_DE", currency: .eur, contentLanguage: "de-DE"),
        .init(id: "EBAY_IT", currency: .eur, contentLanguage: "it-IT"),
        .init(id: "EBAY_NL", currency: .eur, contentLanguage: "nl-NL"),
        .init(id: "EBAY_ES", currency: .eur, contentLanguage: "es-ES"),
        .init(id: "EBAY_IE", currency: .eur, contentLanguage: "en-IE"),
        .init(id: "EBAY_CH", currency: Currency(code: "CHF")!, contentLanguage: "de-CH"),
        .init(id: "EBAY_PL", currency: Currency(code: "PLN")!, contentLanguage: "pl-PL"),
        .init(id: "EBAY_HK", currency: Currency(code: "HKD")!, contentLanguage: "zh-HK"),
        .init(id: "EBAY_SG", currency: Currency(code: "SGD")!, contentLanguage: "en-SG"),
    ]

    /// The site with id `id` (case-insensitive), or `nil`.
    public static func named(_ id: String) -> EbayMarketplace? {
        let wanted = id.uppercased()
        return all.first { $0.id == wanted }
    }

    /// The `Content-Language` for a channel language (`en_US` → `en-US`), else the site's own.
    public func contentLanguage(channelLanguage: String?) -> String {
        guard let language = channelLanguage, !language.isEmpty else { return contentLanguage }
        return language.replacingOccurrences(of: "_", with: "-")
    }
}
