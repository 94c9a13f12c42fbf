import AdapterTestSupport
import Catalog
import CurlHTTP
import ShopcluesAdapter
import Sync

/// The shopclues channel of config/sandbox.toml: INR, markup 8 %, add 30, nearest:1; 2 % of stock,
/// buffer 1, max 25.
func shopcluesProjector() throws -> ChannelProjector {
    try SampleCatalog.projector(
        channel: "shopclues",
        currency: .inr,
        language: "hi_IN",
        pricing: ["markup_percent": "8", "add": "30", "rounding": "nearest:1"],
        inventory: ["share_percent": 2, "buffer": 1, "max": 25]
    )
}

/// `count` catalog products with distinct INR prices and stock; `rejected` SKU indexes get `[REJECT]`.
func sampleProducts(count: Int, prefix: String, rejected: Set<Int> = []) -> [Product] {
    SampleCatalog.numbered(count: count, prefix: prefix, rejected: rejected) { index, sku, isRejected in
        Product(
            sku: sku,
            title: isRejected ? "Hisar ghee [REJECT] \(index)" : "Hisar desi ghee tin \(index)",
            price: Money(minorUnits: 62_500 + Int64(index) * 1_990, currency: .inr),
            quantity: 100 + index * 30,
            brand: "ODOP Hisar",
            productType: "Food",
            hsCode: "0405"
        )
    }
}

/// New-listing changes with price and quantity for `products`.
func priceAndQuantityChanges(_ products: [Product], _ projector: ChannelProjector) -> [ListingChange] {
    newChanges(products, projector, facets: [.price, .quantity])
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
    return .forTests(
        account: account,
        channel: ChannelSettings(name: "shopclues", marketplace: "IN", currency: .inr, language: "hi_IN"),
        http: http,
        rateLimiter: RateLimiter(quotas: ShopcluesAdapterFactory().quotas(for: account))
    )
}
