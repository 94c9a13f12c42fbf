import Catalog
import CurlHTTP
import Foundation
import Sync

/// Sends Sell Inventory API calls for one channel: paces each through the account's rate limiter,
/// attaches a cached OAuth user token (refresh-token grant), retries once on 401 with a fresh token,
/// and reports 429s to the limiter.
struct EbayAPIClient: Sendable {
    /// The production hosts (`marketplace-apis.md` §2).
    static let productionEndpoint = "https://api.ebay.com"
    static let productionTokenEndpoint = "https://api.ebay.com/identity/v1/oauth2/token"
    /// The scope of every call the adapter makes.
    static let scope = "https://api.ebay.com/oauth/api_scope/sell.inventory"
    /// The rate-limiter operation of every Inventory API call (one budget per account).
    static let inventoryOperation = "sell.inventory"
    /// The rate-limiter operation of the token endpoint.
    static let tokenOperation = "oauth2.token"

    /// What a call ended in: a response to read, or a transient failure to retry.
    typealias Result = BearerTokenCall.Result

    let context: AdapterContext
    let clientID: Secret
    let clientSecret: Secret
    let refreshToken: Secret
    /// The OAuth scope the client's tokens are asked for (``scope``; the order source asks for
    /// ``fulfillmentScope`` on a token cache of its own).
    var tokenScope = EbayAPIClient.scope

    /// The base URL of the Inventory API (`…/sell/inventory/v1`).
    var inventoryBase: String {
        (context.account.endpoint ?? Self.productionEndpoint) + "/sell/inventory/v1"
    }

    init(context: AdapterContext) throws(AdapterError) {
        self.context = context
        clientID = try context.account.credential("client_id")
        clientSecret = try context.account.credential("client_secret")
        refreshToken = try context.account.credential("refresh_token")
    }

    /// Sends `method path` with an optional JSON body and `Content-Language`.
    func send(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, contentLanguage: String? = nil) async
        -> Result
    {
        var headers: [(String, String)] = []
        if body != nil { headers.append(("Content-Type", "application/json")) }
        if let contentLanguage { headers.append(("Content-Language", contentLanguage)) }
        let call = BearerTokenCall(
            platform: "eBay",
            tokenFailure: "eBay token refresh failed",
            operation: Self.inventoryOperation,
            context: context,
            fetchToken: fetchToken
        )
        return await call.send(method, url: inventoryBase + path, path: path, headers: headers, body: body)
    }

    /// The refresh-token grant: `POST /identity/v1/oauth2/token` with Basic client authentication.
    func fetchToken() async throws -> AccessToken {
        try await context.rateLimiter.acquire(Self.tokenOperation)
        let basic = clientID.withRevealedValue { id in
            clientSecret.withRevealedValue { secret in Data("\(id):\(secret)".utf8).base64EncodedString() }
        }
        let form = refreshToken.withRevealedValue { refresh in
            "grant_type=refresh_token&refresh_token=\(Self.formEncode(refresh))&scope=\(Self.formEncode(tokenScope))"
        }
        let response = try await context.http.execute(
            HTTPRequest(
                method: .post,
                url: context.account.tokenEndpoint ?? Self.productionTokenEndpoint,
                headers: HTTPHeaders([
                    ("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", "Basic \(basic)"),
                ]),
                body: Array(form.utf8),
                timeout: context.requestTimeout
            ),
            platform: context.account.platform,
            operation: "token"
        )
        guard response.status == 200 else {
            if response.status == 429 {
                await context.rateLimiter.throttled(
                    Self.tokenOperation,
                    retryAfter: response.retryAfter
                )
            }
            // A revoked refresh token or a wrong client: an operator must act (eBay's OAuth errors are RFC 6749's).
            if let refused = CredentialsRefused.oauth(response, platform: "eBay") { throw refused }
            // eBay's token errors (`invalid_grant`, `invalid_client`) carry no secrets.
            throw AdapterError.platform("eBay token endpoint answered \(response.status): \(response.bodyText)")
        }
        let decoded = try JSONDecoder().decode(EbayWire.TokenResponse.self, from: Data(response.body))
        return AccessToken(value: Secret(decoded.accessToken), expiresIn: .seconds(decoded.expiresIn ?? 7200))
    }

    /// `application/x-www-form-urlencoded` escaping of one value.
    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// Percent-escaping of one path segment or query value (a SKU, an offer id).
    static func pathEncode(_ value: String) -> String {
        formEncode(value)
    }
}
