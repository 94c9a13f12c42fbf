import Catalog
import Foundation
import Store
import Testing

/// An order line of `PETHA-1` on amazon-de.
private func line(
    _ order: String,
    _ item: String = "1",
    quantity: Int,
    _ status: OrderLineStatus = .placed,
    sku: String = "PETHA-1",
    platform: String = "amazon",
    shipped: Bool = false
) -> OrderLine {
    OrderLine(
        platform: platform,
        account: "amazon-eu",
        channel: "amazon-de",
        marketplace: "A1PA6795UKMFR9",
        orderID: order,
        lineID: item,
        sku: SKU(trusted: sku),
        quantity: quantity,
        status: status,
        fulfilled: shipped
    )
}

@Suite("Order ledger: each order line moves stock exactly once")
struct OrderLedgerTests {
    private let sku = SKU(trusted: "PETHA-1")

    /// Applies `steps` one poll at a time and returns the stock after each (hand-computed tables below).
    private func stocks(after steps: [OrderLine], startingWith stock: Int) throws -> ([Int], TemporaryStore) {
        let fixture = try TemporaryStore()
        try fixture.store.save(makeProduct("PETHA-1", quantity: stock), now: epoch)
        var seen: [Int] = []
        for step in steps {
            try fixture.store.apply(orderLines: [step], now: epoch)
            seen.append(try #require(try fixture.store.product(sku: sku)).product.quantity)
        }
        return (seen, fixture)
    }

    @Test("a placed line read again on every later poll takes its units off once")
    func replayedPlacedLineDecrementsOnce() throws {
        let (seen, _) = try stocks(
            after: [line("A", quantity: 3), line("A", quantity: 3), line("B", quantity: 2), line("A", quantity: 3)],
            startingWith: 10
        )
        #expect(seen == [7, 7, 5, 5])
    }

    @Test("two lines of one order are two keys: both decrement")
    func twoLinesOfOneOrderBothCount() throws {
        let (seen, _) = try stocks(after: [line("A", "1", quantity: 1), line("A", "2", quantity: 4)], startingWith: 10)
        #expect(seen == [9, 5])
    }

    @Test("the same order id on two platforms is two orders")
    func orderIDsAreScopedByPlatform() throws {
        let (seen, _) = try stocks(
            after: [line("A", quantity: 1), line("A", quantity: 1, platform: "ebay")],
            startingWith: 10
        )
        #expect(seen == [9, 8])
    }

    @Test("a cancellation gives back what the line took, once; the placed line replayed later changes nothing")
    func cancellationRestoresOnce() throws {
        let (seen, fixture) = try stocks(
            after: [
                line("A", quantity: 3), line("A", quantity: 3, .cancelled), line("A", quantity: 3, .cancelled),
                line("A", quantity: 3),
            ],
            startingWith: 10
        )
        #expect(seen == [7, 10, 10, 10])
        #expect(try fixture.store.orderCounts(sku: sku) == SKUOrderCounts(sold: 0, restored: 3, oversold: 0, lines: 1))
    }

    @Test("placed lines hold their units reserved until shipped; shipping leaves the stock alone, once")
    func shippingEndsTheReservation() throws {
        let (seen, fixture) = try stocks(
            after: [
                line("A", quantity: 3), line("B", quantity: 2), line("A", quantity: 3, shipped: true),
                line("A", quantity: 3, shipped: true), line("C", quantity: 1, shipped: true),
            ],
            startingWith: 10
        )
        // 10 - 3 - 2 = 5; shipping A changes nothing; C is seen shipped at once: 4.
        #expect(seen == [7, 5, 5, 5, 4])
        // Sold 3 + 2 + 1; reserved only B's 2 (A and C shipped).
        #expect(
            try fixture.store.orderCounts(sku: sku)
                == SKUOrderCounts(sold: 6, reserved: 2, restored: 0, oversold: 0, lines: 3)
        )
        #expect(try fixture.store.orderLines().filter(\.line.fulfilled).map(\.line.orderID).sorted() == ["A", "C"])
    }

    @Test("a return restock gives back what the line took, once")
    func returnRestockRestoresOnce() throws {
        let (seen, _) = try stocks(
            after: [
                line("A", quantity: 2), line("A", quantity: 2, .returnedRestocked), line("A", quantity: 2, .cancelled),
            ],
            startingWith: 5
        )
        #expect(seen == [3, 5, 5])
    }

    @Test("selling more than the stock stops at 0 and records the shortfall as an oversell")
    func stockClampsAtZeroWithShortfall() throws {
        let (seen, fixture) = try stocks(after: [line("A", quantity: 2), line("B", quantity: 5)], startingWith: 4)
        #expect(seen == [2, 0])
        #expect(
            try fixture.store.orderCounts(sku: sku)
                == SKUOrderCounts(sold: 7, reserved: 7, restored: 0, oversold: 3, lines: 2)
        )
        let stored = try fixture.store.orderLines().first { $0.line.orderID == "B" }
        #expect(stored?.applied == 2)
        #expect(stored?.shortfall == 3)
    }

    @Test("cancelling an oversold line gives back only the units it took")
    func cancellingOversoldLineRestoresWhatItTook() throws {
        let (seen, _) = try stocks(
            after: [line("A", quantity: 5), line("B", quantity: 1), line("A", quantity: 5, .cancelled)],
            startingWith: 3
        )
        // A takes 3 (shortfall 2), B takes 0 (shortfall 1), cancelling A gives back its 3.
        #expect(seen == [0, 0, 3])
    }

    @Test("a line first seen cancelled leaves the stock alone, then and when its placed state shows up late")
    func lineFirstSeenCancelledNeverTouchesStock() throws {
        let (seen, fixture) = try stocks(
            after: [line("A", quantity: 2, .cancelled), line("A", quantity: 2)],
            startingWith: 6
        )
        #expect(seen == [6, 6])
        #expect(try fixture.store.orderLines().first?.note == "first seen cancelled: stock untouched")
    }

    @Test("a line for an SKU the catalog does not have is kept with a note and changes nothing")
    func unknownSKUIsRecorded() throws {
        let fixture = try TemporaryStore()
        try fixture.store.save(makeProduct("PETHA-1", quantity: 4), now: epoch)
        let effects = try fixture.store.apply(orderLines: [line("A", quantity: 1, sku: "NOPE-9")], now: epoch)
        #expect(effects.map(\.effect) == [.unknownSKU])
        #expect(try fixture.store.product(sku: sku)?.product.quantity == 4)
        #expect(try fixture.store.orderLines().map(\.note) == ["unknown SKU"])
    }

    @Test("a sale marks every listed channel dirty, the selling one too, urgent where it takes stock to 0")
    func saleMarksEveryChannelUrgentAtZero() throws {
        let fixture = try TemporaryStore()
        try fixture.store.save(makeProduct("PETHA-1", quantity: 3), now: epoch)
        let claimedDE = try fixture.store.claimDue(channel: "amazon-de", limit: 10, now: epoch)
        let claimedUS = try fixture.store.claimDue(channel: "ebay-us", limit: 10, now: epoch)
        try fixture.store.complete(
            channel: "amazon-de",
            acks: claimedDE.map { ListingAck(sku: $0.sku, generation: $0.generation, sent: AckedHashes(quantity: 3)) },
            now: epoch
        )
        try fixture.store.complete(
            channel: "ebay-us",
            acks: claimedUS.map { ListingAck(sku: $0.sku, generation: $0.generation, sent: AckedHashes(quantity: 3)) },
            now: epoch
        )
        #expect(try fixture.store.dirtyEntries(sku: sku).isEmpty)

        try fixture.store.apply(orderLines: [line("A", quantity: 1)], now: epoch)
        #expect(try fixture.store.dirtyEntries(sku: sku).map(\.channel) == ["amazon-de", "ebay-us"])
        #expect(try fixture.store.dirtyEntries(sku: sku).map(\.priority) == [.normal, .normal])

        // eBay keeps one unit back (a buffer the caller knows of): at stock 1 it offers nothing.
        try fixture.store.apply(
            orderLines: [line("B", quantity: 1)],
            isStockOut: { channel, stock in channel == "ebay-us" ? stock <= 1 : stock == 0 },
            now: epoch
        )
        #expect(try fixture.store.dirtyEntries(sku: sku).map(\.priority) == [.normal, .stockOut])
        try fixture.store.apply(orderLines: [line("C", quantity: 1)], now: epoch)
        #expect(try fixture.store.dirtyEntries(sku: sku).map(\.priority) == [.stockOut, .stockOut])
        #expect(try fixture.store.product(sku: sku)?.revision == 4)
    }

    @Test("the cursor is saved with the lines read up to it and survives reopening the store")
    func cursorPersistsWithItsLines() throws {
        let fixture = try TemporaryStore()
        try fixture.store.save(makeProduct("PETHA-1", quantity: 9), now: epoch)
        #expect(try fixture.store.orderCursor(account: "amazon-eu") == nil)
        try fixture.store.apply(
            orderLines: [line("A", quantity: 1)],
            cursor: OrderCursor(account: "amazon-eu", value: "2026-12-07T01:00:00Z"),
            now: epoch
        )
        try fixture.store.apply(orderLines: [], cursor: nil, now: epoch)
        let reopened = try CatalogStore(configuration: fixture.store.configuration)
        #expect(try reopened.orderCursor(account: "amazon-eu") == "2026-12-07T01:00:00Z")
        #expect(try reopened.orderCursor(account: "ebay-main") == nil)
        #expect(try reopened.product(sku: sku)?.product.quantity == 8)
    }
}
