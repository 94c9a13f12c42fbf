import Catalog
import Foundation
import Store
import Synchronization
import Testing

@testable import Sync

/// The real engine (lanes, breaker, SQLite outbox) against a scripted adapter: a channel with due
/// work always gets it out, whatever the platform answers on the way.
@Suite("Engine liveness: a channel with due work always moves")
struct EngineLivenessTests {
    @Test("a half-open probe that finds nothing due (its SKU still backing off) does not stall the channel")
    func probeFindingNothingDueDoesNotStall() async throws {
        let harness = try EngineHarness {
            $0.lanes = 2
            $0.breakerFailureThreshold = 1
            $0.breakerCooldown = .milliseconds(20)
        }
        let calls = ManagedCounter()
        // The first answer opens the breaker and asks for 300 ms: the probe after the 20 ms cool-down
        // claims nothing.
        harness.adapter.answer { change in
            calls.increment() == 1 ? .retry(reason: "connection reset", after: .milliseconds(300)) : .accepted(change)
        }
        try harness.store.save(product("LATE-1"))
        try await harness.running {
            try await harness.eventually("the SKU to be acked after the empty probe") { try harness.pending() == 0 }
        }
        #expect(harness.recorded.outcomes == [.retrying, .accepted])
        #expect(harness.engine.channelStates.first?.breaker.state == .closed)
    }

    @Test("a throttled half-open probe hands the probe on and the channel converges")
    func throttledProbeDoesNotStall() async throws {
        let harness = try EngineHarness {
            $0.lanes = 3
            $0.singleBatchSize = 1
            $0.breakerFailureThreshold = 1
            $0.breakerCooldown = .milliseconds(20)
        }
        let calls = ManagedCounter()
        harness.adapter.answer { change in
            switch calls.increment() {
            case 1: .retry(reason: "connection reset", after: nil)
            case 2: .retry(reason: "429 QuotaExceeded", after: .milliseconds(10))
            default: .accepted(change)
            }
        }
        try harness.store.save(product("PROBE-1"))
        try await harness.running {
            try await harness.eventually("the SKU to be acked after the throttled probe") { try harness.pending() == 0 }
        }
        #expect(harness.recorded.outcomes == [.retrying, .throttled, .accepted])
        #expect(harness.engine.channelStates.first?.breaker.state == .closed)
    }

    @Test("over random seeded outcome sequences every SKU ends acked or dead-lettered")
    func randomOutcomesConverge() async throws {
        let base = PropertySeed.base()
        print("EngineLivenessTests seed: \(base) (set CATALOGSYNC_PROPERTY_SEED to replay)")
        for run in 0..<4 {
            try await converge(seed: base &+ UInt64(run))
        }
    }

    /// One run: a random engine configuration, then `faults` random answers (transient, throttled,
    /// rejected, accepted), then a platform that accepts everything; every SKU must settle.
    private func converge(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        let lanes = Int.random(in: 1...4, using: &random)
        let threshold = Int.random(in: 1...3, using: &random)
        let cooldown = Duration.milliseconds(Int64.random(in: 10...80, using: &random))
        let harness = try EngineHarness {
            $0.lanes = lanes
            $0.singleBatchSize = 3
            $0.breakerFailureThreshold = threshold
            $0.breakerCooldown = cooldown
            $0.breakerMaximumCooldown = .milliseconds(400)
            $0.backoff = BackoffPolicy(base: .milliseconds(20), cap: .milliseconds(200))
        }
        let script = OutcomeScript(seed: random.next(), faults: 60)
        harness.adapter.answer { script.answer($0) }
        let skus = (1...12).map { "LIVE-\($0)" }
        for sku in skus { try harness.store.save(product(sku)) }
        try await harness.running {
            do {
                try await harness.eventually("every SKU to settle (seed \(seed))", within: .seconds(90)) {
                    try harness.pending() == 0
                }
            } catch {
                let breaker = String(describing: harness.engine.channelStates.first?.breaker)
                let pending = (try? harness.pending()) ?? -1
                let pushes = harness.adapter.pushes.count
                Issue.record(
                    "seed \(seed): \(pending) pending after \(pushes) pushes, breaker \(breaker), lanes \(lanes)"
                )
                throw error
            }
        }
        for sku in skus {
            let acked = try harness.state(sku)?.acked.price != nil
            #expect(acked || script.rejected(sku), "seed \(seed): \(sku) neither acked nor rejected")
        }
    }
}

/// Seeded answers: the first `faults` draws are mostly failures, later ones accept.
final class OutcomeScript: Sendable {
    private struct State {
        var random: SplitMix64
        var faultsLeft: Int
        var rejected: Set<String> = []
    }

    private let state: Mutex<State>

    init(seed: UInt64, faults: Int) {
        state = Mutex(State(random: SplitMix64(seed: seed), faultsLeft: faults))
    }

    /// The answer for `change`.
    func answer(_ change: ListingChange) -> ListingOutcome {
        state.withLock { state in
            guard state.faultsLeft > 0 else { return .accepted(change) }
            state.faultsLeft -= 1
            switch Int.random(in: 0..<20, using: &state.random) {
            case 0..<8:
                return .retry(reason: "503 Service Unavailable", after: nil)
            case 8..<14:
                let after = Duration.milliseconds(Int64.random(in: 5...60, using: &state.random))
                return .retry(reason: "429 QuotaExceeded", after: after)
            case 14:
                state.rejected.insert(change.sku.rawValue)
                return .rejected(issues: [MarketplaceIssue(code: "90220", message: "bad title")])
            default:
                return .accepted(change)
            }
        }
    }

    /// Whether `sku` was ever rejected (a dead letter, not an ack, is its settled state).
    func rejected(_ sku: String) -> Bool {
        state.withLock { $0.rejected.contains(sku) }
    }
}
