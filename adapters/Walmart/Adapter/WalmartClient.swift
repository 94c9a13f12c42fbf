import CurlHTTP
import Foundation
import Sync

/// Walmart Marketplace HTTP calls with the platform's headers, a cached access token and pacing.
///
/// Every call waits for its operation's token in the account's rate limiter, sends
/// `WM_SEC.ACCESS_TOKEN`, a fresh `WM_QOS.CORRELATION_ID` and `WM_SVC.NAME`, refreshes the token once
/// on 401, reports 429 to the limiter with its `Retry-After`, and turns transport failures, 5xx and 429
/// into ``Sync/ListingOutcome/retry(reason:after:)``. Any other answer goes back to the caller.
struct WalmartClient: Sendable {
    /// The production host (marketplace-apis.md §4 [WM-FAQ]).
    static let productionEndpoint = "https://marketplace.walmartapis.com"
    /// The service name Walmart requires in `WM_SVC.NAME`.
    static let serviceName = "Walmart Marketplace"

    /// What one call came to.
    enum Result: Sendable {
        /// The platform answered (2xx or a 4xx other than 401 and 429).
        case response(HTTPResponse)
        /// A transient failure, already mapped to the outcome every SKU of the call gets.
        case failed(ListingOutcome)
    }

    let context: AdapterContext

    /// The API base URL: the account's override or production.
    var baseURL: String { context.account.endpoint ?? Self.productionEndpoint }

    /// The token URL: the account's override, else `/v3/token` under the base URL.
    var tokenURL: String { context.account.tokenEndpoint ?? baseURL + "/v3/token" }

    /// Sends `method path` with `body` (JSON unless `contentType` says otherwise), paced as `operation`.
    func send(
        _ operation: String,
        _ method: HTTPMethod,
        _ path: String,
        body: [UInt8]? = nil,
        contentType: String = "application/json"
    ) async -> Result {
        for attempt in 1...2 {
            do {
                try await context.rateLimiter.acquire(operation)
            } catch {
                return .failed(.retry(reason: "cancelled while waiting for the \(operation) quota", after: nil))
            }
            let token: Sync.Secret
            do {
                token = try await context.tokens.token { [self] in try await fetchToken() }
            } catch let refused as CredentialsRefused {
                return .failed(.needsAttention(reason: refused.description))
            } catch {
                return .failed(.retry(reason: "Walmart token: \(error)", after: nil))
            }
            var headers = Self.baseHeaders()
            token.withRevealedValue { headers.add(name: "WM_SEC.ACCESS_TOKEN", value: $0) }
            if body != nil { headers.add(name: "Content-Type", value: contentType) }
            let request = HTTPRequest(
                method: method,
                url: baseURL + path,
                headers: headers,
                body: body,
                timeout: context.requestTimeout
            )
            let response: HTTPResponse
            do {
                response = try await context.http.execute(
                    request,
                    platform: context.account.platform,
                    operation: operation
                )
            } catch {
                return .failed(.retry(reason: "Walmart \(operation): \(error)", after: nil))
            }
            switch response.status {
            case 401 where attempt == 1:
                await context.tokens.invalidate(token)
                continue
            case 401, 403:
                // A fresh token refused, or no permission: the account's problem, not the listing's.
                return .failed(
                    .needsAttention(reason: "Walmart \(operation): \(response.status) \(Self.summary(response))")
                )
            case 429:
                let after = response.retryAfter
                await context.rateLimiter.throttled(operation, retryAfter: after)
                return .failed(.retry(reason: "Walmart \(operation): 429 \(Self.summary(response))", after: after))
            case 500...:
                return .failed(
                    .retry(reason: "Walmart \(operation): \(response.status)", after: response.retryAfter)
                )
            default:
                return .response(response)
            }
        }
        return .failed(.needsAttention(reason: "Walmart \(operation): 401 after a fresh token"))
    }

    /// `POST /v3/token` with the client credentials (Basic), as a cacheable access token.
    private func fetchToken() async throws -> AccessToken {
        let clientID = try context.account.credential("client_id")
        let clientSecret = try context.account.credential("client_secret")
        try await context.rateLimiter.acquire("token")
        var headers = Self.baseHeaders()
        let basic = clientID.withRevealedValue { id in
            clientSecret.withRevealedValue { secret in Data("\(id):\(secret)".utf8).base64EncodedString() }
        }
        headers.add(name: "Authorization", value: "Basic " + basic)
        headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let request = HTTPRequest(
            method: .post,
            url: tokenURL,
            headers: headers,
            body: Array("grant_type=client_credentials".utf8),
            timeout: context.requestTimeout
        )
        let response = try await context.http.execute(request, platform: context.account.platform, operation: "token")
        guard response.isSuccess,
            let decoded = try? JSONDecoder().decode(WalmartWire.TokenResponse.self, from: Data(response.body))
        else {
            // 401 UNAUTHORIZED.GMP_GATEWAY_API: a wrong or revoked client id/secret; only an operator can fix it.
            if response.status == 401 || response.status == 403 {
                throw CredentialsRefused(
                    "Walmart token endpoint refused the credentials (\(response.status)): \(Self.summary(response))"
                )
            }
            throw AdapterError.platform("token request answered \(response.status): \(Self.summary(response))")
        }
        return AccessToken(value: Secret(decoded.accessToken), expiresIn: .seconds(decoded.expiresIn ?? 900))
    }

    /// `WM_SVC.NAME`, a fresh `WM_QOS.CORRELATION_ID` and `Accept`, sent on every request.
    static func baseHeaders() -> HTTPHeaders {
        [
            "WM_SVC.NAME": serviceName,
            "WM_QOS.CORRELATION_ID": UUID().uuidString,
            "Accept": "application/json",
        ]
    }

    /// The error descriptions of a Walmart error body, or the body text.
    static func summary(_ response: HTTPResponse) -> String {
        let issues = issues(in: response)
        guard !issues.isEmpty else { return String(response.bodyText.prefix(300)) }
        return issues.map { "\($0.code): \($0.message)" }.joined(separator: "; ")
    }

    /// The entries of a Walmart error body as marketplace issues, verbatim.
    static func issues(in response: HTTPResponse) -> [MarketplaceIssue] {
        guard let body = try? JSONDecoder().decode(WalmartWire.ErrorBody.self, from: Data(response.body)) else {
            return []
        }
        return body.entries.map { entry in
            MarketplaceIssue(
                code: entry.code ?? "HTTP_\(response.status)",
                message: entry.description ?? entry.info ?? "",
                severity: entry.severity ?? "ERROR",
                attributeNames: entry.field.map { [$0] } ?? []
            )
        }
    }

    /// The outcome of a non-2xx answer that is not transient: the platform's own issues, or its text.
    static func rejection(_ response: HTTPResponse) -> ListingOutcome {
        var issues = issues(in: response)
        if issues.isEmpty {
            issues = [MarketplaceIssue(code: "HTTP_\(response.status)", message: String(response.bodyText.prefix(500)))]
        }
        return .rejected(issues: issues)
    }
}
