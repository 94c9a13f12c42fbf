import AdapterTestSupport
import Catalog
import CurlHTTP
import EbayTwin
import Foundation
import Sync
import Testing
import TwinSupport

@testable import EbayAdapter

@Suite("eBay adapter: rejections, partial failures, tokens, throttling, retries and the revision cap")
struct EbayFailureTests {
    /// `count` sample products on ebay-us, the first `rejected` of them titled with the twin's hook.
    static func products(_ count: Int, rejected: Int = 0) throws -> [Product] {
        var products = Array(try EbayFixtures.sampleProducts().prefix(count))
        for index in 0..<rejected { products[index].title += " [REJECT]" }
        return products
    }

    @Test("a [REJECT] product is rejected with eBay's own error text while the rest of the batch is published")
    func rejectedProductKeepsTwinText() async throws {
        let projector = try EbayFixtures.usProjector()
        let products = try Self.products(5, rejected: 1)
        let twin = EbayTwin(environment: TwinEnvironment(quotasEnabled: false))
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let adapter = try EbayAdapterFactory().makeAdapter(
                context: EbayTestAccount(baseURL: base).context(http: http)
            )
            for mode in [PushMode.single, .bulk] {
                let outcomes = await adapter.push(newChanges(products, projector), mode: mode)
                guard case .rejected(let issues) = outcomes[products[0].sku] else {
                    Issue.record("\(mode): \(String(describing: outcomes[products[0].sku]))")
                    continue
                }
                #expect(issues.first?.code == "25019")
                #expect(
                    issues.first?.message
                        == "The listing violates eBay's prohibited and restricted items policy and cannot be revised."
                )
                for product in products.dropFirst() {
                    guard case .accepted = outcomes[product.sku] else {
                        Issue.record("\(mode) \(product.sku): \(String(describing: outcomes[product.sku]))")
                        continue
                    }
                }
            }
            await http.shutdown()
            #expect(await twin.listings(marketplace: "EBAY_US").count == 4)
        }
    }

    @Test("a 207 answer of bulkUpdatePriceQuantity maps per SKU: the wrong-currency item is rejected, the others land")
    func partialFailureMapsPerSKU() async throws {
        let projector = try EbayFixtures.usProjector()
        let products = try Self.products(6)
        let twin = EbayTwin(environment: TwinEnvironment(quotasEnabled: false))
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let adapter = try EbayAdapterFactory().makeAdapter(
                context: EbayTestAccount(baseURL: base).context(http: http)
            )
            let created = await adapter.push(newChanges(products, projector), mode: .bulk)
            let updates = products.enumerated().map { index, product in
                var desired = projector.project(product)
                desired.quantity += 7
                if index == 2 { desired.price = Money(minorUnits: desired.price.minorUnits, currency: .eur) }
                guard case .accepted(_, let remoteID) = created[product.sku] else { fatalError("not created") }
                return ListingChange(desired: desired, facets: [.price, .quantity], remoteID: remoteID)
            }
            let outcomes = await adapter.push(updates, mode: .bulk)
            await http.shutdown()
            guard case .rejected(let issues) = outcomes[products[2].sku] else {
                Issue.record("\(String(describing: outcomes[products[2].sku]))")
                return
            }
            #expect(issues.first?.code == "25002")
            #expect(issues.first?.message.contains("The currency EUR is not valid for marketplace EBAY_US") == true)
            let listings = Dictionary(
                uniqueKeysWithValues: await twin.listings(marketplace: "EBAY_US").map { ($0.sku, $0) }
            )
            for (index, change) in updates.enumerated() where index != 2 {
                #expect(outcomes[change.sku] == .accepted(change))
                #expect(listings[change.sku.rawValue]?.quantity == change.desired.quantity)
            }
            #expect(listings[products[2].sku.rawValue]?.quantity == projector.project(products[2]).quantity)
        }
    }

    @Test("an expired or revoked token is refreshed transparently")
    func tokenExpiryRefreshes() async throws {
        let projector = try EbayFixtures.usProjector()
        let products = try Self.products(3)
        let twin = EbayTwin(environment: TwinEnvironment(quotasEnabled: false, tokenLifetime: .seconds(3)))
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let setup = EbayTestAccount(baseURL: base)
            let adapter = try EbayAdapterFactory().makeAdapter(context: setup.context(http: http))
            let changes = newChanges(products, projector)
            let first = await adapter.push([changes[0]], mode: .single)
            #expect(first[changes[0].sku] != nil && Self.isAccepted(first[changes[0].sku]))
            try await Task.sleep(for: .milliseconds(3_200))  // past the twin's 3 s token lifetime
            let second = await adapter.push([changes[1]], mode: .single)
            #expect(Self.isAccepted(second[changes[1].sku]))
            let refreshesBeforeRevocation = await setup.tokens.refreshCount
            #expect(refreshesBeforeRevocation >= 2)
            twin.revokeTokens()
            let third = await adapter.push([changes[2]], mode: .single)
            await http.shutdown()
            #expect(Self.isAccepted(third[changes[2].sku]))
            #expect(await setup.tokens.refreshCount > refreshesBeforeRevocation)
        }
    }

    @Test("a 429 from the twin becomes a retry with Retry-After and throttles the limiter")
    func throttlingRetries() async throws {
        let projector = try EbayFixtures.usProjector()
        let products = try Self.products(2)
        let stats = SandboxStats()
        let twin = EbayTwin(
            environment: TwinEnvironment(quotasEnabled: true, stats: stats),
            configuration: .init(requestsPerSecond: 0.01, burst: 3)
        )
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            var setup = EbayTestAccount(baseURL: base)
            setup.rateLimiter = RateLimiter(
                quotas: EbayAdapterFactory.publishedQuotas,
                configuration: .init(isEnabled: false)
            )
            let adapter = try EbayAdapterFactory().makeAdapter(context: setup.context(http: http))
            let outcomes = await adapter.push(newChanges(products, projector), mode: .single)
            await http.shutdown()
            let retries = outcomes.values.compactMap { outcome -> Duration? in
                if case .retry(_, let after) = outcome { return after ?? .zero }
                return nil
            }
            #expect(!retries.isEmpty)
            #expect(retries.allSatisfy { $0 >= .seconds(1) })
            let throttles = await setup.rateLimiter.states().first { $0.operation == "sell.inventory" }?.throttles ?? 0
            #expect(throttles >= 1)
            #expect((stats.snapshot["ebay"]?.throttled ?? 0) >= 1)
        }
    }

    @Test("a create whose answer was lost is not repeated: the retry finds the offer and publishes it")
    func lostCreateReusesOffer() async throws {
        let projector = try EbayFixtures.usProjector()
        let products = try Self.products(1)
        let twin = EbayTwin(environment: TwinEnvironment(quotasEnabled: false))
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let adapter = try EbayAdapterFactory().makeAdapter(
                context: EbayTestAccount(baseURL: base).context(http: http)
            )
            await twin.loseResponses(of: "createOffer")
            let changes = newChanges(products, projector)
            let first = await adapter.push(changes, mode: .single)
            guard case .retry = first[changes[0].sku] else {
                Issue.record("expected a retry, got \(String(describing: first[changes[0].sku]))")
                return
            }
            let second = await adapter.push(changes, mode: .single)
            await http.shutdown()
            guard case .accepted(_, let remoteID?) = second[changes[0].sku] else {
                Issue.record("expected acceptance, got \(String(describing: second[changes[0].sku]))")
                return
            }
            #expect(await twin.offersCreated() == 1)
            let offers = await twin.offerStatuses(sku: changes[0].sku.rawValue)
            #expect(offers.count == 1)
            #expect(offers.first?.offerID == remoteID)
            #expect(offers.first?.status == "PUBLISHED")
        }
    }

    @Test("a removal withdraws the listing; when the SKU comes back, its old offer is republished, not duplicated")
    func withdrawnListingComesBack() async throws {
        let projector = try EbayFixtures.usProjector()
        let product = try Self.products(1)[0]
        let twin = EbayTwin(environment: TwinEnvironment(quotasEnabled: false))
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let adapter = try EbayAdapterFactory().makeAdapter(
                context: EbayTestAccount(baseURL: base).context(http: http)
            )
            let created = await adapter.push(newChanges([product], projector), mode: .single)
            guard case .accepted(_, let offerID?) = created[product.sku] else {
                Issue.record("not created: \(String(describing: created[product.sku]))")
                return
            }
            let desired = projector.project(product)
            let removal = ListingChange(desired: desired, facets: [.quantity], remoteID: offerID, isRemoval: true)
            #expect(Self.isAccepted(await adapter.push([removal], mode: .single)[product.sku]))
            #expect(await twin.listings(marketplace: "EBAY_US").isEmpty)
            let back = ListingChange(desired: desired, facets: [.price, .quantity], remoteID: offerID)
            let outcome = await adapter.push([back], mode: .bulk)[product.sku]
            await http.shutdown()
            #expect(outcome == .accepted(back, remoteID: offerID))
            #expect(await twin.listings(marketplace: "EBAY_US").count == 1)
            #expect(await twin.offersCreated() == 1)
        }
    }

    @Test("the daily revision cap holds revisions back until midnight UTC, and status reads the count")
    func dailyRevisionCap() async throws {
        let projector = try EbayFixtures.usProjector()
        let product = try Self.products(1)[0]
        let twin = EbayTwin(environment: TwinEnvironment(quotasEnabled: false))
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            var setup = EbayTestAccount(baseURL: base)
            setup.extra["daily_revision_limit"] = "2"
            let factory = EbayAdapterFactory()
            let adapter = try factory.makeEbayAdapter(context: setup.context(http: http))
            let created = await adapter.push(newChanges([product], projector), mode: .single)
            guard case .accepted(_, let offerID?) = created[product.sku] else {
                Issue.record("not created: \(String(describing: created[product.sku]))")
                return
            }
            #expect(await adapter.revisionsToday(sku: product.sku) == 0)
            var outcomes: [ListingOutcome?] = []
            for step in 1...3 {
                var desired = projector.project(product)
                desired.quantity += step
                let change = ListingChange(desired: desired, facets: [.quantity], remoteID: offerID)
                outcomes.append(await adapter.push([change], mode: .single)[product.sku])
            }
            await http.shutdown()
            #expect(Self.isAccepted(outcomes[0]) && Self.isAccepted(outcomes[1]))
            guard case .retry(let reason, let after?)? = outcomes[2] else {
                Issue.record("expected a held-back revision, got \(String(describing: outcomes[2]))")
                return
            }
            #expect(reason.contains("eBay daily revision limit (2) reached for SKU \(product.sku)"))
            #expect(after > .zero && after <= .seconds(86_400))
            #expect(await factory.revisionsToday(account: "ebay", marketplace: "EBAY_US", sku: product.sku) == 2)
            #expect(
                await twin.listings(marketplace: "EBAY_US").first?.quantity == projector.project(product).quantity + 2
            )
        }
    }

    @Test("the factory names bad keys: marketplace, currency, missing location key, revision limit")
    func factoryChecksNameKeys() {
        let factory = EbayAdapterFactory()
        let account = AccountSettings(name: "ebay", platform: "ebay", extra: ["daily_revision_limit": "zero"])
        let channel = ChannelSettings(name: "ebay-us", marketplace: "EBAY_XX", currency: .usd)
        let keys = factory.check(account: account, channel: channel).compactMap { error -> String? in
            if case .configuration(let key, _) = error { return key }
            return nil
        }
        #expect(keys.contains("channels[ebay-us].marketplace"))
        #expect(keys.contains("accounts.ebay.merchant_location_key"))
        #expect(keys.contains("accounts.ebay.daily_revision_limit"))
        for key in ["fulfillment_policy_id", "payment_policy_id", "return_policy_id"] {
            #expect(keys.contains("channels[ebay-us].\(key)"), "a site's business policies are channel keys")
        }
        let wrongCurrency = ChannelSettings(name: "ebay-de", marketplace: "EBAY_DE", currency: .usd)
        #expect(
            factory.check(account: account, channel: wrongCurrency).contains {
                if case .configuration("channels[ebay-de].currency", _) = $0 { true } else { false }
            }
        )
        #expect(factory.defaultCurrency(marketplace: "EBAY_GB") == .gbp)
        #expect(factory.defaultCurrency(marketplace: "EBAY_US") == .usd)
        #expect(factory.defaultCurrency(marketplace: "EBAY_DE") == .eur)
        #expect(factory.defaultCurrency(marketplace: "EBAY_CA")?.code == "CAD")
        #expect(factory.defaultCurrency(marketplace: "EBAY_FR") == .eur)
        #expect(factory.defaultCurrency(marketplace: "EBAY_IT") == .eur)
        #expect(factory.defaultCurrency(marketplace: "EBAY_ES") == .eur)
        #expect(factory.defaultCurrency(marketplace: "EBAY_AU")?.code == "AUD")
    }

    @Test("a missing credential is named without revealing any secret")
    func missingCredentialNamed() async throws {
        var setup = EbayTestAccount(baseURL: "http://127.0.0.1:9")
        setup.extra["daily_revision_limit"] = "5"
        var account = setup.account
        account.credentials["refresh_token"] = Secret("")
        let http = try HTTPClient(configuration: .init())
        let context = AdapterContext(
            account: account,
            channel: EbayFixtures.usChannelSettings,
            http: http,
            rateLimiter: setup.rateLimiter,
            tokens: setup.tokens,
            logger: quietLogger
        )
        #expect(
            throws: AdapterError.credentials(
                key: "ebay.refresh_token",
                message: "missing or empty in the account's credentials file"
            )
        ) {
            _ = try EbayAdapterFactory().makeAdapter(context: context)
        }
        await http.shutdown()
        let description = "\(account.credentials)"
        #expect(!description.contains("SBX-secret-4d5e6f"))
    }

    @Test("a 403 (a missing scope) or a 401 to a fresh token needs attention in eBay's words, not a dead letter")
    func refusedAccountNeedsAttention() {
        let body =
            #"{"errors":[{"errorId":1100,"domain":"ACCESS","category":"REQUEST","message":"Access denied","#
            + #""longMessage":"Insufficient permissions to fulfill the request."}]}"#
        let forbidden = HTTPResponse(status: 403, headers: [:], body: Array(body.utf8), httpVersion: "1.1")
        #expect(
            EbayResponses.failure(forbidden)
                == .needsAttention(
                    reason: "eBay refused the account (403): 1100: Insufficient permissions to fulfill the request."
                )
        )
        let unauthorized = HTTPResponse(
            status: 401,
            headers: [:],
            body: Array("Invalid token".utf8),
            httpVersion: "1.1"
        )
        #expect(
            EbayResponses.failure(unauthorized)
                == .needsAttention(reason: "eBay refused the account (401): Invalid token")
        )
    }

    static func isAccepted(_ outcome: ListingOutcome?) -> Bool {
        if case .accepted? = outcome { true } else { false }
    }
}
