import AdapterTestSupport
import Catalog
import CurlHTTP
import Foundation
import ShopcluesAdapter
import ShopcluesTwin
import Sync
import Testing
import TwinSupport

func expectListings(_ twin: ShopcluesTwin, _ products: [Product], _ projector: ChannelProjector) async {
    let listings = Dictionary(uniqueKeysWithValues: await twin.listings(marketplace: "IN").map { ($0.sku, $0) })
    for product in products {
        let listing = listings[product.sku.rawValue]
        #expect(listing?.price == projector.price(for: product).amountString, "price of \(product.sku)")
        #expect(listing?.currency == "INR")
        #expect(listing?.quantity == projector.quantity(for: product), "quantity of \(product.sku)")
        #expect(listing?.title == product.title)
    }
}

func expectAccepted(_ outcomes: [SKU: ListingOutcome]) {
    for (sku, outcome) in outcomes {
        if case .accepted = outcome { continue }
        Issue.record("\(sku): \(outcome)")
    }
}

func retryDelay(_ outcome: ListingOutcome?) -> Duration? {
    if case .retry(_, let after) = outcome { return after }
    return nil
}

@Suite("Shopclues adapter against its twin over loopback")
struct ShopcluesAdapterTests {
    @Test("30 SKUs converge in single mode, then a price and stock change converges in bulk mode")
    func singleAndBulkConverge() async throws {
        let twin = ShopcluesTwin(environment: TwinEnvironment())
        let projector = try shopcluesProjector()
        let products = sampleProducts(count: 30, prefix: "SC")
        let changed = products.map { product -> Product in
            var product = product
            product.price.minorUnits -= 4_321
            product.quantity = product.quantity / 3
            return product
        }
        let http = try HTTPClient(configuration: .init())
        let (first, second) = try await withTwinEndpoint(twin) { base in
            let adapter = ShopcluesAdapter(context: shopcluesContext(baseURL: base, http: http))
            let first = await adapter.push(priceAndQuantityChanges(products, projector), mode: .single)
            let updates = changed.map { ListingChange(desired: projector.project($0), facets: [.price, .quantity]) }
            return (first, await adapter.push(updates, mode: .bulk))
        }
        await http.shutdown()
        #expect(first.count == 30 && second.count == 30)
        expectAccepted(first)
        expectAccepted(second)
        await expectListings(twin, changed, projector)
    }

    @Test("a product the twin refuses comes back rejected with Shopclues' own error")
    func rejectedProduct() async throws {
        let twin = ShopcluesTwin(environment: TwinEnvironment())
        let projector = try shopcluesProjector()
        let http = try HTTPClient(configuration: .init())
        let outcomes = try await withTwinEndpoint(twin) { base in
            let adapter = ShopcluesAdapter(context: shopcluesContext(baseURL: base, http: http))
            return await adapter.push(
                priceAndQuantityChanges(sampleProducts(count: 3, prefix: "SJ", rejected: [2]), projector),
                mode: .bulk
            )
        }
        await http.shutdown()
        #expect(
            outcomes[SKU(trusted: "SJ-002")]
                == .rejected(issues: [
                    MarketplaceIssue(
                        code: "PRODUCT_REJECTED",
                        message: "Product name contains prohibited content: [REJECT]."
                    )
                ])
        )
        #expect(await twin.listings(marketplace: nil).map(\.sku) == ["SJ-001", "SJ-003"])
    }

    @Test("an expired token is replaced by a fresh one and the call goes through")
    func expiredTokenIsRefreshed() async throws {
        let twin = ShopcluesTwin(environment: TwinEnvironment())
        let projector = try shopcluesProjector()
        var products = sampleProducts(count: 1, prefix: "ST")
        let http = try HTTPClient(configuration: .init())
        let context = try await withTwinEndpoint(twin) { [products] base in
            let context = shopcluesContext(baseURL: base, http: http)
            let adapter = ShopcluesAdapter(context: context)
            expectAccepted(await adapter.push(priceAndQuantityChanges(products, projector), mode: .single))
            await twin.expireTokens()
            var product = products[0]
            product.quantity = 50
            expectAccepted(
                await adapter.push(
                    [ListingChange(desired: projector.project(product), facets: [.quantity])],
                    mode: .single
                )
            )
            return context
        }
        await http.shutdown()
        #expect(await context.tokens.refreshCount == 2)
        products[0].quantity = 50
        await expectListings(twin, products, projector)
    }

    @Test("the platform's quota error (429) becomes retry with its Retry-After")
    func throttledCallIsRetried() async throws {
        let twin = ShopcluesTwin(environment: TwinEnvironment(), configuration: .init(dailyQuota: 3))
        let projector = try shopcluesProjector()
        let http = try HTTPClient(configuration: .init())
        let outcomes = try await withTwinEndpoint(twin) { base in
            let adapter = ShopcluesAdapter(context: shopcluesContext(baseURL: base, http: http))
            return await adapter.push(
                priceAndQuantityChanges(sampleProducts(count: 4, prefix: "SQ"), projector),
                mode: .single
            )
        }
        await http.shutdown()
        // 3 requests allowed: SQ-001 (price, stock) and SQ-002's price; the rest draws QUOTA_EXCEEDED.
        if case .accepted = outcomes[SKU(trusted: "SQ-001")] {} else { Issue.record("SQ-001: \(outcomes)") }
        for sku in ["SQ-002", "SQ-003", "SQ-004"] {
            let after = retryDelay(outcomes[SKU(trusted: sku)])
            #expect(
                after != nil && after! >= .seconds(3600),
                "\(sku): \(String(describing: outcomes[SKU(trusted: sku)]))"
            )
        }
    }

    @Test("the local daily quota defers calls with a retry-after once spent, and status shows what is left")
    func dailyQuotaIsEnforced() async throws {
        let twin = ShopcluesTwin(environment: TwinEnvironment())
        let projector = try shopcluesProjector()
        let products = sampleProducts(count: 4, prefix: "SL")
        let http = try HTTPClient(configuration: .init())
        let (first, left, second, third, leftAfter) = try await withTwinEndpoint(twin) { base in
            // 5 requests a day, of which the rate limiter spends 4 (one stays unspent as a cushion against
            // the platform's own count): the token, then two update calls of the first push.
            let adapter = ShopcluesAdapter(context: shopcluesContext(baseURL: base, http: http, dailyQuota: 5))
            let first = await adapter.push(priceAndQuantityChanges(products, projector), mode: .bulk)
            let left = await adapter.remainingToday()
            let moved = products.map { product -> ListingChange in
                var product = product
                product.price.minorUnits += 100_00
                product.quantity += 1_000
                return ListingChange(desired: projector.project(product), facets: [.price, .quantity])
            }
            let second = await adapter.push(moved, mode: .bulk)
            let third = await adapter.push(moved, mode: .bulk)
            return (first, left, second, third, await adapter.remainingToday())
        }
        await http.shutdown()
        expectAccepted(first)
        #expect(left == 1)
        // The last request of the day carries the prices; the stock call is deferred.
        for product in products {
            let after = retryDelay(second[product.sku])
            #expect(
                after != nil && after! > .seconds(3600),
                "\(product.sku): \(String(describing: second[product.sku]))"
            )
            #expect(retryDelay(third[product.sku]).map { $0 > .seconds(3600) } == true)
        }
        #expect(leftAfter == 0)
        let listings = await twin.listings(marketplace: "IN")
        #expect(listings.map(\.quantity) == products.map { projector.quantity(for: $0) })
    }

    @Test("the factory names bad account and channel keys")
    func factoryChecksKeys() {
        let factory = ShopcluesAdapterFactory()
        let account = AccountSettings(name: "shopclues", platform: "shopclues", extra: ["daily_quota": "0"])
        let channel = ChannelSettings(name: "shopclues", marketplace: "IN", currency: .usd)
        #expect(factory.check(account: account, channel: channel).count == 2)
        #expect(
            factory.quotas(for: AccountSettings(name: "s", platform: "shopclues")).first?.burst
                == ShopcluesAdapterFactory.defaultDailyQuota
        )
    }
}
