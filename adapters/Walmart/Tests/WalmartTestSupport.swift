import AdapterTestSupport
import Catalog
import CurlHTTP
import Sync
import WalmartAdapter

/// The walmart-us channel of config/sandbox.toml: USD at 0.01128 per INR, markup 40 %, add 2.00,
/// ending 0.97, min 5.97; 4 % of stock, buffer 2.
func walmartProjector() throws -> ChannelProjector {
    try SampleCatalog.projector(
        channel: "walmart-us",
        currency: .usd,
        language: "en_US",
        pricing: ["markup_percent": "40", "add": "2.00", "rounding": "ending:0.97", "min": "5.97"],
        inventory: ["share_percent": 4, "buffer": 2],
        fx: ["USD": "0.01128"]
    )
}

/// `count` catalog products with distinct INR prices and stock; `rejected` SKU indexes get `[REJECT]`.
func sampleProducts(count: Int, prefix: String, rejected: Set<Int> = []) -> [Product] {
    SampleCatalog.numbered(count: count, prefix: prefix, rejected: rejected) { index, sku, isRejected in
        Product(
            sku: sku,
            title: isRejected ? "Marble inlay coaster [REJECT] \(index)" : "Agra marble inlay coaster \(index)",
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
    return .forTests(
        account: account,
        channel: ChannelSettings(name: "walmart-us", marketplace: "US", currency: .usd, language: "en_US"),
        http: http,
        rateLimiter: RateLimiter(quotas: WalmartAdapterFactory().quotas(for: account)),
        tokens: TokenCache(refreshMargin: .seconds(60)),
        data: data
    )
}
