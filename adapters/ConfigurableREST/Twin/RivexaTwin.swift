import Foundation
import Hummingbird
import Synchronization
import TwinSupport

/// A stateful fake of the Rivexa partner API, mounted under `/rivexa`, accepting exactly the shape of
/// `config/rivexa.toml`.
///
/// - Auth: `Authorization: Bearer <token>` (any non-empty token); 401 `{"error":{"code":"unauthorized"}}`.
///   ``Configuration/auth`` switches a twin to Basic or an API-key header, for partners that use them.
/// - `PUT /rivexa/v1/items/{sku}` (content), `PUT …/{sku}/price` (`{"price":{"amount","currency"}}`),
///   `PUT …/{sku}/stock` (`{"quantity"}`): upserts, 200 `{"sku","status":"accepted"}`; a refusal is 422
///   `{"error":{"code","message"}}`: empty title, non-positive price, bad currency, negative quantity,
///   and the test hook — a title containing `[REJECT]` (`prohibited_content`).
/// - `DELETE /rivexa/v1/items/{sku}`: withdraws the item, 204; 404 `not_found` when there is none.
/// - An optional text (`description`, `brand`, `hs_code`) sent as `""` is refused (`empty_value`).
/// - `POST /rivexa/v1/items/batch` (`{"items":[…]}`, at most 50; an item creates the SKU — a title is
///   required when it is new — and updates the fields it carries): 200 with per-item results
///   `{"results":[{"sku","status":"accepted"|"rejected","error":{"code","message"}}]}`.
/// - Quota (UNCONFIRMED, Rivexa publishes none): 5 requests/s, burst 10 per credential; 429 with
///   `Retry-After`, counted in the sandbox stats.
///
/// ``listings(marketplace:)``: every item, its marketplace as the content set it (default `GLOBAL`).
public struct RivexaTwin: PlatformTwin {
    /// The twin's options.
    public struct Configuration: Sendable {
        /// How requests authenticate.
        public enum Auth: Sendable {
            case bearer
            case basic
            case apiKey(header: String)
        }

        public var auth: Auth
        /// The quota: requests per second and burst per credential.
        public var requestsPerSecond: Double
        public var burst: Int
        /// The most items in one batch.
        public var maximumBatchSize: Int

        /// Rivexa as configured in `config/rivexa.toml`.
        public init(auth: Auth = .bearer, requestsPerSecond: Double = 5, burst: Int = 10, maximumBatchSize: Int = 50) {
            self.auth = auth
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
            self.maximumBatchSize = maximumBatchSize
        }
    }

    /// Always `rivexa`.
    public let platform = "rivexa"
    let environment: TwinEnvironment
    let configuration: Configuration
    let quotas: QuotaBuckets
    let store = RivexaItemStore()

    /// A twin with Rivexa's configuration.
    public init(environment: TwinEnvironment) {
        self.init(environment: environment, configuration: Configuration())
    }

    /// A twin with `configuration` (partner variants, tests).
    public init(environment: TwinEnvironment, configuration: Configuration) {
        self.environment = environment
        self.configuration = configuration
        quotas = QuotaBuckets(environment)
    }

    /// Registers the item, price, stock and batch routes on the `/rivexa` group.
    public func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("v1/items/batch") { request, _ in try await self.guarded(request) { try await self.batch(request) } }
        group.put("v1/items/:sku") { request, context in
            try await self.guarded(request) { try await self.upsert(request, context, kind: .content) }
        }
        group.delete("v1/items/:sku") { request, context in
            try await self.guarded(request) {
                let sku = context.parameters.get("sku") ?? ""
                guard self.store.remove(sku) else { return Self.error(.notFound, "not_found", "no item \(sku)") }
                return Response(status: .noContent)
            }
        }
        group.put("v1/items/:sku/price") { request, context in
            try await self.guarded(request) { try await self.upsert(request, context, kind: .price) }
        }
        group.put("v1/items/:sku/stock") { request, context in
            try await self.guarded(request) { try await self.upsert(request, context, kind: .stock) }
        }
    }

    /// Every item, optionally of one marketplace.
    public func listings(marketplace: String?) async -> [TwinListing] {
        store.items().filter { marketplace == nil || $0.marketplace == marketplace }.map { item in
            TwinListing(
                sku: item.sku,
                marketplace: item.marketplace,
                title: item.title,
                price: item.priceText,
                currency: item.currency,
                quantity: item.quantity
            )
        }
    }

    // MARK: - Routes

    enum Kind { case content, price, stock }

    private func upsert(_ request: Request, _ context: BasicRequestContext, kind: Kind) async throws -> Response {
        let sku = context.parameters.get("sku") ?? ""
        guard let body = try await Self.decode(RivexaItemBody.self, request) else {
            return Self.error(
                .badRequest,
                "invalid_json",
                "the request body is not a JSON object of the expected shape"
            )
        }
        if let problem = body.problem(
            requireTitle: kind == .content,
            requirePrice: kind == .price,
            requireQuantity: kind == .stock
        ) {
            return Self.error(.unprocessableContent, problem.0, problem.1)
        }
        store.apply(body, sku: sku)
        return Self.json(.ok, #"{"sku":"\#(Self.escaped(sku))","status":"accepted"}"#)
    }

    private struct BatchBody: Decodable {
        var items: [RivexaItemBody]?
    }

    private func batch(_ request: Request) async throws -> Response {
        guard let body = try await Self.decode(BatchBody.self, request), let items = body.items else {
            return Self.error(.badRequest, "invalid_json", "the body must be {\"items\": [...]}")
        }
        guard items.count <= configuration.maximumBatchSize else {
            return Self.error(
                .contentTooLarge,
                "batch_too_large",
                "at most \(configuration.maximumBatchSize) items per batch"
            )
        }
        var results: [String] = []
        for item in items {
            let sku = Self.escaped(item.sku ?? "")
            if (item.sku ?? "").isEmpty {
                results.append(
                    #"{"sku":"","status":"rejected","error":{"code":"invalid_sku","message":"sku is required"}}"#
                )
            } else if let problem = item.problem(
                requireTitle: !store.contains(item.sku!),
                requirePrice: false,
                requireQuantity: false
            ) {
                results.append(
                    #"{"sku":"\#(sku)","status":"rejected","error":{"code":"\#(problem.0)","message":"\#(Self.escaped(problem.1))"}}"#
                )
            } else {
                store.apply(item, sku: item.sku!)
                results.append(#"{"sku":"\#(sku)","status":"accepted"}"#)
            }
        }
        return Self.json(.ok, #"{"results":[\#(results.joined(separator: ","))]}"#)
    }

    // MARK: - Auth and quota

    private func guarded(_ request: Request, _ handler: () async throws -> Response) async throws -> Response {
        guard let credential = credential(request) else {
            return Self.error(.unauthorized, "unauthorized", "missing or invalid credentials")
        }
        if let retryAfter = quotas.take(credential, rate: configuration.requestsPerSecond, burst: configuration.burst) {
            environment.stats.recordThrottle(platform: platform)
            var response = Self.error(.tooManyRequests, "rate_limited", "too many requests")
            let (seconds, attoseconds) = retryAfter.components
            response.headers[.retryAfter] = String(max(1, seconds + (attoseconds > 0 ? 1 : 0)))
            return response
        }
        return try await handler()
    }

    /// The caller's credential (the quota key), or `nil` when the request does not authenticate.
    func credential(_ request: Request) -> String? {
        switch configuration.auth {
        case .bearer:
            guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return nil }
            let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
            return token.isEmpty ? nil : token
        case .basic:
            guard let header = request.headers[.authorization], header.hasPrefix("Basic "),
                let data = Data(base64Encoded: String(header.dropFirst(6))),
                let pair = String(data: data, encoding: .utf8)
            else { return nil }
            let parts = pair.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
            return String(parts[0])
        case .apiKey(let name):
            guard let field = HTTPFields.Element.Name(name), let value = request.headers[field], !value.isEmpty else {
                return nil
            }
            return value
        }
    }

    // MARK: - Wire helpers

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T? {
        let buffer = try await request.body.collect(upTo: 20 << 20)
        return try? JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
    }

    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        json(status, #"{"error":{"code":"\#(escaped(code))","message":"\#(escaped(message))"}}"#)
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: Array(text.utf8)))
        )
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}

/// The twin's items by SKU.
final class RivexaItemStore: Sendable {
    private let storage = Mutex<[String: RivexaItem]>([:])

    /// Upserts `body`'s fields into `sku`'s item.
    func apply(_ body: RivexaItemBody, sku: String) {
        storage.withLock { items in
            var item = items[sku] ?? RivexaItem(sku: sku)
            item.apply(body)
            items[sku] = item
        }
    }

    /// Whether `sku` has an item.
    func contains(_ sku: String) -> Bool {
        storage.withLock { $0[sku] != nil }
    }

    /// Removes `sku`'s item; `false` when there was none.
    func remove(_ sku: String) -> Bool {
        storage.withLock { $0.removeValue(forKey: sku) != nil }
    }

    /// Every item, by SKU.
    func items() -> [RivexaItem] {
        storage.withLock { $0.values.sorted { $0.sku < $1.sku } }
    }
}
