import CurlHTTP
import Foundation
import Sync

/// Sends Flipkart Marketplace Seller API calls for one channel: paces each through the account's rate
/// limiter, attaches the cached client-credentials token, refreshes it once on 401, and reports 429s.
struct FlipkartAPIClient: Sendable {
    /// Production hosts (`marketplace-apis.md` §3); the sandbox passes its own.
    static let productionEndpoint = "https://api.flipkart.net"
    static let productionTokenEndpoint = "https://api.flipkart.net/oauth-service/oauth/token"
    /// The rate-limiter operation of every listings call (one budget per account).
    static let listingsOperation = "listings.v3"
    /// The rate-limiter operation of the shipments search (orders), a bucket of its own.
    static let shipmentsOperation = "shipments.v3"
    /// The rate-limiter operation of the token endpoint.
    static let tokenOperation = "oauth.token"

    /// What a call ended in: a response to read, or a transient failure to retry.
    typealias Result = BearerTokenCall.Result

    let context: AdapterContext
    let appID: Secret
    let appSecret: Secret

    init(context: AdapterContext) throws(AdapterError) {
        self.context = context
        appID = try context.account.credential("app_id")
        appSecret = try context.account.credential("app_secret")
    }

    /// Sends `method /sellers/listings/v3<path>` with an optional JSON body.
    func send(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil) async -> Result {
        await call(
            method,
            url: sellersBase + "/listings/v3" + path,
            path: path,
            operation: Self.listingsOperation,
            body: body
        )
    }

    /// `<endpoint>/sellers`: where every seller API path starts.
    var sellersBase: String { (context.account.endpoint ?? Self.productionEndpoint) + "/sellers" }

    /// Sends `method url` paced by `operation`, with the shared token; `path` names the call in reasons.
    func call(
        _ method: HTTPMethod,
        url: String,
        path: String,
        operation: String,
        body: [UInt8]? = nil
    ) async -> Result {
        let call = BearerTokenCall(
            platform: "Flipkart",
            tokenFailure: "Flipkart token request failed",
            operation: operation,
            context: context,
            fetchToken: fetchToken
        )
        let headers = body == nil ? [] : [("Content-Type", "application/json")]
        return await call.send(method, url: url, path: path, headers: headers, body: body)
    }

    /// The client-credentials grant: `GET …/oauth/token?grant_type=client_credentials&scope=Seller_Api`
    /// with Basic `appId:appSecret`.
    func fetchToken() async throws -> AccessToken {
        try await context.rateLimiter.acquire(Self.tokenOperation)
        let basic = appID.withRevealedValue { id in
            appSecret.withRevealedValue { secret in Data("\(id):\(secret)".utf8).base64EncodedString() }
        }
        let base = context.account.tokenEndpoint ?? Self.productionTokenEndpoint
        let response = try await context.http.execute(
            HTTPRequest(
                method: .get,
                url: base + "?grant_type=client_credentials&scope=Seller_Api",
                headers: HTTPHeaders([("Authorization", "Basic \(basic)"), ("Accept", "application/json")]),
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
            // A wrong or revoked app id/secret: Flipkart answers 401 `unauthorized` (Spring's OAuth error shape,
            // `../shared/specs/flipkart/`), a bad grant or scope RFC 6749's codes.
            if response.status == 401 {
                throw CredentialsRefused("Flipkart token endpoint refused the credentials (401)")
            }
            if let refused = CredentialsRefused.oauth(response, platform: "Flipkart") { throw refused }
            throw AdapterError.platform("Flipkart token endpoint answered \(response.status): \(response.bodyText)")
        }
        let decoded = try JSONDecoder().decode(FlipkartWire.TokenResponse.self, from: Data(response.body))
        // Flipkart's tokens last about 60 days (`expires_in` 5183999 in its example).
        return AccessToken(value: Secret(decoded.accessToken), expiresIn: .seconds(decoded.expiresIn ?? 5_183_999))
    }
}
