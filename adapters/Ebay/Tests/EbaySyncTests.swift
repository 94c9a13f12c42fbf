import AdapterTestSupport
import Catalog
import CurlHTTP
import EbayAdapter
import EbayTwin
import Foundation
import Sync
import Testing
import TwinSupport

@Suite("eBay adapter against its twin over loopback")
struct EbaySyncTests {
    @Test("30 sample SKUs pushed singly are published with the projected prices and quantities")
    func singlePushPublishesProjection() async throws {
        let projector = try EbayFixtures.usProjector()
        let products = Array(try EbayFixtures.sampleProducts().prefix(30))
        #expect(products.count == 30)
        // Quotas off: whether pacing stays under the twin's bucket depends on timing; 429s have their own test.
        let twin = EbayTwin(environment: TwinEnvironment(quotasEnabled: false))
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let setup = EbayTestAccount(baseURL: base)
            let adapter = try EbayAdapterFactory().makeAdapter(context: setup.context(http: http))
            let outcomes = await adapter.push(newChanges(products, projector), mode: .single)
            await http.shutdown()
            #expect(outcomes.count == 30)
            for (sku, outcome) in outcomes {
                guard case .accepted(_, let remoteID) = outcome else {
                    Issue.record("\(sku): \(outcome)")
                    continue
                }
                #expect(remoteID != nil)
            }
            try await Self.expectTwin(twin, shows: products, projector: projector)
            #expect(await twin.offersCreated() == 30)
            #expect(await twin.bulkSizes(of: "bulkCreateOrReplaceInventoryItem").isEmpty)
        }
    }

    @Test("bulk mode creates 30 listings, then updates price and stock in calls of at most 25")
    func bulkPushCreatesThenUpdates() async throws {
        let projector = try EbayFixtures.usProjector()
        let original = Array(try EbayFixtures.sampleProducts().prefix(30))
        // Quotas off: whether pacing stays under the twin's bucket depends on timing; 429s have their own test.
        let twin = EbayTwin(environment: TwinEnvironment(quotasEnabled: false))
        try await withTwinServer(twin) { base in
            var products = original
            let http = try HTTPClient(configuration: .init())
            let adapter = try EbayAdapterFactory().makeAdapter(
                context: EbayTestAccount(baseURL: base).context(http: http)
            )
            let created = await adapter.push(newChanges(products, projector), mode: .bulk)
            var offerIDs: [SKU: String] = [:]
            for (sku, outcome) in created {
                if case .accepted(_, let remoteID?) = outcome { offerIDs[sku] = remoteID }
            }
            #expect(offerIDs.count == 30)
            try await Self.expectTwin(twin, shows: products, projector: projector)

            for index in products.indices {
                products[index].quantity += 200
                products[index].price = Money(minorUnits: products[index].price.minorUnits + 10_000, currency: .inr)
            }
            let updates = products.map {
                ListingChange(desired: projector.project($0), facets: [.price, .quantity], remoteID: offerIDs[$0.sku])
            }
            let updated = await adapter.push(updates, mode: .bulk)
            await http.shutdown()
            #expect(updated.values.allSatisfy { if case .accepted = $0 { true } else { false } })
            try await Self.expectTwin(twin, shows: products, projector: projector)
            #expect(await twin.offersCreated() == 30)
            #expect(await twin.bulkSizes(of: "bulkCreateOrReplaceInventoryItem").sorted() == [5, 25])
            #expect(await twin.bulkSizes(of: "bulkUpdatePriceQuantity").sorted() == [5, 25])
        }
    }

    @Test("the DESIGN §5 rules hold on the twin: PETHA-AGRA-500G at 220 INR lists at 6.99 USD, 4 units")
    func designRulesByHand() async throws {
        let projector = try EbayFixtures.usProjector()
        let products = try EbayFixtures.sampleProducts().filter { $0.sku.rawValue == "PETHA-AGRA-500G" }
        let twin = EbayTwin(environment: TwinEnvironment())
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let adapter = try EbayAdapterFactory().makeAdapter(
                context: EbayTestAccount(baseURL: base).context(http: http)
            )
            _ = await adapter.push(newChanges(products, projector), mode: .single)
            await http.shutdown()
            // 220 × 0.01128 = 2.4816; × 1.38 + 3.00 = 6.424608; ending:0.99 → 6.99. Stock 180 × 3 % → 5, − 1 → 4.
            let listing = await twin.listings(marketplace: "EBAY_US").first
            #expect(listing?.price == "6.99")
            #expect(listing?.currency == "USD")
            #expect(listing?.quantity == 4)
            #expect(listing?.title == "Agra Petha, Classic White, 500 g")
        }
    }

    /// The twin's listings on EBAY_US equal the projection of `products`.
    static func expectTwin(_ twin: EbayTwin, shows products: [Product], projector: ChannelProjector) async throws {
        let listings = Dictionary(
            uniqueKeysWithValues: await twin.listings(marketplace: "EBAY_US").map { ($0.sku, $0) }
        )
        #expect(listings.count == products.count)
        for product in products {
            let desired = projector.project(product)
            let listing = listings[product.sku.rawValue]
            #expect(listing?.price == desired.price.amountString, "\(product.sku)")
            #expect(listing?.currency == "USD")
            #expect(listing?.quantity == desired.quantity, "\(product.sku)")
            #expect(listing?.title == desired.content.title)
        }
    }
}
