import CurlHTTP
import Foundation
import Sync

/// Exchanges the account's LWA refresh token for an SP-API access token (Login with Amazon).
///
/// `POST https://api.amazon.com/auth/o2/token` (or the account's `token_endpoint`) with the form
/// `grant_type=refresh_token&refresh_token=…&client_id=…&client_secret=…`; the answer's `access_token`
/// and `expires_in` become an ``AccessToken``. Secrets go on the wire only: errors name the status and
/// LWA's error code, never a credential.
struct LWATokenProvider: Sendable {
    /// Amazon's production token URL.
    static let defaultTokenEndpoint = "https://api.amazon.com/auth/o2/token"

    /// Why a token could not be had; its description never contains a credential.
    struct TokenError: Error, CustomStringConvertible {
        var description: String
        /// LWA refused the credentials themselves (400/401 `invalid_grant`, `invalid_client`,
        /// `unauthorized_client`): no retry helps until an operator replaces them.
        var isRefusal = false
    }

    /// LWA's error codes that mean the credentials are wrong or revoked, not that LWA is unwell.
    static let refusalCodes: Set<String> = ["invalid_grant", "invalid_client", "unauthorized_client"]

    let tokenURL: String
    let clientID: Secret
    let clientSecret: Secret
    let refreshToken: Secret
    let http: HTTPClient
    let timeout: Duration

    /// Fetches a fresh access token; the request is counted in the metrics under `platform`.
    func fetch(countedAs platform: String = "amazon") async throws -> AccessToken {
        let body = Self.formBody(clientID: clientID, clientSecret: clientSecret, refreshToken: refreshToken)
        let request = HTTPRequest(
            method: .post,
            url: tokenURL,
            headers: [
                "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
                "Accept": "application/json",
            ],
            body: Array(body.utf8),
            timeout: timeout
        )
        let response: HTTPResponse
        do {
            response = try await http.execute(request, platform: platform, operation: "token")
        } catch {
            throw TokenError(description: "LWA token request failed: \(error.kind.rawValue)")
        }
        guard response.status == 200 else {
            let code = SPAPIWire.decode(LWAError.self, from: response.body)?.error ?? "no error code"
            throw TokenError(
                description: "LWA token request answered \(response.status) (\(code))",
                isRefusal: (400..<500).contains(response.status) && Self.refusalCodes.contains(code)
            )
        }
        guard let token = SPAPIWire.decode(SPAPIWire.TokenResponse.self, from: response.body),
            !token.accessToken.isEmpty
        else {
            throw TokenError(description: "LWA token response has no access_token")
        }
        return AccessToken(value: Secret(token.accessToken), expiresIn: .seconds(token.expiresIn ?? 3600))
    }

    /// The form body with every value percent-encoded (`|` in `Atzr|…`, `+`, `=` and `&` included).
    static func formBody(clientID: Secret, clientSecret: Secret, refreshToken: Secret) -> String {
        let refresh = refreshToken.withRevealedValue { formEncoded($0) }
        let id = clientID.withRevealedValue { formEncoded($0) }
        let secret = clientSecret.withRevealedValue { formEncoded($0) }
        return "grant_type=refresh_token&refresh_token=\(refresh)&client_id=\(id)&client_secret=\(secret)"
    }

    /// `text` percent-encoded for `application/x-www-form-urlencoded`: only unreserved characters stay.
    static func formEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// RFC 3986 unreserved characters.
    static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )

    /// LWA's error body (`{"error":"invalid_grant","error_description":…}`); only the code is kept.
    private struct LWAError: Decodable {
        var error: String?
    }
}
