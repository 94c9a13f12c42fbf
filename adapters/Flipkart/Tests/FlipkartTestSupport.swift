import AdapterTestSupport
import Catalog
import CurlHTTP
import FlipkartAdapter
import Sync

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
        .forTests(
            account: account,
            channel: ChannelSettings(name: "flipkart", marketplace: "IN", currency: .inr, language: "en_IN"),
            http: http,
            rateLimiter: rateLimiter,
            tokens: tokens
        )
    }
}

/// The sample catalog projected onto the sandbox's `flipkart` channel.
enum FlipkartFixtures {
    /// `flipkart` of config/sandbox.toml: pricing { markup 12 %, add 40, nearest:1 },
    /// inventory { share 5 %, buffer 2 }; INR is the base currency.
    static func projector() throws -> ChannelProjector {
        try SampleCatalog.projector(
            channel: "flipkart",
            currency: .inr,
            language: "en_IN",
            pricing: ["markup_percent": "12", "add": "40", "rounding": "nearest:1"],
            inventory: ["share_percent": 5, "buffer": 2]
        )
    }

    /// config/sample-catalog.csv as the `flipkart` channel sees it.
    static func sampleProducts() throws -> [Product] {
        try SampleCatalog.products(channel: "flipkart")
    }

    /// Changes of `products` on flipkart with price and quantity.
    static func changes(_ products: [Product], projector: ChannelProjector) -> [ListingChange] {
        newChanges(products, projector, facets: [.price, .quantity])
    }
}
