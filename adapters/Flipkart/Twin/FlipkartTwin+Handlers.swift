import Foundation
import Hummingbird
import TwinSupport

extension FlipkartTwin {
    /// `GET /oauth-service/oauth/token?grant_type=client_credentials&scope=Seller_Api`.
    func token(_ request: Request) -> Response {
        let authorization = request.headers[.authorization] ?? ""
        guard authorization.hasPrefix("Basic "),
            let decoded = Data(base64Encoded: String(authorization.dropFirst(6))),
            let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":"),
            colon != pair.startIndex, pair.index(after: colon) != pair.endIndex,
            !RevokedCredentials.contains(String(pair[pair.index(after: colon)...]))
        else {
            return Self.json(
                .unauthorized,
                [
                    "error": "unauthorized",
                    "error_description": "Full authentication is required to access this resource",
                ]
            )
        }
        let query = request.uri.queryParameters
        guard query.get("grant_type") == "client_credentials" else {
            return Self.json(
                .badRequest,
                ["error": "unsupported_grant_type", "error_description": "Unsupported grant type"]
            )
        }
        guard query.get("scope") == "Seller_Api" else {
            return Self.json(.badRequest, ["error": "invalid_scope", "error_description": "Invalid scope"])
        }
        let lifetime = environment.tokenLifetime
        let seconds = max(1, Int(lifetime.components.seconds))
        return Self.json(
            .ok,
            TokenAnswer(
                accessToken: tokens.issue(lifetime: lifetime),
                tokenType: "bearer",
                expiresIn: seconds,
                scope: "Seller_Api"
            )
        )
    }

    /// Checks the bearer token and the (optional) quota of `bucket` (the listings calls share one,
    /// the shipments search has its own), then runs `handler`.
    func guarded(
        _ request: Request,
        bucket: String = "listings",
        _ handler: () async throws -> Response
    ) async throws -> Response {
        let authorization = request.headers[.authorization] ?? ""
        let token = authorization.hasPrefix("Bearer ") ? String(authorization.dropFirst(7)) : ""
        guard tokens.isValid(token) else {
            return Self.json(.unauthorized, ["error": "invalid_token", "error_description": "Invalid access token"])
        }
        if let rate = configuration.requestsPerSecond,
            let wait = quotas.take(bucket, rate: rate, burst: configuration.burst)
        {
            environment.stats.recordThrottle(platform: platform)
            let seconds = max(
                1,
                Int((Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18).rounded(.up))
            )
            return Self.json(
                .tooManyRequests,
                FlipkartTwinModel.ErrorResponse(errors: [
                    .error(FlipkartTwinModel.Code.rateLimited, "Too many requests, retry later")
                ]),
                headers: [.retryAfter: String(seconds)]
            )
        }
        return try await handler()
    }

    /// `GET /listings/v3/{skuIds}`: `available` (each a `MarketplaceListingDetail`: `listing_id`,
    /// `product_id`, `price` once priced, `listing_status`, `locations` with their status and inventory),
    /// `unavailable`, `invalid` (`../shared/specs/flipkart/get-listings.md`).
    func lookUp(_ skuIDs: String) async -> Response {
        let skus = skuIDs.split(separator: ",").map { String($0).removingPercentEncoding ?? String($0) }
        guard skus.count <= Self.maximumSKUsPerCall else { return Self.tooMany }
        var available: [String: JSONValue] = [:]
        var invalid: [JSONValue] = []
        for sku in skus {
            if let detail = await state.detail(sku: sku) {
                available[sku] = detail
            } else {
                invalid.append(.string(sku))
            }
        }
        let body = JSONValue.object([
            "available": .object(available), "unavailable": .array([]), "invalid": .array(invalid),
        ])
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body.serialized))
        )
    }

    /// An update call: at most 10 SKUs, a status per SKU, HTTP 200.
    /// The body is read as raw JSON (``JSONValue``) so an int32 sent as `1099.00` or `"1099"` is seen as
    /// such; a body that is not a JSON object of objects is a 400.
    func update<Entry: Sendable>(
        _ request: Request,
        as read: (JSONValue) -> Entry,
        _ apply: (String, Entry) async -> FlipkartTwinModel.SKUStatus
    ) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 5 << 20)
        guard let json = try? JSONValue.parse(buffer.readableBytesView), let members = json.objectValue,
            members.values.allSatisfy({ $0.objectValue != nil })
        else {
            return Self.json(
                .badRequest,
                FlipkartTwinModel.ErrorResponse(errors: [
                    .error(FlipkartTwinModel.Code.invalidRequest, "Request body is not valid")
                ])
            )
        }
        let entries = members.mapValues(read)
        guard entries.count <= Self.maximumSKUsPerCall else { return Self.tooMany }
        await state.recordBatch(entries.count)
        var statuses: [String: FlipkartTwinModel.SKUStatus] = [:]
        for (sku, entry) in entries.sorted(by: { $0.key < $1.key }) { statuses[sku] = await apply(sku, entry) }
        return Self.json(.ok, statuses)
    }

    static var tooMany: Response {
        json(
            .badRequest,
            FlipkartTwinModel.ErrorResponse(errors: [
                .error(
                    FlipkartTwinModel.Code.invalidRequest,
                    "Number of SKUs in a request cannot exceed \(maximumSKUsPerCall)"
                )
            ])
        )
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

    struct TokenAnswer: Encodable {
        var accessToken: String
        var tokenType: String
        var expiresIn: Int
        var scope: String

        enum CodingKeys: String, CodingKey {
            case scope
            case accessToken = "access_token"
            case tokenType = "token_type"
            case expiresIn = "expires_in"
        }
    }
}
