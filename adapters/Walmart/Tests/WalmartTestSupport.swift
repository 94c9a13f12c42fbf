import Catalog
import CurlHTTP
import Foundation
import Hummingbird
import Logging
import Sync
import Synchronization
import TwinSupport
import WalmartAdapter

/// Runs `twin` in a Hummingbird application on 127.0.0.1 (port 0) while `body` runs with its base URL
/// (`http://127.0.0.1:PORT/walmart`), then stops it.
/// With `log`, every request the twin receives is recorded in it.
func withTwinServer<Result: Sendable>(
    _ twin: some PlatformTwin,
    log: RequestLog? = nil,
    _ body: @Sendable (String) async throws -> Result
) async throws -> Result {
    let router = Router(context: BasicRequestContext.self)
    if let log { router.add(middleware: RequestLogMiddleware(log: log)) }
    twin.addRoutes(to: router.group(RouterPath(twin.platform)))
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    var logger = Logger(label: "twin")
    logger.logLevel = .critical
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
        logger: logger
    )
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.runService() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        defer { group.cancelAll() }
        return try await body("http://127.0.0.1:\(port)/\(twin.platform)")
    }
}

/// The walmart-us channel of config/sandbox.toml: USD at 0.01128 per INR, markup 40 %, add 2.00,
/// ending 0.97, min 5.97; 4 % of stock, buffer 2.
func walmartProjector() throws -> ChannelProjector {
    let rules = ChannelRules(
        name: "walmart-us",
        currency: .usd,
        language: "en_US",
        pricing: try PricingRule(fields: [
            "markup_percent": "40", "add": "2.00", "rounding": "ending:0.97", "min": "5.97",
        ]),
        inventory: try InventoryRule(fields: ["share_percent": 4, "buffer": 2])
    )
    return try ChannelProjector(channel: rules, fx: FXTable(base: .inr, parsing: ["USD": "0.01128"]))
}

/// `count` catalog products with distinct INR prices and stock; `rejected` SKU indexes get `[REJECT]`.
func sampleProducts(count: Int, prefix: String, rejected: Set<Int> = []) -> [Product] {
    (1...count).map { index in
        let sku = SKU(trusted: String(format: "%@-%03d", prefix, index))
        let title =
            rejected.contains(index) ? "Marble inlay coaster [REJECT] \(index)" : "Agra marble inlay coaster \(index)"
        return Product(
            sku: sku,
            title: title,
            price: Money(minorUnits: 49_900 + Int64(index) * 3_750, currency: .inr),
            quantity: 300 + index * 25,
            description: "Hand-made in Agra",
            brand: "ODOP Agra",
            productType: "Home Decor",
            hsCode: "6802",
            weightGrams: 250 + index,
            imageURLs: ["https://img.example/\(index).jpg"]
        )
    }
}

/// New-listing changes with every facet for `products` on the channel of `projector`.
func newChanges(_ products: [Product], _ projector: ChannelProjector) -> [ListingChange] {
    products.map { ListingChange(desired: projector.project($0), facets: Set(Facet.allCases), isNew: true) }
}

/// An adapter context for the Walmart account pointed at `baseURL`, with real limiter and token cache,
/// keeping its adapter data in `data`.
func walmartContext(
    baseURL: String,
    http: HTTPClient,
    feedsPerHour: Int = 10,
    data: any AdapterDataStore = InMemoryAdapterDataStore()
) -> AdapterContext {
    let account = AccountSettings(
        name: "walmart",
        platform: "walmart",
        sellerID: "101234567",
        endpoint: baseURL,
        extra: ["feeds_per_hour": String(feedsPerHour)],
        credentials: ["client_id": Secret("sandbox-client"), "client_secret": Secret("sandbox-secret")]
    )
    let channel = ChannelSettings(name: "walmart-us", marketplace: "US", currency: .usd, language: "en_US")
    return AdapterContext(
        account: account,
        channel: channel,
        http: http,
        rateLimiter: RateLimiter(quotas: WalmartAdapterFactory().quotas(for: account)),
        tokens: TokenCache(refreshMargin: .seconds(60)),
        requestTimeout: .seconds(10),
        logger: Logger(label: "walmart-tests"),
        data: data
    )
}

/// The requests a twin received, as `METHOD /path?query`, in arrival order.
final class RequestLog: Sendable {
    private let lines = Mutex<[String]>([])

    func record(_ line: String) { lines.withLock { $0.append(line) } }

    /// Every request so far.
    var all: [String] { lines.withLock { $0 } }
}

/// Records each request in a ``RequestLog`` before the twin answers it.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let log: RequestLog

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        log.record("\(request.method.rawValue) \(request.uri)")
        return try await next(request, context)
    }
}
