import AmazonModel
import Catalog
import Foundation
import Sync
import Testing

@testable import AmazonAdapter

/// Every request body the adapter builds for the sample catalog on the ten Global Selling marketplaces of
/// `config/sandbox.toml`, validated against Amazon's official models with Python's `jsonschema`.
@Suite("Amazon request bodies against the official SP-API models")
struct AmazonContractTests {
    /// The sample catalog projected onto every Amazon channel of the sandbox configuration.
    struct Projection {
        var channel: AmazonFixtures.Channel
        var marketplace: AmazonMarketplace
        var listings: [DesiredListing]
    }

    static func projections() throws -> [Projection] {
        let (channels, fx) = try AmazonFixtures.sandboxChannels()
        let products = try AmazonFixtures.sampleProducts()
        return try channels.map { channel in
            let projector = try ChannelProjector(channel: channel.rules, fx: fx)
            let marketplace = try #require(AmazonMarketplace.named(channel.marketplace))
            return Projection(channel: channel, marketplace: marketplace, listings: products.map(projector.project))
        }
    }

    /// Every `language_tag` value in `json`.
    static func languageTags(in json: String) -> Set<String> {
        var tags: Set<String> = []
        var rest = json[...]
        while let range = rest.range(of: #""language_tag":""#) {
            rest = rest[range.upperBound...]
            if let end = rest.firstIndex(of: "\"") { tags.insert(String(rest[..<end])) }
        }
        return tags
    }

    @Test("the sandbox configuration has the ten Global Selling marketplaces and the catalog has products")
    func fixturesCoverTenMarketplaces() async throws {
        let projections = try Self.projections()
        #expect(
            projections.map(\.marketplace.code).sorted()
                == ["AE", "CA", "DE", "ES", "FR", "IT", "JP", "MX", "UK", "US"]
        )
        #expect(projections.allSatisfy { $0.listings.count >= 50 })
    }

    @Test("PUT and PATCH bodies for every product on every marketplace validate against the Listings Items model")
    func listingsBodiesValidate() async throws {
        let directory = try AmazonFixtures.temporaryDirectory("amazon-bodies")
        defer { try? FileManager.default.removeItem(at: directory) }
        let puts = directory.appendingPathComponent("put")
        let patches = directory.appendingPathComponent("patch")
        try FileManager.default.createDirectory(at: puts, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: patches, withIntermediateDirectories: true)
        var written = 0
        for projection in try Self.projections() {
            let builder = ListingsPayloadBuilder(
                marketplace: projection.marketplace,
                language: projection.channel.rules.language
            )
            for listing in projection.listings {
                let name = "\(projection.marketplace.code)-\(listing.sku.rawValue)"
                let put = builder.putBody(for: listing).serialized()
                try Data(put).write(to: puts.appendingPathComponent("\(name).json"))
                // The price goes out exactly as Money prints it, never through Double.
                let text = String(decoding: put, as: UTF8.self)
                #expect(text.contains("\"value_with_tax\":\(listing.price.amountString)}"), "\(name) price")
                #expect(text.contains("\"currency\":\"\(projection.marketplace.currency)\""), "\(name) currency")
                // Text is tagged with the channel's language or, untranslated, the marketplace's English tag
                // (AmazonListingBodyTests has the table); nothing else.
                let tags = Set([projection.channel.rules.language, projection.marketplace.englishLocale])
                #expect(Self.languageTags(in: text).isSubset(of: tags), "\(name)")
                let facetSets: [(String, Set<Facet>)] = [
                    ("price", [.price]), ("stock", [.quantity]), ("both", [.price, .quantity]),
                ]
                for (label, facets) in facetSets {
                    let body = try #require(builder.patchBody(for: listing, facets: facets))
                    try Data(body.serialized()).write(to: patches.appendingPathComponent("\(name)-\(label).json"))
                }
                written += 1
            }
        }
        #expect(written == 10 * (try AmazonFixtures.sampleProducts().count))
        let (putStatus, putOutput) = try await AmazonFixtures.validate(
            schema: AmazonFixtures.listingsModel,
            definition: "ListingsItemPutRequest",
            documents: [puts]
        )
        #expect(putStatus == 0, "\(putOutput)")
        let (patchStatus, patchOutput) = try await AmazonFixtures.validate(
            schema: AmazonFixtures.listingsModel,
            definition: "ListingsItemPatchRequest",
            documents: [patches]
        )
        #expect(patchStatus == 0, "\(patchOutput)")
    }

    @Test(
        "feed documents with UPDATE, PATCH (price, stock, content) and DELETE messages validate against the listings feed schema"
    )
    func feedDocumentsValidate() async throws {
        let directory = try AmazonFixtures.temporaryDirectory("amazon-feeds")
        defer { try? FileManager.default.removeItem(at: directory) }
        var count = 0
        for projection in try Self.projections() {
            let feedBuilder = ListingsFeedBuilder(
                builder: ListingsPayloadBuilder(
                    marketplace: projection.marketplace,
                    language: projection.channel.rules.language
                ),
                sellerID: "A2EUEXAMPLE02",
                maximumMessages: 20,
                maximumBytes: 10 * 1024 * 1024
            )
            let changes = projection.listings.enumerated().map { index, listing in
                switch index % 6 {
                case 0: ListingChange(desired: listing, facets: Set(Facet.allCases), isNew: true)
                case 1: ListingChange(desired: listing, facets: [.price])
                case 2: ListingChange(desired: listing, facets: [.quantity], isUrgent: true)
                case 3: ListingChange(desired: listing, facets: [.price, .quantity])
                case 4: ListingChange(desired: listing, facets: [.content])  // a PATCH of every owned attribute
                default: ListingChange(desired: listing, facets: [], isRemoval: true)
                }
            }
            let (feeds, oversized) = feedBuilder.feeds(for: changes)
            #expect(oversized.isEmpty)
            #expect(feeds.count == (changes.count + 19) / 20, "split at 20 messages")
            #expect(feeds.map(\.changes.count).reduce(0, +) == changes.count)
            for (index, feed) in feeds.enumerated() {
                try Data(feed.document).write(
                    to: directory.appendingPathComponent("\(projection.marketplace.code)-\(index).json")
                )
                count += 1
            }
        }
        #expect(count >= 30)
        let (status, output) = try await AmazonFixtures.validate(
            schema: AmazonFixtures.feedSchema,
            documents: [directory]
        )
        #expect(status == 0, "\(output)")
    }

    @Test("the validator rejects a document that breaks the model, so the contract tests can fail")
    func validatorRejectsBrokenDocuments() async throws {
        let directory = try AmazonFixtures.temporaryDirectory("amazon-broken")
        defer { try? FileManager.default.removeItem(at: directory) }
        let broken =
            #"{"header":{"sellerId":"A1","version":"2.0"},"messages":[{"messageId":1,"sku":"X","operationType":"PATCH","productType":"P"}]}"#
        try Data(broken.utf8).write(to: directory.appendingPathComponent("feed.json"))
        let (status, output) = try await AmazonFixtures.validate(
            schema: AmazonFixtures.feedSchema,
            documents: [directory]
        )
        #expect(status == 1, "\(output)")
        let put = #"{"productType":"PRODUCT","requirements":"EVERYTHING","attributes":{}}"#
        try Data(put.utf8).write(to: directory.appendingPathComponent("put.json"))
        let (putStatus, putOutput) = try await AmazonFixtures.validate(
            schema: AmazonFixtures.listingsModel,
            definition: "ListingsItemPutRequest",
            documents: [directory.appendingPathComponent("put.json")]
        )
        #expect(putStatus == 1, "\(putOutput)")
    }
}
