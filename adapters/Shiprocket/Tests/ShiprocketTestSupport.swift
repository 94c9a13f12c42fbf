import Catalog
import CurlHTTP
import Foundation
import Hummingbird
import Logging
import ShiprocketAdapter
import Sync
import TwinSupport

/// Runs `twin` in a Hummingbird application on 127.0.0.1 (port 0) while `body` runs with its base URL
/// (`http://127.0.0.1:PORT/shiprocket`), then stops it.
func withTwinServer<Result: Sendable>(
    _ twin: some PlatformTwin,
    _ body: @Sendable (String) async throws -> Result
) async throws -> Result {
    let router = Router(context: BasicRequestContext.self)
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

/// The shiprocket channel of config/sandbox.toml: INR, markup 10 %, rounding nearest:1; 1 % of stock.
func shiprocketProjector() throws -> ChannelProjector {
    let rules = ChannelRules(
        name: "shiprocket",
        currency: .inr,
        language: "en_IN",
        pricing: try PricingRule(fields: ["markup_percent": "10", "rounding": "nearest:1"]),
        inventory: try InventoryRule(fields: ["share_percent": 1, "buffer": 0])
    )
    return try ChannelProjector(channel: rules, fx: FXTable(base: .inr, parsing: [:]))
}

/// `count` catalog products with distinct INR prices and stock; `rejected` SKU indexes get `[REJECT]`.
func sampleProducts(count: Int, prefix: String, rejected: Set<Int> = []) -> [Product] {
    (1...count).map { index in
        let sku = SKU(trusted: String(format: "%@-%03d", prefix, index))
        let title =
            rejected.contains(index) ? "Ajmer rose gulkand [REJECT] \(index)" : "Ajmer rose gulkand jar \(index)"
        return Product(
            sku: sku,
            title: title,
            price: Money(minorUnits: 34_950 + Int64(index) * 1_275, currency: .inr),
            quantity: 300 + index * 125,
            description: "Pushkar roses",
            brand: "ODOP Ajmer",
            productType: "Food",
            hsCode: "2007",
            weightGrams: 400 + index * 10
        )
    }
}

/// New-listing changes with every facet for `products`.
func newChanges(_ products: [Product], _ projector: ChannelProjector) -> [ListingChange] {
    products.map { ListingChange(desired: projector.project($0), facets: Set(Facet.allCases), isNew: true) }
}

/// An adapter context for the Shiprocket account pointed at `baseURL`.
func shiprocketContext(baseURL: String, http: HTTPClient, pacing: Bool = true) -> AdapterContext {
    let account = AccountSettings(
        name: "shiprocket",
        platform: "shiprocket",
        endpoint: baseURL,
        extra: ["pickup_location": "Agra-Warehouse"],
        credentials: ["email": Secret("api-user@example.in"), "password": Secret("sandbox-password")]
    )
    let channel = ChannelSettings(name: "shiprocket", marketplace: "IN", currency: .inr, language: "en_IN")
    return AdapterContext(
        account: account,
        channel: channel,
        http: http,
        rateLimiter: RateLimiter(
            quotas: ShiprocketAdapterFactory().quotas(for: account),
            configuration: .init(isEnabled: pacing)
        ),
        tokens: TokenCache(),
        requestTimeout: .seconds(10),
        logger: Logger(label: "shiprocket-tests")
    )
}
