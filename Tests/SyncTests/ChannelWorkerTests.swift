import Catalog
import Foundation
import Store
import Sync
import Synchronization
import Testing

@Suite("Channel workers against a real SQLite store")
struct ChannelWorkerTests {
    @Test("ten price edits before a send become one push carrying the newest price")
    func coalescesEditsIntoOnePush() async throws {
        let harness = try EngineHarness()
        for step in 1...10 {
            try harness.store.save(product("PETHA-1", price: "\(1000 + step).00"))
        }
        try await harness.running {
            try await harness.eventually("the SKU to be acked") { try harness.pending() == 0 }
        }
        let pushes = harness.adapter.pushes.filter { $0.changes.contains { $0.sku.rawValue == "PETHA-1" } }
        #expect(pushes.count == 1)
        let sent = try #require(pushes.first?.changes.first)
        #expect(sent.desired.price == harness.projector.price(for: product("PETHA-1", price: "1010.00")))
        #expect(sent.isNew)
        #expect(sent.facets == Set(Facet.allCases))
    }

    @Test("a change that lands while a send is in flight stays dirty and goes out next")
    func midFlightChangeIsSentAgain() async throws {
        let harness = try EngineHarness()
        try harness.store.save(product("ROSE-1", price: "500.00"))
        harness.adapter.holdNextPush()
        try await harness.running {
            try await harness.eventually("the first push to be in flight") { harness.adapter.heldPushArrived }
            try harness.save(product("ROSE-1", price: "700.00"))
            harness.adapter.release()
            try await harness.eventually("both sends to be acked") { try harness.pending() == 0 }
        }
        let prices = harness.adapter.pushes.flatMap(\.changes).map(\.desired.price)
        let newest = harness.projector.price(for: product("ROSE-1", price: "700.00"))
        #expect(prices.count == 2)
        #expect(prices.last == newest)
        let state = try #require(try harness.state("ROSE-1"))
        #expect(state.acked.price == FacetHash(price: newest).rawValue)
        #expect(harness.adapter.pushes.last?.changes.first?.facets == [.price])
    }

    @Test("a rejected listing becomes a dead letter with the marketplace's words and is not retried")
    func rejectionIsDeadLettered() async throws {
        let harness = try EngineHarness()
        harness.adapter.answer { _ in
            .rejected(issues: [
                MarketplaceIssue(code: "90220", message: "'item_name' is required", attributeNames: ["item_name"])
            ])
        }
        try harness.store.save(product("BAD-1"))
        try await harness.running {
            try await harness.eventually("a dead letter") { try !harness.store.deadLetters().isEmpty }
            try await Task.sleep(for: .milliseconds(300))
        }
        let letter = try #require(try harness.store.deadLetters().first)
        #expect(letter.reason == "90220: 'item_name' is required [item_name]")
        #expect(harness.adapter.pushes.count == 1)
        #expect(harness.recorded.outcomes == [.rejected])
    }

    @Test("transient failures back off and retry until the marketplace accepts")
    func transientFailuresRetry() async throws {
        let harness = try EngineHarness()
        let calls = ManagedCounter()
        harness.adapter.answer { change in
            calls.increment() <= 3 ? .retry(reason: "HTTP 503", after: nil) : .accepted(change)
        }
        try harness.store.save(product("FLAKY-1"))
        try await harness.running {
            try await harness.eventually("the SKU to be acked") { try harness.pending() == 0 }
        }
        #expect(harness.adapter.pushes.count == 4)
        let outcomes = harness.recorded.outcomes
        #expect(outcomes == [.retrying, .retrying, .retrying, .accepted])
        #expect(try harness.state("FLAKY-1")?.acked.price != nil)
    }

    @Test("a 429 counts as throttling, not as a failure that opens the circuit")
    func throttlingDoesNotOpenTheBreaker() async throws {
        let harness = try EngineHarness { $0.breakerFailureThreshold = 2 }
        let calls = ManagedCounter()
        harness.adapter.answer { change in
            calls.increment() <= 4 ? .retry(reason: "429 QuotaExceeded", after: .milliseconds(10)) : .accepted(change)
        }
        try harness.store.save(product("HOT-1"))
        try await harness.running {
            try await harness.eventually("the SKU to be acked") { try harness.pending() == 0 }
        }
        let outcomes = harness.recorded.outcomes
        #expect(outcomes == [.throttled, .throttled, .throttled, .throttled, .accepted])
        #expect(harness.engine.channelStates.first?.isBreakerOpen == false)
        #expect(harness.engine.channelStates.first?.breaker == BreakerStatus(state: .closed))
    }

    @Test("repeated transient failures open the circuit and stop the sends until the cool-down")
    func breakerOpensAfterRepeatedFailures() async throws {
        let harness = try EngineHarness {
            $0.breakerFailureThreshold = 3
            $0.breakerCooldown = .seconds(30)
            $0.lanes = 1
            $0.singleBatchSize = 1
        }
        harness.adapter.answer { _ in .retry(reason: "connection reset", after: nil) }
        for index in 1...10 { try harness.store.save(product("DOWN-\(index)")) }
        try await harness.running {
            try await harness.eventually("the breaker to open") {
                harness.engine.channelStates.first?.isBreakerOpen == true
            }
            let pushesWhenOpened = harness.adapter.pushes.count
            try await Task.sleep(for: .milliseconds(500))
            #expect(harness.adapter.pushes.count == pushesWhenOpened)
            #expect(pushesWhenOpened == 3)
            let breaker = try #require(harness.engine.channelStates.first?.breaker)
            #expect(breaker.state == .open && breaker.consecutiveFailures == 3 && breaker.openings == 1)
            let until = try #require(breaker.openUntil)
            #expect(until > Date().addingTimeInterval(25) && until <= Date().addingTimeInterval(30))
        }
    }

    @Test("a big backlog goes through the bulk path, a small one through single calls")
    func bulkPathForBigBacklogs() async throws {
        let harness = try EngineHarness { $0.bulkThreshold = 50 }
        try harness.store.save((1...120).map { product("BULK-\($0)") })
        try await harness.running {
            try await harness.eventually("the backlog to drain") { try harness.pending() == 0 }
            try harness.save(product("BULK-1", price: "2000.00"))
            try await harness.eventually("the single edit to drain") { try harness.pending() == 0 }
        }
        let pushes = harness.adapter.pushes
        #expect(pushes.contains { $0.mode == .bulk && $0.changes.count >= 50 })
        #expect(pushes.last?.mode == .single)
        #expect(pushes.last?.changes.map(\.sku.rawValue) == ["BULK-1"])
        #expect(Set(pushes.flatMap(\.changes).map(\.sku)).count == 120)
    }

    @Test("a deleted product is removed from the marketplace and its listing state goes away")
    func deletionRemovesTheListing() async throws {
        let harness = try EngineHarness()
        try harness.store.save(product("GONE-1"))
        try await harness.running {
            try await harness.eventually("the listing to exist") { try harness.state("GONE-1")?.acked.content != nil }
            try harness.store.deleteProduct(sku: SKU(trusted: "GONE-1"))
            harness.engine.wake()
            try await harness.eventually("the listing state to go") { try harness.state("GONE-1") == nil }
        }
        let removal = try #require(harness.adapter.pushes.last?.changes.first)
        #expect(removal.isRemoval)
        #expect(removal.isUrgent)
    }

    @Test("a paused channel sends nothing until it is resumed")
    func pauseHoldsSends() async throws {
        let harness = try EngineHarness()
        try await harness.running {
            try await harness.eventually("the channel to run") { !harness.engine.channelStates.isEmpty }
            #expect(harness.engine.pause(channel: EngineHarness.channel))
            #expect(harness.engine.pausedChannels == [EngineHarness.channel])
            try harness.save(product("WAIT-1"))
            try await Task.sleep(for: .milliseconds(300))
            #expect(harness.adapter.pushes.isEmpty)
            #expect(harness.engine.resume(channel: EngineHarness.channel))
            try await harness.eventually("the SKU to be acked") { try harness.pending() == 0 }
        }
        #expect(harness.adapter.pushes.count == 1)
    }

    @Test("stock going to zero is marked urgent")
    func stockOutIsUrgent() async throws {
        let harness = try EngineHarness()
        try harness.store.save(product("LAST-1", quantity: 5))
        try await harness.running {
            try await harness.eventually("the first send") { try harness.pending() == 0 }
            try harness.save(product("LAST-1", quantity: 0))
            try await harness.eventually("the stock-out send") { try harness.pending() == 0 }
        }
        let last = try #require(harness.adapter.pushes.last?.changes.first)
        #expect(last.facets == [.quantity])
        #expect(last.desired.quantity == 0)
        #expect(last.isUrgent)
    }

    @Test("draining waits for the push in flight and records its outcome")
    func drainRecordsInFlightWork() async throws {
        let harness = try EngineHarness()
        try harness.store.save(product("DRAIN-1"))
        harness.adapter.holdNextPush()
        let engine = harness.engine
        let channels = [
            SyncEngine.Channel(name: EngineHarness.channel, projector: harness.projector, adapter: harness.adapter)
        ]
        let run = Task { await engine.run(channels: channels) }
        try await harness.eventually("the push to be in flight") { harness.adapter.heldPushArrived }
        engine.drain()
        harness.adapter.release()
        await run.value
        #expect(try harness.pending() == 0)
        #expect(try harness.state("DRAIN-1")?.acked.quantity != nil)
    }
}

/// A thread-safe counter for scripted answers.
final class ManagedCounter: Sendable {
    private let value = Mutex(0)

    /// Adds one and returns the new count.
    func increment() -> Int {
        value.withLock { value in
            value += 1
            return value
        }
    }
}

/// An acceptance of other values than the desired ones (an adapter answering from a request it sent
/// earlier) never finishes the pair.
@Suite("Stale acceptances")
struct StaleAcceptanceTests {
    @Test("an acceptance of older values than desired acks them but sends the desired values again at once")
    func acceptanceOfOlderValuesIsSentAgain() async throws {
        let harness = try EngineHarness()
        try harness.store.save(product("ROSE-9", price: "1000.00"))
        try await harness.running {
            try await harness.eventually("the first ack") { try harness.pending() == 0 }
        }
        let first = try #require(harness.adapter.pushes.first?.changes.first)
        // The next answer accepts the first push's values (as a feed still in flight would), whatever
        // was sent; the one after that accepts what is sent.
        let calls = ManagedCounter()
        harness.adapter.answer { change in
            calls.increment() == 1 ? .accepted(first) : .accepted(change)
        }
        try harness.store.save(product("ROSE-9", price: "1200.00"))
        try await harness.running {
            try await harness.eventually("the desired price acked") {
                try harness.pending() == 0 && harness.adapter.pushes.count == 3
            }
        }
        let pushes = harness.adapter.pushes.map { $0.changes.map(\.desired.price) }
        // 1000.00 INR and 1200.00 INR at 0.01 EUR with 10 % markup (hand-computed): 11.00, 13.20, 13.20.
        #expect(
            pushes == [
                [Money(minorUnits: 1100, currency: .eur)], [Money(minorUnits: 1320, currency: .eur)],
                [Money(minorUnits: 1320, currency: .eur)],
            ]
        )
        let last = try #require(harness.adapter.pushes.last?.changes.first)
        #expect(try harness.state("ROSE-9")?.acked.price == last.desired.hashes[.price].rawValue)
    }
}
