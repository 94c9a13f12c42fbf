import AmazonAdapter
import BenchSupport
import Catalog
import CurlHTTP
import Foundation
import Logging
import Store
import Sync

/// Quota efficiency: price changes on the four EU marketplaces of one seller (DE, FR, IT, ES share
/// one `patchListingsItem` budget) against the Amazon twin with `--quotas published`, timed to
/// convergence and divided by the minimum the quota allows.
///
/// The published quota (5 requests/s, burst 5) would make 100,000 changes take 5.5 hours, so the
/// seller's quota is raised by `multiplier` on both sides (the twin's `--quota-multiplier`, the
/// limiter's seeds), as Amazon raises it per seller: the ratio is what is measured. The listings are
/// created first through feeds (not timed); the price change goes through single calls, the path
/// whose pace the quota sets.
struct QuotaEfficiency {
    static let marketplaces = ["DE", "FR", "IT", "ES"]

    let sandboxBinary: String
    let multiplier: Double

    struct Result {
        var changes: Int
        var seconds: Double
        var minimumSeconds: Double
        var throttled: Int
        var ratio: Double { seconds / minimumSeconds }
    }

    /// Converges `changes` price changes (spread evenly over the four marketplaces) and times it.
    func run(changes: Int) async throws -> Result {
        let sandbox = try SandboxChild(
            binary: sandboxBinary,
            arguments: ["--quotas", "published", "--quota-multiplier", "\(multiplier)", "--processing-delay-ms", "200"]
        )
        defer { sandbox.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-quota-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let names = Self.marketplaces.map { "amazon-\($0.lowercased())" }
        let store = try CatalogStore(configuration: .init(path: "\(directory)/catalog.sqlite", channels: names))
        let http = try HTTPClient(configuration: .init(concurrency: 256))
        let factory = AmazonAdapterFactory()
        let account = factory.sandboxAccount(
            AccountSettings(
                name: "amazon-eu",
                platform: "amazon",
                region: "eu",
                sellerID: "A2EUEXAMPLE02"
            ),
            baseURL: sandbox.baseURL
        )
        let limiter = RateLimiter(
            quotas: factory.quotas(for: account).map { quota in
                OperationQuota(
                    operation: quota.operation,
                    requestsPerSecond: quota.requestsPerSecond * multiplier,
                    burst: Int((Double(quota.burst) * multiplier).rounded())
                )
            }
        )
        let tokens = TokenCache()
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
                    logger: Logger(label: "bench")
                )
            )
            let projector = try ChannelProjector(
                channel: ChannelRules(name: name, currency: .eur, language: "en_GB", pricing: pricing),
                fx: FXTable(base: .inr, rates: [.eur: Decimal(string: "0.0109")!])
            )
            return SyncEngine.Channel(name: name, projector: projector, adapter: adapter)
        }

        let skus = changes / Self.marketplaces.count
        try save(store, count: skus, paise: 100_000)
        // Creation through feeds: not timed.
        var creation = SyncEngine.Configuration()
        creation.bulkThreshold = 1
        creation.pathByBudget = false
        try await converge(store, channels: channels, configuration: creation)

        let throttledBefore = try await sandbox.throttled(using: http)
        var pricing = SyncEngine.Configuration()
        pricing.bulkThreshold = .max
        pricing.pathByBudget = false
        let started = ContinuousClock.now
        try save(store, count: skus, paise: 90_000)
        try await converge(store, channels: channels, configuration: pricing)
        let seconds = (ContinuousClock.now - started).seconds
        let throttled = try await sandbox.throttled(using: http) - throttledBefore
        await http.shutdown()

        // The minimum: every call from one bucket, the first `burst` at once, the rest at the rate.
        let rate = 5 * multiplier
        let burst = 5 * multiplier
        let calls = Double(skus * Self.marketplaces.count)
        return Result(
            changes: Int(calls),
            seconds: seconds,
            minimumSeconds: max(calls - burst, 0) / rate,
            throttled: throttled
        )
    }

    private func save(_ store: CatalogStore, count: Int, paise: Int64) throws {
        var index = 0
        while index < count {
            let end = min(index + 25_000, count)
            try store.save(
                (index..<end).map { index in
                    Product.bench(
                        sku: String(format: "QUOTA-%06d", index),
                        title: "Firozabad glass bangle set \(index)",
                        paise: paise + Int64(index % 100),
                        quantity: 20 + index % 30,
                        hsCode: "70181020"
                    )
                }
            )
            index = end
        }
    }

    /// Runs an engine over `channels` until nothing is pending, then drains it.
    private func converge(
        _ store: CatalogStore,
        channels: [SyncEngine.Channel],
        configuration: SyncEngine.Configuration
    ) async throws {
        let engine = SyncEngine(store: store, configuration: configuration) { _ in }
        let task = Task { await engine.run(channels: channels) }
        engine.wake()
        while try store.pendingCounts().values.reduce(0, +) > 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        engine.drain()
        await task.value
        let letters = try store.deadLetters()
        guard letters.isEmpty else { throw BenchError("\(letters.count) dead letters, e.g. \(letters[0])") }
    }
}
