import Catalog
import CurlHTTP
import EbayAdapter
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
struct EbayTestAccount: Sendable {
    var baseURL: String
    var extra: [String: String] = [
        "merchant_location_key": "AGRA-WH1",
        "fulfillment_policy_id": "6196934000",
        "payment_policy_id": "6196937000",
        "return_policy_id": "6196939000",
    ]
    var rateLimiter = RateLimiter(quotas: EbayAdapterFactoryQuotas.quotas)
    var tokens = TokenCache(refreshMargin: .zero)
    /// The account's durable data (a real SQLite file in the restart tests).
    var data: any AdapterDataStore = InMemoryAdapterDataStore()

    /// The account's settings pointed at the twin, with sandbox credentials.
    var account: AccountSettings {
        AccountSettings(
            name: "ebay",
            platform: "ebay",
            sellerID: "odop-exports",
            endpoint: baseURL + "/ebay",
            tokenEndpoint: baseURL + "/ebay/identity/v1/oauth2/token",
            extra: extra,
            credentials: [
                "client_id": Secret("OdopExpo-Sync-SBX-1a2b3c"),
                "client_secret": Secret("SBX-secret-4d5e6f"),
                "refresh_token": Secret("v^1.1#i^1#refresh-sandbox"),
            ]
        )
    }

    func context(channel: ChannelSettings = EbayFixtures.usChannelSettings, http: HTTPClient) -> AdapterContext {
        AdapterContext(
            account: account,
            channel: channel,
            http: http,
            rateLimiter: rateLimiter,
            tokens: tokens,
            requestTimeout: .seconds(10),
            logger: Logger(label: "ebay-test"),
            data: data
        )
    }
}

/// The factory's quotas, named for the tests.
enum EbayAdapterFactoryQuotas {
    static let quotas = EbayAdapterFactory.publishedQuotas
}

/// The sample catalog projected onto the sandbox's `ebay-us` channel.
enum EbayFixtures {
    /// `ebay-us` of config/sandbox.toml: pricing { markup 38 %, add 3.00, ending:0.99, min 5.99 },
    /// inventory { share 3 %, buffer 1, max 50 }, FX USD 0.01128 per INR.
    static func usProjector() throws -> ChannelProjector {
        let rules = ChannelRules(
            name: "ebay-us",
            currency: .usd,
            language: "en_US",
            pricing: try PricingRule(fields: [
                "markup_percent": "38", "add": "3.00", "rounding": "ending:0.99", "min": "5.99",
            ]),
            inventory: try InventoryRule(fields: ["share_percent": 3, "buffer": 1, "max": 50])
        )
        let fx = try FXTable(base: .inr, parsing: ["USD": "0.01128"])
        return try ChannelProjector(channel: rules, fx: fx)
    }

    static let usChannelSettings = ChannelSettings(
        name: "ebay-us",
        marketplace: "EBAY_US",
        currency: .usd,
        language: "en_US"
    )

    /// The repository root (this file is adapters/Ebay/Tests/…).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// config/sample-catalog.csv imported by Store's importer into a temporary SQLite file.
    static func sampleProducts() throws -> [Product] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ebay-tests-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try CatalogStore(
            configuration: .init(path: directory.appendingPathComponent("catalog.sqlite").path, channels: ["ebay-us"])
        )
        let report = try CatalogImporter(store: store).importFile(
            at: repositoryRoot.appendingPathComponent("config/sample-catalog.csv")
        )
        precondition(report.errors.isEmpty, "sample catalog import failed: \(report.errors)")
        return try store.dirtyEntries(channel: "ebay-us").compactMap { try store.product(sku: $0.sku)?.product }
            .sorted { $0.sku < $1.sku }
    }

    /// New-listing changes of `products` on ebay-us, every facet.
    static func changes(_ products: [Product], projector: ChannelProjector) -> [ListingChange] {
        products.map { ListingChange(desired: projector.project($0), facets: Set(Facet.allCases), isNew: true) }
    }
}
