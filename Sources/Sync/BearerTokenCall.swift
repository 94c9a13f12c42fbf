import CurlHTTP
import Foundation

/// Sends one platform's API calls with the account's cached OAuth bearer token: paces each through the
/// rate limiter, fetches a fresh token and resends once on 401, and reports 429s to the limiter. A 401
/// to the fresh token comes back as the response: the platform's adapter says what it means (an
/// account that needs attention, ``ListingOutcome/needsAttention(reason:)``).
public struct BearerTokenCall: Sendable {
    /// What a call ended in: a response to read, or the outcome of a call that got no answer to read (a
    /// transient failure to retry, or credentials the token endpoint refused: the account needs attention).
    public enum Result: Sendable {
        case response(HTTPResponse)
        case failed(ListingOutcome)
    }

    /// The platform's name in failure reasons (`eBay`).
    public let platform: String
    /// The reason given when no token can be had (`eBay token refresh failed`); the error follows it.
    public let tokenFailure: String
    /// The rate-limiter operation every call is paced by.
    public let operation: String
    /// The account's limiter, token cache, client and timeout.
    public let context: AdapterContext
    /// Asks the platform's token endpoint for a new token (called by the token cache when it has none).
    public let fetchToken: @Sendable () async throws -> AccessToken

    /// A caller for `platform`'s calls paced by `operation`.
    public init(
        platform: String,
        tokenFailure: String,
        operation: String,
        context: AdapterContext,
        fetchToken: @escaping @Sendable () async throws -> AccessToken
    ) {
        self.platform = platform
        self.tokenFailure = tokenFailure
        self.operation = operation
        self.context = context
        self.fetchToken = fetchToken
    }

    /// Sends `method url` with `Accept: application/json`, the bearer token, then `headers`;
    /// `path` names the call in failure reasons.
    public func send(
        _ method: HTTPMethod,
        url: String,
        path: String,
        headers extraHeaders: [(String, String)] = [],
        body: [UInt8]? = nil
    ) async -> Result {
        var attempt = 0
        while true {
            attempt += 1
            let token: Secret
            do {
                token = try await context.tokens.token { try await fetchToken() }
            } catch let refused as CredentialsRefused {
                return .failed(.needsAttention(reason: refused.description))
            } catch {
                return .failed(.retry(reason: "\(tokenFailure): \(error)", after: nil))
            }
            var headers: [(String, String)] = [("Accept", "application/json")]
            token.withRevealedValue { headers.append(("Authorization", "Bearer \($0)")) }
            headers += extraHeaders
            do {
                try await context.rateLimiter.acquire(operation)
            } catch {
                return .failed(.retry(reason: "cancelled while waiting for the rate limiter", after: nil))
            }
            let response: HTTPResponse
            do {
                response = try await context.http.execute(
                    HTTPRequest(
                        method: method,
                        url: url,
                        headers: HTTPHeaders(headers),
                        body: body,
                        timeout: context.requestTimeout
                    ),
                    platform: context.account.platform,
                    operation: operation
                )
            } catch {
                return .failed(
                    .retry(
                        reason: "\(platform) \(method) \(path): \(error.kind.rawValue): \(error.message)",
                        after: nil
                    )
                )
            }
            if response.status == 401, attempt == 1 {
                await context.tokens.invalidate(token)
                continue
            }
            if response.status == 429 {
                let retryAfter = response.retryAfter
                await context.rateLimiter.throttled(operation, retryAfter: retryAfter)
                return .failed(.retry(reason: "\(platform) throttled \(method) \(path) (429)", after: retryAfter))
            }
            if response.status >= 500 {
                return .failed(.retry(reason: "\(platform) \(method) \(path) answered \(response.status)", after: nil))
            }
            return .response(response)
        }
    }

}
