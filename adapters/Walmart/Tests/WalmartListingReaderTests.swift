import AdapterTestSupport
import Catalog
import CurlHTTP
import Foundation
import Sync
import Testing
import TwinSupport
import WalmartAdapter
import WalmartTwin

/// The verifier's read-back on Walmart: `GET /v3/items/{sku}` and `GET /v3/inventory?sku=` through the
/// real adapter against the twin, edits behind the seller's back through the twin's tampering, and the
/// twin's answers checked against Walmart's models in `../shared/specs/walmart`.
@Suite("Walmart: item and inventory read-back and tampering")
struct WalmartListingReaderTests {
    /// WR-001 and WR-002 pushed (hand-computed in ``WalmartOrdersTests/withItems(_:)``: 10.97 USD × 11
    /// and 11.97 USD × 12), then `body` with the adapter as a ``ListingReader`` and the desired listings.
    static func withListings(
        _ body: (WalmartTwin, String, HTTPClient, any ListingReader, [DesiredListing]) async throws -> Void
    ) async throws {
        let twin = makeTwin()
        let projector = try walmartProjector()
        let products = sampleProducts(count: 2, prefix: "WR")
        let http = try HTTPClient(configuration: .init())
        try await withTwinEndpoint(twin) { base in
            let adapter = WalmartAdapter(context: walmartContext(baseURL: base, http: http), configuration: fastFeeds)
            let outcomes = await adapter.push(newChanges(products, projector), mode: .single)
            #expect(outcomes.values.allSatisfy { if case .accepted = $0 { true } else { false } }, "\(outcomes)")
            let reader = try #require(adapter as? any ListingReader)
            try await body(twin, base, http, reader, products.map { projector.project($0) })
        }
        await http.shutdown()
    }

    /// The listing `read` found, or a recorded issue.
    static func live(_ read: ListingRead) -> LiveListing? {
        guard case .found(let live) = read else {
            Issue.record("not found: \(read)")
            return nil
        }
        return live
    }

    @Test("a published item reads back at 10.97 USD × 11, PUBLISHED and ACTIVE, with nothing drifted")
    func readsPublishedItem() async throws {
        try await Self.withListings { _, _, _, reader, desired in
            let read = await reader.readListing(sku: desired[0].sku, remoteID: nil)
            guard let live = Self.live(read) else { return }
            #expect(live.price == Decimal(string: "10.97"))
            #expect(live.currencyCode == "USD")
            #expect(live.quantity == 11)
            #expect(live.availability == .active)
            #expect(live.platformStatus == "PUBLISHED,ACTIVE")
            #expect(live.issues.isEmpty)
            #expect(ListingDrift.compare(desired: desired[0], read: read, checked: Set(Facet.allCases)) == nil)
            #expect(reader.readOperation == "getAnItem")
        }
    }

    @Test("an unknown SKU is missing: Walmart's 404 in its error shape")
    func unknownSKUIsMissing() async throws {
        try await Self.withListings { _, base, http, reader, _ in
            #expect(await reader.readListing(sku: SKU(trusted: "NO-SUCH-SKU"), remoteID: nil) == .missing)
            let answer = try await WalmartSpecTests.call(http, base, .get, "/v3/items/NO-SUCH-SKU?productIdType=SKU")
            #expect(answer.status == 404)
            #expect(
                WalmartOrdersTests.errors(answer)?.first?["code"] as? String
                    == "CONTENT_NOT_FOUND.GMP_ITEM_INGESTOR_API"
            )
        }
    }

    @Test("a Seller Center edit of price and quantity and an unpublished item read back as drift and inactive")
    func tamperedItemReadsBackAsDrift() async throws {
        try await Self.withListings { twin, _, _, reader, desired in
            let shown = try await twin.tamper(
                ListingTamper(
                    platform: "walmart",
                    marketplace: "US",
                    sku: "WR-002",
                    price: "12.50",
                    quantity: 3,
                    status: .inactive
                )
            )
            #expect(shown.price == "12.50")
            #expect(shown.quantity == 3)
            let read = await reader.readListing(sku: desired[1].sku, remoteID: nil)
            guard let live = Self.live(read) else { return }
            #expect(live.price == Decimal(string: "12.50"))
            #expect(live.quantity == 3)
            #expect(live.availability == .inactive)
            #expect(live.platformStatus == "UNPUBLISHED,ACTIVE")
            #expect(live.issues.map(\.message) == ["Unpublished by seller"])
            let drift = ListingDrift.compare(desired: desired[1], read: read, checked: Set(Facet.allCases))
            #expect(
                drift?.reason
                    == "drift: price 12.50 on walmart-us, expected 11.97; quantity 3 on walmart-us, expected 12"
            )
            #expect(drift?.facets == [.price, .quantity])

            _ = try await twin.tamper(
                ListingTamper(platform: "walmart", marketplace: "US", sku: "WR-001", status: .suppressed)
            )
            let retired = Self.live(await reader.readListing(sku: desired[0].sku, remoteID: nil))
            #expect(retired?.availability == .suppressed)
            #expect(retired?.platformStatus == "UNPUBLISHED,RETIRED")
            await #expect(throws: TamperError.self) {
                _ = try await twin.tamper(
                    ListingTamper(platform: "walmart", marketplace: "US", sku: "NOPE", quantity: 1)
                )
            }
        }
    }

    @Test(
        "the twin's getAnItem and getInventory answers match us-mp-items.json ItemResponses and us-mp-inventory.json Inventory"
    )
    func readAnswersMatchWalmartsModels() async throws {
        let directory = SampleCatalog.repositoryRoot.appendingPathComponent("../shared/specs/walmart").standardized
        let models = try #require(
            WalmartModelCheck(directory: directory, files: ["us-mp-items.json", "us-mp-inventory.json"]),
            "Walmart's models are needed at \(directory.path)"
        )
        try await Self.withListings { twin, base, http, _, _ in
            _ = try await twin.tamper(
                ListingTamper(platform: "walmart", marketplace: "US", sku: "WR-001", status: .inactive)
            )
            let item = try await WalmartSpecTests.call(http, base, .get, "/v3/items/WR-001?productIdType=SKU")
            #expect(item.status == 200)
            #expect(models.problems(item.body, file: "us-mp-items.json", schema: "ItemResponses") == [])
            #expect(item.bodyText.contains(#""unpublishedReasons":{"reason":["Unpublished by seller"]}"#))
            let inventory = try await WalmartSpecTests.call(http, base, .get, "/v3/inventory?sku=WR-001")
            #expect(inventory.status == 200)
            #expect(models.problems(inventory.body, file: "us-mp-inventory.json", schema: "Inventory") == [])
            // The checks can fail: an amount sent as a number is not the model's string.
            let wrong = Array(#"{"ItemResponse":[{"sku":"WR-001","price":{"currency":"USD","amount":10.97}}]}"#.utf8)
            #expect(models.problems(wrong, file: "us-mp-items.json", schema: "ItemResponses") != [])
            let missingSKU = try await WalmartSpecTests.call(http, base, .get, "/v3/inventory")
            #expect(missingSKU.status == 400, "getInventory's sku is required")
            let badType = try await WalmartSpecTests.call(http, base, .get, "/v3/items/WR-001?productIdType=ASIN")
            #expect(badType.status == 400, "productIdType outside the model's enum")
        }
    }
}
