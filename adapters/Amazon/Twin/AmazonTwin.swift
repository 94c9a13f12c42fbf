import AmazonModel
import Foundation
import Hummingbird
import TwinSupport

/// A stateful fake of Amazon's Selling Partner API, mounted under `/amazon`.
///
/// It speaks SP-API's real paths, payloads and error bodies:
/// - Login with Amazon: `POST /amazon/auth/o2/token` (form-encoded `grant_type=refresh_token`,
///   `refresh_token`, `client_id`, `client_secret`; any non-empty values) issues `Atza|…` tokens that
///   live `environment.tokenLifetime`. SP-API calls need a live `x-amz-access-token` (403 otherwise).
/// - Listings Items 2021-08-01: PUT, PATCH, GET, DELETE `/amazon/listings/2021-08-01/items/{sellerId}/{sku}`
///   with `marketplaceIds`, `mode=VALIDATION_PREVIEW`, `includedData`. Listing problems are HTTP 200
///   with status `INVALID` and Amazon-style issues (see ``ListingValidator`` and ``ListingIssue``).
/// - Feeds 2021-06-30: feed documents, `JSON_LISTINGS_FEED` feeds processed asynchronously after
///   `environment.processingDelay`, processing reports per the official report schema. Document URLs
///   point at `/amazon/_documents/{id}`, a stand-in for S3's presigned URLs (PUT to upload, GET to read;
///   no token, no quota).
/// - Product Type Definitions 2020-09-01: `GET /amazon/definitions/2020-09-01/productTypes/{productType}`
///   from Amazon's official PRODUCT definition, its schema at `/amazon/_schemas/...` (a stand-in for the
///   presigned link; no token, no quota); PUTs and feed `UPDATE`s are checked against it (``TwinProductTypes``).
/// - Quotas (``AmazonTwinQuotas``) per (seller, operation) when `environment.quotasEnabled`.
///
/// **Test hook:** a listing whose `item_name` value contains `[REJECT]` is refused with issue `99001`
/// "The product title contains prohibited content: [REJECT]." (category `INVALID_ATTRIBUTE`), so
/// end-to-end tests can make one product fail on purpose.
///
/// ``listings(marketplace:)`` accepts a channel code (`DE`) or a marketplace id and reports the
/// marketplace as its code.
public struct AmazonTwin: PlatformTwin {
    /// Always `amazon`.
    public let platform = "amazon"
    /// Where the twin issues access tokens (the sandbox's `--token-outage-ms` takes it down).
    public let tokenPaths = ["auth/o2/token"]
    let environment: TwinEnvironment
    let tokens: LWATokens
    let quotas: AmazonTwinQuotas
    let store: ListingsStore
    let feeds: FeedStore
    /// The product type definitions served and checked (``TwinProductTypes``).
    let productTypes: TwinProductTypes

    /// The name of the definition check in ``TwinEnvironment/temporarilyLenientContracts``: while it is
    /// listed, PUTs and feed `UPDATE`s are not refused for failing their definition (TEMPORARY, issue 12).
    public static let definitionsContract = "product-type-definitions"
    let orders: OrderBook

    /// A twin with no listings, using `environment`'s options and counters.
    public init(environment: TwinEnvironment) {
        self.init(environment: environment, quotaRateScale: 1)
    }

    /// A twin whose quota refill rates are multiplied by `quotaRateScale` (tests use a tiny scale so
    /// a burst is exactly the published burst, whatever the machine's speed).
    init(environment: TwinEnvironment, quotaRateScale: Double) {
        self.environment = environment
        tokens = LWATokens(lifetime: environment.tokenLifetime, seed: environment.seed)
        quotas = AmazonTwinQuotas(
            isEnabled: environment.quotasEnabled,
            rateScale: quotaRateScale,
            multiplier: environment.quotaMultiplier
        )
        feeds = FeedStore(seed: environment.seed)
        let official = PublishedContract.specsDirectory().flatMap {
            try? String(
                contentsOf: $0.appendingPathComponent("amazon-sp-api/product-type-PRODUCT.json"),
                encoding: .utf8
            )
        }
        productTypes = TwinProductTypes(officialText: official)
        let lenient = environment.temporarilyLenientContracts.contains(Self.definitionsContract)
        store = ListingsStore(productTypes: lenient ? nil : productTypes)
        orders = OrderBook(seed: environment.seed)
    }

    /// Registers the LWA, Listings Items, Feeds and document routes on the `/amazon` group.
    public func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("auth/o2/token") { request, _ in try await self.issueToken(request) }
        addListingsRoutes(to: group)
        addFeedsRoutes(to: group)
        addDefinitionsRoutes(to: group)
        addOrdersRoutes(to: group)
    }

    /// Every listing, optionally of one marketplace (code `DE` or id `A1PA6795UKMFR9`).
    public func listings(marketplace: String?) async -> [TwinListing] {
        await store.listings(marketplace: marketplace)
    }

    // MARK: - Login with Amazon

    private func issueToken(_ request: Request) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        let form = Self.formFields(String(decoding: buffer.readableBytesView, as: UTF8.self))
        for field in ["grant_type", "refresh_token", "client_id", "client_secret"] where (form[field] ?? "").isEmpty {
            return Self.lwaError("invalid_request", "The request is missing a required parameter : \(field)")
        }
        guard form["grant_type"] == "refresh_token" else {
            return Self.lwaError("unsupported_grant_type", "The authorization grant type is not supported.")
        }
        let token = tokens.issue(clientID: form["client_id"]!, refreshToken: form["refresh_token"]!)
        let body: TwinJSON = [
            "access_token": .string(token), "token_type": "bearer",
            "expires_in": .int(Int(environment.tokenLifetime.components.seconds)),
        ]
        return AmazonResponses.json(.ok, body)
    }

    private static func lwaError(_ code: String, _ description: String) -> Response {
        AmazonResponses.json(.badRequest, ["error": .string(code), "error_description": .string(description)])
    }

    /// `application/x-www-form-urlencoded` fields (`+` is a space, `%XX` escapes decoded).
    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let text = part.replacingOccurrences(of: "+", with: " ")
                return text.removingPercentEncoding ?? text
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    // MARK: - Access and quotas

    /// Checks the access token, then `seller`'s quota for `operation` (or the token's account's when
    /// the operation names no seller; in `region` when given), then runs `handler`.
    func guarded(
        _ request: Request,
        _ operation: AmazonTwinQuotas.Operation,
        seller: String? = nil,
        region: String? = nil,
        handler: (_ account: String) async throws -> Response
    ) async throws -> Response {
        let account: String
        switch tokens.check(request.headers[AmazonResponses.accessTokenHeader]) {
        case .valid(let issuedFor): account = issuedFor
        case .expired: return AmazonResponses.unauthorized(expired: true)
        case .unknown: return AmazonResponses.unauthorized(expired: false)
        }
        // SP-API's regions are separate endpoints with separate usage plans: a region splits the budget.
        if let response = throttled(operation, key: (seller ?? account) + (region.map { "|" + $0 } ?? "")) {
            return response
        }
        return try await handler(account)
    }

    /// The 429 answer when `key`'s budget for `operation` is spent (counted in the sandbox stats).
    func throttled(_ operation: AmazonTwinQuotas.Operation, key: String) -> Response? {
        guard let retryAfter = quotas.take(operation, seller: key) else { return nil }
        environment.stats.recordThrottle(platform: platform)
        return AmazonResponses.quotaExceeded(
            retryAfter: retryAfter,
            rateLimit: quotas.header(operation)
        )
    }
}
