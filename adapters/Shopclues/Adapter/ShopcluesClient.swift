import CurlHTTP
import Foundation
import Sync
import Synchronization

/// Shopclues HTTP calls within the local daily quota, with a cached OAuth2 token.
///
/// Every request, the token request included, takes one token of the account's `requests` bucket
/// (10,000 per 24 h by default). When the bucket is empty nothing is sent: the call comes back as
/// ``Sync/ListingOutcome/retry(reason:after:)`` after the time until a request is allowed again.
struct ShopcluesClient: Sendable {
    /// The production API base (UNCONFIRMED) and token URL (documented): ``ShopcluesContract``.
    static let productionEndpoint = ShopcluesContract.productionEndpoint
    static let productionTokenURL = ShopcluesContract.productionTokenURL
    /// The rate limiter bucket of the daily quota.
    static let quotaKey = "requests"

    enum Result: Sendable {
        case response(HTTPResponse)
        case failed(ListingOutcome)
    }

    let context: AdapterContext
    /// Until when the platform said its quota is spent (its 429 `Retry-After`), for this adapter.
    let platformPause = PlatformPause()

    var baseURL: String { context.account.endpoint ?? Self.productionEndpoint }
    var tokenURL: String {
        context.account.tokenEndpoint
            ?? (context.account.endpoint.map { $0 + ShopcluesContract.tokenPath } ?? Self.productionTokenURL)
    }

    /// POSTs `body` as JSON to `path`.
    func post(_ path: String, body: [UInt8]) async -> Result {
        for attempt in 1...2 {
            let token: Sync.Secret
            do {
                token = try await context.tokens.token { [self] in try await fetchToken() }
            } catch let error as QuotaSpent {
                return .failed(.retry(reason: "Shopclues daily quota spent", after: error.after))
            } catch let refused as CredentialsRefused {
                return .failed(.needsAttention(reason: refused.description))
            } catch {
                return .failed(.retry(reason: "Shopclues token: \(error)", after: nil))
            }
            if let after = await takeQuota() {
                return .failed(.retry(reason: "Shopclues daily quota spent", after: after))
            }
            var headers: HTTPHeaders = ["Accept": "application/json", "Content-Type": "application/json"]
            token.withRevealedValue { headers.add(name: "Authorization", value: "Bearer " + $0) }
            let response: HTTPResponse
            do {
                response = try await context.http.execute(
                    HTTPRequest(
                        method: .post,
                        url: baseURL + path,
                        headers: headers,
                        body: body,
                        timeout: context.requestTimeout
                    ),
                    platform: context.account.platform,
                    operation: path
                )
            } catch {
                return .failed(.retry(reason: "Shopclues \(path): \(error)", after: nil))
            }
            switch response.status {
            case 401 where attempt == 1:
                await context.tokens.invalidate(token)
                continue
            case 401, 403:
                // A fresh token refused, or no permission: the account's problem, not the listing's.
                return .failed(.needsAttention(reason: "Shopclues \(response.status): \(Self.message(response))"))
            case 429:
                let after = response.retryAfter
                await context.rateLimiter.throttled(Self.quotaKey, retryAfter: after)
                if let after { platformPause.extend(to: .now + after) }
                return .failed(.retry(reason: "Shopclues 429: \(Self.message(response))", after: after))
            case 500...:
                return .failed(.retry(reason: "Shopclues \(response.status): \(Self.message(response))", after: nil))
            default:
                return .response(response)
            }
        }
        return .failed(.needsAttention(reason: "Shopclues answered 401 to a fresh token"))
    }

    /// Takes one request of the daily quota: `nil` when allowed, else the time until one is.
    func takeQuota() async -> Duration? {
        let limiter = context.rateLimiter
        if let paused = platformPause.remaining() { return paused }
        if await limiter.tryAcquire(Self.quotaKey) { return nil }
        guard let state = await limiter.states().first(where: { $0.operation == Self.quotaKey }), state.rate > 0 else {
            return .seconds(60)
        }
        let seconds = max(0, 1 - state.tokens) / state.rate
        return .milliseconds(max(1000, Int64((seconds * 1000).rounded(.up))))
    }

    /// The OAuth2 token by the documented password grant (the password sent as its MD5 hex digest).
    private func fetchToken() async throws -> AccessToken {
        let clientID = try context.account.credential("client_id")
        let clientSecret = try context.account.credential("client_secret")
        let username = try context.account.credential("username")
        let password = try context.account.credential("password")
        if let after = await takeQuota() { throw QuotaSpent(after: after) }
        let body: Data = clientID.withRevealedValue { id in
            clientSecret.withRevealedValue { secret in
                let request = ShopcluesWire.TokenRequest(
                    grantType: ShopcluesContract.grantType,
                    clientID: id,
                    clientSecret: secret,
                    username: username.withRevealedValue { $0 },
                    password: password.withRevealedValue { MD5.hex($0) }
                )
                return (try? JSONEncoder().encode(request)) ?? Data()
            }
        }
        let response = try await context.http.execute(
            HTTPRequest(
                method: .post,
                url: tokenURL,
                headers: ["Content-Type": "application/json", "Accept": "application/json"],
                body: Array(body),
                timeout: context.requestTimeout
            ),
            platform: context.account.platform,
            operation: "token"
        )
        guard response.isSuccess,
            let decoded = try? JSONDecoder().decode(ShopcluesWire.TokenResponse.self, from: Data(response.body))
        else {
            // Shopclues' token endpoint speaks RFC 6749 (`invalid_grant` for a wrong username or password).
            if let refused = CredentialsRefused.oauth(response, platform: "Shopclues") { throw refused }
            throw AdapterError.platform("token request answered \(response.status): \(Self.message(response))")
        }
        return AccessToken(value: Secret(decoded.accessToken), expiresIn: .seconds(decoded.expiresIn ?? 3600))
    }

    /// The daily quota is spent; a request is allowed again after `after`.
    struct QuotaSpent: Error {
        var after: Duration
    }

    /// The platform's error message, or the body text.
    static func message(_ response: HTTPResponse) -> String {
        let body = try? JSONDecoder().decode(ShopcluesWire.BatchResult.self, from: Data(response.body))
        return body?.error?.message ?? String(response.bodyText.prefix(300))
    }
}

/// The end of a pause the platform asked for, shared by the copies of one client.
final class PlatformPause: Sendable {
    private let until = Mutex<ContinuousClock.Instant?>(nil)

    /// Pauses until `instant` unless already paused longer.
    func extend(to instant: ContinuousClock.Instant) {
        until.withLock { $0 = max($0 ?? instant, instant) }
    }

    /// The time left in the pause, `nil` when not paused.
    func remaining() -> Duration? {
        until.withLock { until in
            guard let end = until, end > .now else { return nil }
            return end - .now
        }
    }
}
