import Catalog
import Foundation
import Store
import Synchronization
import Testing

@testable import Sync

/// Nothing retries forever: a pair that keeps failing is dead-lettered with its last reason once it
/// reaches the configured attempts or age, and a platform that refuses the account stops the channel
/// (it needs attention) instead of spending quota on every SKU.
@Suite("Retry limits and channels that need attention")
struct RetryLimitTests {
    @Test("a pair that keeps failing is dead-lettered with its last reason at the configured attempt")
    func attemptsAreCapped() async throws {
        let harness = try EngineHarness { $0.maximumAttempts = 3 }
        let calls = ManagedCounter()
        harness.adapter.answer { _ in .retry(reason: "503 Service Unavailable (call \(calls.increment()))", after: nil)
        }
        try harness.store.save(product("STUCK-1"))
        try await harness.running {
            try await harness.eventually("the SKU to be dead-lettered") { try harness.pending() == 0 }
        }
        #expect(harness.adapter.pushes.count == 3)
        #expect(harness.recorded.outcomes == [.retrying, .retrying, .rejected])
        let letters = try harness.store.deadLetters(channel: EngineHarness.channel)
        #expect(letters.map(\.reason) == ["gave up after 3 attempts: 503 Service Unavailable (call 3)"])
        #expect(try harness.store.dirtyEntries(channel: EngineHarness.channel).map(\.isDead) == [true])
    }

    @Test(
        "throttling is no failed attempt: a listing waiting out a spent quota past the attempt cap is sent once the quota is back"
    )
    func throttlingDoesNotSpendAttempts() async throws {
        let harness = try EngineHarness { $0.maximumAttempts = 3 }
        let calls = ManagedCounter()
        // Five throttled answers (more than the cap of 3), then the platform takes it.
        harness.adapter.answer { change in
            calls.increment() <= 5 ? .retry(reason: "Shopclues daily quota spent", after: nil) : .accepted(change)
        }
        try harness.store.save(product("WAITS-1"))
        try await harness.running {
            try await harness.eventually("the SKU to be acked") { try harness.state("WAITS-1")?.acked.price != nil }
        }
        #expect(harness.adapter.pushes.count == 6)
        #expect(try harness.store.deadLetters(channel: EngineHarness.channel).isEmpty)
    }

    @Test("a pair that has failed for longer than the configured age is dead-lettered at its next failure")
    func ageIsCapped() async throws {
        let harness = try EngineHarness { $0.maximumRetryAge = .seconds(3600) }
        harness.adapter.answer { _ in .retry(reason: "DHL 500 process error", after: nil) }
        try harness.store.save(product("OLD-1"))
        // Its first failure was two hours ago (one attempt so far), and it is due now.
        let claimed = try harness.store.claimDue(channel: EngineHarness.channel, limit: 1)
        try harness.store.retryLater(
            channel: EngineHarness.channel,
            sku: SKU(trusted: "OLD-1"),
            generation: try #require(claimed.first).generation,
            notBefore: Date(timeIntervalSinceNow: -1),
            error: "DHL 500 process error",
            now: Date(timeIntervalSinceNow: -7_230)
        )
        try await harness.running {
            try await harness.eventually("the SKU to be dead-lettered") { try harness.pending() == 0 }
        }
        #expect(harness.adapter.pushes.count == 1)
        let letters = try harness.store.deadLetters(channel: EngineHarness.channel)
        #expect(letters.map(\.reason) == ["gave up after 2 attempts over 2 h: DHL 500 process error"])
    }

    @Test("a success in between starts the count again: attempts are counted since the pair was last in sync")
    func countRestartsAfterAnAck() async throws {
        let harness = try EngineHarness { $0.maximumAttempts = 3 }
        let calls = ManagedCounter()
        // Two failures, an ack, a new edit, two failures, an ack: never three in a row.
        harness.adapter.answer { change in
            switch calls.increment() {
            case 3, 6: .accepted(change)
            default: .retry(reason: "connection reset", after: nil)
            }
        }
        try harness.store.save(product("SOMETIMES-1"))
        try await harness.running {
            try await harness.eventually("the first ack") { try harness.pending() == 0 }
            try harness.save(product("SOMETIMES-1", price: "1200.00"))
            try await harness.eventually("the second ack") {
                try harness.pending() == 0 && harness.adapter.pushes.count == 6
            }
        }
        #expect(try harness.store.deadLetters(channel: EngineHarness.channel).isEmpty)
        #expect(harness.recorded.outcomes == [.retrying, .retrying, .accepted, .retrying, .retrying, .accepted])
    }

    @Test("a platform refusing the account stops the channel in its words until the channel is resumed")
    func refusedAccountNeedsAttention() async throws {
        let harness = try EngineHarness {
            $0.lanes = 1
            $0.singleBatchSize = 3
        }
        let reason = "Amazon refused a fresh access token (403 Unauthorized): Unauthorized: Access denied."
        let calls = ManagedCounter()
        harness.adapter.answer { change in
            calls.increment() <= 3 ? .needsAttention(reason: reason) : .accepted(change)
        }
        for sku in ["ROLE-1", "ROLE-2", "ROLE-3"] { try harness.store.save(product(sku)) }
        try await harness.running {
            try await harness.eventually("the channel to need attention") {
                harness.engine.channelStates.first?.attention != nil
            }
            // The lane stopped at the refusal: one push, nothing dead-lettered, all still pending.
            #expect(harness.engine.channelStates.first?.attention == reason)
            #expect(harness.adapter.pushes.count == 1)
            #expect(try harness.pending() == 3)
            #expect(try harness.store.deadLetters(channel: EngineHarness.channel).isEmpty)
            #expect(harness.engine.resume(channel: EngineHarness.channel))
            try await harness.eventually("every SKU acked after the resume") { try harness.pending() == 0 }
        }
        #expect(harness.engine.channelStates.first?.attention == nil)
        #expect(harness.adapter.pushes.count == 2)
    }
}
