import Foundation
import HTTPTypes
import Hummingbird
import TwinSupport

/// A stateful fake of the Shopclues merchant API, mounted under `/shopclues`.
///
/// The token call is documented; the catalog paths are not (UNCONFIRMED), so the twin serves the
/// contract in this folder's README:
/// - `POST /shopclues/oauth/loginToken.php` `{grant_type: password (client_credentials refused), client_id,
///   client_secret, username, password (MD5 hex)}` → `{access_token, expires_in, token_type}`.
/// - `POST /shopclues/api/v1/product/update_price` `{"products":[{product_sku, product_name, mrp,
///   selling_price}]}` and `POST /shopclues/api/v1/product/update_stock`
///   `{"products":[{product_sku, quantity}]}`, at most 50 products, answering 200 with a result per
///   product: `{"status":"success"|"partial", "results":[{product_sku, status, error?{code,message}}]}`.
/// - The daily quota (``Configuration/dailyQuota``, default 10,000 per 24 h) on update calls; beyond
///   it 429 `{"status":"error","error":{"code":"QUOTA_EXCEEDED",…}}` with `Retry-After`.
///
/// **Test hook:** a product whose `product_name` contains `[REJECT]` fails with `PRODUCT_REJECTED`
/// "Product name contains prohibited content: [REJECT]."
public struct ShopcluesTwin: PlatformTwin {
    /// Limits the twin enforces.
    public struct Configuration: Sendable, Hashable {
        /// Update requests per 24 h.
        public var dailyQuota: Int

        public init(dailyQuota: Int = 10_000) {
            self.dailyQuota = dailyQuota
        }
    }

    /// Products per update call.
    public static let maximumBatchSize = 50
    /// Always `shopclues`.
    public let platform = "shopclues"
    /// Where the twin issues access tokens (the sandbox's `--token-outage-ms` takes it down).
    public let tokenPaths = ["oauth/loginToken.php"]
    let environment: TwinEnvironment
    let configuration: Configuration
    let state = ShopcluesTwinState()
    let quotas: QuotaBuckets

    public init(environment: TwinEnvironment) {
        self.init(environment: environment, configuration: Configuration())
    }

    public init(environment: TwinEnvironment, configuration: Configuration) {
        self.environment = environment
        self.configuration = configuration
        quotas = QuotaBuckets(environment)
    }

    /// Registers the token and update routes on the `/shopclues` group.
    public func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("oauth/loginToken.php") { request, _ in try await self.issueToken(request) }
        group.post("api/v1/product/update_price") { request, _ in
            try await self.guarded(request) { lines in await self.updatePrices(lines) }
        }
        group.post("api/v1/product/update_stock") { request, _ in
            try await self.guarded(request) { lines in await self.updateStock(lines) }
        }
    }

    /// Every product with a price; marketplace `IN`, INR, the selling price.
    public func listings(marketplace: String?) async -> [TwinListing] {
        if let marketplace, marketplace.uppercased() != "IN" { return [] }
        return await state.products.sorted { $0.key < $1.key }.map { sku, product in
            TwinListing(
                sku: sku,
                marketplace: "IN",
                title: product.name,
                price: Self.priceText(product.sellingPrice),
                currency: "INR",
                quantity: product.quantity
            )
        }
    }

    /// Makes every token issued so far expired (test hook).
    public func expireTokens() async { await state.expireTokens() }

    private func issueToken(_ request: Request) async throws -> Response {
        let bytes = Array(try await request.body.collect(upTo: 1 << 16).readableBytesView)
        let fields = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
        func field(_ key: String) -> String { fields[key] as? String ?? "" }
        guard !field("client_id").isEmpty, !field("client_secret").isEmpty else {
            return Self.json(
                .unauthorized,
                [
                    "error": "invalid_client",
                    "error_description": "Client credentials were not found in the headers or body",
                ]
            )
        }
        switch field("grant_type") {
        case "client_credentials":
            // Documented for the sandbox's public APIs (`/oauth/token.php`) only, not for merchant calls.
            return Self.json(
                .badRequest,
                [
                    "error": "unsupported_grant_type",
                    "error_description": "client_credentials is not allowed here: use the password grant",
                ]
            )
        case "password":
            let md5 = field("password")
            guard !field("username").isEmpty, !RevokedCredentials.contains(field("username")), md5.count == 32,
                md5.allSatisfy(\.isHexDigit)
            else {
                return Self.json(
                    .unauthorized,
                    ["error": "invalid_grant", "error_description": "Invalid username and password combination"]
                )
            }
        default:
            return Self.json(
                .badRequest,
                [
                    "error": "unsupported_grant_type",
                    "error_description": "The grant type was not specified in the request",
                ]
            )
        }
        let token = await state.issueToken(lifetime: environment.tokenLifetime)
        return Self.json(
            .ok,
            [
                "access_token": token, "expires_in": max(1, environment.tokenLifetime.components.seconds),
                "token_type": "Bearer", "scope": NSNull(),
            ]
        )
    }

    /// Checks the token, the daily quota and the batch, then runs `handler` on the product lines.
    private func guarded(
        _ request: Request,
        handler: ([ShopcluesProductLine]) async -> [[String: Any]]
    ) async throws -> Response {
        let header = request.headers[.authorization] ?? ""
        let token = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : ""
        guard !token.isEmpty, await state.isLive(token) else {
            return Self.error(
                .unauthorized,
                code: "INVALID_TOKEN",
                message: "The access token provided is invalid or has expired"
            )
        }
        let quota = configuration.dailyQuota
        if let wait = quotas.take("requests", rate: Double(quota) / 86_400, burst: quota) {
            environment.stats.recordThrottle(platform: platform)
            var response = Self.error(
                .tooManyRequests,
                code: "QUOTA_EXCEEDED",
                message:
                    "You have used up your quota of \(quota) API requests per 24 hours. Upgrade to the Standard plan for a higher quota."
            )
            let (seconds, attoseconds) = wait.components
            response.headers[.retryAfter] = String(max(1, seconds + (attoseconds > 0 ? 1 : 0)))
            return response
        }
        let bytes = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
        guard let batch = try? JSONDecoder().decode(ShopcluesBatch.self, from: Data(bytes)), !batch.products.isEmpty
        else {
            return Self.error(.badRequest, code: "INVALID_REQUEST", message: "products must be a non-empty array")
        }
        guard batch.products.count <= Self.maximumBatchSize else {
            return Self.error(.badRequest, code: "BATCH_TOO_LARGE", message: "At most 50 products per request")
        }
        let results = await handler(batch.products)
        let allSucceeded = results.allSatisfy { $0["status"] as? String == "success" }
        return Self.json(.ok, ["status": allSucceeded ? "success" : "partial", "results": results])
    }

    static func json(_ status: HTTPResponse.Status, _ object: Any) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: Array(data)))
        )
    }

    /// `{"status":"error","error":{"code","message"}}`.
    static func error(_ status: HTTPResponse.Status, code: String, message: String) -> Response {
        json(status, ["status": "error", "error": ["code": code, "message": message]])
    }

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
