import AdapterTestSupport
import Catalog
import CurlHTTP
import EbayAdapter
import Sync

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
        .forTests(account: account, channel: channel, http: http, rateLimiter: rateLimiter, tokens: tokens, data: data)
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
        try SampleCatalog.projector(
            channel: "ebay-us",
            currency: .usd,
            language: "en_US",
            pricing: ["markup_percent": "38", "add": "3.00", "rounding": "ending:0.99", "min": "5.99"],
            inventory: ["share_percent": 3, "buffer": 1, "max": 50],
            fx: ["USD": "0.01128"]
        )
    }

    static let usChannelSettings = ChannelSettings(
        name: "ebay-us",
        marketplace: "EBAY_US",
        currency: .usd,
        language: "en_US"
    )

    /// config/sample-catalog.csv as the `ebay-us` channel sees it.
    static func sampleProducts() throws -> [Product] {
        try SampleCatalog.products(channel: "ebay-us")
    }
}
