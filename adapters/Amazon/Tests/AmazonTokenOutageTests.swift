import AdapterTestSupport
import AmazonAdapter
import AmazonTwin
import Catalog
import Foundation
import Hummingbird
import Store
import Sync
import Synchronization
import Testing
import TwinSupport

/// The engine, the real Amazon adapter and the Amazon twin on loopback, with Login with Amazon down
/// when the channel starts (and, for the metrics, the first listing calls throttled): the breaker
/// opens, its probes fail until the token endpoint is back, and then every SKU goes out. Nothing here
/// waits on time: each fault ends after a number of requests.
@Suite("Amazon: a token outage at start, and the request metrics")
struct AmazonTokenOutageTests {
    @Test("LWA answering 500 to the first 12 token requests: the breaker opens and probes, and the channel converges")
    func channelConvergesAfterTokenOutage() async throws {
        let faults = ScriptedFaults(tokenRefusals: 12, listingThrottles: 0)
        let run = try await Self.converge(faults: faults, platform: "amazon") {
            $0.breakerFailureThreshold = 3
            // Cool-downs shorter than the SKUs' backoff: a probe often finds nothing due yet.
            $0.breakerCooldown = .milliseconds(50)
            $0.breakerMaximumCooldown = .milliseconds(200)
            $0.backoff = BackoffPolicy(base: .milliseconds(200), cap: .milliseconds(400))
        }
        #expect(faults.tokensRefused == 12)
        #expect(run.breaker.openings >= 1)
        #expect(run.pending == 0)
        #expect(run.listed == run.skus)
    }

    @Test("every request is counted per platform, operation and status, 429s apart, each with its latency")
    func requestsAreCountedPerPlatformOperationAndStatus() async throws {
        let metrics = RecordingMetrics.shared
        // A platform name of its own: other tests in this process count under `amazon`.
        let platform = "amazon-metrics-test"
        let faults = ScriptedFaults(tokenRefusals: 2, listingThrottles: 3)
        let run = try await Self.converge(faults: faults, platform: platform) {
            $0.backoff = BackoffPolicy(base: .milliseconds(20), cap: .milliseconds(100))
        }
        #expect(run.listed == run.skus)
        func requests(_ operation: String, _ status: String) -> Int64 {
            metrics.counter(
                SyncMetrics.requestsTotal,
                ["platform": platform, "operation": operation, "status": status]
            )
        }
        // Hand-computed: 2 refused token requests, then one token for the run; 5 new SKUs, each
        // one PUT accepted, after 3 PUTs throttled.
        let table: [(String, String, Int64)] = [
            ("token", "500", 2), ("token", "200", 1), ("putListingsItem", "429", 3), ("putListingsItem", "200", 5),
        ]
        for (operation, status, expected) in table {
            #expect(requests(operation, status) == expected, "\(operation) \(status)")
        }
        let put = ["platform": platform, "operation": "putListingsItem"]
        #expect(metrics.counter(SyncMetrics.requestsThrottledTotal, put) == 3)
        #expect(metrics.counter(SyncMetrics.requestsThrottledTotal, ["platform": platform, "operation": "token"]) == 0)
        #expect(metrics.timerCount(SyncMetrics.requestLatency, put) == 8)
        #expect(metrics.timerCount(SyncMetrics.requestLatency, ["platform": platform, "operation": "token"]) == 3)
    }

    /// What one run left behind.
    struct Run {
        var skus: Set<String>
        var listed: Set<String>
        var pending: Int
        var breaker: BreakerStatus
    }

    /// Five sample SKUs on amazon-de through the engine and the twin behind `faults`, until none is
    /// pending (at most 120 s: a busy machine can starve the test; a stall is recorded as an issue).
    static func converge(
        faults: ScriptedFaults,
        platform: String,
        configure: (inout SyncEngine.Configuration) -> Void
    ) async throws -> Run {
        var environment = TwinEnvironment(quotasEnabled: false, processingDelay: .milliseconds(20))
        let twin = ScriptedFaultsTwin(inner: AmazonTwin(environment: environment), faults: faults)
        let products = Array(try SampleCatalog.products(channel: "amazon-de").prefix(5))
        return try await LoopbackTwinServer.with(twin) { server in
            // Amazon's adapter waits 5 s after a failed token request by default; the test need not.
            let factory = AmazonAdapterFactory(configuration: .init(refusedTokenDelay: .milliseconds(100)))
            let account = factory.sandboxAccount(
                AccountSettings(
                    name: "amazon-eu",
                    platform: platform,
                    region: "eu",
                    sellerID: "A2EUEXAMPLE02"
                ),
                baseURL: server.baseURL
            )
            let channel = ChannelSettings(name: "amazon-de", marketplace: "DE", currency: .eur, language: "de_DE")
            let adapter = try factory.makeAdapter(
                context: server.context(
                    account: account,
                    channel: channel,
                    quotas: factory.quotas(for: account),
                    data: InMemoryAdapterDataStore()
                )
            )
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("amazon-outage-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try CatalogStore(
                configuration: .init(
                    path: directory.appendingPathComponent("catalog.sqlite").path,
                    channels: ["amazon-de"]
                )
            )
            for product in products { try store.save(product) }
            var configuration = SyncEngine.Configuration()
            configuration.idlePoll = .milliseconds(100)
            configure(&configuration)
            let engine = SyncEngine(store: store, configuration: configuration)
            let projector = try SampleCatalog.projector(
                channel: "amazon-de",
                currency: .eur,
                language: "de_DE",
                pricing: ["markup_percent": "35"],
                inventory: [:],
                fx: ["EUR": "0.011"]
            )
            let run = Task {
                await engine.run(channels: [.init(name: "amazon-de", projector: projector, adapter: adapter)])
            }
            defer { run.cancel() }
            let deadline = ContinuousClock.now + .seconds(120)
            while try (store.pendingCounts()["amazon-de"] ?? 0) > 0 {
                guard ContinuousClock.now < deadline else {
                    let breaker = String(describing: engine.channelStates.first?.breaker)
                    Issue.record("stalled: \(faults.tokensRefused) token refusals, breaker \(breaker)")
                    break
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            engine.drain()
            await run.value
            return Run(
                skus: Set(products.map(\.sku.rawValue)),
                listed: Set(await twin.listings(marketplace: "DE").map(\.sku)),
                pending: try store.pendingCounts()["amazon-de"] ?? 0,
                breaker: engine.channelStates.first?.breaker ?? BreakerStatus(state: .closed)
            )
        }
    }
}

/// The twin's faults, each for a number of requests: token requests refused with a 500, listing
/// PUTs throttled with a 429.
final class ScriptedFaults: Sendable {
    private struct State {
        var tokensRefused = 0
        var tokenRefusals: Int
        var listingThrottles: Int
    }

    private let state: Mutex<State>

    init(tokenRefusals: Int, listingThrottles: Int) {
        state = Mutex(State(tokenRefusals: tokenRefusals, listingThrottles: listingThrottles))
    }

    /// Token requests refused so far.
    var tokensRefused: Int { state.withLock { $0.tokensRefused } }

    /// Whether this token request is refused (and counts it).
    func refuseToken() -> Bool {
        state.withLock { state in
            guard state.tokenRefusals > 0 else { return false }
            state.tokenRefusals -= 1
            state.tokensRefused += 1
            return true
        }
    }

    /// Whether this listing PUT is throttled (and counts it).
    func throttleListing() -> Bool {
        state.withLock { state in
            guard state.listingThrottles > 0 else { return false }
            state.listingThrottles -= 1
            return true
        }
    }
}

/// The Amazon twin behind ``ScriptedFaults``.
struct ScriptedFaultsTwin: PlatformTwin {
    let inner: AmazonTwin
    let faults: ScriptedFaults

    var platform: String { inner.platform }

    func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.add(middleware: ScriptedFaultsMiddleware(faults: faults))
        inner.addRoutes(to: group)
    }

    func listings(marketplace: String?) async -> [TwinListing] {
        await inner.listings(marketplace: marketplace)
    }
}

/// Answers `POST …/auth/o2/token` with a 500 and listing PUTs with a 429 while their faults last.
struct ScriptedFaultsMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let faults: ScriptedFaults

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        if path.hasSuffix("/auth/o2/token"), faults.refuseToken() {
            return Self.json(
                .internalServerError,
                #"{"error":"server_error","error_description":"Internal Server Error"}"#
            )
        }
        if request.method == .put, path.contains("/listings/2021-08-01/items/"), faults.throttleListing() {
            return Self.json(
                .tooManyRequests,
                #"{"errors":[{"code":"QuotaExceeded","message":"You exceeded your quota for the requested resource."}]}"#
            )
        }
        return try await next(request, context)
    }

    private static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body))
        )
    }
}
