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

/// The tests' category map: the catalog's `HOME_DECOR` is Walmart's `Home Decor`; nothing else is mapped.
let testCategories = WalmartCategoryMap(categories: ["HOME_DECOR": "Home Decor"])

/// A valid GTIN-13 for test product `index`: `890` (India's GS1 prefix), the index in 9 digits, and
/// the GS1 check digit (weights 3 and 1 alternating from the right of the 12 digits).
func testGTIN(_ index: Int) -> String {
    let body = "890" + String(format: "%09d", index)
    let digits = body.compactMap(\.wholeNumberValue)
    let sum = digits.reversed().enumerated().reduce(0) { $0 + $1.element * ($1.offset % 2 == 0 ? 3 : 1) }
    return body + String((10 - sum % 10) % 10)
}

/// `count` catalog products with distinct INR prices and stock, each with a GTIN attribute and product
/// type `HOME_DECOR`; `rejected` SKU indexes get `[REJECT]`.
func sampleProducts(count: Int, prefix: String, rejected: Set<Int> = []) -> [Product] {
    SampleCatalog.numbered(count: count, prefix: prefix, rejected: rejected) { index, sku, isRejected in
        Product(
            sku: sku,
            title: isRejected ? "Marble inlay coaster [REJECT] \(index)" : "Agra marble inlay coaster \(index)",
            price: Money(minorUnits: 49_900 + Int64(index) * 3_750, currency: .inr),
            quantity: 300 + index * 25,
            description: "Hand-made in Agra",
            brand: "ODOP Agra",
            productType: "HOME_DECOR",
            hsCode: "6802",
            weightGrams: 250 + index,
            imageURLs: ["https://img.example/\(index).jpg"],
            attributes: ["gtin": testGTIN(index)]
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
