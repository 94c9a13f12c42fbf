import Catalog
import Foundation
import Store
import Sync
import Synchronization
import Testing

/// A platform that keeps what the scripted adapter accepted and can be edited behind the engine's
/// back: the adapter side of ``ListingReader`` for engine tests.
final class EditablePlatform: MarketplaceAdapter, ListingReader {
    private struct State {
        var shown: [SKU: LiveListing] = [:]
        var reads = 0
    }

    let inner: ScriptedAdapter
    let rateLimiter = RateLimiter(quotas: [])
    let readOperation = "getListing"
    private let state = Mutex(State())

    init(_ inner: ScriptedAdapter) { self.inner = inner }

    var capabilities: AdapterCapabilities { inner.capabilities }
    var reads: Int { state.withLock { $0.reads } }

    func push(_ changes: [ListingChange], mode: PushMode) async -> [SKU: ListingOutcome] {
        let outcomes = await inner.push(changes, mode: mode)
        state.withLock { state in
            for change in changes
            where outcomes[change.sku].map({ if case .accepted = $0 { true } else { false } }) == true {
                var shown = state.shown[change.sku] ?? LiveListing()
                if change.facets.contains(.price) {
                    shown.price = change.desired.price.decimalAmount
                    shown.currencyCode = change.desired.price.currency.code
                }
                if change.facets.contains(.quantity) { shown.quantity = change.desired.quantity }
                if change.facets.contains(.content) { shown.title = change.desired.content.title }
                state.shown[change.sku] = shown
            }
        }
        return outcomes
    }

    /// An edit on the platform's own site.
    func edit(_ sku: String, _ change: (inout LiveListing) -> Void) {
        state.withLock { state in
            var shown = state.shown[SKU(trusted: sku)] ?? LiveListing()
            change(&shown)
            state.shown[SKU(trusted: sku)] = shown
        }
    }

    func readListing(sku: SKU, remoteID: String?) async -> ListingRead {
        state.withLock { state in
            state.reads += 1
            return state.shown[sku].map { .found($0) } ?? .missing
        }
    }
}

@Suite("Listing verifier against a real SQLite store")
struct ListingVerifierTests {
    static func harness(lowQuantityGrace: Duration = .zero) throws -> (EngineHarness, EditablePlatform) {
        var platform: EditablePlatform?
        let harness = try EngineHarness(
            configure: { configuration in
                configuration.verification.lowQuantityGrace = lowQuantityGrace
                configuration.verification.quotaShare = 1
                configuration.verification.unlimitedRate = 200
                configuration.verification.passInterval = .milliseconds(20)
                configuration.verification.busyRecheck = .milliseconds(20)
            },
            wrap: { inner in
                let wrapped = EditablePlatform(inner)
                platform = wrapped
                return wrapped
            }
        )
        return (harness, platform!)
    }

    func check(_ harness: EngineHarness, _ sku: String) throws -> ListingCheck? {
        try harness.store.listingChecks(sku: SKU(trusted: sku))[EngineHarness.channel]
    }

    @Test(
        "a price edited on the platform is found, re-queued with its reason, shown as a drifted event, and sent again (price only)"
    )
    func priceDriftIsRepaired() async throws {
        let (harness, platform) = try Self.harness()
        // 1000.00 INR at 0.01 with 10 % markup: 11.00 EUR (hand-computed).
        try harness.store.save(product("ROSE-1", price: "1000.00", quantity: 4))
        try await harness.running {
            try await harness.eventually("the first push") { harness.adapter.pushes.count == 1 }
            try await harness.eventually("a first check") { try check(harness, "ROSE-1") != nil }
            #expect(try check(harness, "ROSE-1")?.drift == nil)
            platform.edit("ROSE-1") { $0.price = Decimal(string: "24.99")! }
            try await harness.eventually("the repair push") { harness.adapter.pushes.count == 2 }
            try await harness.eventually("the repair acked") { try harness.pending() == 0 }
        }
        let repair = try #require(harness.adapter.pushes.last?.changes.first)
        #expect(repair.facets == [.price])
        #expect(repair.desired.price == Money(minorUnits: 1100, currency: .eur))
        #expect(try check(harness, "ROSE-1")?.drift == "drift: price 24.99 on amazon-de, expected 11.00")
        // One `drifted` event (watch shows it), on the price facet, with the reason.
        let drifted = harness.recorded.events(.drifted)
        #expect(drifted.map(\.facets) == [[.price]])
        #expect(drifted.map(\.message) == ["drift: price 24.99 on amazon-de, expected 11.00"])
        let progress = try #require(try harness.store.verifierProgress()[EngineHarness.channel])
        #expect(progress.totalDrifted == 1)
        #expect(progress.totalChecked >= 2)
    }

    @Test("more stock shown than the catalog has is re-queued as urgent as a stock-out")
    func oversellingQuantityIsUrgent() async throws {
        let (harness, platform) = try Self.harness()
        try harness.store.save(product("PETHA-2", quantity: 3))
        try await harness.running {
            try await harness.eventually("the first push") { harness.adapter.pushes.count == 1 }
            platform.edit("PETHA-2") { $0.quantity = 9 }
            try await harness.eventually("the drift") { try check(harness, "PETHA-2")?.drift != nil }
            try await harness.eventually("the repair push") { harness.adapter.pushes.count == 2 }
        }
        let repair = try #require(harness.adapter.pushes.last?.changes.first)
        #expect(repair.facets == [.quantity])
        #expect(repair.isUrgent)
        #expect(try check(harness, "PETHA-2")?.drift == "drift: quantity 9 on amazon-de, expected 3")
    }

    @Test("fewer units shown than the catalog's are taken for a sale not read yet: noted, not pushed back")
    func lowerQuantityWithinTheGraceIsNotRepaired() async throws {
        let (harness, platform) = try Self.harness(lowQuantityGrace: .seconds(3600))
        try harness.store.save(product("PETHA-3", quantity: 5))
        try await harness.running {
            try await harness.eventually("the first push") { harness.adapter.pushes.count == 1 }
            // A buyer took 2 on the platform; the catalog has not heard of the sale.
            platform.edit("PETHA-3") { $0.quantity = 3 }
            try await harness.eventually("the low quantity noted") {
                try check(harness, "PETHA-3")?.lowQuantitySince != nil
            }
            // The check that noted it marked nothing: the acks stand, nothing is due, nothing was pushed.
            #expect(try harness.pending() == 0)
            #expect(harness.adapter.pushes.count == 1)
        }
        #expect(try check(harness, "PETHA-3")?.drift == nil)
        #expect(harness.recorded.events(.drifted).isEmpty)
    }

    @Test("fewer units shown past the grace are drift and are repaired")
    func lowerQuantityPastTheGraceIsRepaired() async throws {
        let (harness, platform) = try Self.harness(lowQuantityGrace: .zero)
        try harness.store.save(product("PETHA-4", quantity: 5))
        try await harness.running {
            try await harness.eventually("the first push") { harness.adapter.pushes.count == 1 }
            platform.edit("PETHA-4") { $0.quantity = 1 }
            try await harness.eventually("the repair push") { harness.adapter.pushes.count == 2 }
        }
        let repair = try #require(harness.adapter.pushes.last?.changes.first)
        #expect(repair.facets == [.quantity])
        #expect(repair.desired.quantity == 5)
        #expect(try check(harness, "PETHA-4")?.drift == "drift: quantity 1 on amazon-de, expected 5")
    }

    @Test("a check with drift drops only the drifted acks and marks the pair; the reason outlives the repair")
    func storeRecordsDriftAndProgress() async throws {
        let (harness, _) = try Self.harness()
        let store = harness.store
        let sku = SKU(trusted: "KULFI-4")
        let channel = EngineHarness.channel
        try store.save(product("KULFI-4"))
        let claimed = try #require(try store.claimDue(channel: channel, limit: 10).first)
        try store.complete(
            channel: channel,
            acks: [
                ListingAck(
                    sku: sku,
                    generation: claimed.generation,
                    sent: AckedHashes(content: 1, price: 2, quantity: 3)
                )
            ]
        )
        #expect(try store.dueCount(channel: channel, limit: 10) == 0)
        let candidates = try store.verificationCandidates(channel: channel, after: nil, limit: 10)
        #expect(candidates.map(\.sku) == [sku])
        #expect(try store.verificationCandidates(channel: channel, after: sku, limit: 10).isEmpty)

        let now = Date()
        try store.recordCheck(
            ListingCheck(channel: channel, sku: sku, checkedAt: now, liveStatus: "active", drift: "drift: price 9.99"),
            driftedFacets: [.price]
        )
        #expect(try harness.state("KULFI-4")?.acked == AckedHashes(content: 1, price: nil, quantity: 3))
        #expect(try store.dueCount(channel: channel, limit: 10) == 1)
        try store.recordCheck(ListingCheck(channel: channel, sku: sku, checkedAt: now, liveStatus: "suppressed"))
        let check = try #require(try check(harness, "KULFI-4"))
        #expect(check.drift == "drift: price 9.99")
        #expect(check.liveStatus == "suppressed")

        var progress = try #require(try store.verifierProgress()[channel])
        #expect(progress.cursor == sku)
        #expect((progress.passChecked, progress.passDrifted, progress.totalChecked) == (2, 1, 2))
        try store.finishVerificationPass(channel: channel)
        progress = try #require(try store.verifierProgress()[channel])
        #expect(progress.cursor == nil)
        #expect((progress.passChecked, progress.lastChecked, progress.lastDrifted) == (0, 2, 1))
        #expect(progress.lastPassAt != nil)
    }
}
