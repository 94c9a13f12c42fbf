import Catalog
import CurlHTTP
import FlipkartAdapter
import Foundation
import Hummingbird
import Logging
import Store
import Sync
import TwinSupport

/// Runs `twin` in a Hummingbird application on 127.0.0.1 (a free port) for the duration of `body`,
/// which gets the server's base URL.
func withTwinServer<Result: Sendable>(
    _ twin: some PlatformTwin,
    _ body: @Sendable (String) async throws -> Result
) async throws -> Result {
    let router = Router(context: BasicRequestContext.self)
    twin.addRoutes(to: router.group(RouterPath(twin.platform)))
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
            continuation.finish()
        },
        logger: quietLogger
    )
    return try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask {
            try await app.runService()
            return nil
        }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        let result = try await body("http://127.0.0.1:\(port)")
        group.cancelAll()
        return result
    }
}

/// A logger for the test server that keeps its cancellation messages out of the test output.
let quietLogger: Logger = {
    var logger = Logger(label: "twin")
    logger.logLevel = .critical
    return logger
}()

/// The real parts an adapter runs with in the tests: the libcurl client, a rate limiter and a token cache.
struct FlipkartTestAccount: Sendable {
    var baseURL: String
    var extra: [String: String] = ["location_id": "LOCa1b2c3d4e5f6"]
    var rateLimiter = RateLimiter(quotas: FlipkartAdapterFactory.defaultQuotas)
    var tokens = TokenCache(refreshMargin: .zero)

    /// The account's settings pointed at the twin, with sandbox credentials.
    var account: AccountSettings {
        AccountSettings(
            name: "flipkart",
            platform: "flipkart",
            sellerID: "f7c1a9e2b3d44e21",
            endpoint: baseURL + "/flipkart",
            tokenEndpoint: baseURL + "/flipkart/oauth-service/oauth/token",
            extra: extra,
            credentials: ["app_id": Secret("1a2b3c4d5e6f7g8h9i0j"), "app_secret": Secret("sandbox-app-secret")]
        )
    }

    func context(http: HTTPClient) -> AdapterContext {
        AdapterContext(
            account: account,
            channel: ChannelSettings(name: "flipkart", marketplace: "IN", currency: .inr, language: "en_IN"),
            http: http,
            rateLimiter: rateLimiter,
            tokens: tokens,
            requestTimeout: .seconds(10),
            logger: Logger(label: "flipkart-test")
        )
    }
}

/// The sample catalog projected onto the sandbox's `flipkart` channel.
enum FlipkartFixtures {
    /// `flipkart` of config/sandbox.toml: pricing { markup 12 %, add 40, nearest:1 },
    /// inventory { share 5 %, buffer 2 }; INR is the base currency.
    static func projector() throws -> ChannelProjector {
        let rules = ChannelRules(
            name: "flipkart",
            currency: .inr,
            language: "en_IN",
            pricing: try PricingRule(fields: ["markup_percent": "12", "add": "40", "rounding": "nearest:1"]),
            inventory: try InventoryRule(fields: ["share_percent": 5, "buffer": 2])
        )
        return try ChannelProjector(channel: rules, fx: try FXTable(base: .inr, parsing: [:]))
    }

    /// The repository root (this file is adapters/Flipkart/Tests/…).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// config/sample-catalog.csv imported by Store's importer into a temporary SQLite file.
    static func sampleProducts() throws -> [Product] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flipkart-tests-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try CatalogStore(
            configuration: .init(path: directory.appendingPathComponent("catalog.sqlite").path, channels: ["flipkart"])
        )
        let report = try CatalogImporter(store: store).importFile(
            at: repositoryRoot.appendingPathComponent("config/sample-catalog.csv")
        )
        precondition(report.errors.isEmpty, "sample catalog import failed: \(report.errors)")
        return try store.dirtyEntries(channel: "flipkart").compactMap { try store.product(sku: $0.sku)?.product }
            .sorted { $0.sku < $1.sku }
    }

    /// Changes of `products` on flipkart with price and quantity.
    static func changes(_ products: [Product], projector: ChannelProjector) -> [ListingChange] {
        products.map { ListingChange(desired: projector.project($0), facets: [.price, .quantity], isNew: true) }
    }
}
