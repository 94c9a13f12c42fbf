import AdapterTestSupport
import Catalog
import CurlHTTP
import Foundation
import ShopcluesAdapter
import ShopcluesTwin
import Sync
import Testing
import TwinSupport

@Suite("Shopclues daily quota as a status budget")
struct ShopcluesBudgetTests {
    @Test("every request the twin receives, the token request included, takes one from what is left today")
    func budgetCountsEveryRequest() async throws {
        let twin = ShopcluesTwin(environment: TwinEnvironment())
        let projector = try shopcluesProjector()
        let log = RequestLog()
        let http = try HTTPClient(configuration: .init())
        try await withTwinEndpoint(twin, log: log) { base in
            // 100 a day; the rate limiter keeps 1 unspent as a cushion, so 99 are usable.
            let adapter = ShopcluesAdapter(context: shopcluesContext(baseURL: base, http: http, dailyQuota: 100))
            let fresh = try #require(await adapter.budgets().first)
            #expect(fresh.name == "requests" && fresh.scope == .account && fresh.perItem == nil)
            #expect(fresh.used == 0 && fresh.limit == 99 && fresh.remaining == 99)
            #expect(fresh.resetsAt == nil, "a whole budget has nothing to wait for")
            #expect(fresh.note?.contains("100 requests per 24 h") == true)

            // Single mode: the token, then a price call and a stock call per SKU.
            let products = sampleProducts(count: 5, prefix: "SB")
            expectAccepted(await adapter.push(priceAndQuantityChanges(products, projector), mode: .single))
            let single = try #require(await adapter.budgets().first)
            #expect(log.all.count == 11, "\(log.all)")
            #expect(single.used == log.all.count)
            #expect(single.remaining == fresh.remaining - log.all.count)
            #expect(await adapter.remainingToday() == single.remaining)
            let resetsAt = try #require(single.resetsAt)
            #expect(resetsAt > Date() && resetsAt < Date().addingTimeInterval(86_400))

            // Bulk mode: one price call and one stock call for all five (the token is cached).
            let moved = products.map { product -> ListingChange in
                var product = product
                product.price.minorUnits += 5_000
                product.quantity += 10
                return ListingChange(desired: projector.project(product), facets: [.price, .quantity])
            }
            expectAccepted(await adapter.push(moved, mode: .bulk))
            let bulk = try #require(await adapter.budgets().first)
            #expect(log.all.count == 13)
            #expect(bulk.used == 13 && bulk.remaining == fresh.remaining - 13)
        }
        await http.shutdown()
    }

    @Test("a spent quota shows nothing left, and the next push sends nothing")
    func spentQuotaShowsZeroLeft() async throws {
        let twin = ShopcluesTwin(environment: TwinEnvironment())
        let projector = try shopcluesProjector()
        let log = RequestLog()
        let http = try HTTPClient(configuration: .init())
        try await withTwinEndpoint(twin, log: log) { base in
            // 6 a day, 5 usable: the token and two SKUs' price and stock calls spend them all.
            let adapter = ShopcluesAdapter(context: shopcluesContext(baseURL: base, http: http, dailyQuota: 6))
            let products = sampleProducts(count: 3, prefix: "SZ")
            let outcomes = await adapter.push(priceAndQuantityChanges(products, projector), mode: .single)
            #expect(retryDelay(outcomes[products[2].sku]).map { $0 > .seconds(3600) } == true)
            let spent = try #require(await adapter.budgets().first)
            #expect(spent.used == 5 && spent.limit == 5 && spent.remaining == 0)
            #expect(log.all.count == 5, "\(log.all)")
            _ = await adapter.push(priceAndQuantityChanges([products[2]], projector), mode: .single)
            #expect(log.all.count == 5, "nothing is sent once the budget is spent")
        }
        await http.shutdown()
    }
}
