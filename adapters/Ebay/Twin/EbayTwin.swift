import Foundation
import Hummingbird
import TwinSupport

/// A stateful fake of eBay's Sell Inventory API and OAuth token endpoint, mounted under `/ebay`.
///
/// Paths, payloads, the `{"errors": [...]}` error shape, 207 multi-status bulk answers, offer ids and
/// listing ids follow eBay's contract (`sell_inventory_v1_oas3.json`). Tokens expire after the
/// environment's `tokenLifetime` and then draw eBay's 401 invalid-token error. Quotas: eBay publishes
/// a daily Inventory API budget, not a per-second rate; the twin models a per-second bucket per seller
/// (``Configuration``, default 20/s with a burst of 40) — a sandbox choice, not an eBay figure.
///
/// Sandbox hook: a product whose title contains `[REJECT]` is refused with eBay's error 25019 (policy
/// violation), the way eBay refuses prohibited items.
public struct EbayTwin: PlatformTwin {
    /// The twin's quota model.
    public struct Configuration: Sendable, Hashable {
        /// Inventory API calls per second per seller.
        public var requestsPerSecond: Double = 20
        /// Calls allowed at once after an idle period.
        public var burst: Int = 40

        /// A bucket of `requestsPerSecond` with `burst`.
        public init(requestsPerSecond: Double = 20, burst: Int = 40) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
        }
    }

    /// Mounted under `/ebay`.
    public let platform = "ebay"
    /// Where the twin issues access tokens (the sandbox's `--token-outage-ms` takes it down).
    public let tokenPaths = ["identity/v1/oauth2/token"]
    let environment: TwinEnvironment
    let configuration: Configuration
    let state = EbayTwinState()
    let tokens: TwinTokenIssuer
    let quotas: QuotaBuckets

    /// A twin with the sandbox's environment and the default quota model.
    public init(environment: TwinEnvironment) {
        self.init(environment: environment, configuration: Configuration())
    }

    /// A twin with a quota model of its own (tests).
    public init(environment: TwinEnvironment, configuration: Configuration) {
        self.environment = environment
        self.configuration = configuration
        tokens = TwinTokenIssuer(prefix: "v^1.1#i^1#r^0#p^3#I^3#f^0#t^sandbox-\(environment.seed)-")
        quotas = QuotaBuckets(environment)
    }

    /// Every published offer as a platform-neutral listing; `marketplace` is an eBay marketplace id.
    public func listings(marketplace: String?) async -> [TwinListing] {
        await state.listings(marketplace: marketplace)
    }

    /// Offers ever created (a retried create must not add one).
    public func offersCreated() async -> Int {
        await state.offersCreated
    }

    /// Entries of every accepted-size call of a bulk operation (`bulkUpdatePriceQuantity`,
    /// `bulkCreateOrReplaceInventoryItem`), in arrival order.
    public func bulkSizes(of operation: String) async -> [Int] {
        await state.bulkSizes[operation] ?? []
    }

    /// Every offer of `sku` with its status, for tests and inspection.
    public func offerStatuses(sku: String) async -> [(offerID: String, marketplace: String, status: String)] {
        await state.offers(sku: sku, marketplace: nil).map {
            ($0.offerId ?? "", $0.marketplaceId ?? "", $0.status ?? "")
        }
    }

    /// Stores the next `count` changes of `operation` (`createOffer`, `publishOffer`,
    /// `createOrReplaceInventoryItem`) but answers 500, as when a response is lost on the way back.
    public func loseResponses(of operation: String, count: Int = 1) async {
        await state.loseResponses(of: operation, count: count)
    }

    /// Revokes every token issued so far: the next call with one gets eBay's 401.
    public func revokeTokens() {
        tokens.revokeAll()
    }

    /// Tokens issued so far.
    public var tokensIssued: Int { tokens.issuedCount }

    /// The token endpoint and the Sell Inventory API routes the adapter uses.
    public func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("identity/v1/oauth2/token") { request, _ in try await token(request) }
        let inventory = group.group("sell/inventory/v1")
        inventory.put("inventory_item/:sku") { request, context in
            try await guarded(request) { try await replaceItem(request, sku: context.parameters.require("sku")) }
        }
        inventory.post("bulk_create_or_replace_inventory_item") { request, _ in
            try await guarded(request) { try await bulkReplaceItems(request) }
        }
        inventory.get("offer") { request, _ in
            try await guarded(request) { await getOffers(request) }
        }
        inventory.post("offer") { request, _ in
            try await guarded(request) { try await createOffer(request) }
        }
        inventory.put("offer/:offerId") { request, context in
            try await guarded(request) { try await updateOffer(request, id: context.parameters.require("offerId")) }
        }
        inventory.post("offer/:offerId/publish") { request, context in
            try await guarded(request) { try await publish(id: context.parameters.require("offerId")) }
        }
        inventory.post("offer/:offerId/withdraw") { request, context in
            try await guarded(request) { try await withdraw(id: context.parameters.require("offerId")) }
        }
        inventory.post("bulk_update_price_quantity") { request, _ in
            try await guarded(request) { try await bulkUpdatePriceQuantity(request) }
        }
    }

    /// Checks the bearer token and the quota, then runs `handler`.
    func guarded(_ request: Request, _ handler: () async throws -> Response) async throws -> Response {
        let authorization = request.headers[.authorization] ?? ""
        let token = authorization.hasPrefix("Bearer ") ? String(authorization.dropFirst(7)) : ""
        guard tokens.isValid(token) else {
            let error = EbayTwinModel.ErrorDetail(
                errorId: 1001,
                domain: "OAuth",
                category: "REQUEST",
                message: "Invalid access token",
                longMessage: "Invalid access token. Check the value of the Authorization HTTP request header.",
                parameters: []
            )
            return Self.json(.unauthorized, EbayTwinModel.ErrorResponse(errors: [error]))
        }
        if let wait = quotas.take(
            "inventory",
            rate: configuration.requestsPerSecond,
            burst: configuration.burst
        ) {
            environment.stats.recordThrottle(platform: platform)
            let error = EbayTwinModel.ErrorDetail(
                errorId: 2001,
                domain: "ACCESS",
                category: "REQUEST",
                message: "Too many requests. The request limit has been reached for the resource.",
                longMessage: "Too many requests. The request limit has been reached for the resource.",
                parameters: []
            )
            let seconds = max(
                1,
                Int((Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18).rounded(.up))
            )
            return Self.json(
                .tooManyRequests,
                EbayTwinModel.ErrorResponse(errors: [error]),
                headers: [.retryAfter: String(seconds)]
            )
        }
        return try await handler()
    }

    /// A JSON response.
    static func json(_ status: HTTPResponse.Status, _ value: some Encodable, headers: HTTPFields = [:]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// An eBay error answer.
    static func errors(_ status: HTTPResponse.Status, _ errors: [EbayTwinModel.ErrorDetail]) -> Response {
        json(status, EbayTwinModel.ErrorResponse(errors: errors))
    }

    /// Decodes the JSON body as `type`, or `nil` when it is not such JSON.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T? {
        let buffer = try await request.body.collect(upTo: 20 << 20)
        return try? JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
    }

    /// eBay's answer to a body that is not valid JSON for the call.
    static let malformed = errors(
        .badRequest,
        [.inventory(2004, "Invalid request. The request has errors. For help, see the documentation for this API.")]
    )
}
