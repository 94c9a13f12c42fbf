import Foundation
import Testing

@testable import Sync

@Suite("Circuit breaker liveness")
struct CircuitBreakerLivenessTests {
    private typealias Permission = CircuitBreaker.Permission

    @Test("a probe that ends without a verdict hands the probe to the next lane; verdicts reopen or close")
    func probeWithoutVerdictIsHandedOn() {
        let start = ContinuousClock.now
        func at(_ seconds: Double) -> ContinuousClock.Instant { start + .milliseconds(Int64(seconds * 1000)) }
        var breaker = CircuitBreaker(
            configuration: .init(failureThreshold: 2, cooldown: .seconds(5), maximumCooldown: .seconds(60))
        )
        breaker.recordFailure(now: at(0))
        #expect(breaker.permission(now: at(0)) == .send(probe: nil))
        breaker.recordFailure(now: at(0))
        // Hand-computed: opened at 0 for 5 s; the next cool-down is 10 s.
        let table: [(String, Double, () -> Permission?, Permission?)] = [
            ("open, 4 s left", 1, { breaker.permission(now: at(1)) }, .wait(.seconds(4))),
            ("cool-down over: probe 1", 5, { breaker.permission(now: at(5)) }, .send(probe: 1)),
            ("second lane waits on probe 1", 5, { breaker.permission(now: at(5)) }, .wait(.milliseconds(200))),
            (
                "probe 1 throttled: handed back", 5.1,
                {
                    breaker.endProbe(1)
                    return nil
                }, nil
            ),
            ("next lane probes", 5.1, { breaker.permission(now: at(5.1)) }, .send(probe: 2)),
            (
                "probe 2 fails: open for 10 s", 6,
                {
                    breaker.recordFailure(now: at(6))
                    return nil
                }, nil
            ),
            (
                "stale ticket 2 changes nothing", 6,
                {
                    breaker.endProbe(2)
                    return nil
                }, nil
            ),
            ("open, 9 s left", 7, { breaker.permission(now: at(7)) }, .wait(.seconds(9))),
            ("cool-down over: probe 3", 16, { breaker.permission(now: at(16)) }, .send(probe: 3)),
            (
                "stale ticket 1 changes nothing", 16,
                {
                    breaker.endProbe(1)
                    return nil
                }, nil
            ),
            ("still probing", 16, { breaker.permission(now: at(16)) }, .wait(.milliseconds(200))),
            (
                "probe 3 answered: closed", 16.5,
                {
                    breaker.recordSuccess()
                    return nil
                }, nil
            ),
            ("closed: everyone sends", 16.5, { breaker.permission(now: at(16.5)) }, .send(probe: nil)),
        ]
        for (step, _, action, expected) in table {
            #expect(action() == expected, "\(step)")
        }
        #expect(breaker.status(now: at(16.5)).openings == 2)
    }

    /// One lane of the model: asleep until `wakeAt`, or with an attempt in flight.
    private struct Lane {
        var wakeAt: ContinuousClock.Instant
        var attempt: (probe: Int?, endsAt: ContinuousClock.Instant, ending: Ending)?
    }

    /// How a lane's attempt ends, as the engine sees it.
    private enum Ending: CaseIterable {
        case answered, transient, throttled, nothingDue, thrown
    }

    @Test("over random outcome sequences every lane is let through again within the longest cool-down")
    func randomOutcomeSequencesNeverStall() async {
        let base = PropertySeed.base()
        print("CircuitBreakerLivenessTests seed: \(base) (set CATALOGSYNC_PROPERTY_SEED to replay)")
        for run in 0..<200 {
            let seed = base &+ UInt64(run)
            if let failure = Self.simulate(seed: seed) {
                Issue.record("seed \(seed): \(failure)")
                return
            }
            // The simulation is CPU-bound: let the other tests of the process have this thread.
            await Task.yield()
        }
    }

    /// Runs lanes against one breaker on a virtual clock; returns the first broken invariant.
    private static func simulate(seed: UInt64) -> String? {
        var random = SplitMix64(seed: seed)
        let maximumCooldown = Duration.seconds(Int64.random(in: 5...30, using: &random))
        var breaker = CircuitBreaker(
            configuration: .init(
                failureThreshold: Int.random(in: 1...5, using: &random),
                cooldown: .milliseconds(Int64.random(in: 100...3_000, using: &random)),
                maximumCooldown: maximumCooldown
            )
        )
        // Mostly failures, so the breaker opens and probes often.
        let weights: [(Ending, Int)] = [
            (.answered, Int.random(in: 0...3, using: &random)), (.transient, 4), (.throttled, 3),
            (.nothingDue, 2), (.thrown, 1),
        ]
        let start = ContinuousClock.now
        var now = start
        var lanes = Array(repeating: Lane(wakeAt: start), count: Int.random(in: 1...4, using: &random))
        var lastSend = start
        // An attempt lasts at most 0.5 s and an idle lane sleeps at most 2 s: beyond the longest
        // cool-down plus those and the half-open retry, a stalled channel.
        let bound = maximumCooldown + .milliseconds(2_700)
        for step in 0..<1_500 {
            let index = lanes.indices.min { next(lanes[$0]) < next(lanes[$1]) }!
            now = next(lanes[index])
            if let attempt = lanes[index].attempt {
                switch attempt.ending {
                case .answered: breaker.recordSuccess()
                case .transient: breaker.recordFailure(now: now)
                case .throttled, .nothingDue, .thrown: break
                }
                if let probe = attempt.probe { breaker.endProbe(probe) }
                lanes[index].attempt = nil
                let idle = attempt.ending == .nothingDue ? Int64.random(in: 0...2_000, using: &random) : 0
                lanes[index].wakeAt = now + .milliseconds(idle)
            } else {
                switch breaker.permission(now: now) {
                case .wait(let delay):
                    guard delay <= maximumCooldown else { return "step \(step): told to wait \(delay)" }
                    lanes[index].wakeAt = now + delay
                case .send(let probe):
                    lastSend = now
                    let ending = pick(weights, using: &random)
                    let duration = Duration.milliseconds(Int64.random(in: 1...500, using: &random))
                    lanes[index].attempt = (probe, now + duration, ending)
                }
            }
            if let probe = breaker.probe, !lanes.contains(where: { $0.attempt?.probe == probe }) {
                return "step \(step): probe \(probe) held with no lane running it"
            }
            if now - lastSend > bound {
                return "step \(step): no send for \(now - lastSend), state \(breaker.status(now: now).state)"
            }
        }
        return nil
    }

    private static func next(_ lane: Lane) -> ContinuousClock.Instant {
        lane.attempt?.endsAt ?? lane.wakeAt
    }

    private static func pick(_ weights: [(Ending, Int)], using random: inout SplitMix64) -> Ending {
        var roll = Int.random(in: 0..<weights.map(\.1).reduce(0, +), using: &random)
        for (ending, weight) in weights {
            if roll < weight { return ending }
            roll -= weight
        }
        return weights.last!.0
    }
}

/// A small seeded generator (SplitMix64): the same seed gives the same sequence on every machine.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The base seed of the property tests: `CATALOGSYNC_PROPERTY_SEED` when set (to replay a failure),
/// else a fresh one, printed by each test.
enum PropertySeed {
    static func base() -> UInt64 {
        if let text = ProcessInfo.processInfo.environment["CATALOGSYNC_PROPERTY_SEED"], let seed = UInt64(text) {
            return seed
        }
        return UInt64.random(in: 0...UInt64.max)
    }
}
