import AmazonModel
import Catalog
import CurlHTTP
import Logging
import Sync

@testable import AmazonAdapter

/// An Amazon adapter for channel `amazon-uk` wired to the fake SP-API on loopback, with the real libcurl
/// engine, the account's real rate limiter and token cache, and a capturing logger.
struct AmazonAdapterRig: Sendable {
    /// Credentials whose values must never show up in a log.
    static let refreshToken = "Atzr|IwEB+refresh/secret=&x"
    static let clientSecret = "amzn1.oa2-cs.v1.topsecret"

    let adapter: AmazonAdapter
    let http: HTTPClient
    let tokens: TokenCache
    let rateLimiter: RateLimiter
    let logs: CapturingLogHandler.Sink

    /// Runs `body` with a rig on the fake at `port`, shutting the HTTP engine down afterwards.
    static func with<T: Sendable>(
        port: Int,
        extra: [String: String] = [:],
        tokenPath: String = "/auth/o2/token",
        configuration: AmazonAdapter.Configuration = .init(),
        data: any AdapterDataStore = InMemoryAdapterDataStore(),
        _ body: (AmazonAdapterRig) async throws -> T
    ) async throws -> T {
        let http = try HTTPClient(configuration: .init())
        let factory = AmazonAdapterFactory(configuration: configuration)
        let account = AccountSettings(
            name: "amazon-eu",
            platform: "amazon",
            region: "eu",
            sellerID: "A2EUEXAMPLE02",
            endpoint: "http://127.0.0.1:\(port)/amazon",
            tokenEndpoint: "http://127.0.0.1:\(port)\(tokenPath)",
            extra: extra,
            credentials: [
                "client_id": Secret("amzn1.application-oa2-client.abc"),
                "client_secret": Secret(clientSecret),
                "refresh_token": Secret(refreshToken),
            ]
        )
        let channel = ChannelSettings(name: "amazon-uk", marketplace: "UK", currency: .gbp, language: "en_GB")
        let sink = CapturingLogHandler.Sink()
        let tokens = TokenCache()
        let rateLimiter = RateLimiter(quotas: factory.quotas(for: account))
        let context = AdapterContext(
            account: account,
            channel: channel,
            http: http,
            rateLimiter: rateLimiter,
            tokens: tokens,
            requestTimeout: .seconds(10),
            logger: Logger(label: "amazon-uk") { _ in CapturingLogHandler(sink: sink) },
            data: data
        )
        let rig = AmazonAdapterRig(
            adapter: try factory.makeAmazonAdapter(context: context),
            http: http,
            tokens: tokens,
            rateLimiter: rateLimiter,
            logs: sink
        )
        do {
            let result = try await body(rig)
            await http.shutdown()
            return result
        } catch {
            await http.shutdown()
            throw error
        }
    }

    /// A desired listing of `sku` on amazon-uk at `price` pence.
    static func listing(_ sku: String, pence: Int64 = 2499, quantity: Int = 20) throws -> DesiredListing {
        let skuValue = try SKU(validating: sku)
        let content = ListingContent(
            sku: skuValue,
            title: "Agra Petha, Classic White, 500 g",
            description: "Soft ash-gourd candy from Agra.",
            brand: "Panchhi Style",
            productType: "FOOD",
            hsCode: "170490",
            weightGrams: 560,
            imageURLs: ["https://images.example.com/odop/petha-1.jpg"]
        )
        let price = Money(minorUnits: pence, currency: .gbp)
        return DesiredListing(
            sku: skuValue,
            channel: "amazon-uk",
            content: content,
            price: price,
            quantity: quantity,
            hashes: FacetHashes(
                content: FacetHash(content: content),
                price: FacetHash(price: price),
                quantity: FacetHash(quantity: quantity)
            )
        )
    }

    /// A change of `facets` of `sku`.
    static func change(
        _ sku: String,
        _ facets: Set<Facet>,
        isNew: Bool = false,
        isRemoval: Bool = false,
        isUrgent: Bool = false
    ) throws -> ListingChange {
        ListingChange(
            desired: try listing(sku),
            facets: facets,
            isRemoval: isRemoval,
            isNew: isNew,
            isUrgent: isUrgent
        )
    }
}
