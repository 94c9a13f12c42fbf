import AmazonAdapter
// `BenchOrders`: the oversell window. With the platforms' published quotas, how long from an order
// appearing on one marketplace until every other channel of the SKU has acknowledged the new quantity.
//
//   BenchOrders SANDBOX_BINARY [ORDERS [SPACING_SECONDS [POLL_SECONDS]]]
//
// The sync engine and one order poller per account run in this process against `marketplace-sandbox`
// (quotas published) with five Amazon channels: DE, FR, IT, ES of one EU seller and US of a North
// America seller. ORDERS (default 60) orders of one unit are placed through `POST /_sandbox/orders`,
// SPACING_SECONDS (default 5) apart, each on a fresh SKU, on DE, FR, IT, ES and US in turn. Each is timed
// from the moment the sandbox accepted it to the acknowledgement of the new quantity by the last of
// the other four channels. POLL_SECONDS (default 60) is `order_poll_seconds`; getOrders' published
// rate (0.0167/s, burst 20) allows no shorter sustained interval, so the bound on the window is one
// poll interval plus one poll (getOrders and getOrderItems calls) plus one push.
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
    FileHandle.standardError.write(Data("usage: BenchOrders SANDBOX_BINARY [ORDERS [SPACING [POLL]]]\n".utf8))
    exit(2)
}
let orders = arguments.count > 2 ? Int(arguments[2]) ?? 60 : 60
let spacing = arguments.count > 3 ? Double(arguments[3]) ?? 5 : 5
let pollSeconds = arguments.count > 4 ? Double(arguments[4]) ?? 60 : 60

let sandbox = try SandboxChild(binary: arguments[1], arguments: [])
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-orders-\(UUID())").path
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }

struct Channel {
    var name: String
    var marketplace: String
    var currency: Currency
    var account: String
}
let channels = [
    Channel(name: "amazon-de", marketplace: "DE", currency: .eur, account: "amazon-eu"),
    Channel(name: "amazon-fr", marketplace: "FR", currency: .eur, account: "amazon-eu"),
    Channel(name: "amazon-it", marketplace: "IT", currency: .eur, account: "amazon-eu"),
    Channel(name: "amazon-es", marketplace: "ES", currency: .eur, account: "amazon-eu"),
    Channel(name: "amazon-us", marketplace: "US", currency: .usd, account: "amazon-na"),
]
let accounts = [
    "amazon-eu": AccountSettings(name: "amazon-eu", platform: "amazon", region: "eu", sellerID: "A2EUEXAMPLE02"),
    "amazon-na": AccountSettings(name: "amazon-na", platform: "amazon", region: "na", sellerID: "A3NAEXAMPLE01"),
]
let store = try CatalogStore(configuration: .init(path: "\(directory)/catalog.sqlite", channels: channels.map(\.name)))
let fx = FXTable(base: .inr, rates: [.eur: Decimal(string: "0.0109")!, .usd: Decimal(string: "0.0120")!])
let http = try HTTPClient(configuration: .init(concurrency: 64))
let factory = AmazonAdapterFactory()
var limiters: [String: RateLimiter] = [:]
var tokenCaches: [String: TokenCache] = [:]
for (name, account) in accounts {
    limiters[name] = RateLimiter(quotas: factory.quotas(for: account) + factory.orderQuotas(for: account))
    tokenCaches[name] = TokenCache()
}
let logger = Logger(label: "bench-orders")

let acknowledgements = QuantityAcks()
let engine = SyncEngine(store: store) { event in
    if event.outcome == .accepted, event.facets.contains(.quantity) {
        acknowledgements.record(sku: event.sku, channel: event.channel)
    }
}
var engineChannels: [SyncEngine.Channel] = []
for channel in channels {
    let account = factory.sandboxAccount(accounts[channel.account]!, baseURL: sandbox.baseURL)
    let settings = ChannelSettings(name: channel.name, marketplace: channel.marketplace, currency: channel.currency)
    let adapter = try factory.makeAdapter(
        context: AdapterContext(
            account: account,
            channel: settings,
            http: http,
            rateLimiter: limiters[channel.account]!,
            tokens: tokenCaches[channel.account]!,
            logger: logger
        )
    )
    let projector = try ChannelProjector(
        channel: ChannelRules(name: channel.name, currency: channel.currency, language: "en_GB"),
        fx: fx
    )
    engineChannels.append(SyncEngine.Channel(name: channel.name, projector: projector, adapter: adapter))
}
var pollers: [OrderPoller] = []
for (name, settings) in accounts.sorted(by: { $0.key < $1.key }) {
    let account = factory.sandboxAccount(settings, baseURL: sandbox.baseURL)
    let own = channels.filter { $0.account == name }
    let source = try factory.makeOrderSource(
        context: OrderSourceContext(
            account: account,
            channels: own.map { ChannelSettings(name: $0.name, marketplace: $0.marketplace, currency: $0.currency) },
            http: http,
            rateLimiter: limiters[name]!,
            tokens: tokenCaches[name]!,
            logger: logger
        )
    )
    pollers.append(
        OrderPoller(
            account: name,
            source: source,
            store: store,
            configuration: .init(interval: .milliseconds(Int64(pollSeconds * 1000))),
            onApplied: { _ in engine.wake() }
        )
    )
}
let engineTask = Task { await engine.run(channels: engineChannels) }
let pollerTasks = pollers.map { poller in Task { await poller.run() } }

// The catalog: one SKU per order, 1,000 units each, listed everywhere first.
try store.save(
    (0..<orders).map { index in
        Product.bench(
            sku: String(format: "OVERSELL-%04d", index),
            title: "Hand-knotted carpet \(index)",
            paise: 2_500_000,
            quantity: 1_000,
            hsCode: "57011010"
        )
    }
)
engine.wake()
while (try store.pendingCounts().values.reduce(0, +)) > 0 { try await Task.sleep(for: .milliseconds(100)) }
print("orders-bench: \(orders) SKUs listed on \(channels.count) channels; placing \(orders) orders \(spacing) s apart")
fflush(nil)

var placedAt: [SKU: (ContinuousClock.Instant, String)] = [:]
for index in 0..<orders {
    let channel = channels[index % channels.count]
    let sku = SKU(trusted: String(format: "OVERSELL-%04d", index))
    acknowledgements.watch(sku)
    let body = #"{"platform":"amazon","marketplace":"\#(channel.marketplace)","sku":"\#(sku.rawValue)","quantity":1}"#
    let response = try await http.execute(
        HTTPRequest(
            method: .post,
            url: "\(sandbox.baseURL)/_sandbox/orders",
            headers: ["Content-Type": "application/json"],
            body: Array(body.utf8)
        )
    )
    guard response.status == 201 else { throw BenchError("order refused: \(response.status) \(response.bodyText)") }
    placedAt[sku] = (ContinuousClock.now, channel.name)
    try await Task.sleep(for: .milliseconds(Int64(spacing * 1000)))
}
// Every order's SKU acknowledged on the four other channels (bounded: ten poll intervals).
let deadline = ContinuousClock.now + .seconds(Int64(pollSeconds * 10) + 60)
var windows: [Double] = []
while true {
    windows = []
    for (sku, (placed, seller)) in placedAt {
        let others = channels.map(\.name).filter { $0 != seller }
        guard let last = acknowledgements.lastAck(sku: sku, channels: others) else { break }
        windows.append((last - placed).seconds)
    }
    if windows.count == placedAt.count { break }
    guard ContinuousClock.now < deadline else {
        throw BenchError("only \(windows.count) of \(orders) orders propagated")
    }
    try await Task.sleep(for: .milliseconds(200))
}
engine.drain()
for task in pollerTasks { task.cancel() }
await engineTask.value
await http.shutdown()
sandbox.stop()

windows.sort()
let bound = pollSeconds + 5
print(
    String(
        format:
            "orders-window: p50 %.1f s, p99 %.1f s, max %.1f s over %d orders (order accepted on one marketplace to the new quantity acknowledged on the 4 others); bound: poll interval %.0f s + one poll and one push (~%.0f s)",
        windows[windows.count / 2],
        windows[min(windows.count - 1, windows.count * 99 / 100)],
        windows.last!,
        windows.count,
        pollSeconds,
        bound
    )
)
