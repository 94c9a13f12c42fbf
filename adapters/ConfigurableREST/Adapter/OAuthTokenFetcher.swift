import CurlHTTP
import Foundation
import Sync

/// Fetches an access token by an OAuth 2.0 client-credentials grant (RFC 6749 §4.4) at a spec's token
/// endpoint. The account's ``Sync/TokenCache`` calls it when the cached token is missing, near expiry
/// (its refresh margin) or invalidated after a 401, so the token is refreshed without a restart.
struct OAuthTokenFetcher: Sendable {
    /// Why a token could not be had.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let client: RESTSpec.OAuthClient
    /// The token endpoint's full URL (``RESTSpec/OAuthClient/tokenURL`` resolved against the base URL).
    let url: String
    let clientID: Secret
    let clientSecret: Secret
    let http: HTTPClient
    let timeout: Duration

    /// `client`'s endpoint for a platform at `baseURL`.
    init(client: RESTSpec.OAuthClient, baseURL: String, clientID: Secret, clientSecret: Secret, context: AdapterContext)
    {
        self.client = client
        url = client.tokenURL.hasPrefix("/") ? baseURL + client.tokenURL : client.tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        http = context.http
        timeout = context.requestTimeout
    }

    /// A new token, as `Bearer <token>`, with the lifetime the endpoint gave (or the spec's default).
    func fetch() async throws -> AccessToken {
        var form = [("grant_type", "client_credentials")]
        if let scope = client.scope { form.append(("scope", scope)) }
        var headers: HTTPHeaders = [
            "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded",
        ]
        clientID.withRevealedValue { id in
            clientSecret.withRevealedValue { secret in
                switch client.clientAuth {
                case .basic:
                    // RFC 6749 §2.3.1: each part form-encoded before Basic encoding.
                    let pair = "\(Self.formEncoded(id)):\(Self.formEncoded(secret))"
                    headers.add(name: "Authorization", value: "Basic " + Data(pair.utf8).base64EncodedString())
                case .body:
                    form.append(("client_id", id))
                    form.append(("client_secret", secret))
                }
            }
        }
        let body = form.map { "\(Self.formEncoded($0.0))=\(Self.formEncoded($0.1))" }.joined(separator: "&")
        let response: HTTPResponse
        do {
            response = try await http.execute(
                HTTPRequest(method: .post, url: url, headers: headers, body: Array(body.utf8), timeout: timeout)
            )
        } catch {
            throw Failure(description: "the token endpoint is unreachable: \(error.kind.rawValue) (\(error.message))")
        }
        if let refused = CredentialsRefused.oauth(response, platform: "The partner's") { throw refused }
        guard (200...299).contains(response.status),
            let json = try? JSONSerialization.jsonObject(with: Data(response.body)),
            let token = client.tokenField.text(in: json), !token.isEmpty
        else {
            throw Failure(
                description:
                    "the token endpoint answered \(response.status) without \(client.tokenField): \(String(decoding: response.body.prefix(200), as: UTF8.self))"
            )
        }
        let lifetime = client.expiresField.text(in: json).flatMap(Int.init) ?? client.defaultLifetimeSeconds
        return AccessToken(value: Secret("Bearer \(token)"), expiresIn: .seconds(max(1, lifetime)))
    }

    /// `text` as `application/x-www-form-urlencoded`.
    static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text)
            .replacingOccurrences(of: "%20", with: "+")
    }
}
