import AdapterTestSupport
import Catalog
import CurlHTTP
import Foundation
import Sync
import Testing
import TwinSupport
import WalmartAdapter
import WalmartTwin

/// Feed polling fast enough for a twin that processes feeds in 100 ms.
let fastFeeds = WalmartAdapter.Configuration(
    feedsPerHour: 10,
    firstPoll: .milliseconds(50),
    longestPoll: .milliseconds(200),
    feedWait: .seconds(30),
    categories: testCategories
)

func makeTwin(feedsPerHour: Int = 10) -> WalmartTwin {
    WalmartTwin(
        environment: TwinEnvironment(processingDelay: .milliseconds(100)),
        configuration: .init(feedsPerHour: feedsPerHour)
    )
}

/// Checks that the twin shows exactly the projected price, currency, quantity and title of `products`.
func expectListings(_ twin: WalmartTwin, _ products: [Product], _ projector: ChannelProjector) async {
    let listings = Dictionary(uniqueKeysWithValues: await twin.listings(marketplace: "US").map { ($0.sku, $0) })
    for product in products {
        let listing = listings[product.sku.rawValue]
        #expect(listing?.price == projector.price(for: product).amountString, "price of \(product.sku)")
        #expect(listing?.currency == "USD")
        #expect(listing?.quantity == projector.quantity(for: product), "quantity of \(product.sku)")
        #expect(listing?.title == product.title)
    }
}

@Suite("Walmart adapter against its twin over loopback")
struct WalmartAdapterTests {
    @Test("single mode sets up 30 new items by item feed, then prices and stocks each by single calls")
    func singleModeConverges() async throws {
        let twin = makeTwin()
        let projector = try walmartProjector()
        let products = sampleProducts(count: 30, prefix: "WM")
        let http = try HTTPClient(configuration: .init())
        let outcomes = try await withTwinEndpoint(twin) { base in
            let adapter = WalmartAdapter(context: walmartContext(baseURL: base, http: http), configuration: fastFeeds)
            let first = await adapter.push(newChanges(products, projector), mode: .single)
            // A price and stock change afterwards goes by PUT /v3/price and PUT /v3/inventory.
            let changed = products.map { product -> ListingChange in
                var product = product
                product.price.minorUnits += 10_000
                product.quantity += 100
                return ListingChange(desired: projector.project(product), facets: [.price, .quantity])
            }
            // A 429 (the twin's bucket, when the machine's load bunches requests) is a retry, as the engine
            // treats it: those SKUs go again after the wait, a bounded number of times.
            var second = await adapter.push(changed, mode: .single)
            for _ in 0..<5 {
                let again = changed.filter { change in
                    if case .retry = second[change.sku] { true } else { false }
                }
                guard !again.isEmpty else { break }
                try await Task.sleep(for: .seconds(1))
                second.merge(await adapter.push(again, mode: .single)) { $1 }
            }
            return (first, second)
        }
        await http.shutdown()
        #expect(outcomes.0.count == 30 && outcomes.1.count == 30)
        for (sku, outcome) in outcomes.0.merging(outcomes.1, uniquingKeysWith: { $1 }) {
            guard case .accepted = outcome else {
                Issue.record("\(sku): \(outcome)")
                continue
            }
        }
        let changed = products.map { product -> Product in
            var product = product
            product.price.minorUnits += 10_000
            product.quantity += 100
            return product
        }
        await expectListings(twin, changed, projector)
    }

    @Test("bulk mode sends 30 SKUs through the item, price and inventory feeds with per-item results")
    func bulkModeConverges() async throws {
        let twin = makeTwin()
        let projector = try walmartProjector()
        let products = sampleProducts(count: 30, prefix: "WB")
        let repriced = products.map { product -> Product in
            var product = product
            product.price.minorUnits -= 5_000
            product.quantity -= 20
            return product
        }
        let http = try HTTPClient(configuration: .init())
        let outcomes = try await withTwinEndpoint(twin) { base in
            let adapter = WalmartAdapter(context: walmartContext(baseURL: base, http: http), configuration: fastFeeds)
            let setup = await adapter.push(newChanges(products, projector), mode: .bulk)
            let update = repriced.map { ListingChange(desired: projector.project($0), facets: [.price, .quantity]) }
            return (setup, await adapter.push(update, mode: .bulk))
        }
        await http.shutdown()
        for (sku, outcome) in outcomes.0.merging(outcomes.1, uniquingKeysWith: { $1 }) {
            guard case .accepted = outcome else {
                Issue.record("\(sku): \(outcome)")
                continue
            }
        }
        #expect(outcomes.1.count == 30)
        await expectListings(twin, repriced, projector)
    }

    @Test("a product the twin refuses comes back rejected with Walmart's own ingestion error")
    func rejectedProduct() async throws {
        let twin = makeTwin()
        let projector = try walmartProjector()
        let products = sampleProducts(count: 3, prefix: "WR", rejected: [2])
        let http = try HTTPClient(configuration: .init())
        let outcomes = try await withTwinEndpoint(twin) { base in
            let adapter = WalmartAdapter(context: walmartContext(baseURL: base, http: http), configuration: fastFeeds)
            return await adapter.push(newChanges(products, projector), mode: .bulk)
        }
        await http.shutdown()
        guard case .rejected(let issues) = outcomes[SKU(trusted: "WR-002")] else {
            Issue.record("WR-002 was not rejected: \(String(describing: outcomes[SKU(trusted: "WR-002")]))")
            return
        }
        #expect(issues.first?.code == "ERR_EXT_DATA_0101083")
        #expect(issues.first?.message == "The value of productName contains prohibited content: [REJECT].")
        #expect(issues.first?.attributeNames == ["productName"])
        if case .accepted = outcomes[SKU(trusted: "WR-001")] {} else { Issue.record("WR-001 not accepted") }
        let listed = await twin.listings(marketplace: nil).map(\.sku)
        #expect(listed == ["WR-001", "WR-003"])
    }

    @Test("an access token the platform has expired is refreshed once and the call goes through")
    func expiredTokenIsRefreshed() async throws {
        let twin = makeTwin()
        let projector = try walmartProjector()
        let products = sampleProducts(count: 2, prefix: "WT")
        let http = try HTTPClient(configuration: .init())
        let context = try await withTwinEndpoint(twin) { base in
            let context = walmartContext(baseURL: base, http: http)
            let adapter = WalmartAdapter(context: context, configuration: fastFeeds)
            _ = await adapter.push(newChanges(products, projector), mode: .single)
            await twin.expireTokens()
            var product = products[0]
            product.quantity = 1_000
            let outcome = await adapter.push(
                [ListingChange(desired: projector.project(product), facets: [.quantity])],
                mode: .single
            )
            if case .accepted = outcome[product.sku] {} else { Issue.record("not accepted: \(outcome)") }
            return context
        }
        await http.shutdown()
        #expect(await context.tokens.refreshCount == 2)
        let quantity = await twin.listings(marketplace: "US").first { $0.sku == "WT-001" }?.quantity
        #expect(quantity == 38)
    }

    @Test("a 429 from the platform's feed quota becomes retry with the platform's Retry-After")
    func throttledFeedIsRetried() async throws {
        let twin = makeTwin(feedsPerHour: 1)
        let projector = try walmartProjector()
        let http = try HTTPClient(configuration: .init())
        let outcomes = try await withTwinEndpoint(twin) { base in
            let adapter = WalmartAdapter(context: walmartContext(baseURL: base, http: http), configuration: fastFeeds)
            _ = await adapter.push(newChanges(sampleProducts(count: 2, prefix: "WQ"), projector), mode: .bulk)
            return await adapter.push(newChanges(sampleProducts(count: 2, prefix: "WX"), projector), mode: .bulk)
        }
        await http.shutdown()
        for outcome in outcomes.values {
            guard case .retry(_, let after) = outcome, let after else {
                Issue.record("expected retry with after, got \(outcome)")
                continue
            }
            #expect(after >= .seconds(1))
        }
    }

    @Test("when the feed budget is spent, urgent changes go by single calls and the rest wait for a feed token")
    func feedBudgetIsEnforced() async throws {
        let twin = makeTwin()
        let projector = try walmartProjector()
        let products = sampleProducts(count: 6, prefix: "WF")
        let configuration = WalmartAdapter.Configuration(
            feedsPerHour: 1,
            firstPoll: .milliseconds(50),
            longestPoll: .milliseconds(200),
            feedWait: .seconds(30),
            categories: testCategories
        )
        let http = try HTTPClient(configuration: .init())
        let outcomes = try await withTwinEndpoint(twin) { base in
            let context = walmartContext(baseURL: base, http: http, feedsPerHour: 1)
            let adapter = WalmartAdapter(context: context, configuration: configuration)
            // Set-up spends the one MP_ITEM feed and the one inventory feed of this hour.
            _ = await adapter.push(newChanges(products, projector), mode: .bulk)
            let zeroed = products.enumerated().map { index, product -> ListingChange in
                var product = product
                product.quantity = 0
                return ListingChange(desired: projector.project(product), facets: [.quantity], isUrgent: index < 2)
            }
            return await adapter.push(zeroed, mode: .bulk)
        }
        await http.shutdown()
        let listings = Dictionary(uniqueKeysWithValues: await twin.listings(marketplace: "US").map { ($0.sku, $0) })
        for (index, product) in products.enumerated() {
            let outcome = outcomes[product.sku]
            if index < 2 {
                if case .accepted = outcome {
                } else {
                    Issue.record("urgent \(product.sku): \(String(describing: outcome))")
                }
                #expect(listings[product.sku.rawValue]?.quantity == 0)
            } else {
                guard case .retry(_, let after) = outcome, let after else {
                    Issue.record("\(product.sku): \(String(describing: outcome))")
                    continue
                }
                #expect(after > .seconds(60))
                #expect(listings[product.sku.rawValue]?.quantity == projector.quantity(for: product))
            }
        }
    }

    @Test("the factory names bad account and channel keys")
    func factoryChecksKeys() {
        let factory = WalmartAdapterFactory()
        let account = AccountSettings(name: "walmart", platform: "walmart", extra: ["feeds_per_hour": "many"])
        let channel = ChannelSettings(name: "walmart-ca", marketplace: "CA", currency: .eur)
        let keys = factory.check(account: account, channel: channel).map { error -> String in
            if case .configuration(let key, _) = error { return key }
            return ""
        }
        #expect(
            keys == [
                "accounts.walmart.feeds_per_hour", "channels[walmart-ca].categories",
                "channels[walmart-ca].marketplace",
                "channels[walmart-ca].currency",
            ]
        )
        #expect(factory.defaultCurrency(marketplace: "US") == .usd)
    }
}
