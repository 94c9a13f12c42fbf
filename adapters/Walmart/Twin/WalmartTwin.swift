import Foundation
import HTTPTypes
import Hummingbird
import TwinSupport

/// A stateful fake of the Walmart Marketplace API (US), mounted under `/walmart`.
///
/// - `POST /walmart/v3/token`: `grant_type=client_credentials` with Basic client id and secret (any
///   non-empty values) issues a token living `environment.tokenLifetime` (`expires_in`).
/// - Every call needs `WM_SVC.NAME` and `WM_QOS.CORRELATION_ID` (400 `INVALID_REQUEST_HEADER`
///   otherwise) and a live `WM_SEC.ACCESS_TOKEN` (401 `UNAUTHORIZED` otherwise).
/// - `PUT /walmart/v3/price`, `PUT /walmart/v3/inventory?sku=`: single-item updates of items set up
///   before (404 `CONTENT_NOT_FOUND` otherwise).
/// - `POST /walmart/v3/feeds?feedType=MP_ITEM|price|inventory`: the feed file uploaded as
///   `multipart/form-data` part `file` (Walmart's feeds model; raw JSON is refused); `MP_ITEM` files are
///   read as item spec 5.0 (``WalmartTwinItemCheck``).
/// - `GET /walmart/v3/feeds/{feedId}?includeDetails=true&offset=&limit=`: feeds processed after
///   `environment.processingDelay`, with per-item `ingestionStatus` and `ingestionErrors`, one page of
///   `limit` items (default 50, at most 1000) from `offset`.
/// - `PUT` bodies are checked against Walmart's models (`Price`, `Inventory`) when they are found
///   (``WalmartModelCheck``).
/// - `GET /walmart/v3/items/{sku}`, `GET /walmart/v3/inventory?sku=`: the verifier's reads
///   (`WalmartTwin+Reads.swift`); `GET /walmart/v3/orders`: the sandbox's orders
///   (`WalmartTwin+Orders.swift`, ``WalmartOrderBook``).
/// - Quotas (when `environment.quotasEnabled`): ``Configuration/feedsPerHour`` feeds per hour per feed
///   type, and ``Configuration/singleUpdatesPerSecond`` for each single-item update; 429 with
///   `Retry-After` beyond them.
///
/// **Test hook:** an `MP_ITEM` item whose `productName` contains `[REJECT]` ends in `DATA_ERROR` with
/// `ERR_EXT_DATA_0101083` "The value of productName contains prohibited content: [REJECT]."
/// ``feedsSubmitted(_:)`` and ``expireTokens()`` serve the adapter tests.
public struct WalmartTwin: PlatformTwin {
    /// Limits the twin enforces.
    public struct Configuration: Sendable, Hashable {
        /// Feeds accepted per hour per feed type (Walmart's published budget: 10).
        public var feedsPerHour: Int
        /// Single price or inventory updates per second (UNCONFIRMED; a sandbox choice).
        public var singleUpdatesPerSecond: Int
        /// The Walmart categories (`Visible` keys) the twin knows; an item under another is refused.
        public var categories: Set<String>

        /// The categories `config/sandbox.toml` maps to (a few of Walmart's product types).
        public static let sandboxCategories: Set<String> = [
            "Home Decor", "Food", "Clothing", "Jewelry", "Personal Care", "Toys", "Kitchen & Dining", "Handbags",
        ]

        /// The published feed budget, 10 single updates per second and the sandbox's categories.
        public init(
            feedsPerHour: Int = 10,
            singleUpdatesPerSecond: Int = 10,
            categories: Set<String> = Configuration.sandboxCategories
        ) {
            self.feedsPerHour = feedsPerHour
            self.singleUpdatesPerSecond = singleUpdatesPerSecond
            self.categories = categories
        }
    }

    /// Always `walmart`.
    public let platform = "walmart"
    /// Where the twin issues access tokens (the sandbox's `--token-outage-ms` takes it down).
    public let tokenPaths = ["v3/token"]
    let environment: TwinEnvironment
    let configuration: Configuration
    let state = WalmartTwinState()
    /// The orders placed through the sandbox (``OrderPlacingTwin``), served by `GET /v3/orders`.
    let orders = WalmartOrderBook()
    let quotas: QuotaBuckets
    /// Walmart's models, when found (``WalmartModelCheck/locate()``): single-update bodies must match them.
    let models: WalmartModelCheck?

    /// A twin with the published limits.
    public init(environment: TwinEnvironment) {
        self.init(environment: environment, configuration: Configuration())
    }

    /// A twin with `configuration`'s limits.
    public init(environment: TwinEnvironment, configuration: Configuration) {
        self.environment = environment
        self.configuration = configuration
        quotas = QuotaBuckets(environment)
        models = WalmartModelCheck.locate()
    }

    /// Whether the twin found Walmart's models and checks bodies against them.
    public var checksModels: Bool { models != nil }

    /// Registers the token, price, inventory and feed routes on the `/walmart` group.
    public func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("v3/token") { request, _ in try await self.issueToken(request) }
        group.put("v3/price") { request, _ in
            try await self.guarded(request, quota: "price") { try await self.updatePrice(request) }
        }
        group.put("v3/inventory") { request, _ in
            try await self.guarded(request, quota: "inventory") { try await self.updateInventory(request) }
        }
        group.post("v3/feeds") { request, _ in
            try await self.guarded(request, quota: nil) { try await self.submitFeed(request) }
        }
        group.get("v3/feeds/:feedId") { request, context in
            let id = context.parameters.get("feedId") ?? ""
            let query = request.uri.queryParameters
            let offset = max(0, query.get("offset").flatMap { Int($0) } ?? 0)
            let limit = min(1_000, max(1, query.get("limit").flatMap { Int($0) } ?? 50))
            return try await self.guarded(request, quota: nil) {
                await self.feedStatus(id, offset: offset, limit: limit)
            }
        }
        addReadRoutes(to: group)
        addOrdersRoutes(to: group)
    }

    /// Every item; Walmart US is marketplace `US`.
    public func listings(marketplace: String?) async -> [TwinListing] {
        if let marketplace, marketplace.uppercased() != "US" { return [] }
        return await state.items.sorted { $0.key < $1.key }.map { sku, item in
            TwinListing(
                sku: sku,
                marketplace: "US",
                title: item.title,
                price: item.price.map { Self.priceText($0) },
                currency: item.currency,
                quantity: item.quantity
            )
        }
    }

    /// Makes every token issued so far expired, so the next call draws a 401 (test hook).
    public func expireTokens() async {
        await state.expireTokens()
    }

    /// Feeds stay `INPROGRESS` until ``releaseFeeds()``, whatever the machine's speed (test hook).
    public func holdFeeds() async {
        await state.holdFeeds()
    }

    /// Processes the held feeds and lets later ones run after the processing delay again (test hook).
    public func releaseFeeds() async {
        await state.releaseFeeds()
    }

    /// The twin's reading of an `MP_ITEM` file's items: per item its errors as `"code field"` (test hook).
    public static func itemCheck(_ root: [String: Any], categories: Set<String>) -> [[String]]? {
        WalmartTwinItemCheck.items(root, categories: categories)?.map { $0.errors.map { "\($0.code) \($0.field)" } }
    }

    /// The ids of the accepted feeds of `feedType`, in submission order (test hook).
    public func feedIDs(_ feedType: String) async -> [String] {
        await state.feedIDs(type: feedType)
    }

    /// How many feeds of `feedType` (`MP_ITEM`, `price`, `inventory`) the twin accepted (test hook).
    public func feedsSubmitted(_ feedType: String) async -> Int {
        await state.feedCount(type: feedType)
    }

    // MARK: - Auth

    private func issueToken(_ request: Request) async throws -> Response {
        if let missing = Self.missingHeader(request) { return missing }
        let authorization = request.headers[.authorization] ?? ""
        let encoded = authorization.hasPrefix("Basic ") ? String(authorization.dropFirst(6)) : ""
        let pair = Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let parts = pair.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !RevokedCredentials.contains(String(parts[1]))
        else {
            return Self.errors(
                .unauthorized,
                [
                    .init(
                        code: "UNAUTHORIZED.GMP_GATEWAY_API",
                        field: "Authorization",
                        description: "Unauthorized",
                        category: "REQUEST"
                    )
                ]
            )
        }
        let body = String(buffer: try await request.body.collect(upTo: 1 << 16))
        guard body.split(separator: "&").contains("grant_type=client_credentials") else {
            return Self.errors(
                .badRequest,
                [
                    .init(
                        code: "INVALID_REQUEST_CONTENT.GMP_GATEWAY_API",
                        field: "grant_type",
                        description: "grant_type must be client_credentials",
                        category: "REQUEST"
                    )
                ]
            )
        }
        let token = await state.issueToken(lifetime: environment.tokenLifetime)
        let seconds = max(1, environment.tokenLifetime.components.seconds)
        return Self.json(.ok, ["access_token": token, "token_type": "Bearer", "expires_in": seconds])
    }

    /// Checks headers, token and `quota` (a bucket: `limit`, else a single update's rate) before `handler`.
    func guarded(
        _ request: Request,
        quota: String?,
        limit: (rate: Double, burst: Int)? = nil,
        handler: () async throws -> Response
    ) async throws -> Response {
        if let missing = Self.missingHeader(request) { return missing }
        let token = request.headers[Self.accessTokenHeader] ?? ""
        guard !token.isEmpty, await state.isLive(token) else {
            return Self.errors(
                .unauthorized,
                [
                    .init(
                        code: "UNAUTHORIZED.GMP_GATEWAY_API",
                        field: "WM_SEC.ACCESS_TOKEN",
                        description: "Unauthorized token or the token has expired",
                        category: "REQUEST"
                    )
                ]
            )
        }
        if let quota,
            let wait = quotas.take(
                quota,
                rate: limit?.rate ?? Double(configuration.singleUpdatesPerSecond),
                burst: limit?.burst ?? configuration.singleUpdatesPerSecond
            )
        {
            return throttled(wait)
        }
        return try await handler()
    }

    /// The 429 answer with `Retry-After` in whole seconds, counted in the sandbox stats.
    func throttled(_ wait: Duration) -> Response {
        environment.stats.recordThrottle(platform: platform)
        var response = Self.errors(
            .tooManyRequests,
            [
                .init(
                    code: "REQUEST_THRESHOLD_VIOLATED.GMP_GATEWAY_API",
                    field: "",
                    description: "Too many requests. Request threshold violated.",
                    category: "REQUEST"
                )
            ]
        )
        let (seconds, attoseconds) = wait.components
        response.headers[.retryAfter] = String(max(1, seconds + (attoseconds > 0 ? 1 : 0)))
        return response
    }

    static let serviceNameHeader = HTTPField.Name("WM_SVC.NAME")!
    static let correlationHeader = HTTPField.Name("WM_QOS.CORRELATION_ID")!
    static let accessTokenHeader = HTTPField.Name("WM_SEC.ACCESS_TOKEN")!

    /// 400 `INVALID_REQUEST_HEADER` when `WM_SVC.NAME` or `WM_QOS.CORRELATION_ID` is missing.
    static func missingHeader(_ request: Request) -> Response? {
        for name in [serviceNameHeader, correlationHeader] where (request.headers[name] ?? "").isEmpty {
            return errors(
                .badRequest,
                [
                    .init(
                        code: "INVALID_REQUEST_HEADER.GMP_GATEWAY_API",
                        field: name.rawName,
                        description: "\(name.rawName) set null or invalid",
                        category: "REQUEST"
                    )
                ]
            )
        }
        return nil
    }

    // MARK: - Responses

    /// A JSON answer.
    static func json(_ status: HTTPResponse.Status, _ object: Any) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: Array(data)))
        )
    }

    /// Walmart's error body `{"errors":[…]}`.
    static func errors(_ status: HTTPResponse.Status, _ errors: [WalmartTwinError]) -> Response {
        json(status, ["errors": errors.map(\.json)])
    }

    /// `amount` with exactly two decimals (`24.90`), from the decimal's own digits.
    static func priceText(_ amount: Decimal) -> String {
        var value = amount
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .plain)
        let text = "\(rounded)"
        guard let point = text.firstIndex(of: ".") else { return text + ".00" }
        let digits = text.distance(from: point, to: text.endIndex) - 1
        return text + String(repeating: "0", count: max(0, 2 - digits))
    }
}
