import AmazonModel
import Catalog
import Foundation
import ProcessTestSupport
import Sync
import Testing

@testable import AmazonAdapter

/// Every `putListingsItem` body and every `JSON_LISTINGS_FEED` message the adapter builds for the sample
/// catalog on the ten Amazon marketplaces of `config/sandbox.toml`, validated against Amazon's official
/// `PRODUCT` definition (`../shared/specs/amazon-sp-api/product-type-PRODUCT.json`) by Python's
/// `jsonschema` — an oracle sharing no code with the adapter or with CatalogSync's own validator.
@Suite("Amazon listing bodies against the PRODUCT product type definition")
struct AmazonProductTypeContractTests {
    static let definition = AmazonFixtures.specs.appendingPathComponent("product-type-PRODUCT.json")
    static let script = AmazonFixtures.repositoryRoot.appendingPathComponent(
        "adapters/Amazon/Tests/validate_product_type.py"
    )

    /// Runs `validate_product_type.py` on `documents`; its exit status and output.
    static func validate(_ documents: [URL], offerOnly: Bool = false) async throws -> (Int32, String) {
        var arguments = ["python3", script.path, "--definition", definition.path]
        if offerOnly { arguments.append("--offer-only") }
        let result = try await ChildRun.run(arguments + documents.map(\.path))
        return (result.status, result.output + result.errors)
    }

    @Test(
        "every putListingsItem body and feed UPDATE message for the sample catalog on ten marketplaces passes the PRODUCT definition"
    )
    func everyBodyPassesTheDefinition() async throws {
        let directory = try AmazonFixtures.temporaryDirectory("amazon-product-type")
        defer { try? FileManager.default.removeItem(at: directory) }
        let folders = ["put-listing", "put-offer", "feed-listing", "feed-offer"].map {
            directory.appendingPathComponent($0)
        }
        for folder in folders { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        var counts = [0, 0, 0, 0]
        for projection in try AmazonContractTests.projections() {
            let builder = ListingsPayloadBuilder(
                marketplace: projection.marketplace,
                language: projection.channel.rules.language
            )
            let feeds = ListingsFeedBuilder(
                builder: builder,
                sellerID: "A2EUEXAMPLE02",
                maximumMessages: 25_000,
                maximumBytes: 10 * 1024 * 1024
            )
            for (index, listing) in projection.listings.enumerated() {
                let name = "\(projection.marketplace.code)-\(listing.sku.rawValue).json"
                #expect(builder.missingAttributes(for: listing).isEmpty, "\(name)")
                let offer = builder.requirements(of: listing) == "LISTING_OFFER_ONLY" ? 1 : 0
                try Data(builder.putBody(for: listing).serialized()).write(
                    to: folders[offer].appendingPathComponent(name)
                )
                let message = feeds.message(
                    for: ListingChange(desired: listing, facets: Set(Facet.allCases), isNew: true),
                    messageID: index + 1
                )
                try Data(message.serialized()).write(to: folders[2 + offer].appendingPathComponent(name))
                counts[offer] += 1
                counts[2 + offer] += 1
            }
        }
        // The sample catalog: three products with a global asin (30 offers), one with asin@amazon-de.
        #expect(counts == [10 * 51 - 31, 31, 10 * 51 - 31, 31])
        let (listingStatus, listingOutput) = try await Self.validate([folders[0], folders[2]])
        #expect(listingStatus == 0, "\(listingOutput)")
        #expect(listingOutput.contains("checked \(2 * (10 * 51 - 31)) attribute sets, 0 invalid"), "\(listingOutput)")
        let (offerStatus, offerOutput) = try await Self.validate([folders[1], folders[3]], offerOnly: true)
        #expect(offerStatus == 0, "\(offerOutput)")
        #expect(offerOutput.contains("checked 62 attribute sets, 0 invalid"), "\(offerOutput)")
    }

    @Test("a content change's PATCH message carries attributes that, assembled, pass the definition too")
    func contentPatchesAssembleToAValidListing() async throws {
        let directory = try AmazonFixtures.temporaryDirectory("amazon-product-type-patch")
        defer { try? FileManager.default.removeItem(at: directory) }
        let projection = try #require(try AmazonContractTests.projections().first { $0.marketplace.code == "DE" })
        let builder = ListingsPayloadBuilder(marketplace: projection.marketplace, language: "de_DE")
        var written = 0
        for listing in projection.listings where builder.requirements(of: listing) == "LISTING" {
            // What Amazon holds after the patch when nothing else was set: each op's value under its name.
            var attributes: [String] = []
            for patch in builder.patches(for: listing, facets: Set(Facet.allCases)) {
                let text = String(decoding: patch.serialized(), as: UTF8.self)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                let path = try #require(object["path"] as? String)
                #expect(
                    object["op"] as? String
                        == (path.hasSuffix("purchasable_offer") || path.hasSuffix("availability") ? "merge" : "replace")
                )
                let value = try JSONSerialization.data(withJSONObject: try #require(object["value"]))
                attributes.append(
                    "\"\(path.dropFirst("/attributes/".count))\":\(String(decoding: value, as: UTF8.self))"
                )
            }
            let document = "{\"attributes\":{\(attributes.joined(separator: ","))}}"
            try Data(document.utf8).write(to: directory.appendingPathComponent("\(listing.sku.rawValue).json"))
            written += 1
        }
        #expect(written == 51 - 4)
        let (status, output) = try await Self.validate([directory])
        #expect(status == 0, "\(output)")
    }

    @Test("a product missing required attributes is named by the builder and refused by the definition")
    func missingAttributesAreNamedAndRefused() async throws {
        let directory = try AmazonFixtures.temporaryDirectory("amazon-product-type-missing")
        defer { try? FileManager.default.removeItem(at: directory) }
        let marketplace = try #require(AmazonMarketplace.named("DE"))
        let builder = ListingsPayloadBuilder(marketplace: marketplace, language: "de_DE")
        let bare = Product(
            sku: SKU(trusted: "BARE-1"),
            title: "Plain brass bowl",
            price: Money(minorUnits: 1999, currency: .eur),
            quantity: 3,
            description: "A bowl.",
            brand: "Peetal Nagri"
        )
        let projector = try ChannelProjector(
            channel: ChannelRules(name: "amazon-de", currency: .eur, language: "de_DE"),
            fx: FXTable(base: .eur, rates: [:])
        )
        let listing = projector.project(bare)
        // Hand-listed from the definition's "required" and allOf: what a product with no bullet points,
        // colour, item type keyword or identifier lacks.
        #expect(
            builder.missingAttributes(for: listing)
                == ["bullet_point", "color", "externally_assigned_product_identifier", "item_type_keyword"]
        )
        try Data(builder.putBody(for: listing).serialized()).write(to: directory.appendingPathComponent("bare.json"))
        let (status, output) = try await Self.validate([directory])
        #expect(status == 1, "\(output)")
        for name in ["bullet_point", "color", "item_type_keyword", "externally_assigned_product_identifier"] {
            #expect(output.contains("'\(name)' is a required property"), "\(name): \(output)")
        }
    }
}
