import CurlHTTP
import Foundation
import Sync

/// Shiprocket HTTP calls with a cached login token and pacing.
///
/// The login token is valid 240 h per Shiprocket support, but one source says 24 h: the adapter treats
/// it as valid for ``tokenLifetime`` (24 h) and logs in again after that; a 401 logs in again once.
struct ShiprocketClient: Sendable {
    /// The production base (marketplace-apis.md §5).
    static let productionEndpoint = "https://apiv2.shiprocket.in"
    /// How long a login token is used before logging in again (well inside the 240 h validity).
    static let tokenLifetime: Duration = .seconds(24 * 3600)
    /// The rate limiter operation of every API call.
    static let operation = "api"

    /// What one call came to.
    enum Result: Sendable {
        case response(HTTPResponse)
        case failed(ListingOutcome)
    }

    let context: AdapterContext

    var baseURL: String { context.account.endpoint ?? Self.productionEndpoint }
    var loginURL: String { context.account.tokenEndpoint ?? baseURL + "/v1/external/auth/login" }

    /// Sends `method path` (under the base URL) with `body` (JSON unless `contentType` says otherwise).
    func send(
        _ method: HTTPMethod,
        _ path: String,
        body: [UInt8]? = nil,
        contentType: String = "application/json"
    ) async -> Result {
        for attempt in 1...2 {
            do {
                try await context.rateLimiter.acquire(Self.operation)
            } catch {
                return .failed(.retry(reason: "cancelled while waiting for the Shiprocket quota", after: nil))
            }
            let token: Sync.Secret
            do {
                token = try await context.tokens.token { [self] in try await login() }
            } catch let refused as CredentialsRefused {
                return .failed(.needsAttention(reason: refused.description))
            } catch {
                return .failed(.retry(reason: "Shiprocket login: \(error)", after: nil))
            }
            var headers: HTTPHeaders = ["Accept": "application/json"]
            token.withRevealedValue { headers.add(name: "Authorization", value: "Bearer " + $0) }
            if body != nil { headers.add(name: "Content-Type", value: contentType) }
            let response: HTTPResponse
            do {
                response = try await context.http.execute(
                    HTTPRequest(
                        method: method,
                        url: baseURL + path,
                        headers: headers,
                        body: body,
                        timeout: context.requestTimeout
                    ),
                    platform: context.account.platform,
                    operation: Self.operation
                )
            } catch {
                return .failed(.retry(reason: "Shiprocket \(method) \(path): \(error)", after: nil))
            }
            switch response.status {
            case 401 where attempt == 1:
                await context.tokens.invalidate(token)
                continue
            case 401, 403:
                // A fresh login token refused, or no permission: the account's problem, not the listing's.
                return .failed(.needsAttention(reason: "Shiprocket \(response.status): \(Self.message(response))"))
            case 429:
                let after = response.retryAfter
                await context.rateLimiter.throttled(Self.operation, retryAfter: after)
                return .failed(.retry(reason: "Shiprocket 429: \(Self.message(response))", after: after))
            case 500...:
                return .failed(
                    .retry(
                        reason: "Shiprocket \(response.status): \(Self.message(response))",
                        after: response.retryAfter
                    )
                )
            default:
                return .response(response)
            }
        }
        return .failed(.needsAttention(reason: "Shiprocket answered 401 to a fresh login token"))
    }

    /// `POST /v1/external/auth/login` with the API user's email and password.
    private func login() async throws -> AccessToken {
        let email = try context.account.credential("email")
        let password = try context.account.credential("password")
        try await context.rateLimiter.acquire("login")
        let body = email.withRevealedValue { email in
            password.withRevealedValue { password in
                (try? JSONEncoder().encode(ShiprocketWire.Login(email: email, password: password))) ?? Data()
            }
        }
        let response = try await context.http.execute(
            HTTPRequest(
                method: .post,
                url: loginURL,
                headers: ["Content-Type": "application/json", "Accept": "application/json"],
                body: Array(body),
                timeout: context.requestTimeout
            ),
            platform: context.account.platform,
            operation: "token"
        )
        guard response.isSuccess,
            let decoded = try? JSONDecoder().decode(ShiprocketWire.LoginResponse.self, from: Data(response.body))
        else {
            // 400/401/403 "Invalid email and password combination" (or a blocked API user): only an operator can
            // fix the credentials; a 429 or 5xx is retried.
            if [400, 401, 403].contains(response.status) {
                throw CredentialsRefused(
                    "Shiprocket login refused the credentials (\(response.status)): \(Self.message(response))"
                )
            }
            throw AdapterError.platform("login answered \(response.status): \(Self.message(response))")
        }
        return AccessToken(value: Secret(decoded.token), expiresIn: Self.tokenLifetime)
    }

    /// Shiprocket's `message`, or the body text.
    static func message(_ response: HTTPResponse) -> String {
        (try? JSONDecoder().decode(ShiprocketWire.ErrorBody.self, from: Data(response.body)))?.message
            ?? String(response.bodyText.prefix(300))
    }

    /// A non-2xx answer as the SKU's rejection: one issue per field error, in Shiprocket's words.
    static func rejection(_ response: HTTPResponse) -> ListingOutcome {
        let body = try? JSONDecoder().decode(ShiprocketWire.ErrorBody.self, from: Data(response.body))
        var issues: [MarketplaceIssue] = []
        for (field, texts) in (body?.errors ?? [:]).sorted(by: { $0.key < $1.key }) {
            for text in texts {
                issues.append(MarketplaceIssue(code: "\(response.status)", message: text, attributeNames: [field]))
            }
        }
        if issues.isEmpty {
            issues = [
                MarketplaceIssue(
                    code: "\(response.status)",
                    message: body?.message ?? String(response.bodyText.prefix(500))
                )
            ]
        }
        return .rejected(issues: issues)
    }
}
