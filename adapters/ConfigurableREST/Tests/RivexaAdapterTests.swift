import AdapterTestSupport
import Catalog
import CurlHTTP
import Foundation
import Sync
import Testing
import TwinSupport

@testable import ConfigurableRESTAdapter
@testable import RivexaTwin

@Suite("Configurable REST adapter: Rivexa through config/rivexa.toml over loopback")
struct RivexaAdapterTests {
    static let account = AccountSettings(
        name: "rivexa",
        platform: "rivexa",
        sellerID: "RVX-IN-0042",
        extra: ["spec": RivexaFixture.specPath]
    )

    /// Runs `body` with a Rivexa twin and the adapter built from the real spec. `paced`: the twin
    /// enforces its published quota and the adapter paces by the spec's `[rate_limit]`; otherwise
    /// neither does (30 SKUs × 3 facets would take 17 s at 5 requests/s).
    static func withAdapter(
        paced: Bool = true,
        twinConfiguration: RivexaTwin.Configuration = .init(),
        spec: RESTSpec? = nil,
        _ body: (ConfigurableRESTAdapter, RivexaTwin, ChannelProjector) async throws -> Void
    ) async throws {
        let twin = RivexaTwin(environment: TwinEnvironment(quotasEnabled: paced), configuration: twinConfiguration)
        let (projector, channel) = try RivexaFixture.projector()
        try await LoopbackTwinServer.with(twin) { server in
            let factory = ConfigurableRESTAdapterFactory(platform: "rivexa")
            let account = factory.sandboxAccount(Self.account, baseURL: server.baseURL)
            #expect(factory.check(account: account, channel: channel).isEmpty)
            let spec = try spec ?? factory.spec(for: account)
            let quotas = paced ? spec.rateLimit.map { [$0] } ?? [] : []
            let context = server.context(
                account: account,
                channel: channel,
                quotas: quotas,
                data: InMemoryAdapterDataStore()
            )
            let adapter = try factory.makeRESTAdapter(spec: spec, context: context)
            try await body(adapter, twin, projector)
        }
    }

    /// The twin's listings equal the projected price, currency, quantity and title of each change.
    static func expectListed(_ changes: [ListingChange], in twin: RivexaTwin) async {
        let listings = Dictionary(uniqueKeysWithValues: await twin.listings(marketplace: "GLOBAL").map { ($0.sku, $0) })
        for change in changes {
            let listing = listings[change.sku.rawValue]
            #expect(listing?.price == change.desired.price.amountString, "\(change.sku)")
            #expect(listing?.currency == change.desired.price.currency.code)
            #expect(listing?.quantity == change.desired.quantity)
            #expect(listing?.title == change.desired.content.title)
        }
    }

    @Test("30 SKUs pushed one by one reach the twin with the rivexa channel's projected prices and stock")
    func singleMode() async throws {
        try await Self.withAdapter(paced: false) { adapter, twin, projector in
            let changes = RivexaFixture.changes(try RivexaFixture.products(30), projector: projector)
            #expect(adapter.capabilities.facets == Set(Facet.allCases))
            let outcomes = await adapter.push(changes, mode: .single)
            for change in changes { #expect(outcomes[change.sku] == .accepted(change)) }
            await Self.expectListed(changes, in: twin)
            // The projection really applied the channel's rules: USD prices ending in .99, stock capped.
            #expect(
                changes.allSatisfy {
                    $0.desired.price.currency == .usd && $0.desired.price.amountString.hasSuffix(".99")
                }
            )
            #expect(changes.contains { $0.desired.quantity == 25 } && changes.contains { $0.desired.quantity < 25 })
        }
    }

    @Test("30 SKUs pushed in bulk go in batches of the spec's size and read back per item")
    func bulkMode() async throws {
        try await Self.withAdapter(paced: false) { adapter, twin, projector in
            #expect(adapter.capabilities.maximumBatchSize == 50)
            let changes = RivexaFixture.changes(try RivexaFixture.products(30), projector: projector)
            let outcomes = await adapter.push(changes, mode: .bulk)
            for change in changes { #expect(outcomes[change.sku] == .accepted(change)) }
            await Self.expectListed(changes, in: twin)
        }
    }

    @Test("a [REJECT] title is rejected with the twin's own text, single and bulk; the others go through")
    func rejectHook() async throws {
        // Not a pacing test: with both sides pacing at 5/s, a busy machine bunched two calls into a 429.
        try await Self.withAdapter(paced: false) { adapter, twin, projector in
            let changes = RivexaFixture.changes(
                try RivexaFixture.products(6, rejectIndexes: [2, 5]),
                projector: projector
            )
            for mode in [PushMode.single, .bulk] {
                let outcomes = await adapter.push(changes, mode: mode)
                for change in changes {
                    let rejected = ["PRD-002", "PRD-005"].contains(change.sku.rawValue)
                    if rejected {
                        #expect(
                            outcomes[change.sku]
                                == .rejected(issues: [
                                    MarketplaceIssue(
                                        code: "prohibited_content",
                                        message: "title contains prohibited content: [REJECT]",
                                        attributeNames: mode == .single ? ["content"] : []
                                    )
                                ]),
                            "\(mode) \(change.sku)"
                        )
                    } else {
                        #expect(outcomes[change.sku] == .accepted(change), "\(mode) \(change.sku)")
                    }
                }
            }
            #expect(await twin.listings(marketplace: nil).count == 4)
        }
    }

    @Test("a price-only change sends only the price request, and a non-positive price is refused in the twin's words")
    func priceOnly() async throws {
        try await Self.withAdapter { adapter, twin, projector in
            let product = try RivexaFixture.products(1)[0]
            var desired = projector.project(product)
            let first = await adapter.push(
                [ListingChange(desired: desired, facets: Set(Facet.allCases))],
                mode: .single
            )
            #expect(first.values.allSatisfy { if case .accepted = $0 { true } else { false } })
            desired.price = Money(minorUnits: 0, currency: .usd)
            let change = ListingChange(desired: desired, facets: [.price])
            let outcome = await adapter.push([change], mode: .single)[change.sku]
            #expect(
                outcome
                    == .rejected(issues: [
                        MarketplaceIssue(
                            code: "invalid_price",
                            message: "price.amount must be positive, got 0",
                            attributeNames: ["price"]
                        )
                    ])
            )
            #expect(
                await twin.listings(marketplace: "GLOBAL").first?.price == projector.price(for: product).amountString
            )
        }
    }
}
