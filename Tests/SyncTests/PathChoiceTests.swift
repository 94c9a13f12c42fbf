import Catalog
import Foundation
import Store
import Testing

@testable import Sync

/// Choosing single calls or the bulk path by the account's budget: the drain-time estimates against
/// hand-computed figures, and the engine taking the bulk path for a big backlog spread over the
/// marketplaces of one account.
@Suite("Path choice by the account's budget")
struct PathChoiceTests {
    /// Amazon's published figures, under neutral names: single calls 5/s burst 5; a bulk submission
    /// spends one `document` (0.5/s, burst 15), one `submit` (0.0083/s, burst 15) and one `submitFeed`
    /// (5 per 300 s, burst 5); 25,000 listings per submission.
    static func capabilities(turnaround: Duration = .seconds(35), batch: Int = 25_000) -> AdapterCapabilities {
        AdapterCapabilities(
            maximumBatchSize: batch,
            quotas: [
                OperationQuota(operation: "single", requestsPerSecond: 5, burst: 5),
                OperationQuota(operation: "document", requestsPerSecond: 0.5, burst: 15),
                OperationQuota(operation: "submit", requestsPerSecond: 0.0083, burst: 15),
                OperationQuota(operation: "submitFeed", requestsPerSecond: 5.0 / 300, burst: 5),
            ],
            pathCosts: PathCosts(
                singleOperation: "single",
                bulkOperations: ["document", "submit", "submitFeed"],
                defaultBulkTurnaround: turnaround
            )
        )
    }

    /// Hand-computed: single = max(0, N − 5) / 5; bulk = max over the three buckets of
    /// max(0, F − burst) / rate + turnaround, F = Σ ⌈n / batch⌉.
    @Test(
        "drain times match the hand-computed table and the faster path is chosen",
        arguments: [
            // 6 × 400 = 2,400: single (2400 − 5) / 5 = 479 s; 6 feeds: submitFeed (6 − 5) × 60 = 60 s + 35 s.
            ([400, 400, 400, 400, 400, 400], 35, PushMode.bulk, 479.0, 95.0, "bulk (single 479 s vs bulk 95 s)"),
            // One marketplace, 400: single (400 − 5) / 5 = 79 s; one feed: 0 s wait + 300 s turnaround.
            ([400], 300, .single, 79.0, 300.0, "single (single 79 s vs bulk 300 s)"),
            // 20 SKUs: single 3 s; bulk 35 s.
            ([20], 35, .single, 3.0, 35.0, "single (single 3.0 s vs bulk 35 s)"),
            // 3 × 30,000 in batches of 25,000: 6 feeds: 60 s + 35 s; single (90000 − 5) / 5 = 17,999 s.
            ([30_000, 30_000, 30_000], 35, .bulk, 17_999.0, 95.0, "bulk (single 17999 s vs bulk 95 s)"),
            // 11 feeds: submitFeed (11 − 5) × 60 = 360 s + 35 s = 395 s; single (11 × 200 − 5) / 5 = 439 s.
            (Array(repeating: 200, count: 11), 35, .bulk, 439.0, 395.0, "bulk (single 439 s vs bulk 395 s)"),
            // Nothing due: single, no time either way.
            ([0, 0], 35, .single, 0.0, 0.0, "single (nothing due)"),
        ]
    )
    func drainTimes(
        backlogs: [Int],
        turnaroundSeconds: Int,
        mode: PushMode,
        single: Double,
        bulk: Double,
        reason: String
    ) {
        let choice = PathPlanner.choose(
            backlogs: backlogs,
            capabilities: Self.capabilities(),
            turnaround: .seconds(turnaroundSeconds)
        )
        #expect(choice.mode == mode)
        #expect(abs((choice.singleSeconds ?? -1) - single) < 0.001)
        #expect(abs((choice.bulkSeconds ?? -1) - bulk) < 0.001)
        #expect(choice.reason == reason)
        #expect(choice.backlog == backlogs.reduce(0, +))
    }

    @Test("without an observed turnaround the adapter's default is used")
    func defaultTurnaround() {
        let choice = PathPlanner.choose(
            backlogs: [400],
            capabilities: Self.capabilities(turnaround: .seconds(50)),
            turnaround: nil
        )
        #expect(choice.bulkSeconds == 50)
        #expect(choice.turnaroundSeconds == 50)
    }

    @Test("platforms without a bulk path, without single calls or without path costs are not estimated")
    func degenerateCapabilities() {
        #expect(
            PathPlanner.choose(backlogs: [5_000], capabilities: AdapterCapabilities(), turnaround: nil).reason
                == "single (no bulk path)"
        )
        let bulkOnly = AdapterCapabilities(supportsSingleItem: false, maximumBatchSize: 100)
        #expect(PathPlanner.choose(backlogs: [1], capabilities: bulkOnly, turnaround: nil).mode == .bulk)
        let noCosts = AdapterCapabilities(maximumBatchSize: 100)
        let choice = PathPlanner.choose(backlogs: [5_000], capabilities: noCosts, turnaround: nil)
        #expect(choice.mode == .single)
        #expect(choice.singleSeconds == nil)
    }

    @Test(
        "400 SKUs on each of six marketplaces of one account go by the bulk path, and status says why"
    )
    func bigBacklogAcrossAnAccountGoesBulk() async throws {
        let channels = ["amazon-de", "amazon-fr", "amazon-it", "amazon-es", "amazon-nl", "amazon-se"]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalogsync-path-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try CatalogStore(
            configuration: .init(path: directory.appendingPathComponent("catalog.sqlite").path, channels: channels)
        )
        try store.save((0..<400).map { product(String(format: "PATH-%04d", $0)) })
        var configuration = SyncEngine.Configuration()
        configuration.idlePoll = .milliseconds(100)
        configuration.pathRefresh = .seconds(3600)  // status shows the choice made when the backlog was whole
        let engine = SyncEngine(store: store, configuration: configuration)
        let adapters = channels.map { _ in ScriptedAdapter(capabilities: Self.capabilities()) }
        for adapter in adapters { adapter.holdNextPush() }
        var pricing = PricingRule()
        pricing.markupPercent = 10
        let engineChannels = try zip(channels, adapters).map { name, adapter in
            SyncEngine.Channel(
                name: name,
                projector: try ChannelProjector(
                    channel: ChannelRules(name: name, currency: .eur, language: "de_DE", pricing: pricing),
                    fx: FXTable(base: .inr, rates: [.eur: Decimal(string: "0.01")!])
                ),
                adapter: adapter,
                account: "amazon-eu"
            )
        }
        let task = Task { await engine.run(channels: engineChannels) }
        defer { for adapter in adapters { adapter.release() } }
        // Every channel's first push is held: the choice was made with the whole backlog due.
        while !adapters.allSatisfy(\.heldPushArrived) { try await Task.sleep(for: .milliseconds(10)) }
        let paths = await engine.paths()
        for channel in channels {
            let path = try #require(paths[channel], "\(channel) has a path")
            #expect(path.mode == .bulk)
            #expect(path.backlog == 2_400)
            #expect(path.reason == "bulk (single 479 s vs bulk 95 s)")
        }
        #expect(engine.channelStates.allSatisfy { $0.path?.mode == .bulk })
        for adapter in adapters { adapter.release() }
        while try store.pendingCounts().values.reduce(0, +) > 0 { try await Task.sleep(for: .milliseconds(10)) }
        engine.drain()
        await task.value
        // Every listing went in a bulk push, none by single calls.
        for (channel, adapter) in zip(channels, adapters) {
            let pushes = adapter.pushes
            #expect(pushes.filter { $0.mode == .single }.flatMap(\.changes).isEmpty, "\(channel) sent singles")
            #expect(Set(pushes.filter { $0.mode == .bulk }.flatMap(\.changes).map(\.sku)).count == 400, "\(channel)")
        }
    }

    @Test("urgent changes in a bulk batch go as single calls beside it")
    func urgentChangesStaySingle() async throws {
        let adapter = ScriptedAdapter(capabilities: Self.capabilities())
        let listing = { (sku: String, urgent: Bool) -> ListingChange in
            let zero = FacetHash(rawValue: 0)
            return ListingChange(
                desired: DesiredListing(
                    sku: SKU(trusted: sku),
                    channel: "amazon-de",
                    content: ListingContent(sku: SKU(trusted: sku), title: sku),
                    price: Money(minorUnits: 100, currency: .eur),
                    quantity: 0,
                    hashes: FacetHashes(content: zero, price: zero, quantity: zero)
                ),
                facets: [.quantity],
                isUrgent: urgent
            )
        }
        let outcomes = await ChannelWorker.push(
            [listing("A", false), listing("B", true), listing("C", false)],
            mode: .bulk,
            adapter: adapter
        )
        #expect(outcomes.count == 3)
        let pushes = adapter.pushes
        #expect(pushes.filter { $0.mode == .single }.flatMap(\.changes).map(\.sku.rawValue) == ["B"])
        #expect(pushes.filter { $0.mode == .bulk }.flatMap(\.changes).map(\.sku.rawValue).sorted() == ["A", "C"])
    }
}
