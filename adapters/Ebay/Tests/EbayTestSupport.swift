import AdapterTestSupport
import Catalog
import CurlHTTP
import EbayAdapter
import Sync

/// The real parts an adapter runs with in the tests: the libcurl client, a rate limiter and a token cache.
struct EbayTestAccount: Sendable {
    var baseURL: String
    var extra: [String: String] = ["merchant_location_key": "AGRA-WH1"]
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

    /// The sample catalog's product types mapped to eBay leaf categories, as config/sandbox.toml's
    /// eBay channels write it (`categories`).
    static let categories =
        "APPAREL:155226,ART:551,BEAUTY:11863,FOOD:14308,FOOTWEAR:63889,GROCERY:14308,HANDBAG:169291,"
        + "HARDWARE:631,HOME:10033,HOME_DECOR:10033,HOME_FURNISHING:20444,JEWELRY:10968,KITCHEN:20625,"
        + "MUSICAL_INSTRUMENT:619,SPORTS:888,TOY:220"

    /// A channel's keys: the site's business policies (``EbayTwin/sandboxPolicies``, N the site's digit)
    /// and the categories.
    static func channelKeys(policyDigit: Int) -> [String: String] {
        [
            "fulfillment_policy_id": "61969340\(0)\(policyDigit)",
            "payment_policy_id": "61969370\(0)\(policyDigit)",
            "return_policy_id": "61969390\(0)\(policyDigit)",
            "categories": categories,
        ]
    }

    static let usChannelSettings = ChannelSettings(
        name: "ebay-us",
        marketplace: "EBAY_US",
        currency: .usd,
        language: "en_US",
        extra: channelKeys(policyDigit: 0)
    )

    /// eBay's site in Great Britain with its own policies.
    static let ukChannelSettings = ChannelSettings(
        name: "ebay-uk",
        marketplace: "EBAY_GB",
        currency: .gbp,
        language: "en_GB",
        extra: channelKeys(policyDigit: 1)
    )

    /// config/sample-catalog.csv as the `ebay-us` channel sees it.
    static func sampleProducts() throws -> [Product] {
        try SampleCatalog.products(channel: "ebay-us")
    }
}
