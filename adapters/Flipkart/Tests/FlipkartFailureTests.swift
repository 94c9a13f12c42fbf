import AdapterTestSupport
import Catalog
import CurlHTTP
import FlipkartTwin
import Foundation
import Sync
import Testing
import TwinSupport

@testable import FlipkartAdapter

@Suite("Flipkart adapter: per-SKU failures, blocked listings, tokens and throttling")
struct FlipkartFailureTests {
    @Test(
        "per-SKU FAILURE inside HTTP 200 (int32 error codes) rejects only that SKU with Flipkart's own text, no retry"
    )
    func perSKUFailureMapping() async throws {
        let projector = try FlipkartFixtures.projector()
        var products = Array(try FlipkartFixtures.sampleProducts().prefix(10))
        products[3].attributes["mrp"] = "1.00"  // below the selling price
        products[6].attributes["flipkart_fsn"] = "WRONGFSN00000000"
        let catalog = products
        let twin = FlipkartTwin(environment: TwinEnvironment())
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let adapter = try FlipkartAdapterFactory().makeAdapter(
                context: FlipkartTestAccount(baseURL: base).context(http: http)
            )
            let outcomes = await adapter.push(FlipkartFixtures.changes(catalog, projector: projector), mode: .bulk)
            await http.shutdown()
            #expect(await twin.updateBatchSizes() == [10, 10])
            guard case .rejected(let mrpIssues) = outcomes[catalog[3].sku],
                case .rejected(let fsnIssues) = outcomes[catalog[6].sku]
            else {
                Issue.record(
                    "expected rejections: \(String(describing: outcomes[catalog[3].sku])), \(String(describing: outcomes[catalog[6].sku]))"
                )
                return
            }
            #expect(mrpIssues.map(\.message) == ["selling_price cannot be greater than mrp"])
            // Flipkart's int32 code, as text: the twin's invalid-price code (FlipkartTwinModel.Code).
            #expect(mrpIssues.first?.code == "400103")
            #expect(
                fsnIssues.contains {
                    $0.message == "product_id WRONGFSN00000000 is not valid for sku \(catalog[6].sku)"
                }
            )
            for (index, product) in catalog.enumerated() where index != 3 && index != 6 {
                guard case .accepted = outcomes[product.sku] else {
                    Issue.record("\(product.sku): \(String(describing: outcomes[product.sku]))")
                    continue
                }
            }
        }
    }

    @Test("a [REJECT] listing is rejected with the twin's listing-blocked text and int32 code, the rest go through")
    func rejectedListing() async throws {
        let projector = try FlipkartFixtures.projector()
        var products = Array(try FlipkartFixtures.sampleProducts().prefix(4))
        products[0].title += " [REJECT]"
        let catalog = products
        let twin = FlipkartTwin(environment: TwinEnvironment())
        for product in catalog { await twin.onboard(sku: product.sku.rawValue, title: product.title) }
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let adapter = try FlipkartAdapterFactory().makeAdapter(
                context: FlipkartTestAccount(baseURL: base).context(http: http)
            )
            let outcomes = await adapter.push(FlipkartFixtures.changes(catalog, projector: projector), mode: .single)
            await http.shutdown()
            guard case .rejected(let issues) = outcomes[catalog[0].sku] else {
                Issue.record("\(String(describing: outcomes[catalog[0].sku]))")
                return
            }
            #expect(issues.first?.code == "403101")
            #expect(
                issues.first?.message
                    == "Listing is blocked: the product failed Flipkart's quality check (prohibited content in title)"
            )
            #expect(await twin.listings(marketplace: "IN").count == 3)
        }
    }

    @Test("an expired or revoked token is refreshed transparently")
    func tokenRefresh() async throws {
        let projector = try FlipkartFixtures.projector()
        let products = Array(try FlipkartFixtures.sampleProducts().prefix(3))
        let twin = FlipkartTwin(environment: TwinEnvironment(tokenLifetime: .seconds(3)))
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let setup = FlipkartTestAccount(baseURL: base)
            let adapter = try FlipkartAdapterFactory().makeAdapter(context: setup.context(http: http))
            let changes = FlipkartFixtures.changes(products, projector: projector)
            #expect(Self.isAccepted(await adapter.push([changes[0]], mode: .single)[changes[0].sku]))
            try await Task.sleep(for: .milliseconds(3_200))  // past the twin's 3 s token lifetime
            #expect(Self.isAccepted(await adapter.push([changes[1]], mode: .single)[changes[1].sku]))
            let before = await setup.tokens.refreshCount
            #expect(before >= 2)
            twin.revokeTokens()
            #expect(Self.isAccepted(await adapter.push([changes[2]], mode: .single)[changes[2].sku]))
            await http.shutdown()
            #expect(await setup.tokens.refreshCount > before)
        }
    }

    @Test("a 429 from the twin becomes a retry with Retry-After and throttles the limiter")
    func throttling() async throws {
        let projector = try FlipkartFixtures.projector()
        let products = Array(try FlipkartFixtures.sampleProducts().prefix(3))
        let stats = SandboxStats()
        let twin = FlipkartTwin(
            environment: TwinEnvironment(quotasEnabled: true, stats: stats),
            configuration: .init(requestsPerSecond: 0.01, burst: 2)
        )
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            var setup = FlipkartTestAccount(baseURL: base)
            setup.rateLimiter = RateLimiter(
                quotas: FlipkartAdapterFactory.defaultQuotas,
                configuration: .init(isEnabled: false)
            )
            let adapter = try FlipkartAdapterFactory().makeAdapter(context: setup.context(http: http))
            let outcomes = await adapter.push(FlipkartFixtures.changes(products, projector: projector), mode: .single)
            await http.shutdown()
            let retries = outcomes.values.compactMap { outcome -> Duration? in
                if case .retry(_, let after) = outcome { return after ?? .zero }
                return nil
            }
            #expect(!retries.isEmpty)
            #expect(retries.allSatisfy { $0 >= .seconds(1) })
            #expect((await setup.rateLimiter.states().first { $0.operation == "listings.v3" }?.throttles ?? 0) >= 1)
            #expect((stats.snapshot["flipkart"]?.throttled ?? 0) >= 1)
        }
    }

    @Test("the factory names bad keys: marketplace, currency, missing location id")
    func factoryChecks() {
        let factory = FlipkartAdapterFactory()
        let account = AccountSettings(name: "flipkart", platform: "flipkart")
        let channel = ChannelSettings(name: "flipkart", marketplace: "US", currency: .usd)
        let keys = factory.check(account: account, channel: channel).compactMap { error -> String? in
            if case .configuration(let key, _) = error { return key }
            return nil
        }
        #expect(
            keys == ["channels[flipkart].marketplace", "channels[flipkart].currency", "accounts.flipkart.location_id"]
        )
        #expect(factory.defaultCurrency(marketplace: "IN") == .inr)
    }

    @Test("a 403 (no access to the seller) needs attention in Flipkart's words, not a dead letter per SKU")
    func refusedAccountNeedsAttention() {
        let body = #"{"errors":[{"severity":"ERROR","code":"UNAUTHORIZED","description":"Seller access revoked"}]}"#
        let forbidden = HTTPResponse(status: 403, headers: [:], body: Array(body.utf8), httpVersion: "1.1")
        #expect(
            FlipkartResponses.callFailure(forbidden)
                == .needsAttention(reason: "Flipkart refused the account (403): UNAUTHORIZED: Seller access revoked")
        )
    }

    static func isAccepted(_ outcome: ListingOutcome?) -> Bool {
        if case .accepted? = outcome { true } else { false }
    }
}
