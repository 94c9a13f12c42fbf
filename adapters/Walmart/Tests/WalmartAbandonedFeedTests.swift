import AdapterTestSupport
import Catalog
import CurlHTTP
import Foundation
import Store
import Sync
import Testing
import TwinSupport
import WalmartAdapter
import WalmartTwin

/// Feed polling that gives up on a feed after 300 ms, while the slow twins take a second or more.
let impatientFeeds = WalmartAdapter.Configuration(
    feedsPerHour: 10,
    firstPoll: .milliseconds(50),
    longestPoll: .milliseconds(100),
    feedWait: .milliseconds(300),
    categories: testCategories
)

@Suite("Walmart feeds a push gave up on: remembered, read again, reconciled")
struct WalmartAbandonedFeedTests {
    /// A twin that takes `delay` to process every feed.
    static func slowTwin(_ delay: Duration) -> WalmartTwin {
        WalmartTwin(environment: TwinEnvironment(processingDelay: delay), configuration: .init())
    }

    @Test(
        "an item feed given up on is not sent again while it runs; after a restart its results settle the SKUs: set-up items accepted without a second feed, the refused one rejected in Walmart's words"
    )
    func abandonedItemFeedIsReconciledAfterRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("walmart-feeds-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.sqlite").path
        let twin = Self.slowTwin(.milliseconds(100))
        // The feed runs until the test says; a loaded machine cannot let it finish early.
        await twin.holdFeeds()
        let projector = try walmartProjector()
        let products = sampleProducts(count: 4, prefix: "WA", rejected: [2])
        let refused = SKU(trusted: "WA-002")
        let changes = newChanges(products, projector)
        let http = try HTTPClient(configuration: .init())
        try await withTwinEndpoint(twin) { base in
            // A daemon's adapter on the state database at `path`, opened afresh.
            func startAdapter() throws -> WalmartAdapter {
                let store = try CatalogStore(configuration: .init(path: path, channels: ["walmart-us"]))
                let data = StoreAdapterData(store: store, account: "walmart")
                return WalmartAdapter(
                    context: walmartContext(baseURL: base, http: http, data: data),
                    configuration: impatientFeeds
                )
            }
            let first = try startAdapter()
            let givenUp = await first.push(changes, mode: .single)
            let held = await first.push(changes, mode: .single)
            for product in products {
                #expect(Self.retryReason(givenUp[product.sku])?.contains("Walmart item feed") == true)
                #expect(
                    Self.retryReason(held[product.sku])?.contains("waiting for the Walmart MP_ITEM feed") == true,
                    "\(product.sku): \(String(describing: held[product.sku]))"
                )
            }
            #expect(await twin.feedsSubmitted("MP_ITEM") == 1)

            // The feed applies at Walmart after the push gave up on it; then the daemon restarts.
            await twin.releaseFeeds()
            try await Self.waitUntil { await twin.listings(marketplace: "US").count == 3 }
            let outcomes = try await startAdapter().push(changes, mode: .single)
            #expect(await twin.feedsSubmitted("MP_ITEM") == 1)
            guard case .rejected(let issues)? = outcomes[refused] else {
                Issue.record("\(refused) was not rejected: \(String(describing: outcomes[refused]))")
                return
            }
            #expect(issues.first?.code == "ERR_EXT_DATA_0101083")
            #expect(issues.first?.message == "The value of productName contains prohibited content: [REJECT].")
            let listed = products.filter { $0.sku != refused }
            for product in listed {
                #expect(outcomes[product.sku] == .accepted(changes.first { $0.sku == product.sku }!))
            }
            await expectListings(twin, listed, projector)
            let store = try CatalogStore(configuration: .init(path: path, channels: ["walmart-us"]))
            #expect(try store.adapterValues(account: "walmart", prefix: "walmart-feeds/").isEmpty)
        }
        await http.shutdown()
    }

    @Test(
        "while an inventory feed given up on still runs, a newer stock waits and lands after it; an urgent zero goes out at once and again after the old feed"
    )
    func runningFeedHoldsNewerValues() async throws {
        let twin = Self.slowTwin(.milliseconds(100))
        let projector = try walmartProjector()
        let products = sampleProducts(count: 2, prefix: "WO")
        let (steady, urgent) = (products[0], products[1])
        let http = try HTTPClient(configuration: .init())
        try await withTwinEndpoint(twin) { base in
            let data = InMemoryAdapterDataStore()
            let patient = WalmartAdapter(
                context: walmartContext(baseURL: base, http: http, data: data),
                configuration: fastFeeds
            )
            let setUp = await patient.push(newChanges(products, projector), mode: .single)
            #expect(setUp.values.allSatisfy { if case .accepted = $0 { true } else { false } }, "\(setUp)")
            let adapter = WalmartAdapter(
                context: walmartContext(baseURL: base, http: http, data: data),
                configuration: impatientFeeds
            )
            // The stock change of `product` with `stock` units in the catalog, projected as the engine would.
            func stock(_ product: Product, _ stock: Int, isUrgent: Bool = false) -> ListingChange {
                var product = product
                product.quantity = stock
                return ListingChange(desired: projector.project(product), facets: [.quantity], isUrgent: isUrgent)
            }
            func quantities() async -> [Int?] {
                let listings = await twin.listings(marketplace: "US")
                return products.map { product in listings.first { $0.sku == product.sku.rawValue }?.quantity }
            }

            // An inventory feed with 1,000 catalog units for both, given up on; it runs until released.
            await twin.holdFeeds()
            let older = [stock(steady, 1_000), stock(urgent, 1_000)]
            let givenUp = await adapter.push(older, mode: .bulk)
            #expect(givenUp.values.allSatisfy { Self.retryReason($0)?.contains("Walmart inventory feed") == true })
            // While it runs: 1,500 units for one waits (nothing sent), an urgent 0 for the other goes out now.
            let newer = [stock(steady, 1_500), stock(urgent, 0, isUrgent: true)]
            let during = await adapter.push(newer, mode: .bulk)
            #expect(
                Self.retryReason(during[steady.sku])?.contains("waiting for the Walmart inventory feed") == true,
                "\(String(describing: during[steady.sku]))"
            )
            #expect(
                Self.retryReason(during[urgent.sku])?.contains("sent now; sent again once") == true,
                "\(String(describing: during[urgent.sku]))"
            )
            #expect(await quantities() == [projector.quantity(for: steady), 0])
            #expect(await twin.feedsSubmitted("inventory") == 1)

            // The old feed applies its stock to both, over the urgent 0; then both go out again, last.
            let olderStock = older[0].desired.quantity
            #expect(olderStock != newer[0].desired.quantity && olderStock > 0)
            await twin.releaseFeeds()
            try await Self.waitUntil { await quantities() == [olderStock, olderStock] }
            let after = await adapter.push(newer, mode: .single)
            #expect(after[steady.sku] == .accepted(newer[0]))
            #expect(after[urgent.sku] == .accepted(newer[1]))
            #expect(await quantities() == [newer[0].desired.quantity, 0])
            #expect(try await data.values(withPrefix: "walmart-feeds/").isEmpty)
        }
        await http.shutdown()
    }

    static func retryReason(_ outcome: ListingOutcome?) -> String? {
        if case .retry(let reason, _)? = outcome { reason } else { nil }
    }

    /// Waits until `condition` holds, checking every 50 ms; records an issue after `limit`.
    static func waitUntil(within limit: Duration = .seconds(10), _ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while !(await condition()) {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met within \(limit)")
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
