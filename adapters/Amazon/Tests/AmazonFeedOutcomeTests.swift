import AmazonModel
import Catalog
import Foundation
import Store
import Sync
import Testing

@testable import AmazonAdapter
@testable import AmazonTwin

/// Feeds as Amazon runs them, the adapter against the twin on loopback: gzip processing reports, FATAL
/// feeds with and without a report, a report that misses a message, and a feed submitted before a
/// restart watched instead of sent again. The twin's misbehaviour comes from its SKU-prefix test hooks
/// (`TWIN-FATAL-`, `TWIN-FATAL-NOREPORT-`, `TWIN-DROP-`).
@Suite("Amazon feeds against the twin")
struct AmazonFeedOutcomeTests {
    typealias H = TwinHarness
    static let quick = AmazonAdapter.Configuration(pollInterval: .milliseconds(20), feedTimeout: .seconds(60))

    /// Runs `body` with an adapter rig pointed at a fresh twin.
    static func withTwin<T: Sendable>(
        processingDelay: Duration = .milliseconds(20),
        data: any AdapterDataStore = InMemoryAdapterDataStore(),
        _ body: (TwinHarness, AmazonAdapterRig) async throws -> T
    ) async throws -> T {
        try await H.with(processingDelay: processingDelay) { twin in
            try await AmazonAdapterRig.with(
                port: twin.port,
                tokenPath: "/amazon/auth/o2/token",
                configuration: quick,
                data: data
            ) { rig in try await body(twin, rig) }
        }
    }

    @Test("the gzip processing report is read: every SKU accepted, the feed forgotten, its turnaround kept")
    func gzipReportGivesOutcomes() async throws {
        let data = InMemoryAdapterDataStore()
        try await Self.withTwin(data: data) { twin, rig in
            let changes = [
                try AmazonAdapterRig.change("GZ-1", [.content, .price, .quantity], isNew: true),
                try AmazonAdapterRig.change("GZ-2", [.content, .price, .quantity], isNew: true),
                try AmazonAdapterRig.change("GZ-3", [], isRemoval: true),
            ]
            let outcomes = await rig.adapter.push(changes, mode: .bulk)
            for change in changes.prefix(2) {
                #expect(outcomes[change.sku] == ListingsItemsClient.acceptedAllFacets(change), "\(change.sku)")
            }
            #expect(outcomes[changes[2].sku] == .accepted(sentHashes: [:], remoteID: nil))
            let listed = try await twin.sandboxListings(marketplace: "UK").compactMap { $0["sku"] as? String }
            #expect(listed == ["GZ-1", "GZ-2"])
            #expect(try await data.values(withPrefix: "amazon/feeds-in-flight/").isEmpty)
            #expect(await rig.adapter.bulkTurnaround() != nil)
        }
    }

    @Test("a FATAL feed's report is read: the message it names is rejected, the others retried with the reason")
    func fatalFeedWithReport() async throws {
        try await Self.withTwin { twin, rig in
            let fatal = try AmazonAdapterRig.change("TWIN-FATAL-1", [.content, .price, .quantity], isNew: true)
            let other = try AmazonAdapterRig.change("OK-2", [.content, .price, .quantity], isNew: true)
            let outcomes = await rig.adapter.push([fatal, other], mode: .bulk)
            guard case .rejected(let issues) = outcomes[fatal.sku] else {
                Issue.record("TWIN-FATAL-1 is not rejected: \(String(describing: outcomes[fatal.sku]))")
                return
            }
            #expect(issues.map(\.code) == ["4000002"])
            guard case .retry(let reason, let after) = outcomes[other.sku] else {
                Issue.record("OK-2 is not retried: \(String(describing: outcomes[other.sku]))")
                return
            }
            #expect(reason.contains("ended FATAL"), "\(reason)")
            #expect(after == nil)
            // Nothing of a FATAL feed is applied.
            #expect(try await twin.sandboxListings(marketplace: "UK").isEmpty)
        }
    }

    @Test("a FATAL feed without a report retries every SKU, saying so")
    func fatalFeedWithoutReport() async throws {
        try await Self.withTwin { _, rig in
            let changes = [
                try AmazonAdapterRig.change("TWIN-FATAL-NOREPORT-1", [.price]),
                try AmazonAdapterRig.change("OK-2", [.content, .price, .quantity], isNew: true),
            ]
            let outcomes = await rig.adapter.push(changes, mode: .bulk)
            #expect(outcomes.count == 2)
            for change in changes {
                guard case .retry(let reason, let after) = outcomes[change.sku] else {
                    Issue.record("\(change.sku) is not retried: \(String(describing: outcomes[change.sku]))")
                    continue
                }
                #expect(reason.hasPrefix("feed "), "\(reason)")
                #expect(reason.hasSuffix(" ended FATAL without a processing report"), "\(reason)")
                #expect(after == nil)
            }
        }
    }

    @Test("a message absent from the processing report is retried with that reason, not accepted")
    func absentMessageIsRetried() async throws {
        try await Self.withTwin { twin, rig in
            let changes = [
                try AmazonAdapterRig.change("KEEP-1", [.content, .price, .quantity], isNew: true),
                try AmazonAdapterRig.change("TWIN-DROP-2", [.content, .price, .quantity], isNew: true),
                try AmazonAdapterRig.change("KEEP-3", [.content, .price, .quantity], isNew: true),
            ]
            let outcomes = await rig.adapter.push(changes, mode: .bulk)
            #expect(outcomes[changes[0].sku] == ListingsItemsClient.acceptedAllFacets(changes[0]))
            #expect(outcomes[changes[2].sku] == ListingsItemsClient.acceptedAllFacets(changes[2]))
            guard case .retry(let reason, _) = outcomes[changes[1].sku] else {
                Issue.record("TWIN-DROP-2 is not retried: \(String(describing: outcomes[changes[1].sku]))")
                return
            }
            #expect(reason.hasPrefix("absent from processing report of feed "), "\(reason)")
            #expect(reason.hasSuffix("(messages processed: 2 of 3)"), "\(reason)")
            let listed = try await twin.sandboxListings(marketplace: "UK").compactMap { $0["sku"] as? String }
            #expect(listed == ["KEEP-1", "KEEP-3"])
        }
    }

    @Test(
        "a feed submitted before the adapter stopped is watched after the restart, not submitted again"
    )
    func noSecondFeedAfterRestart() async throws {
        let directory = try AmazonFixtures.temporaryDirectory("amazon-inflight")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try CatalogStore(
            configuration: .init(path: directory.appendingPathComponent("state.sqlite").path, channels: ["amazon-uk"])
        )
        let data = StoreAdapterData(store: store, account: "amazon-eu")
        // The twin takes long enough that the first adapter is stopped while the feed is in progress.
        try await H.with(processingDelay: .seconds(2)) { twin in
            let changes = [
                try AmazonAdapterRig.change("RESTART-1", [.content, .price, .quantity], isNew: true),
                try AmazonAdapterRig.change("RESTART-2", [.content, .price, .quantity], isNew: true),
            ]
            // First run: submitted, recorded, then stopped while it watches the feed.
            let first = try await AmazonAdapterRig.with(
                port: twin.port,
                tokenPath: "/amazon/auth/o2/token",
                configuration: Self.quick,
                data: data
            ) { rig in
                let push = Task { await rig.adapter.push(changes, mode: .bulk) }
                while try await data.values(withPrefix: "amazon/feeds-in-flight/").isEmpty {
                    try await Task.sleep(for: .milliseconds(10))
                }
                push.cancel()
                return await push.value
            }
            for change in changes {
                guard case .retry(let reason, _) = first[change.sku] else {
                    Issue.record("\(change.sku): \(String(describing: first[change.sku]))")
                    continue
                }
                #expect(reason.hasPrefix("cancelled while watching feed"))
            }
            #expect(await twin.twin.feeds.feedCount == 1)
            // Second run, a new adapter on the same state database: the same SKUs come back due.
            let second = try await AmazonAdapterRig.with(
                port: twin.port,
                tokenPath: "/amazon/auth/o2/token",
                configuration: Self.quick,
                data: data
            ) { rig in await rig.adapter.push(changes, mode: .bulk) }
            for change in changes {
                #expect(second[change.sku] == ListingsItemsClient.acceptedAllFacets(change), "\(change.sku)")
            }
            #expect(await twin.twin.feeds.feedCount == 1, "no second feed was submitted")
            #expect(try await data.values(withPrefix: "amazon/feeds-in-flight/").isEmpty)
        }
    }
}
