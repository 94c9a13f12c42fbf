import AdapterTestSupport
import Catalog
import CurlHTTP
import Foundation
import Sync
import Testing
import TwinSupport
import WalmartAdapter
import WalmartTwin

@Suite("Walmart feed budgets as status budgets")
struct WalmartBudgetTests {
    /// The feed budget named `name` among `budgets`.
    static func budget(_ name: String, in budgets: [BudgetStatus]) throws -> BudgetStatus {
        try #require(budgets.first { $0.name == name }, "no \(name) budget in \(budgets.map(\.name))")
    }

    /// Feeds of `feedType` the twin received.
    static func submitted(_ feedType: String, _ log: RequestLog) -> Int {
        log.all.filter { $0.hasPrefix("POST ") && $0.hasSuffix("/v3/feeds?feedType=\(feedType)") }.count
    }

    @Test("each feed type's budget counts the feeds submitted of that type within the hour")
    func feedsUsedCountSubmittedFeeds() async throws {
        let twin = makeTwin()
        let projector = try walmartProjector()
        let products = sampleProducts(count: 6, prefix: "WG")
        let log = RequestLog()
        let http = try HTTPClient(configuration: .init())
        try await withTwinEndpoint(twin, log: log) { base in
            let adapter = WalmartAdapter(context: walmartContext(baseURL: base, http: http), configuration: fastFeeds)
            let fresh = await adapter.budgets()
            #expect(fresh.map(\.name) == ["price feeds", "inventory feeds", "item feeds"])
            for budget in fresh {
                // 10 an hour; the rate limiter keeps 1 unspent as a cushion.
                #expect(budget.scope == .account && budget.used == 0 && budget.limit == 9 && budget.resetsAt == nil)
                #expect(budget.note?.contains("10") == true)
            }

            // Set-up in bulk: one item feed and one inventory feed; the item carries the price.
            _ = await adapter.push(newChanges(products, projector), mode: .bulk)
            // A price and stock change in bulk: one price feed and one more inventory feed.
            let changed = products.map { product -> ListingChange in
                var product = product
                product.price.minorUnits -= 2_000
                product.quantity += 40
                return ListingChange(desired: projector.project(product), facets: [.price, .quantity])
            }
            _ = await adapter.push(changed, mode: .bulk)
            let after = await adapter.budgets()
            for (name, feedType) in [
                ("price feeds", "price"), ("inventory feeds", "inventory"), ("item feeds", "MP_ITEM"),
            ] {
                let budget = try Self.budget(name, in: after)
                let count = Self.submitted(feedType, log)
                #expect(budget.used == count, "\(name): \(budget.used) used, \(count) submitted")
                #expect(budget.remaining == 9 - count)
                #expect(budget.resetsAt.map { $0 > Date() && $0 <= Date().addingTimeInterval(3600) } == true)
            }
            #expect(Self.submitted("price", log) == 1)
            #expect(Self.submitted("inventory", log) == 2)
            #expect(Self.submitted("MP_ITEM", log) == 1)
        }
        await http.shutdown()
    }

    @Test("single calls spend no feed budget")
    func singleCallsSpendNoFeeds() async throws {
        let twin = makeTwin()
        let projector = try walmartProjector()
        let products = sampleProducts(count: 3, prefix: "WN")
        let http = try HTTPClient(configuration: .init())
        try await withTwinEndpoint(twin) { base in
            let adapter = WalmartAdapter(context: walmartContext(baseURL: base, http: http), configuration: fastFeeds)
            _ = await adapter.push(newChanges(products, projector), mode: .single)
            let changed = products.map { product -> ListingChange in
                var product = product
                product.quantity += 5
                return ListingChange(desired: projector.project(product), facets: [.quantity])
            }
            _ = await adapter.push(changed, mode: .single)
            let budgets = await adapter.budgets()
            let item = try Self.budget("item feeds", in: budgets)
            let price = try Self.budget("price feeds", in: budgets)
            let inventory = try Self.budget("inventory feeds", in: budgets)
            #expect(item.used == 1, "set-up has no single call")
            #expect(price.used == 0 && inventory.used == 0)
        }
        await http.shutdown()
    }
}
