import AmazonModel
import Catalog
import Foundation
import Sync
import Testing

@testable import AmazonAdapter

/// The shapes of the bodies the payload builder writes: language tags, identifiers, offers on existing
/// ASINs, `amazon.<attribute>` columns and patches; expected values written out by hand.
@Suite("Amazon listing bodies: language tags, identifiers, offers and patches")
struct AmazonListingBodyTests {
    /// A product with a German title and bullet points, an English description and colour.
    static func product(details: ProductDetails = .init()) -> Product {
        var details = details
        if details.bulletPoints.isEmpty { details.bulletPoints = ["Hand-made", "From Agra"] }
        details.translatedBulletPoints["de"] = ["Handgemacht"]
        details.color = details.color ?? "White"
        details.platformAttributes["amazon.item_type_keyword"] = "indian-sweets"
        if details.gtin == nil && details.asin == nil && !details.identifierExemption { details.gtin = "4006381333931" }
        return Product(
            sku: SKU(trusted: "PETHA-1"),
            title: "Agra Petha",
            price: Money(minorUnits: 22000, currency: .inr),
            quantity: 40,
            description: "Soft candy.",
            brand: "Panchhi Style",
            translations: ["de": .init(title: "Agra Petha (weiß)")],
            details: details
        )
    }

    /// The body of `product` on the channel `channel` (`language` is its locale), parsed.
    static func body(_ product: Product, channel: String, code: String, language: String) throws -> [String: Any] {
        let marketplace = try #require(AmazonMarketplace.named(code))
        let currency = try #require(Currency(code: marketplace.currency))
        let projector = try ChannelProjector(
            channel: ChannelRules(name: channel, currency: currency, language: language),
            fx: FXTable(base: .inr, rates: [currency: 1])
        )
        let builder = ListingsPayloadBuilder(marketplace: marketplace, language: language)
        let bytes = builder.putBody(for: projector.project(product)).serialized()
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    static func tag(_ body: [String: Any], _ attribute: String) -> String? {
        ((body["attributes"] as? [String: Any])?[attribute] as? [[String: Any]])?.first?["language_tag"] as? String
    }

    @Test(
        "language_tag names the language the text is in: a translation in the channel's tag, English text in the marketplace's English tag",
        arguments: [
            // channel, marketplace, locale, item_name, product_description, bullet_point, color
            ("amazon-de", "DE", "de_DE", "de_DE", "en_GB", "de_DE", "en_GB"),
            ("amazon-fr", "FR", "fr_FR", "en_GB", "en_GB", "en_GB", "en_GB"),
            ("amazon-uk", "UK", "en_GB", "en_GB", "en_GB", "en_GB", "en_GB"),
            ("amazon-us", "US", "en_US", "en_US", "en_US", "en_US", "en_US"),
            ("amazon-mx", "MX", "es_MX", "en_US", "en_US", "en_US", "en_US"),
            ("amazon-jp", "JP", "ja_JP", "en_US", "en_US", "en_US", "en_US"),
            ("amazon-ae", "AE", "en_AE", "en_AE", "en_AE", "en_AE", "en_AE"),
        ]
    )
    func languageTags(
        channel: String,
        code: String,
        locale: String,
        title: String,
        description: String,
        bullets: String,
        color: String
    ) throws {
        let body = try Self.body(Self.product(), channel: channel, code: code, language: locale)
        #expect(Self.tag(body, "item_name") == title)
        #expect(Self.tag(body, "product_description") == description)
        #expect(Self.tag(body, "bullet_point") == bullets)
        #expect(Self.tag(body, "color") == color)
    }

    @Test(
        "a GTIN goes as externally_assigned_product_identifier typed by its length; an exemption as the exemption attribute",
        arguments: [
            ("4006381333931", "ean"), ("036000291452", "upc"), ("73513537", "ean"), ("15400141288763", "gtin"),
        ]
    )
    func identifiers(gtin: String, type: String) throws {
        let body = try Self.body(
            Self.product(details: .init(gtin: gtin)),
            channel: "amazon-de",
            code: "DE",
            language: "de_DE"
        )
        let attributes = try #require(body["attributes"] as? [String: Any])
        let identifier = try #require((attributes["externally_assigned_product_identifier"] as? [[String: Any]])?.first)
        #expect(identifier["type"] as? String == type)
        #expect(identifier["value"] as? String == gtin)
        #expect(identifier["marketplace_id"] as? String == "A1PA6795UKMFR9")
        #expect(attributes["supplier_declared_has_product_identifier_exemption"] == nil)

        let exempt = try Self.body(
            Self.product(details: .init(identifierExemption: true)),
            channel: "amazon-de",
            code: "DE",
            language: "de_DE"
        )
        let exemptAttributes = try #require(exempt["attributes"] as? [String: Any])
        #expect(exemptAttributes["externally_assigned_product_identifier"] == nil)
        let exemption = (exemptAttributes["supplier_declared_has_product_identifier_exemption"] as? [[String: Any]])?
            .first
        #expect(exemption?["value"] as? Bool == true)
    }

    @Test(
        "with an asin@<channel> the body is an offer on that ASIN (LISTING_OFFER_ONLY); other channels get the full listing"
    )
    func offerOnExistingASIN() throws {
        let product = Self.product(details: .init(asinsByChannel: ["amazon-de": "B0BZ5R9K1D"]))
        let offer = try Self.body(product, channel: "amazon-de", code: "DE", language: "de_DE")
        #expect(offer["requirements"] as? String == "LISTING_OFFER_ONLY")
        #expect(offer["productType"] as? String == "PRODUCT")
        let attributes = try #require(offer["attributes"] as? [String: Any])
        #expect(
            Set(attributes.keys)
                == [
                    "merchant_suggested_asin", "condition_type", "merchant_shipping_group", "purchasable_offer",
                    "fulfillment_availability",
                ]
        )
        let asin = (attributes["merchant_suggested_asin"] as? [[String: Any]])?.first
        #expect(asin?["value"] as? String == "B0BZ5R9K1D")
        let condition = (attributes["condition_type"] as? [[String: Any]])?.first
        #expect(condition?["value"] as? String == "new_new")
        let group = (attributes["merchant_shipping_group"] as? [[String: Any]])?.first
        #expect(group?["value"] as? String == "legacy-template-id")
        let full = try Self.body(product, channel: "amazon-fr", code: "FR", language: "fr_FR")
        #expect(full["requirements"] as? String == "LISTING")
    }

    @Test("no purchasable_offer carries audience, which the PRODUCT definition does not allow")
    func offerHasNoAudience() throws {
        let body = try Self.body(Self.product(), channel: "amazon-de", code: "DE", language: "de_DE")
        let offer = ((body["attributes"] as? [String: Any])?["purchasable_offer"] as? [[String: Any]])?.first
        #expect(offer.map { Set($0.keys) } == ["marketplace_id", "currency", "our_price"])
    }

    @Test("amazon.<attribute> columns: plain text, @<channel> in the channel's language, JSON passed through")
    func platformAttributeColumns() throws {
        var details = ProductDetails()
        details.platformAttributes = [
            "amazon.color@amazon-de": "Weiß",
            "amazon.generic_keyword": "petha",
            "amazon.item_package_weight": #"[{"value": 0.6, "unit": "kilograms"}]"#,
            "amazon.item_type_keyword@amazon-fr": "bonbons",
        ]
        let body = try Self.body(Self.product(details: details), channel: "amazon-de", code: "DE", language: "de_DE")
        let attributes = try #require(body["attributes"] as? [String: Any])
        let color = try #require((attributes["color"] as? [[String: Any]])?.first)
        #expect(color["value"] as? String == "Weiß" && color["language_tag"] as? String == "de_DE")
        let keyword = try #require((attributes["generic_keyword"] as? [[String: Any]])?.first)
        #expect(keyword["value"] as? String == "petha" && keyword["language_tag"] as? String == "en_GB")
        let weight = try #require((attributes["item_package_weight"] as? [[String: Any]])?.first)
        #expect(weight["unit"] as? String == "kilograms" && weight["marketplace_id"] as? String == "A1PA6795UKMFR9")
        #expect((weight["value"] as? NSNumber)?.doubleValue == 0.6)
        // amazon-fr's keyword is not amazon-de's: the catalog-wide one stays.
        let type = try #require((attributes["item_type_keyword"] as? [[String: Any]])?.first)
        #expect(type["value"] as? String == "indian-sweets" && type["language_tag"] == nil)
    }

    @Test(
        "a content change patches each owned attribute with replace and merges price and stock, never replacing the offer"
    )
    func contentPatchOperations() throws {
        let marketplace = try #require(AmazonMarketplace.named("DE"))
        let projector = try ChannelProjector(
            channel: ChannelRules(name: "amazon-de", currency: .eur, language: "de_DE"),
            fx: FXTable(base: .inr, rates: [.eur: 1])
        )
        let builder = ListingsPayloadBuilder(marketplace: marketplace, language: "de_DE")
        let listing = projector.project(Self.product())
        let operations = builder.patches(for: listing, facets: Set(Facet.allCases)).map {
            String(decoding: $0.serialized(), as: UTF8.self)
        }
        #expect(operations.contains { $0.contains(#""op":"merge","path":"/attributes/purchasable_offer""#) })
        #expect(operations.contains { $0.contains(#""op":"merge","path":"/attributes/fulfillment_availability""#) })
        #expect(!operations.contains { $0.contains(#""op":"replace","path":"/attributes/purchasable_offer""#) })
        #expect(operations.contains { $0.contains(#""op":"replace","path":"/attributes/item_name""#) })
        #expect(operations.filter { $0.contains(#""op":"replace""#) }.count == operations.count - 2)
        let priceOnly = builder.patches(for: listing, facets: [.price]).map {
            String(decoding: $0.serialized(), as: UTF8.self)
        }
        #expect(priceOnly.count == 1 && priceOnly[0].contains(#""op":"merge""#))
    }

    @Test("a channel language that is not a full tag is a configuration error naming the key")
    func languageMustBeAFullTag() {
        let factory = AmazonAdapterFactory()
        let account = AccountSettings(name: "amazon-eu", platform: "amazon", region: "eu", sellerID: "A2")
        for (language, refused) in [
            ("de", true), ("de_DE", false), ("de-DE", false), ("german", true), ("DE_de", true),
        ] {
            let channel = ChannelSettings(name: "amazon-de", marketplace: "DE", currency: .eur, language: language)
            let problems = factory.check(account: account, channel: channel).map { "\($0)" }
            #expect(problems.contains { $0.contains("channels[amazon-de].language") } == refused, "\(language)")
        }
    }

    @Test("merchant_shipping_group and product_type come from the channel's keys and shape the listing settings")
    func channelDefaults() throws {
        let channel = ChannelSettings(
            name: "amazon-de",
            marketplace: "DE",
            currency: .eur,
            language: "de_DE",
            extra: ["merchant_shipping_group": "Prime EU", "product_type": "HOME"]
        )
        let defaults = AmazonListingDefaults(channel: channel)
        #expect(defaults.merchantShippingGroup == "Prime EU" && defaults.productType == "HOME")
        #expect(defaults.listingSettings == "merchant_shipping_group=Prime EU;product_type=HOME")
        let plain = ChannelSettings(name: "amazon-de", marketplace: "DE", currency: .eur, language: "de_DE")
        #expect(AmazonListingDefaults(channel: plain).listingSettings == "")
    }
}
