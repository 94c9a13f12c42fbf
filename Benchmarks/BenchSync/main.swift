import AmazonAdapter
// `BenchSync`: the sync engine against the Amazon twin in `marketplace-sandbox` (quotas off), beside the
// `curl` tool sending the same requests to the same sandbox in the same run.
//
//   BenchSync SANDBOX_BINARY [EDITS [UPDATES [QUOTA_CHANGES...]]]
//   BenchSync SANDBOX_BINARY path
//
// `path`: convergence of 400 SKUs × 6 EU marketplaces of one seller with published quotas, the path
// chosen by the account's budget, as a ratio to the quota-bound minimum over both paths
// (PathChoiceBench.swift). Otherwise:
//
// 1. Change-to-wire latency: EDITS (default 1,000) price edits, one at a time, each timed from the
//    store write to the marketplace's acknowledgement (an upper bound of change-to-first-byte).
// 2. Throughput: UPDATES (default 100,000) price updates, updates/s and CPU seconds per 1,000 updates,
//    beside `curl --parallel --parallel-max 50` sending the same PATCH requests.
// 3. Quota efficiency: QUOTA_CHANGES (default 10,000 and 100,000) price changes on the four EU
//    marketplaces of one seller with quotas published (raised 100× on both sides to fit a benchmark
//    run), as a ratio to the quota-bound minimum, and the 429s drawn (see QuotaEfficiency.swift).
import BenchSupport
import Catalog
import CurlHTTP
import Foundation
import Logging
import Store
import Sync
import Synchronization

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: BenchSync SANDBOX_BINARY [EDITS [UPDATES]]\n".utf8))
    exit(2)
}
if arguments.count > 2, arguments[2] == "path" {
    let result = try await PathChoiceBench(sandboxBinary: arguments[1]).run()
    print(
        String(
            format:
                "sync-path: %d new listings (400 SKUs × 6 EU marketplaces of one seller, published quotas): %.1f s, quota-bound minimum %.1f s (single calls %.0f s, feeds %.1f s), ratio %.2f, %d 429s",
            result.listings,
            result.seconds,
            result.minimum,
            result.singleMinimum,
            result.bulkMinimum,
            result.ratio,
            result.throttled
        ) + "; first choice: path: \(result.firstChoice)"
    )
    exit(0)
}
let edits = arguments.count > 2 ? Int(arguments[2]) ?? 1_000 : 1_000
let updates = arguments.count > 3 ? Int(arguments[3]) ?? 100_000 : 100_000
let quotaChanges = arguments.count > 4 ? arguments[4...].compactMap { Int($0) } : [10_000, 100_000]

let sandbox = try SandboxChild(binary: arguments[1])
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-sync-\(UUID())").path
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }

let store = try CatalogStore(configuration: .init(path: "\(directory)/catalog.sqlite", channels: ["amazon-de"]))
var pricing = PricingRule()
pricing.markupPercent = 35
let projector = try ChannelProjector(
    channel: ChannelRules(name: "amazon-de", currency: .eur, language: "de_DE", pricing: pricing),
    fx: FXTable(base: .inr, rates: [.eur: Decimal(string: "0.0109")!])
)
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
let adapter = try factory.makeAdapter(
    context: AdapterContext(
        account: account,
        channel: ChannelSettings(name: "amazon-de", marketplace: "DE", currency: .eur, language: "de_DE"),
        http: http,
        rateLimiter: RateLimiter(quotas: [], configuration: .init(isEnabled: false)),
        tokens: TokenCache(),
        logger: Logger(label: "bench")
    )
)
let acknowledgements = AcknowledgementLog()
var configuration = SyncEngine.Configuration()
configuration.bulkThreshold = .max  // single calls: the path whose latency and throughput are measured
configuration.pathByBudget = false
configuration.singleBatchSize = 64
let engine = SyncEngine(store: store, configuration: configuration) { event in
    if event.outcome == .accepted { acknowledgements.record(event.sku) }
}
let engineTask = Task {
    await engine.run(channels: [SyncEngine.Channel(name: "amazon-de", projector: projector, adapter: adapter)])
}

func product(_ index: Int, paise: Int64) -> Product {
    .bench(
        sku: String(format: "BENCH-%06d", index),
        title: "Moradabad brass lamp \(index)",
        paise: paise,
        quantity: 10 + index % 50,
        hsCode: "74199990"
    )
}

func waitUntilSynced() async throws {
    while (try store.pendingCounts()["amazon-de"] ?? 0) > 0 { try await Task.sleep(for: .milliseconds(20)) }
}

// 1. Latency.
try store.save((0..<edits).map { product($0, paise: 100_000) })
engine.wake()
try await waitUntilSynced()
var latencies: [Duration] = []
for index in 0..<edits {
    let edited = product(index, paise: 120_000 + Int64(index))
    acknowledgements.expect(edited.sku)
    let started = ContinuousClock.now
    try store.save(edited)
    engine.wake()
    await acknowledgements.wait()
    latencies.append(ContinuousClock.now - started)
}
latencies.sort()
func milliseconds(_ duration: Duration) -> String {
    String(format: "%.2f", Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000)
}
print(
    "sync-latency: p50 \(milliseconds(latencies[latencies.count / 2])) ms, p99 \(milliseconds(latencies[latencies.count * 99 / 100])) ms, max \(milliseconds(latencies.last!)) ms over \(edits) edits (store write to acknowledgement)"
)
fflush(nil)

// 2. Throughput: create the listings, then time one price update of each.
var index = 0
while index < updates {
    let end = min(index + 25_000, updates)
    try store.save((index..<end).map { product(edits + $0, paise: 100_000) })
    index = end
}
engine.wake()
try await waitUntilSynced()
let cpuBefore = CPUTime.selfSeconds()
let started = ContinuousClock.now
index = 0
while index < updates {
    let end = min(index + 25_000, updates)
    try store.save((index..<end).map { product(edits + $0, paise: 150_000) })
    engine.wake()
    index = end
}
try await waitUntilSynced()
let engineSeconds = (ContinuousClock.now - started).seconds
let engineCPU = CPUTime.selfSeconds() - cpuBefore
engine.drain()
await engineTask.value
print(
    String(
        format: "sync-throughput: engine %.0f updates/s, %.3f CPU s per 1,000 updates",
        Double(updates) / engineSeconds,
        engineCPU / Double(updates) * 1000
    )
)
fflush(nil)

// The same PATCH requests through the curl tool.
let curl = try CurlReference(sandbox: sandbox, http: http, directory: directory)
let curlRun = try await curl.run(
    skus: (0..<updates).map { String(format: "BENCH-%06d", edits + $0) },
    body: PatchBody.price(projector.price(for: product(0, paise: 160_000)))
)
await http.shutdown()
sandbox.stop()

let engineRate = Double(updates) / engineSeconds
let curlRate = Double(updates) / curlRun.seconds
print(
    String(
        format:
            "sync-throughput: engine %.0f updates/s (%.3f CPU s per 1,000), curl %.0f req/s (%.3f CPU s per 1,000), ratio %.2f",
        engineRate,
        engineCPU / Double(updates) * 1000,
        curlRate,
        curlRun.cpuSeconds / Double(updates) * 1000,
        engineRate / curlRate
    )
)

// 3. Quota efficiency.
let quota = QuotaEfficiency(sandboxBinary: arguments[1], multiplier: 100)
for changes in quotaChanges {
    let result = try await quota.run(changes: changes)
    print(
        String(
            format:
                "sync-quota: %d price changes on 4 EU marketplaces of one seller (patchListingsItem 5/s × 100, burst 5 × 100): %.1f s, quota-bound minimum %.1f s, ratio %.3f, %d 429s",
            result.changes,
            result.seconds,
            result.minimumSeconds,
            result.ratio,
            result.throttled
        )
    )
    fflush(nil)
}
