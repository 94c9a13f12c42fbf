import AdapterTestSupport
import Catalog
import CurlHTTP
import FlipkartAdapter
import FlipkartTwin
import Foundation
import Sync
import Testing
import TwinSupport

@Suite("Flipkart adapter against its twin over loopback")
struct FlipkartSyncTests {
    @Test("30 sample SKUs pushed singly show the projected prices and quantities; FSNs by attribute or lookup")
    func singlePushConverges() async throws {
        let projector = try FlipkartFixtures.projector()
        let twin = FlipkartTwin(environment: TwinEnvironment())
        var products = Array(try FlipkartFixtures.sampleProducts().prefix(30))
        for index in products.indices where index.isMultiple(of: 2) {
            products[index].attributes["flipkart_fsn"] = twin.fsn(for: products[index].sku.rawValue)
        }
        let catalog = products
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let adapter = try FlipkartAdapterFactory().makeAdapter(
                context: FlipkartTestAccount(baseURL: base).context(http: http)
            )
            let outcomes = await adapter.push(FlipkartFixtures.changes(catalog, projector: projector), mode: .single)
            await http.shutdown()
            #expect(outcomes.count == 30)
            for product in catalog {
                guard case .accepted(let sent, let remoteID) = outcomes[product.sku] else {
                    Issue.record("\(product.sku): \(String(describing: outcomes[product.sku]))")
                    continue
                }
                #expect(remoteID == twin.fsn(for: product.sku.rawValue))
                #expect(Set(sent.keys) == [.price, .quantity])
            }
            try await Self.expectTwin(twin, shows: catalog, projector: projector)
            #expect(await twin.updateBatchSizes().allSatisfy { $0 == 1 })
        }
    }

    @Test("bulk mode sends at most 10 SKUs per call and converges")
    func bulkPushBatchesOfTen() async throws {
        let projector = try FlipkartFixtures.projector()
        let products = Array(try FlipkartFixtures.sampleProducts().prefix(30))
        let twin = FlipkartTwin(environment: TwinEnvironment())
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let adapter = try FlipkartAdapterFactory().makeAdapter(
                context: FlipkartTestAccount(baseURL: base).context(http: http)
            )
            let changes = FlipkartFixtures.changes(products, projector: projector)
            // The engine passes at most maximumBatchSize; the adapter splits anything larger itself.
            let outcomes = await adapter.push(changes, mode: .bulk)
            await http.shutdown()
            #expect(adapter.capabilities.maximumBatchSize == 10)
            #expect(outcomes.values.allSatisfy { if case .accepted = $0 { true } else { false } })
            let sizes = await twin.updateBatchSizes()
            #expect(sizes.sorted() == [10, 10, 10, 10, 10, 10])
            try await Self.expectTwin(twin, shows: products, projector: projector)
        }
    }

    @Test(
        "the DESIGN §5 rules hold on the twin: PETHA-AGRA-500G at 220 INR sells at 286.00 INR, 7 units; whole-rupee overrides stay exact"
    )
    func designRulesByHand() async throws {
        let projector = try FlipkartFixtures.projector()
        var products = try FlipkartFixtures.sampleProducts().filter {
            ["PETHA-AGRA-500G", "PETHA-AGRA-KESAR-1KG"].contains($0.sku.rawValue)
        }
        // A per-channel override in whole rupees (Flipkart takes int32 rupees; paise are refused).
        products[1].channelPrices["flipkart"] = Decimal(string: "1234")
        products[1].attributes["mrp"] = "1499"
        let catalog = products
        let twin = FlipkartTwin(environment: TwinEnvironment())
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let adapter = try FlipkartAdapterFactory().makeAdapter(
                context: FlipkartTestAccount(baseURL: base).context(http: http)
            )
            let outcomes = await adapter.push(FlipkartFixtures.changes(catalog, projector: projector), mode: .bulk)
            await http.shutdown()
            #expect(outcomes.count == 2)
            let listings = Dictionary(uniqueKeysWithValues: await twin.listings(marketplace: "IN").map { ($0.sku, $0) })
            // 220 × 1.12 + 40 = 286.4 → nearest:1 → 286. Stock 180 × 5 % = 9, − 2 → 7.
            #expect(listings["PETHA-AGRA-500G"]?.price == "286.00")
            #expect(listings["PETHA-AGRA-500G"]?.quantity == 7)
            #expect(listings["PETHA-AGRA-500G"]?.currency == "INR")
            #expect(listings["PETHA-AGRA-KESAR-1KG"]?.price == "1234.00")
        }
    }

    /// The twin's listings equal the projection of `products`.
    static func expectTwin(_ twin: FlipkartTwin, shows products: [Product], projector: ChannelProjector) async throws {
        let listings = Dictionary(uniqueKeysWithValues: await twin.listings(marketplace: "IN").map { ($0.sku, $0) })
        #expect(listings.count == products.count)
        for product in products {
            let desired = projector.project(product)
            #expect(listings[product.sku.rawValue]?.price == desired.price.amountString, "\(product.sku)")
            #expect(listings[product.sku.rawValue]?.quantity == desired.quantity, "\(product.sku)")
            #expect(listings[product.sku.rawValue]?.currency == "INR")
        }
    }
}
