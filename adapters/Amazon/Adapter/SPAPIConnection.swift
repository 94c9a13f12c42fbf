import CurlHTTP
import Foundation
import Logging
import Sync

/// One SP-API call as the adapter makes it: paced, authenticated, and read for throttling signals.
///
/// Every call takes a token of its operation(s) from the account's ``RateLimiter``, carries
/// `x-amz-access-token` (from the account's ``TokenCache``), `x-amz-date` and the `user-agent`, and
/// reports `x-amzn-RateLimit-Limit` back to the limiter. A 403/401 invalidates the token and retries
/// once with a fresh one; a second refusal comes back as ``Reply/refused(reason:)`` (the account lacks
/// consent or a role: the channel needs attention), a 429, a 5xx or a transport failure as
/// ``Reply/transient(reason:after:)`` — the caller turns that into a per-SKU retry.
struct SPAPIConnection: Sendable {
    /// How a call ended, as far as the caller needs to know.
    enum Reply: Sendable {
        /// The platform answered with a final status (2xx or a 4xx that is not about auth or quota).
        case response(HTTPResponse)
        /// Try again later: network, 5xx or 429.
        case transient(reason: String, after: Duration?)
        /// Amazon refused a fresh access token (401/403: revoked consent, a missing role), in its words.
        case refused(reason: String)
    }

    /// The header SP-API reports the account's limit for the operation in (requests per second).
    static let rateLimitHeader = "x-amzn-RateLimit-Limit"
    /// The user agent Amazon asks every caller to send.
    static let userAgent = "CatalogSync/0.1 (Language=Swift; Platform=Linux)"

    /// The SP-API base URL without a trailing slash (regional host, or the account's endpoint override).
    let baseURL: String
    let http: HTTPClient
    let rateLimiter: RateLimiter
    let tokens: TokenCache
    let tokenProvider: LWATokenProvider
    let timeout: Duration
    let logger: Logger
    /// How long to wait after Amazon refused a fresh token.
    let refusedTokenDelay: Duration
    /// The account's platform, as requests are counted in the metrics (`amazon`).
    var platform = "amazon"

    /// Sends `method path?query` with `body`, paced by `operations` (the first names the call).
    func send(
        _ method: HTTPMethod,
        path: String,
        query: [(String, String)] = [],
        body: JSONValue? = nil,
        operations: [String]
    ) async -> Reply {
        var url = baseURL + path
        if !query.isEmpty {
            url +=
                "?"
                + query.map { "\(LWATokenProvider.formEncoded($0.0))=\(LWATokenProvider.formEncoded($0.1))" }
                .joined(separator: "&")
        }
        let bytes = body?.serialized()
        let operation = operations.first ?? path
        for attempt in 1...2 {
            // The token first: a slow refresh must not delay a request whose quota token is already
            // spent, or requests reach Amazon closer together than the bucket allows.
            let token: Secret
            do {
                token = try await tokens.token { [platform] in try await tokenProvider.fetch(countedAs: platform) }
            } catch {
                logger.error("Amazon access token unavailable", metadata: ["reason": "\(error)"])
                if let refusal = error as? LWATokenProvider.TokenError, refusal.isRefusal {
                    return .refused(reason: "\(error)")
                }
                return .transient(reason: "\(error)", after: refusedTokenDelay)
            }
            do {
                for operation in operations { try await rateLimiter.acquire(operation) }
            } catch {
                return .transient(reason: "cancelled while waiting for the \(operation) quota", after: nil)
            }
            var headers: HTTPHeaders = [
                "Accept": "application/json",
                "user-agent": Self.userAgent,
                "x-amz-date": Self.amazonDate(Date()),
            ]
            token.withRevealedValue { headers.add(name: "x-amz-access-token", value: $0) }
            if bytes != nil { headers.add(name: "Content-Type", value: "application/json") }
            let response: HTTPResponse
            do {
                response = try await http.execute(
                    HTTPRequest(method: method, url: url, headers: headers, body: bytes, timeout: timeout),
                    platform: platform,
                    operation: operation
                )
            } catch {
                return .transient(reason: "\(operation): \(error.kind.rawValue) (\(error.message))", after: nil)
            }
            switch response.status {
            case 401, 403:
                await tokens.invalidate(token)
                if attempt == 1 { continue }
                let errors = SPAPIWire.decode(SPAPIWire.ErrorList.self, from: response.body)
                let code = errors?.firstCode ?? "no code"
                logger.error(
                    "Amazon refused a fresh access token",
                    metadata: ["operation": "\(operation)", "status": "\(response.status)", "code": "\(code)"]
                )
                let words = errors.map { MarketplaceIssue.reason($0.issues) }.map { ": \($0)" } ?? ""
                return .refused(reason: "Amazon refused a fresh access token (\(response.status) \(code))\(words)")
            case 429:
                let retryAfter = response.retryAfter
                for operation in operations { await rateLimiter.throttled(operation, retryAfter: retryAfter) }
                let code = SPAPIWire.decode(SPAPIWire.ErrorList.self, from: response.body)?.firstCode ?? "QuotaExceeded"
                return .transient(reason: "429 \(code)", after: retryAfter)
            case 500...599:
                return .transient(reason: "\(operation) answered \(response.status)", after: response.retryAfter)
            default:
                if let limit = response.headers[Self.rateLimitHeader].flatMap(Double.init) {
                    await rateLimiter.observe(operation, limit: limit)
                }
                return .response(response)
            }
        }
        return .transient(reason: "\(operation): unreachable", after: nil)
    }

    /// `20261202T094831Z`: the `x-amz-date` form of `date` (ISO 8601 basic, UTC).
    static func amazonDate(_ date: Date) -> String {
        date.ISO8601Format().filter { $0 != "-" && $0 != ":" }
    }

    /// `text` percent-encoded as one path segment.
    static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: LWATokenProvider.unreserved) ?? text
    }
}
