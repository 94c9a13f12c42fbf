import AdapterTestSupport
import Catalog
import CurlHTTP
import Foundation
import Sync
import Testing
import TwinSupport

@testable import DHLAdapter
@testable import DHLTwin

@Suite("DHL Express: customs readiness and landed-cost estimates over loopback")
struct DHLAdapterTests {
    static let channel = ChannelSettings(
        name: "dhl-express",
        marketplace: "IN",
        currency: .inr,
        language: "en_IN",
        extra: ["destinations": "US,GB,AE"]
    )

    static let account = AccountSettings(name: "dhl-express", platform: "dhl", sellerID: "950000002")

    /// The DHL channel of config/sandbox.toml: declared value = catalog price, no stock.
    static func projector() throws -> ChannelProjector {
        try ChannelProjector(
            channel: ChannelRules(
                name: "dhl-express",
                currency: .inr,
                language: "en_IN",
                pricing: PricingRule(),
                inventory: InventoryRule(sharePercent: 0)
            ),
            fx: FXTable(base: .inr, rates: [:])
        )
    }

    static func product(
        _ sku: String,
        title: String = "Agra Petha 500 g",
        price: String = "450.00",
        hsCode: String? = "1704.90.90",
        weightGrams: Int? = 500
    ) throws -> Product {
        Product(
            sku: try SKU(validating: sku),
            title: title,
            price: try #require(Money(parsing: price, currency: .inr)),
            quantity: 10,
            description: "Ash gourd sweet from Agra",
            hsCode: hsCode,
            weightGrams: weightGrams
        )
    }

    static func change(_ product: Product) throws -> ListingChange {
        let desired = try projector().project(product)
        return ListingChange(desired: desired, facets: [.content, .price], isNew: true)
    }

    /// Runs `body` with a DHL twin and an adapter for the test channel, paced by DHL's published quotas.
    ///
    /// The twin does not enforce them here: on a loaded test machine requests paced at 2/s can reach it
    /// bunched, and these tests are about estimates, not pacing (``twinQuotaAnswers429`` covers that).
    static func withAdapter(
        channel: ChannelSettings = channel,
        _ body: (DHLAdapter, InMemoryAdapterDataStore, DHLTwin) async throws -> Void
    ) async throws {
        let twin = DHLTwin(environment: TwinEnvironment(quotasEnabled: false))
        try await LoopbackTwinServer.with(twin) { server in
            let factory = DHLAdapterFactory()
            let account = factory.sandboxAccount(Self.account, baseURL: server.baseURL)
            let data = InMemoryAdapterDataStore()
            let context = server.context(
                account: account,
                channel: channel,
                quotas: factory.quotas(for: account),
                data: data
            )
            let adapter = try factory.makeDHLAdapter(context: context)
            try await body(adapter, data, twin)
        }
    }

    @Test("a SKU without an HS code is rejected as not ready to ship, naming the HS code, and DHL is not asked")
    func missingHSCode() async throws {
        try await Self.withAdapter { adapter, data, twin in
            let change = try Self.change(try Self.product("PETHA-NOHS", hsCode: nil, weightGrams: 0))
            let outcomes = await adapter.push([change], mode: .single)
            guard case .rejected(let issues) = try #require(outcomes[change.sku]) else {
                Issue.record("expected a rejection, got \(String(describing: outcomes[change.sku]))")
                return
            }
            #expect(issues.contains { $0.message == "not ready to ship: HS code missing" })
            #expect(issues.contains { $0.message.contains("net weight missing") })
            #expect(issues.allSatisfy { $0.code == CustomsReadiness.issueCode })
            #expect(try await LandedCostEstimate.estimates(for: change.sku, in: data).isEmpty)
            #expect(twin.destinations(of: "PETHA-NOHS").isEmpty)
        }
    }

    @Test("ready SKUs get one stored estimate per destination, equal to the twin's, in single and bulk mode")
    func estimatesStored() async throws {
        try await Self.withAdapter { adapter, data, twin in
            let single = try Self.change(try Self.product("PETHA-1"))
            let bulk = try (2...6).map { try Self.change(try Self.product("PETHA-\($0)", price: "\($0)99.50")) }
            let first = await adapter.push([single], mode: .single)
            #expect(first[single.sku] == .accepted(single))
            let second = await adapter.push(bulk, mode: .bulk)
            for change in bulk { #expect(second[change.sku] == .accepted(change)) }

            let estimates = try await LandedCostEstimate.estimates(for: single.sku, in: data)
            #expect(Set(estimates.keys) == ["US", "GB", "AE"])
            // 450 INR, chapter 17 (15 % duty), 0.5 kg: duty 67.50; GB tax 20 % of 517.50 = 103.50;
            // shipping (20 + 8) USD × 85 = 2380.00.
            let gb = try #require(estimates["GB"])
            #expect(gb.duties.amountString == "67.50")
            #expect(gb.taxes.amountString == "103.50")
            #expect(gb.shipping.amountString == "2380.00")
            #expect(gb.total.amountString == "2551.00")
            #expect(gb.currency == .inr)
            #expect(abs(gb.fetchedAt.timeIntervalSinceNow) < 3600)
            #expect(try #require(estimates["US"]).taxes.minorUnits == 0)

            let listings = await twin.listings(marketplace: "IN")
            #expect(listings.count == 6)
            let listed = try #require(listings.first { $0.sku == "PETHA-1" })
            #expect(listed.price == "450.00", "the declared value: the DHL channel's price")
            #expect(listed.landedCosts == estimates.mapValues(\.total.amountString))
            for change in bulk {
                #expect(try await LandedCostEstimate.estimates(for: change.sku, in: data).count == 3)
            }
            let raw = try #require(try await data.value(for: "landed-cost/PETHA-1/GB"))
            #expect(raw.contains(#""total":"2551.00""#) && raw.contains("fetched_at"))
        }
    }

    @Test(
        "a destination added to the channel is asked for alone, one dropped is forgotten, and a new declared value asks again"
    )
    func onlyChangedRequestsAreSent() async throws {
        let twin = DHLTwin(environment: TwinEnvironment(quotasEnabled: false))
        try await LoopbackTwinServer.with(twin) { server in
            let factory = DHLAdapterFactory()
            let account = factory.sandboxAccount(Self.account, baseURL: server.baseURL)
            let data = InMemoryAdapterDataStore()
            func adapter(destinations: String) throws -> DHLAdapter {
                var channel = Self.channel
                channel.extra["destinations"] = destinations
                let context = server.context(account: account, channel: channel, quotas: [], data: data)
                return try factory.makeDHLAdapter(context: context)
            }
            /// How often US, GB and JP were asked for PETHA-1.
            func asked() -> [Int] { ["US", "GB", "JP"].map { twin.timesAsked(sku: "PETHA-1", destination: $0) } }
            func push(_ change: ListingChange, destinations: String) async throws -> ListingOutcome? {
                await try adapter(destinations: destinations).push([change], mode: .single)[change.sku]
            }
            let change = try Self.change(try Self.product("PETHA-1"))

            #expect(try await push(change, destinations: "US,GB") == .accepted(change))
            #expect(asked() == [1, 1, 0] as [Int])
            // The same SKU again, as after a lost acknowledgement: nothing to ask.
            #expect(try await push(change, destinations: "US,GB") == .accepted(change))
            #expect(asked() == [1, 1, 0] as [Int])

            #expect(try await push(change, destinations: "US,GB,JP") == .accepted(change))
            #expect(asked() == [1, 1, 1] as [Int])
            #expect(Set(try await LandedCostEstimate.estimates(for: change.sku, in: data).keys) == ["US", "GB", "JP"])

            #expect(try await push(change, destinations: "US,JP") == .accepted(change))
            #expect(asked() == [1, 1, 1] as [Int])
            #expect(Set(try await LandedCostEstimate.estimates(for: change.sku, in: data).keys) == ["US", "JP"])

            // A new declared value (the DHL channel's price) changes every request.
            let repriced = try Self.change(try Self.product("PETHA-1", price: "900.00"))
            #expect(try await push(repriced, destinations: "US,JP") == .accepted(repriced))
            #expect(asked() == [2, 1, 2] as [Int])
            let us = try #require(try await LandedCostEstimate.estimates(for: change.sku, in: data)["US"])
            #expect(us.duties.amountString == "135.00", "15 % duty on the new declared value of 900.00")
        }
    }

    @Test("the listing settings name everything an estimate depends on beyond the SKU")
    func listingSettingsChangeWithDestinationsShipperAndPackage() {
        let factory = DHLAdapterFactory()
        let base = factory.listingSettings(account: Self.account, channel: Self.channel)
        #expect(
            base
                == "destinations=US,GB,AE;receivers=US|10001|New York,GB|SW1A 1AA|London,AE||Dubai;"
                + "shipper=IN,282001,Agra;package_cm=20x15x10;account=950000002"
        )
        var channel = Self.channel
        channel.extra["destinations"] = "US, gb,AE"
        #expect(
            factory.listingSettings(account: Self.account, channel: channel) == base,
            "the same list, spelt otherwise"
        )
        channel.extra["destinations"] = "US,GB,AE,JP"
        #expect(factory.listingSettings(account: Self.account, channel: channel) != base)
        var account = Self.account
        account.extra["package_cm"] = "30x20x10"
        #expect(factory.listingSettings(account: account, channel: Self.channel) != base)
        account = Self.account
        account.extra["shipper_postal_code"] = "110001"
        #expect(factory.listingSettings(account: account, channel: Self.channel) != base)
    }

    @Test("past the twin's published burst of 10 a request draws 429, which the adapter turns into a retry")
    func twinQuotaAnswers429() async throws {
        let twin = DHLTwin(environment: TwinEnvironment(quotasEnabled: true))
        try await LoopbackTwinServer.with(twin) { server in
            let factory = DHLAdapterFactory()
            let account = factory.sandboxAccount(Self.account, baseURL: server.baseURL)
            // No local pacing: 8 SKUs × 3 destinations = 24 requests at once against a burst of 10 at 2/s.
            let context = server.context(
                account: account,
                channel: Self.channel,
                quotas: [],
                data: InMemoryAdapterDataStore()
            )
            let adapter = try factory.makeDHLAdapter(context: context)
            let changes = try (1...8).map { try Self.change(try Self.product("PETHA-Q\($0)")) }
            let outcomes = await adapter.push(changes, mode: .bulk)
            let throttled = outcomes.values.filter {
                if case .retry(let reason, let after) = $0 { return reason.contains("429") && after != nil }
                return false
            }
            #expect(!throttled.isEmpty, "\(outcomes)")
            #expect(outcomes.count == changes.count)
        }
    }

    @Test("the twin's 400 problem text (hand checks, no published contract loaded) reaches the outcome in DHL's words")
    func problemTextReachesOutcome() async throws {
        let account = AccountSettings(name: "dhl-express", platform: "dhl", sellerID: "")
        let twin = DHLTwin(environment: TwinEnvironment(quotasEnabled: false), quotaRateScale: 1, contract: nil)
        try await LoopbackTwinServer.with(twin) { server in
            let factory = DHLAdapterFactory()
            let sandbox = factory.sandboxAccount(account, baseURL: server.baseURL)
            #expect(
                factory.check(account: sandbox, channel: Self.channel).first?.description.contains("seller_id") == true
            )
            // Build past check() to let the twin see an empty account number.
            let adapter = DHLAdapter(
                context: server.context(
                    account: sandbox,
                    channel: Self.channel,
                    quotas: [],
                    data: InMemoryAdapterDataStore()
                ),
                configuration: factory.configuration(account: sandbox, channel: Self.channel),
                authorization: DHLAdapter.basicAuthorization(key: Secret("k"), secret: Secret("s")),
                quotas: []
            )
            let change = try Self.change(try Self.product("PETHA-1"))
            let outcome = await adapter.push([change], mode: .single)[change.sku]
            guard case .rejected(let issues) = try #require(outcome) else {
                Issue.record("expected a rejection, got \(String(describing: outcome))")
                return
            }
            #expect(issues.first?.code == "400 Missing parameters")
            #expect(issues.first?.message.contains("Missing required field: accounts[0].number") == true)
        }
    }

    @Test("a [REJECT] title gets the twin's 422 problem as the SKU's rejection")
    func rejectHook() async throws {
        try await Self.withAdapter { adapter, _, _ in
            let change = try Self.change(try Self.product("PETHA-R", title: "Petha [REJECT]"))
            let outcome = await adapter.push([change], mode: .single)[change.sku]
            guard case .rejected(let issues) = try #require(outcome) else {
                Issue.record("expected a rejection, got \(String(describing: outcome))")
                return
            }
            #expect(issues.first?.code == "422 Unprocessable Entity")
            #expect(issues.first?.message.contains("prohibited content [REJECT]") == true)
        }
    }

    @Test("bad destinations and package sizes are configuration errors naming their keys")
    func configurationChecks() {
        let factory = DHLAdapterFactory()
        var channel = Self.channel
        channel.extra["destinations"] = "US,Germany"
        var account = Self.account
        account.extra["package_cm"] = "20x15"
        let keys = factory.check(account: account, channel: channel).compactMap { problem -> String? in
            if case .configuration(let key, _) = problem { return key }
            return nil
        }
        #expect(keys == ["channels[dhl-express].destinations", "accounts.dhl-express.package_cm"])
        #expect(DHLAdapterFactory.destinations(" us, GB ,us") == ["US", "GB"])
    }
}
