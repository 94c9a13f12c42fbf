import AdapterTestSupport
import Catalog
import CurlHTTP
import EbayAdapter
import EbayTwin
import Foundation
import Store
import Sync
import Synchronization
import Testing
import TwinSupport

@Suite("eBay revision ledger: per listing, per UTC day, kept in the state database across restarts")
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
    func limitAndRollOver() async throws {
        // 2026-12-02 23:59:00 UTC.
        let clock = ManualClock(Date(timeIntervalSince1970: 1_796_255_940))
        let store = InMemoryAdapterDataStore()
        let ledger = EbayRevisionLedger(store: store, now: { clock.now })
        #expect(try await ledger.reserve(2, marketplace: "EBAY_US", sku: "A", limit: 3))
        #expect(!(try await ledger.reserve(2, marketplace: "EBAY_US", sku: "A", limit: 3)))
        #expect(try await ledger.reserve(1, marketplace: "EBAY_US", sku: "A", limit: 3))
        #expect(try await ledger.reserve(3, marketplace: "EBAY_GB", sku: "A", limit: 3))
        #expect(try await ledger.reserve(3, marketplace: "EBAY_US", sku: "B", limit: 3))
        #expect(await ledger.count(marketplace: "EBAY_US", sku: "A") == 3)
        #expect(await ledger.untilMidnightUTC() == .seconds(60))
        await ledger.release(1, marketplace: "EBAY_US", sku: "A")
        #expect(await ledger.count(marketplace: "EBAY_US", sku: "A") == 2)
        #expect(
            try await store.values(withPrefix: EbayRevisionLedger.keyPrefix) == [
                "ebay-revisions/2026-12-02/EBAY_US/A": "2",
                "ebay-revisions/2026-12-02/EBAY_GB/A": "3",
                "ebay-revisions/2026-12-02/EBAY_US/B": "3",
            ]
        )
        clock.advance(by: 61)
        #expect(await ledger.count(marketplace: "EBAY_US", sku: "A") == 0)
        #expect(try await ledger.reserve(3, marketplace: "EBAY_US", sku: "A", limit: 3))
        #expect(await ledger.untilMidnightUTC() == .seconds(86_400 - 1))
        // The new day removed the previous day's keys; only the count that changed was written.
        #expect(
            try await store.values(withPrefix: EbayRevisionLedger.keyPrefix) == [
                "ebay-revisions/2026-12-03/EBAY_US/A": "3"
            ]
        )
    }

    @Test("a second ledger on the same store continues today's counts; a failing store reserves nothing")
    func countsAreSharedThroughTheStore() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_796_255_940))
        let store = InMemoryAdapterDataStore()
        let first = EbayRevisionLedger(store: store, now: { clock.now })
        for _ in 1...4 { #expect(try await first.reserve(1, marketplace: "EBAY_DE", sku: "K-9", limit: 5)) }
        let second = EbayRevisionLedger(store: store, now: { clock.now })
        #expect(await second.count(marketplace: "EBAY_DE", sku: "K-9") == 4)
        #expect(try await second.reserve(1, marketplace: "EBAY_DE", sku: "K-9", limit: 5))
        #expect(!(try await second.reserve(1, marketplace: "EBAY_DE", sku: "K-9", limit: 5)))

        let failing = EbayRevisionLedger(store: FailingAdapterData(), now: { clock.now })
        await #expect(throws: FailingAdapterData.Failure.self) {
            try await failing.reserve(1, marketplace: "EBAY_DE", sku: "K-9", limit: 5)
        }
        #expect(await failing.count(marketplace: "EBAY_DE", sku: "K-9") == 0)
    }

    @Test(
        "a new adapter on the same SQLite file sees today's 249 revisions, holds the 251st until 00:00 UTC, then sends the newest value"
    )
    func countsSurviveRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ebay-ledger-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.sqlite").path
        // 2026-12-02 23:00:00 UTC: one hour before every count starts over.
        let clock = ManualClock(Date(timeIntervalSince1970: 1_796_252_400))
        let projector = try EbayFixtures.usProjector()
        let product = try EbayFixtures.sampleProducts()[0]
        let sku = product.sku
        let twin = EbayTwin(environment: TwinEnvironment(quotasEnabled: false))
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            // A daemon's view of the account: the state database at `path`, opened afresh.
            func restartedAdapter() throws -> EbayAdapter {
                let store = try CatalogStore(configuration: .init(path: path, channels: ["ebay-us"]))
                var setup = EbayTestAccount(baseURL: base)
                setup.rateLimiter = RateLimiter(
                    quotas: EbayAdapterFactory.publishedQuotas,
                    configuration: .init(isEnabled: false)
                )
                setup.data = StoreAdapterData(store: store, account: "ebay")
                return try EbayAdapterFactory(now: { clock.now }).makeEbayAdapter(context: setup.context(http: http))
            }
            func revision(_ quantity: Int, offerID: String) -> ListingChange {
                var desired = projector.project(product)
                desired.quantity = quantity
                return ListingChange(desired: desired, facets: [.quantity], remoteID: offerID)
            }
            func listedQuantity() async -> Int? {
                await twin.listings(marketplace: "EBAY_US").first { $0.sku == sku.rawValue }?.quantity
            }

            // The first daemon lists the product (not a revision) and revises it 249 times.
            let first = try restartedAdapter()
            let created = await first.push(newChanges([product], projector), mode: .single)
            guard case .accepted(_, let offerID?) = created[sku] else {
                Issue.record("not listed: \(String(describing: created[sku]))")
                return
            }
            for quantity in 1...249 {
                let outcome = await first.push([revision(quantity, offerID: offerID)], mode: .single)[sku]
                guard Self.isAccepted(outcome) else {
                    Issue.record("revision \(quantity): \(String(describing: outcome))")
                    return
                }
            }

            // The restarted daemon knows the 249, allows the 250th and holds the 251st and a newer one.
            let adapter = try restartedAdapter()
            #expect(await adapter.revisionsToday(sku: sku) == 249)
            #expect(Self.isAccepted(await adapter.push([revision(250, offerID: offerID)], mode: .single)[sku]))
            for quantity in [251, 252] {
                let held = await adapter.push([revision(quantity, offerID: offerID)], mode: .single)[sku]
                guard case .retry(let reason, let after?)? = held else {
                    Issue.record("revision \(quantity) was not held back: \(String(describing: held))")
                    return
                }
                #expect(reason.contains("eBay daily revision limit (250) reached for SKU \(sku) on EBAY_US"))
                #expect(after == .seconds(3_600))
            }
            #expect(await listedQuantity() == 250)
            #expect(await adapter.revisionsToday(sku: sku) == 250)

            // 00:00 UTC: the newest value goes through, and the previous day's count is gone from the file.
            clock.advance(by: 3_600)
            #expect(Self.isAccepted(await adapter.push([revision(252, offerID: offerID)], mode: .single)[sku]))
            #expect(await listedQuantity() == 252)
            await http.shutdown()
            let store = try CatalogStore(configuration: .init(path: path, channels: ["ebay-us"]))
            #expect(
                try store.adapterValues(account: "ebay", prefix: EbayRevisionLedger.keyPrefix) == [
                    "ebay-revisions/2026-12-03/EBAY_US/\(sku)": "1"
                ]
            )
        }
    }

    static func isAccepted(_ outcome: ListingOutcome?) -> Bool {
        if case .accepted? = outcome { true } else { false }
    }

    /// A data store whose every call fails, as a full disk would.
    struct FailingAdapterData: AdapterDataStore {
        struct Failure: Error {}

        func value(for key: String) async throws -> String? { throw Failure() }
        func setValue(_ value: String?, for key: String) async throws { throw Failure() }
        func values(withPrefix prefix: String) async throws -> [String: String] { throw Failure() }
    }
}

@Suite("eBay revision ledger: today's summary per marketplace")
struct EbayRevisionLedgerSummaryTests {
    @Test("a refused reservation counts the listing as waiting until midnight, when everything starts over")
    func summaryCountsCappedAndWaitingListings() async throws {
        // 2026-12-02 23:59:00 UTC.
        let clock = EbayRevisionLedgerTests.ManualClock(Date(timeIntervalSince1970: 1_796_255_940))
        let ledger = EbayRevisionLedger(now: { clock.now })
        #expect(try await ledger.reserve(2, marketplace: "EBAY_US", sku: "A", limit: 2))
        #expect(!(try await ledger.reserve(1, marketplace: "EBAY_US", sku: "A", limit: 2)))
        #expect(try await ledger.reserve(1, marketplace: "EBAY_US", sku: "B", limit: 2))
        #expect(try await ledger.reserve(2, marketplace: "EBAY_GB", sku: "A", limit: 2))
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
