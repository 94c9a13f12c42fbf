import AdapterTestSupport
import Catalog
import CurlHTTP
import ShiprocketAdapter
import Sync

/// The shiprocket channel of config/sandbox.toml: INR, markup 10 %, rounding nearest:1; 1 % of stock.
func shiprocketProjector() throws -> ChannelProjector {
    try SampleCatalog.projector(
        channel: "shiprocket",
        currency: .inr,
        language: "en_IN",
        pricing: ["markup_percent": "10", "rounding": "nearest:1"],
        inventory: ["share_percent": 1, "buffer": 0]
    )
}

/// `count` catalog products with distinct INR prices and stock; `rejected` SKU indexes get `[REJECT]`.
func sampleProducts(count: Int, prefix: String, rejected: Set<Int> = []) -> [Product] {
    SampleCatalog.numbered(count: count, prefix: prefix, rejected: rejected) { index, sku, isRejected in
        Product(
            sku: sku,
            title: isRejected ? "Ajmer rose gulkand [REJECT] \(index)" : "Ajmer rose gulkand jar \(index)",
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

/// An adapter context for the Shiprocket account pointed at `baseURL`.
func shiprocketContext(baseURL: String, http: HTTPClient, pacing: Bool = true) -> AdapterContext {
    let account = AccountSettings(
        name: "shiprocket",
        platform: "shiprocket",
        endpoint: baseURL,
        extra: ["pickup_location": "Agra-Warehouse"],
        credentials: ["email": Secret("api-user@example.in"), "password": Secret("sandbox-password")]
    )
    return .forTests(
        account: account,
        channel: ChannelSettings(name: "shiprocket", marketplace: "IN", currency: .inr, language: "en_IN"),
        http: http,
        rateLimiter: RateLimiter(
            quotas: ShiprocketAdapterFactory().quotas(for: account),
            configuration: .init(isEnabled: pacing)
        )
    )
}
