import Catalog
import CurlHTTP
import Foundation
import Hummingbird
import Logging
import ShopcluesAdapter
import Sync
import Synchronization
import TwinSupport

/// Runs `twin` in a Hummingbird application on 127.0.0.1 (port 0) while `body` runs with its base URL
/// (`http://127.0.0.1:PORT/shopclues`), then stops it.
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

/// The shopclues channel of config/sandbox.toml: INR, markup 8 %, add 30, nearest:1; 2 % of stock,
/// buffer 1, max 25.
func shopcluesProjector() throws -> ChannelProjector {
    let rules = ChannelRules(
        name: "shopclues",
        currency: .inr,
        language: "hi_IN",
        pricing: try PricingRule(fields: ["markup_percent": "8", "add": "30", "rounding": "nearest:1"]),
        inventory: try InventoryRule(fields: ["share_percent": 2, "buffer": 1, "max": 25])
    )
    return try ChannelProjector(channel: rules, fx: FXTable(base: .inr, parsing: [:]))
}

/// `count` catalog products with distinct INR prices and stock; `rejected` SKU indexes get `[REJECT]`.
func sampleProducts(count: Int, prefix: String, rejected: Set<Int> = []) -> [Product] {
    (1...count).map { index in
        let sku = SKU(trusted: String(format: "%@-%03d", prefix, index))
        let title = rejected.contains(index) ? "Hisar ghee [REJECT] \(index)" : "Hisar desi ghee tin \(index)"
        return Product(
            sku: sku,
            title: title,
            price: Money(minorUnits: 62_500 + Int64(index) * 1_990, currency: .inr),
            quantity: 100 + index * 30,
            brand: "ODOP Hisar",
            productType: "Food",
            hsCode: "0405"
        )
    }
}

/// New-listing changes with price and quantity for `products`.
func newChanges(_ products: [Product], _ projector: ChannelProjector) -> [ListingChange] {
    products.map { ListingChange(desired: projector.project($0), facets: [.price, .quantity], isNew: true) }
}

/// An adapter context for the Shopclues account pointed at `baseURL` with a daily quota of `dailyQuota`.
func shopcluesContext(baseURL: String, http: HTTPClient, dailyQuota: Int = 10_000) -> AdapterContext {
    let account = AccountSettings(
        name: "shopclues",
        platform: "shopclues",
        sellerID: "128844",
        endpoint: baseURL,
        extra: ["daily_quota": String(dailyQuota)],
        credentials: [
            "client_id": Secret("sandbox-client"), "client_secret": Secret("sandbox-secret"),
            "username": Secret("merchant@example.in"), "password": Secret("sandbox-password"),
        ]
    )
    let channel = ChannelSettings(name: "shopclues", marketplace: "IN", currency: .inr, language: "hi_IN")
    return AdapterContext(
        account: account,
        channel: channel,
        http: http,
        rateLimiter: RateLimiter(quotas: ShopcluesAdapterFactory().quotas(for: account)),
        tokens: TokenCache(),
        requestTimeout: .seconds(10),
        logger: Logger(label: "shopclues-tests")
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
