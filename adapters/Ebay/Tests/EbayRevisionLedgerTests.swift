import EbayAdapter
import Foundation
import Synchronization
import Testing

@Suite("eBay revision ledger: per listing, per UTC day")
struct EbayRevisionLedgerTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let current: Mutex<Date>

        init(_ start: Date) {
            current = Mutex(start)
        }

        var now: Date { current.withLock { $0 } }

        func advance(by seconds: TimeInterval) {
            current.withLock { $0 += seconds }
        }
    }

    @Test("the limit holds per marketplace and SKU, and the count starts over at 00:00 UTC")
    func limitAndRollOver() async {
        // 2026-12-02 23:59:00 UTC.
        let clock = ManualClock(Date(timeIntervalSince1970: 1_796_255_940))
        let ledger = EbayRevisionLedger(now: { clock.now })
        #expect(await ledger.reserve(2, marketplace: "EBAY_US", sku: "A", limit: 3))
        #expect(!(await ledger.reserve(2, marketplace: "EBAY_US", sku: "A", limit: 3)))
        #expect(await ledger.reserve(1, marketplace: "EBAY_US", sku: "A", limit: 3))
        #expect(await ledger.reserve(3, marketplace: "EBAY_GB", sku: "A", limit: 3))
        #expect(await ledger.reserve(3, marketplace: "EBAY_US", sku: "B", limit: 3))
        #expect(await ledger.count(marketplace: "EBAY_US", sku: "A") == 3)
        #expect(await ledger.untilMidnightUTC() == .seconds(60))
        await ledger.release(1, marketplace: "EBAY_US", sku: "A")
        #expect(await ledger.count(marketplace: "EBAY_US", sku: "A") == 2)
        clock.advance(by: 61)
        #expect(await ledger.count(marketplace: "EBAY_US", sku: "A") == 0)
        #expect(await ledger.reserve(3, marketplace: "EBAY_US", sku: "A", limit: 3))
        #expect(await ledger.untilMidnightUTC() == .seconds(86_400 - 1))
    }
}

@Suite("eBay revision ledger: today's summary per marketplace")
struct EbayRevisionLedgerSummaryTests {
    @Test("a refused reservation counts the listing as waiting until midnight, when everything starts over")
    func summaryCountsCappedAndWaitingListings() async {
        // 2026-12-02 23:59:00 UTC.
        let clock = EbayRevisionLedgerTests.ManualClock(Date(timeIntervalSince1970: 1_796_255_940))
        let ledger = EbayRevisionLedger(now: { clock.now })
        #expect(await ledger.reserve(2, marketplace: "EBAY_US", sku: "A", limit: 2))
        #expect(!(await ledger.reserve(1, marketplace: "EBAY_US", sku: "A", limit: 2)))
        #expect(await ledger.reserve(1, marketplace: "EBAY_US", sku: "B", limit: 2))
        #expect(await ledger.reserve(2, marketplace: "EBAY_GB", sku: "A", limit: 2))
        let us = await ledger.summary(marketplace: "EBAY_US", limit: 2)
        #expect(us.listings == 2 && us.revisions == 3 && us.highest == 2 && us.atLimit == 1 && us.waiting == 1)
        #expect(us.resetsAt == Date(timeIntervalSince1970: 1_796_256_000))
        let gb = await ledger.summary(marketplace: "EBAY_GB", limit: 2)
        #expect(gb.listings == 1 && gb.atLimit == 1 && gb.waiting == 0)
        clock.advance(by: 61)
        let tomorrow = await ledger.summary(marketplace: "EBAY_US", limit: 2)
        #expect(tomorrow.listings == 0 && tomorrow.highest == 0 && tomorrow.waiting == 0)
    }
}
