import Foundation
import HTTPTypes
import Hummingbird
import TwinSupport

/// A stateful fake of Shiprocket's external API (`/v1/external/...`), mounted under `/shiprocket`.
///
/// - `POST /shiprocket/v1/external/auth/login` `{email, password}` (any non-empty values) → `{token}`,
///   valid `environment.tokenLifetime`. Calls need `Authorization: Bearer <token>` (401 otherwise).
/// - `GET /shiprocket/v1/external/products` ("Get All Products"): `filter_by` (`sku`, `id`, `name`) and
///   `filter` (matched as a substring: the documents do not say exact), `page`, `per_page` (default 15)
///   → `{"data":[…], "meta":{"pagination":{total, count, per_page, current_page, total_pages}}}`.
///   Parameters the documents do not name (`sku=`) are ignored, as a server ignores them.
/// - `POST /shiprocket/v1/external/products` ("Add New Products") only creates: an existing `sku` is
///   refused (422 "The sku has already been taken."), whatever else the body carries.
/// - `POST /shiprocket/v1/external/products/import` ("Bulk Import Products"): `multipart/form-data`
///   part `file`, a CSV in the sample format; each row creates or updates the product with its
///   `*Master Sku Code` (MRP becomes the selling price) → `{"id"}`; 422 when a row is refused.
/// - `PUT /shiprocket/v1/external/inventory/{product_id}/update` `{quantity, action}`: only `replace`;
///   `add` and `remove` are refused with 422, so a sync bug that would double-count cannot slip through.
/// - Errors are Shiprocket's `{"message", "errors": {field: [text]}, "status_code"}`.
/// - Quota: Shiprocket publishes none (UNCONFIRMED); the twin allows ``Configuration/requestsPerSecond``.
///
/// **Test hook:** a product whose `name` contains `[REJECT]` is refused with 422 and
/// `errors.name = ["The name contains prohibited content: [REJECT]."]`.
public struct ShiprocketTwin: PlatformTwin {
    /// Limits the twin enforces.
    public struct Configuration: Sendable, Hashable {
        /// Requests per second per account (a sandbox choice; burst the same).
        public var requestsPerSecond: Int

        public init(requestsPerSecond: Int = 10) {
            self.requestsPerSecond = requestsPerSecond
        }
    }

    /// Always `shiprocket`.
    public let platform = "shiprocket"
    /// Where the twin issues access tokens (the sandbox's `--token-outage-ms` takes it down).
    public let tokenPaths = ["v1/external/auth/login"]
    let environment: TwinEnvironment
    let configuration: Configuration
    let state = ShiprocketTwinState()
    let quotas: QuotaBuckets

    /// A twin with the default limits.
    public init(environment: TwinEnvironment) {
        self.init(environment: environment, configuration: Configuration())
    }

    /// A twin with `configuration`'s limits.
    public init(environment: TwinEnvironment, configuration: Configuration) {
        self.environment = environment
        self.configuration = configuration
        quotas = QuotaBuckets(environment)
    }

    /// Registers the login, product and inventory routes on the `/shiprocket` group.
    public func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("v1/external/auth/login") { request, _ in try await self.login(request) }
        group.get("v1/external/products") { request, _ in
            try await self.guarded(request) { await self.listProducts(request.uri.queryParameters) }
        }
        group.post("v1/external/products/import") { request, _ in
            try await self.guarded(request) { try await self.importProducts(request) }
        }
        group.post("v1/external/products") { request, _ in
            try await self.guarded(request) { try await self.saveProduct(request) }
        }
        group.put("v1/external/inventory/:productId/update") { request, context in
            let id = Int(context.parameters.get("productId") ?? "") ?? -1
            return try await self.guarded(request) { try await self.updateInventory(request, id: id) }
        }
    }

    /// Every product; Shiprocket has one marketplace, `IN`. Price is the selling price in INR.
    public func listings(marketplace: String?) async -> [TwinListing] {
        if let marketplace, marketplace.uppercased() != "IN" { return [] }
        return await state.products.values.sorted { $0.sku < $1.sku }.map {
            TwinListing(
                sku: $0.sku,
                marketplace: "IN",
                title: $0.name,
                price: Self.priceText($0.sellingPrice),
                currency: "INR",
                quantity: $0.quantity
            )
        }
    }

    /// Makes every token issued so far expired (test hook).
    public func expireTokens() async { await state.expireTokens() }

    /// How many products were ever created (a duplicate would count twice).
    public func productCreations() async -> Int { await state.creations }

    // MARK: - Auth and quota

    private func login(_ request: Request) async throws -> Response {
        let bytes = Array(try await request.body.collect(upTo: 1 << 16).readableBytesView)
        let fields = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
        let email = fields?["email"] as? String ?? ""
        let password = fields?["password"] as? String ?? ""
        guard !email.isEmpty, !password.isEmpty, !RevokedCredentials.contains(password) else {
            return Self.error(.badRequest, "Invalid email and password combination", errors: nil)
        }
        let token = await state.issueToken(lifetime: environment.tokenLifetime)
        return Self.json(
            .ok,
            [
                "id": 1_048_576, "first_name": "API", "last_name": "User", "email": email, "company_id": 424_242,
                "token": token,
            ]
        )
    }

    private func guarded(_ request: Request, handler: () async throws -> Response) async throws -> Response {
        let header = request.headers[.authorization] ?? ""
        let token = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : ""
        guard !token.isEmpty, await state.isLive(token) else {
            return Self.error(.unauthorized, "Unauthenticated.", errors: nil)
        }
        let rate = configuration.requestsPerSecond
        if let wait = quotas.take("api", rate: Double(rate), burst: rate) {
            environment.stats.recordThrottle(platform: platform)
            var response = Self.error(.tooManyRequests, "Too Many Attempts.", errors: nil)
            let (seconds, attoseconds) = wait.components
            response.headers[.retryAfter] = String(max(1, seconds + (attoseconds > 0 ? 1 : 0)))
            return response
        }
        return try await handler()
    }

    // MARK: - Responses

    static func json(_ status: HTTPResponse.Status, _ object: Any) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: Array(data)))
        )
    }

    /// Shiprocket's error shape.
    static func error(_ status: HTTPResponse.Status, _ message: String, errors: [String: [String]]?) -> Response {
        var body: [String: Any] = ["message": message, "status_code": Int(status.code)]
        if let errors { body["errors"] = errors }
        return json(status, body)
    }

    /// `amount` with exactly two decimals.
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
