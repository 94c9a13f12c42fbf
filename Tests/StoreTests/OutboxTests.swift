import Catalog
import Foundation
import GRDB
import Store
import Testing

@Suite("Outbox: dirty marks, claims, acks, backoff, dead letters")
struct OutboxTests {
    @Test("ten edits before a send coalesce into one dirty mark per channel; the product holds the newest value")
    func tenEditsCoalesce() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        for step in 1...10 {
            try store.save(makeProduct("PETHA-1", price: "\(100 + step).00"), now: epoch)
        }
        let sku = try SKU(validating: "PETHA-1")
        let entries = try store.dirtyEntries(sku: sku)
        #expect(entries.map(\.channel) == ["amazon-de", "ebay-us"])
        #expect(entries.map(\.generation) == [10, 10])
        #expect(try store.product(sku: sku)?.product.price.amountString == "110.00")
        #expect(try store.product(sku: sku)?.revision == 10)
        #expect(try store.claimDue(channel: "amazon-de", limit: 100, now: epoch).count == 1)
    }

    @Test("saving an identical product changes nothing and marks nothing dirty")
    func identicalSaveIsUnchanged() throws {
        let fixture = try TemporaryStore()
        let product = try makeProduct("PETHA-1")
        #expect(try fixture.store.save(product, now: epoch) == .inserted)
        let claimed = try fixture.store.claimDue(channel: "amazon-de", limit: 10, now: epoch)
        try fixture.store.complete(
            channel: "amazon-de",
            acks: claimed.map { ListingAck(sku: $0.sku, generation: $0.generation, sent: AckedHashes(content: 1)) },
            now: epoch
        )
        #expect(try fixture.store.save(product, now: epoch) == .unchanged)
        #expect(try fixture.store.dirtyEntries(channel: "amazon-de").isEmpty)
        #expect(try fixture.store.product(sku: product.sku)?.revision == 1)
    }

    @Test("a product listed on some channels marks only those channels dirty")
    func explicitChannelsLimitDirtyMarks() throws {
        let fixture = try TemporaryStore()
        try fixture.store.save(makeProduct("ROSE-1", channels: ["ebay-us", "not-configured"]), now: epoch)
        #expect(try fixture.store.dirtyEntries().map(\.channel) == ["ebay-us"])
    }

    @Test("an ack for a claimed generation leaves the pair dirty when the product changed mid-flight")
    func midFlightChangeStaysDirty() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        try store.save(makeProduct("PETHA-1", price: "149.00"), now: epoch)
        let claimed = try #require(try store.claimDue(channel: "amazon-de", limit: 10, now: epoch).first)
        try store.save(makeProduct("PETHA-1", price: "139.00"), now: epoch)
        try store.complete(
            channel: "amazon-de",
            acks: [ListingAck(sku: claimed.sku, generation: claimed.generation, sent: AckedHashes(price: 42))],
            now: epoch
        )
        let entry = try #require(try store.dirtyEntries(channel: "amazon-de").first)
        #expect(entry.generation == claimed.generation + 1)
        #expect(entry.leaseUntil == nil)
        #expect(try store.listingStates(sku: claimed.sku).first?.acked.price == 42)
        let again = try store.claimDue(channel: "amazon-de", limit: 10, now: epoch)
        #expect(again.map(\.generation) == [claimed.generation + 1])
        #expect(again.first?.acked.price == 42)

        try store.complete(
            channel: "amazon-de",
            acks: [ListingAck(sku: claimed.sku, generation: again[0].generation, sent: AckedHashes(price: 43))],
            now: epoch
        )
        #expect(try store.dirtyEntries(channel: "amazon-de").isEmpty)
        #expect(try store.listingStates(sku: claimed.sku).first?.acked == AckedHashes(price: 43))
    }

    @Test("a leased pair is skipped until its lease expires, then it is due again")
    func leaseExpiryReturnsWork() throws {
        let fixture = try TemporaryStore(leaseDuration: .seconds(30))
        let store = fixture.store
        try store.save(makeProduct("PETHA-1"), now: epoch)
        #expect(try store.claimDue(channel: "amazon-de", limit: 10, now: epoch).count == 1)
        #expect(try store.claimDue(channel: "amazon-de", limit: 10, now: epoch.addingTimeInterval(29)).isEmpty)
        #expect(try store.queueSummary(now: epoch.addingTimeInterval(29)).first?.leased == 1)
        let reclaimed = try store.claimDue(channel: "amazon-de", limit: 10, now: epoch.addingTimeInterval(31))
        #expect(reclaimed.map(\.sku.rawValue) == ["PETHA-1"])
    }

    @Test(
        "retryLater backs off: attempts grow, the lease clears, the pair is not due before notBefore, which the queue reports"
    )
    func retryLaterBacksOff() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        try store.save(makeProduct("PETHA-1"), now: epoch)
        let claimed = try #require(try store.claimDue(channel: "amazon-de", limit: 10, now: epoch).first)
        try store.retryLater(
            channel: "amazon-de",
            sku: claimed.sku,
            generation: claimed.generation,
            notBefore: epoch.addingTimeInterval(10),
            error: "HTTP 429"
        )
        #expect(try store.claimDue(channel: "amazon-de", limit: 10, now: epoch.addingTimeInterval(5)).isEmpty)
        let summary = try #require(try store.queueSummary(now: epoch.addingTimeInterval(5)).first)
        #expect(summary.backingOff == 1)
        #expect(summary.nextAttemptAt == epoch.addingTimeInterval(10), "the queue says when the retry is due")
        let retried = try store.claimDue(channel: "amazon-de", limit: 10, now: epoch.addingTimeInterval(10))
        #expect(retried.map(\.attempts) == [1])
    }

    @Test("a held price waits out its delay, and is due at once when its landed cost is marked as arrived")
    func heldPairIsDueAgainWhenItsInputArrives() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let sku = try SKU(validating: "PETHA-1")
        try store.save(makeProduct("PETHA-1"), now: epoch)
        let claimed = try #require(try store.claimDue(channel: "amazon-de", limit: 10, now: epoch).first)
        let reason = "price held: the landed cost of SKU PETHA-1 to DE from channel dhl-express is not known yet"
        try store.hold(
            channel: "amazon-de",
            sku: sku,
            generation: claimed.generation,
            notBefore: epoch.addingTimeInterval(60),
            reason: reason
        )
        #expect(try store.claimDue(channel: "amazon-de", limit: 10, now: epoch.addingTimeInterval(1)).isEmpty)
        #expect(try store.dirtyEntries(channel: "amazon-de").first?.lastError == reason)

        try store.markPriceInputChanged([(channel: "amazon-de", sku: sku)], now: epoch.addingTimeInterval(1))
        let again = try store.claimDue(channel: "amazon-de", limit: 10, now: epoch.addingTimeInterval(1))
        #expect(again.map(\.sku) == [sku])
        #expect(again.first?.attempts == 0)

        // Marked while claimed: the hold that follows does not delay it.
        try store.markPriceInputChanged([(channel: "amazon-de", sku: sku)], now: epoch.addingTimeInterval(2))
        try store.hold(
            channel: "amazon-de",
            sku: sku,
            generation: try #require(again.first).generation,
            notBefore: epoch.addingTimeInterval(60),
            reason: reason
        )
        #expect(try store.claimDue(channel: "amazon-de", limit: 10, now: epoch.addingTimeInterval(2)).count == 1)
        // ebay-us, queued by the save, is marked again like after a product edit.
        try store.markPriceInputChanged([(channel: "ebay-us", sku: sku)], now: epoch.addingTimeInterval(2))
        #expect(try store.dirtyEntries(channel: "ebay-us").map(\.generation) == [2])
    }

    @Test("claims come in priority order: stock-outs, then price decreases, then the oldest marks")
    func claimsFollowPriority() throws {
        let fixture = try TemporaryStore(channels: ["amazon-de"])
        let store = fixture.store
        try store.save(makeProduct("A-OLD", quantity: 5), now: epoch)
        try store.save(makeProduct("B-CHEAPER", price: "149.00"), now: epoch.addingTimeInterval(1))
        try store.save(makeProduct("C-SOLDOUT", quantity: 3), now: epoch.addingTimeInterval(2))
        try store.complete(
            channel: "amazon-de",
            acks: try store.claimDue(channel: "amazon-de", limit: 10, now: epoch.addingTimeInterval(2)).map {
                ListingAck(sku: $0.sku, generation: $0.generation, sent: AckedHashes(content: 1))
            },
            now: epoch
        )
        try store.save(makeProduct("A-OLD", quantity: 6), now: epoch.addingTimeInterval(3))
        try store.save(makeProduct("B-CHEAPER", price: "99.00"), now: epoch.addingTimeInterval(4))
        try store.save(makeProduct("C-SOLDOUT", quantity: 0), now: epoch.addingTimeInterval(5))
        let order = try store.claimDue(channel: "amazon-de", limit: 10, now: epoch.addingTimeInterval(6))
        #expect(order.map(\.sku.rawValue) == ["C-SOLDOUT", "B-CHEAPER", "A-OLD"])
        #expect(order.map(\.priority) == [.stockOut, .priceDecrease, .normal])
    }

    @Test("a rejection keeps the marketplace's reason verbatim and leaves the due set until the product changes")
    func deadLettersKeepReasonsAndLeaveDueSet() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        try store.save(makeProduct("PETHA-1"), now: epoch)
        let claimed = try #require(try store.claimDue(channel: "amazon-de", limit: 10, now: epoch).first)
        let reason = #"{"issues":[{"code":"90220","message":"'item_name' ist erforderlich","severity":"ERROR"}]}"#
        try store.reject(
            channel: "amazon-de",
            sku: claimed.sku,
            generation: claimed.generation,
            facet: .content,
            reason: reason,
            now: epoch
        )
        let letters = try store.deadLetters()
        #expect(letters.map(\.reason) == [reason])
        #expect(letters.first?.facet == .content)
        #expect(letters.first?.productRevision == 1)
        let later = epoch.addingTimeInterval(3600)
        #expect(try store.claimDue(channel: "amazon-de", limit: 10, now: later).isEmpty)
        #expect(try store.queueSummary(now: later).first { $0.channel == "amazon-de" }?.deadLetters == 1)
        // ebay-us was never rejected and is still due.
        #expect(try store.claimDue(channel: "ebay-us", limit: 10, now: later).count == 1)

        try store.save(makeProduct("PETHA-1", title: "Agra petha 500 g, kesar"), now: later)
        #expect(try store.deadLetters().isEmpty)
        #expect(try store.claimDue(channel: "amazon-de", limit: 10, now: later).map(\.sku.rawValue) == ["PETHA-1"])
    }

    @Test("a rejection of a value that changed mid-flight does not dead-letter the new value")
    func staleRejectionKeepsPairDue() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        try store.save(makeProduct("PETHA-1"), now: epoch)
        let claimed = try #require(try store.claimDue(channel: "amazon-de", limit: 10, now: epoch).first)
        try store.save(makeProduct("PETHA-1", title: "Fixed title"), now: epoch)
        try store.reject(
            channel: "amazon-de",
            sku: claimed.sku,
            generation: claimed.generation,
            facet: .content,
            reason: "title too short",
            now: epoch
        )
        #expect(try store.deadLetters().isEmpty)
        #expect(try store.claimDue(channel: "amazon-de", limit: 10, now: epoch).map(\.generation) == [2])
    }

    @Test("an operator's retry returns dead letters to the due set")
    func retryDeadLettersRevives() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        try store.save(makeProduct("PETHA-1"), now: epoch)
        try store.save(makeProduct("ROSE-1"), now: epoch)
        for claimed in try store.claimDue(channel: "amazon-de", limit: 10, now: epoch) {
            try store.reject(
                channel: "amazon-de",
                sku: claimed.sku,
                generation: claimed.generation,
                facet: nil,
                reason: "invalid brand",
                now: epoch
            )
        }
        #expect(try store.claimDue(channel: "amazon-de", limit: 10, now: epoch).isEmpty)
        #expect(try store.retryDeadLetters(channel: "amazon-de", sku: SKU(validating: "ROSE-1")) == 1)
        #expect(try store.deadLetters().map(\.sku.rawValue) == ["PETHA-1"])
        #expect(try store.claimDue(channel: "amazon-de", limit: 10, now: epoch).map(\.sku.rawValue) == ["ROSE-1"])
    }

    @Test("one SKU's dead letters are revived on every channel by a retry naming only the SKU, and no other SKU's")
    func retryOneSKUOnEveryChannel() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        try store.save(makeProduct("PETHA-1"), now: epoch)
        try store.save(makeProduct("ROSE-1"), now: epoch)
        for channel in ["amazon-de", "ebay-us"] {
            for claimed in try store.claimDue(channel: channel, limit: 10, now: epoch) {
                try store.reject(
                    channel: channel,
                    sku: claimed.sku,
                    generation: claimed.generation,
                    facet: nil,
                    reason: "invalid brand",
                    now: epoch
                )
            }
        }
        let rose = try SKU(validating: "ROSE-1")
        #expect(try store.retryDeadLetters(sku: rose) == 2)
        #expect(
            try store.dirtyEntries(sku: rose).map { "\($0.channel):\($0.isDead)" } == [
                "amazon-de:false", "ebay-us:false",
            ]
        )
        #expect(try store.deadLetters().map(\.sku.rawValue) == ["PETHA-1", "PETHA-1"])
        for channel in ["amazon-de", "ebay-us"] {
            #expect(try store.claimDue(channel: channel, limit: 10, now: epoch).map(\.sku.rawValue) == ["ROSE-1"])
        }
    }

    @Test("deleting a product marks its channels dirty with top priority")
    func deleteMarksChannelsDirty() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let sku = try SKU(validating: "PETHA-1")
        try store.save(makeProduct("PETHA-1", channels: ["amazon-de"]), now: epoch)
        _ = try store.claimDue(channel: "amazon-de", limit: 10, now: epoch)
        try store.complete(
            channel: "amazon-de",
            acks: [ListingAck(sku: sku, generation: 1, sent: AckedHashes(content: 7))],
            now: epoch
        )
        #expect(try store.deleteProduct(sku: sku, now: epoch))
        #expect(try store.product(sku: sku) == nil)
        let entries = try store.dirtyEntries()
        #expect(entries.map(\.channel) == ["amazon-de"])
        #expect(entries.first?.priority == .stockOut)
        #expect(try store.deleteProduct(sku: SKU(validating: "NOPE"), now: epoch) == false)
    }

    @Test("a stored product reads back field for field, Hindi text and collections included")
    func productRoundTrips() throws {
        let fixture = try TemporaryStore()
        let product = Product(
            sku: try SKU(validating: "PETHA-HI"),
            title: "पेठा, 500 g",
            price: Money(parsing: "149.50", currency: .inr)!,
            quantity: 0,
            description: "line one\nline two",
            brand: "Panchhi",
            productType: "FOOD",
            hsCode: "170490",
            originCountry: "IN",
            district: "Agra",
            weightGrams: 500,
            imageURLs: ["https://example.com/a.jpg", "https://example.com/b.jpg"],
            attributes: ["flavour": "kesar", "pack": "box;tin=2"],
            translations: ["de": .init(title: "Petha", description: nil), "hi": .init(title: nil, description: "मिठाई")],
            channelPrices: ["amazon-de": Decimal(string: "4.99")!],
            channels: ["amazon-de"]
        )
        try fixture.store.save(product, now: epoch)
        let stored = try #require(try fixture.store.product(sku: product.sku))
        #expect(stored.product == product)
        #expect(stored.updatedAt == epoch)
    }
}
