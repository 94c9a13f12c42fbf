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
/// Request bodies are validated against the request schemas of eBay's OAS
/// (`../shared/specs/ebay/sell_inventory_v1_oas3.json`, loaded once through ``PublishedContract``;
/// `Product.aspects`, typed a string there but documented as an object of string arrays, is checked as
/// documented): a body that breaks it gets eBay's 2004 "Invalid request" naming each violation. Without
/// the specs folder only the hand checks of ``EbayTwinState`` run. Business policies belong to one
/// marketplace (``Configuration/policies``): publishOffer with a policy of another marketplace, or one
/// the twin does not know, fails with 25035 "The specified policy is not found for the market place".
/// A fixed-price offer publishes only with `listingDuration` `GTC`. An offer's `availableQuantity` may
/// not exceed its inventory item's quantity, and a listing shows the smaller of the two, as on eBay.
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
        /// The seller's business policies: policy id → the marketplace it belongs to.
        public var policies: [String: String] = EbayTwin.sandboxPolicies

        /// A bucket of `requestsPerSecond` with `burst`, and the seller's `policies`.
        public init(
            requestsPerSecond: Double = 20,
            burst: Int = 40,
            policies: [String: String] = EbayTwin.sandboxPolicies
        ) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
            self.policies = policies
        }
    }

    /// The sandbox seller's business policies (config/sandbox.toml's eBay channels): fulfillment
    /// `619693400N`, payment `619693700N`, return `619693900N`, with N = 0 on EBAY_US, 1 on EBAY_GB,
    /// 2 on EBAY_AU, 3 on EBAY_DE, 4 on EBAY_CA.
    public static let sandboxPolicies: [String: String] = {
        var policies: [String: String] = [:]
        for (digit, marketplace) in ["EBAY_US", "EBAY_GB", "EBAY_AU", "EBAY_DE", "EBAY_CA"].enumerated() {
            for prefix in ["61969340", "61969370", "61969390"] { policies["\(prefix)0\(digit)"] = marketplace }
        }
        return policies
    }()

    /// eBay's Sell Inventory contract from the specs folder, loaded once per process, with
    /// `Product.aspects` checked as eBay documents it; `nil` without the specs folder.
    public static let publishedContract: PublishedContract? = PublishedContract.load(
        "ebay/sell_inventory_v1_oas3.json"
    )?
    .overriding(
        ["components", "schemas", "Product", "properties", "aspects"],
        with: .object([
            "type": .string("object"),
            "additionalProperties": .object([
                "type": .string("array"), "items": .object(["type": .string("string"), "maxLength": .number("65")]),
            ]),
        ])
    )

    /// Mounted under `/ebay`.
    public let platform = "ebay"
    /// Where the twin issues access tokens (the sandbox's `--token-outage-ms` takes it down).
    public let tokenPaths = ["identity/v1/oauth2/token"]
    let environment: TwinEnvironment
    let configuration: Configuration
    let state: EbayTwinState
    let orders = EbayOrderBook()
    let tokens: TwinTokenIssuer
    let quotas: QuotaBuckets
    /// The contract request bodies are validated against (`nil`: hand checks only).
    let contract: PublishedContract?

    /// A twin with the sandbox's environment and the default quota model.
    public init(environment: TwinEnvironment) {
        self.init(environment: environment, configuration: Configuration())
    }

    /// A twin with a quota model and policies of its own, validating against `contract` (tests).
    public init(
        environment: TwinEnvironment,
        configuration: Configuration,
        contract: PublishedContract? = EbayTwin.publishedContract
    ) {
        self.environment = environment
        self.configuration = configuration
        self.contract = contract
        state = EbayTwinState(policies: configuration.policies)
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
        addOrdersRoutes(to: group)
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
    func guarded(
        _ request: Request,
        bucket: String = "inventory",
        quota: (rate: Double, burst: Int)? = nil,
        _ handler: () async throws -> Response
    ) async throws -> Response {
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
            bucket,
            rate: quota?.rate ?? configuration.requestsPerSecond,
            burst: quota?.burst ?? configuration.burst
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

    /// The JSON body as `type` once it passes the contract's schema `schema`; else eBay's answer:
    /// 2004 naming each violation, or ``malformed`` for a body that is not such JSON.
    func decode<T: Decodable>(_ type: T.Type, schema: String, from request: Request) async throws -> Result<
        T, EbayTwinRefusal
    > {
        let buffer = try await request.body.collect(upTo: 20 << 20)
        let bytes = Data(buffer.readableBytesView)
        if let contract {
            guard let json = try? JSONValue.parse(bytes) else { return .failure(EbayTwinRefusal(Self.malformed)) }
            let violations = contract.violations(of: json, schemaNamed: schema)
            if !violations.isEmpty {
                let errors = violations.prefix(10).map { violation in
                    var detail = EbayTwinModel.ErrorDetail.inventory(
                        2004,
                        "Invalid request. The request has errors. For help, see the documentation for this API.",
                        parameters: ["0": violation.path]
                    )
                    detail.longMessage = "Invalid request: \(violation)"
                    return detail
                }
                return .failure(EbayTwinRefusal(Self.errors(.badRequest, errors)))
            }
        }
        guard let value = try? JSONDecoder().decode(type, from: bytes) else {
            return .failure(EbayTwinRefusal(Self.malformed))
        }
        return .success(value)
    }

    /// eBay's answer to a body that is not valid JSON for the call.
    static let malformed = errors(
        .badRequest,
        [.inventory(2004, "Invalid request. The request has errors. For help, see the documentation for this API.")]
    )
}

/// A request the twin refused, with eBay's answer.
struct EbayTwinRefusal: Error {
    /// The answer to send.
    var response: Response

    init(_ response: Response) {
        self.response = response
    }
}
