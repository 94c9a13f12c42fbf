import AmazonAdapter
import BenchSupport
import Catalog
import CurlHTTP
import Foundation
import Logging
import Store
import Sync

/// Path choice by the account's budget: 400 new SKUs on each of six EU marketplaces of one seller
/// (DE, FR, IT, ES, NL, BE share one account's quotas) against the Amazon twin with its quotas as
/// published (not raised), timed from the catalog write to convergence, divided by the quota-bound
/// minimum over both paths:
///
/// - single calls: 2,400 `putListingsItem`/`patchListingsItem` calls at 5/s after a burst of 5:
///   (2,400 − 5) / 5 = 479 s;
/// - feeds: six JSON_LISTINGS_FEED submissions, five at once and the sixth one refill (60 s) later,
///   plus one feed's processing time in the twin (`--processing-delay-ms`, plus 0.2 ms per message).
///
/// The engine runs with its defaults: the path is chosen by the estimate (`PathPlanner`), not forced.
struct PathChoiceBench {
    static let marketplaces = ["DE", "FR", "IT", "ES", "NL", "BE"]
    static let skusPerMarketplace = 400
    static let processingDelayMilliseconds = 2_000

    let sandboxBinary: String

    struct Result {
        var listings: Int
        var seconds: Double
        var singleMinimum: Double
        var bulkMinimum: Double
        var firstChoice: String
        var throttled: Int
        var minimum: Double { min(singleMinimum, bulkMinimum) }
        var ratio: Double { seconds / minimum }
    }

    func run() async throws -> Result {
        let sandbox = try SandboxChild(
            binary: sandboxBinary,
            arguments: ["--quotas", "published", "--processing-delay-ms", "\(Self.processingDelayMilliseconds)"]
        )
        defer { sandbox.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-path-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let names = Self.marketplaces.map { "amazon-\($0.lowercased())" }
        let store = try CatalogStore(configuration: .init(path: "\(directory)/catalog.sqlite", channels: names))
        let http = try HTTPClient(configuration: .init(concurrency: 256))
        let factory = AmazonAdapterFactory()
        let account = factory.sandboxAccount(
            AccountSettings(name: "amazon-eu", platform: "amazon", region: "eu", sellerID: "A2EUEXAMPLE02"),
            baseURL: sandbox.baseURL
        )
        let limiter = RateLimiter(quotas: factory.quotas(for: account))
        let tokens = TokenCache()
        let data = StoreAdapterData(store: store, account: account.name)
        let channels = try zip(Self.marketplaces, names).map { marketplace, name in
            var pricing = PricingRule()
            pricing.markupPercent = 35
            let adapter = try factory.makeAdapter(
                context: AdapterContext(
                    account: account,
                    channel: ChannelSettings(name: name, marketplace: marketplace, currency: .eur, language: "en_GB"),
                    http: http,
                    rateLimiter: limiter,
                    tokens: tokens,
                    logger: Logger(label: "bench"),
                    data: data
                )
            )
            let projector = try ChannelProjector(
                channel: ChannelRules(name: name, currency: .eur, language: "en_GB", pricing: pricing),
                fx: FXTable(base: .inr, rates: [.eur: Decimal(string: "0.0109")!])
            )
            return SyncEngine.Channel(name: name, projector: projector, adapter: adapter, account: account.name)
        }
        let started = ContinuousClock.now
        try store.save(
            (0..<Self.skusPerMarketplace).map { index in
                Product.bench(
                    sku: String(format: "PATH-%05d", index),
                    title: "Channapatna wooden toy \(index)",
                    paise: 80_000 + Int64(index % 100),
                    quantity: 5 + index % 40,
                    hsCode: "95030090"
                )
            }
        )
        // The catalog arrives while the daemon is down (or idle): the engine starts with the backlog due.
        let engine = SyncEngine(store: store) { _ in }
        let task = Task { await engine.run(channels: channels) }
        var firstChoice = ""
        while try store.pendingCounts().values.reduce(0, +) > 0 {
            if firstChoice.isEmpty, let choice = await engine.paths()[names[0]] { firstChoice = choice.reason }
            if ProcessInfo.processInfo.environment["BENCH_TRACE"] != nil {
                print("trace:", await engine.paths()[names[0]]?.reason ?? "-")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let seconds = (ContinuousClock.now - started).seconds
        engine.drain()
        await task.value
        let letters = try store.deadLetters()
        guard letters.isEmpty else { throw BenchError("\(letters.count) dead letters, e.g. \(letters[0])") }
        let throttled = try await sandbox.throttled(using: http)
        await http.shutdown()

        let listings = Self.skusPerMarketplace * Self.marketplaces.count
        let feeds = Self.marketplaces.count
        // JSON_LISTINGS_FEED: 5 per 300 s, burst 5 (the stricter of the two createFeed buckets for six feeds).
        let feedWait = Double(max(0, feeds - 5)) * 60
        let processing = Double(Self.processingDelayMilliseconds) / 1000 + 0.0002 * Double(Self.skusPerMarketplace)
        return Result(
            listings: listings,
            seconds: seconds,
            singleMinimum: Double(listings - 5) / 5,
            bulkMinimum: feedWait + processing,
            firstChoice: firstChoice,
            throttled: throttled
        )
    }
}
