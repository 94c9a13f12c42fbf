import AmazonModel
import Catalog
import Foundation
import Sync
import Testing

@testable import AmazonAdapter
@testable import AmazonTwin

/// The twin holds what was set on a listing elsewhere (Seller Central, a repricer): a B2B offer, a sale
/// price, minimum and maximum prices, search keywords. The adapter's patches must leave them; the twin
/// shows that the patch the adapter used to send (replace the whole offer) and a full PUT would not.
@Suite("Amazon twin: attributes set elsewhere survive the adapter's price and content patches")
struct AmazonTwinStaleOfferTests {
    static let germany = AmazonMarketplace.named("DE")!
    static let target = ListingsStore.Target(
        sellerID: "A2SELLERTEST",
        marketplace: germany,
        sku: "PETHA-1",
        allowedMarketplaceIDs: [germany.id]
    )
    /// What another tool set: sale and min/max prices on the standard offer, a B2B offer, keywords.
    static let elsewhere = """
        {"purchasable_offer":[\
        {"marketplace_id":"A1PA6795UKMFR9","currency":"EUR","our_price":[{"schedule":[{"value_with_tax":3.10}]}],\
        "minimum_seller_allowed_price":[{"schedule":[{"value_with_tax":2.50}]}],\
        "maximum_seller_allowed_price":[{"schedule":[{"value_with_tax":9.90}]}],\
        "discounted_price":[{"schedule":[{"value_with_tax":2.99,"start_at":"2026-12-01","end_at":"2026-12-31"}]}]},\
        {"marketplace_id":"A1PA6795UKMFR9","currency":"EUR","audience":"B2B","our_price":[{"schedule":[{"value_with_tax":2.80}]}]}],\
        "generic_keyword":[{"value":"petha sweets","language_tag":"en_GB","marketplace_id":"A1PA6795UKMFR9"}]}
        """

    static func listing(price minorUnits: Int64, title: String = "Agra Petha") throws -> DesiredListing {
        var product = AmazonListingBodyTests.product()
        product.title = title
        product.price = Money(minorUnits: minorUnits, currency: .eur)
        let projector = try ChannelProjector(
            channel: ChannelRules(name: "amazon-de", currency: .eur, language: "de_DE"),
            fx: FXTable(base: .eur, rates: [:])
        )
        return projector.project(product)
    }

    static let builder = ListingsPayloadBuilder(marketplace: germany, language: "de_DE")

    /// A twin store holding the listing as the adapter created it, then amended elsewhere.
    static func seeded() async throws -> ListingsStore {
        let store = ListingsStore()
        let body = try TwinJSON.parse(builder.putBody(for: try listing(price: 399)).serialized())
        let created = await store.put(
            target,
            productType: "PRODUCT",
            requirements: "LISTING",
            attributes: try #require(body["attributes"]?.object),
            preview: false
        )
        #expect(created.status == "ACCEPTED", "\(created.issues)")
        #expect(await store.setElsewhere(target, attributes: try #require(try TwinJSON.parse(elsewhere).object)))
        return store
    }

    static func apply(_ patches: [[UInt8]], to store: ListingsStore) async throws {
        let parsed = try patches.map { try TwinJSON.parse($0) }
        let result = try await store.patch(target, productType: "PRODUCT", patches: parsed, preview: false)
        #expect(result.status == "ACCEPTED", "\(result.issues)")
    }

    static func offers(_ store: ListingsStore) async throws -> [TwinJSON] {
        try #require(await store.record(target)?.attributes["purchasable_offer"]?.array)
    }

    @Test("a price patch merges our price into the standard offer: the B2B offer, sale and min/max prices stay")
    func pricePatchKeepsOtherOffers() async throws {
        let store = try await Self.seeded()
        let patches = Self.builder.patches(for: try Self.listing(price: 449), facets: [.price]).map { $0.serialized() }
        try await Self.apply(patches, to: store)
        let offers = try await Self.offers(store)
        #expect(offers.count == 2)
        let standard = try #require(offers.first { $0["audience"] == nil })
        #expect(standard["our_price"]?[0]?["schedule"]?[0]?["value_with_tax"]?.numberText == "4.49")
        #expect(standard["minimum_seller_allowed_price"]?[0]?["schedule"]?[0]?["value_with_tax"]?.numberText == "2.50")
        #expect(standard["maximum_seller_allowed_price"]?[0]?["schedule"]?[0]?["value_with_tax"]?.numberText == "9.90")
        #expect(standard["discounted_price"]?[0]?["schedule"]?[0]?["value_with_tax"]?.numberText == "2.99")
        let business = try #require(offers.first { $0["audience"]?.string == "B2B" })
        #expect(business["our_price"]?[0]?["schedule"]?[0]?["value_with_tax"]?.numberText == "2.80")
        #expect(await store.record(Self.target)?.price == "4.49")
    }

    @Test("replacing the whole purchasable_offer, as the adapter once did, wipes the B2B offer and the min/max prices")
    func wholeOfferReplaceWipes() async throws {
        let store = try await Self.seeded()
        let wrong = Array(
            #"{"op":"replace","path":"/attributes/purchasable_offer","value":[{"marketplace_id":"A1PA6795UKMFR9","currency":"EUR","our_price":[{"schedule":[{"value_with_tax":4.49}]}]}]}"#
                .utf8
        )
        try await Self.apply([wrong], to: store)
        let offers = try await Self.offers(store)
        #expect(offers.count == 1)
        #expect(offers[0]["minimum_seller_allowed_price"] == nil)
        #expect(!offers.contains { $0["audience"]?.string == "B2B" })
    }

    @Test("a content patch replaces CatalogSync's attributes and keeps those set elsewhere; a full PUT would drop them")
    func contentPatchKeepsForeignAttributes() async throws {
        let store = try await Self.seeded()
        let changed = try Self.listing(price: 399, title: "Agra Petha, classic")
        let patches = Self.builder.patches(for: changed, facets: Set(Facet.allCases)).map { $0.serialized() }
        try await Self.apply(patches, to: store)
        let record = try #require(await store.record(Self.target))
        // amazon-de has the German title translation: the new plain title is not what it shows.
        #expect(record.attributes["item_name"]?[0]?["value"]?.string == "Agra Petha (weiß)")
        #expect(record.attributes["generic_keyword"]?[0]?["value"]?.string == "petha sweets")
        #expect(try await Self.offers(store).count == 2)

        let put = try TwinJSON.parse(Self.builder.putBody(for: changed).serialized())
        _ = await store.put(
            Self.target,
            productType: "PRODUCT",
            requirements: "LISTING",
            attributes: try #require(put["attributes"]?.object),
            preview: false
        )
        let replaced = try #require(await store.record(Self.target))
        #expect(replaced.attributes["generic_keyword"] == nil)
        #expect(try await Self.offers(store).count == 1)
    }
}
