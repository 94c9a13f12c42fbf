import CurlHTTP
import Foundation
import Logging
import Sync

/// One request to a configurable platform: authenticated from the account's credentials, paced by
/// the account's rate limiter, its answer classified by the spec's status ranges.
struct RESTConnection: Sendable {
    /// How a call ended, as far as the caller needs to know.
    enum Reply: Sendable {
        /// A status the spec counts as success; the body for per-item results.
        case success(HTTPResponse)
        /// A final refusal: the platform's message (from the spec's error paths) and code.
        case refused(code: String, message: String)
        /// Try again later.
        case transient(reason: String, after: Duration?)
        /// The platform refused the credentials themselves (401/403 to fresh ones), in its words: the
        /// channel needs attention.
        case accountRefused(reason: String)
    }

    /// The credential of each auth type, resolved at build time (never from the spec).
    enum Credential: Sendable {
        case bearer(Secret)
        case basic(Secret)
        case apiKey(header: String, value: Secret)
        /// OAuth client credentials; the token comes from ``OAuthTokenFetcher`` through the token cache.
        case oauth(OAuthTokenFetcher)
    }

    let spec: RESTSpec
    let baseURL: String
    let credential: Credential
    let context: AdapterContext

    /// Sends `method path` with `body`: the token first, then the rate limiter, then the call.
    /// `absent`: statuses that count as success (a removal of a listing already gone).
    func send(method: String, path: String, body: String?, absent: StatusRanges? = nil) async -> Reply {
        let operation = RESTAdapterMethods.operation
        for attempt in 1...2 {
            // The token before the limiter, so a slow token lookup does not compress request spacing.
            let authorization: (name: String, value: Secret)
            do {
                authorization = try await header()
            } catch let refused as CredentialsRefused {
                return .accountRefused(reason: refused.description)
            } catch {
                return .transient(reason: "\(error)", after: .seconds(60))
            }
            do {
                try await context.rateLimiter.acquire(operation)
            } catch {
                return .transient(reason: "cancelled while waiting for the request quota", after: nil)
            }
            var headers: HTTPHeaders = ["Accept": "application/json"]
            if body != nil { headers.add(name: "Content-Type", value: "application/json") }
            for header in spec.headers { headers.replaceOrAdd(name: header.name, value: header.value) }
            authorization.value.withRevealedValue { headers.add(name: authorization.name, value: $0) }
            let response: HTTPResponse
            do {
                response = try await context.http.execute(
                    HTTPRequest(
                        method: HTTPMethod(rawValue: method),
                        url: baseURL + path + query,
                        headers: headers,
                        body: body.map { Array($0.utf8) },
                        timeout: context.requestTimeout
                    ),
                    platform: context.account.platform,
                    operation: operation
                )
            } catch {
                return .transient(reason: "\(method) \(path): \(error.kind.rawValue) (\(error.message))", after: nil)
            }
            let status = response.status
            if let absent, absent.contains(status) { return .success(response) }
            if let rule = spec.response.statusRules.first(where: { $0.statuses.contains(status) }) {
                switch rule.action {
                case .success: return judged(response)
                case .reject: return refused(response)
                case .retry(let after):
                    let told = response.retryAfter
                    if status == 429 { await context.rateLimiter.throttled(operation, retryAfter: told) }
                    let wait = [after, told].compactMap { $0 }.max()
                    return .transient(reason: "\(method) \(path) answered \(status)", after: wait)
                }
            }
            if spec.response.success.contains(status) { return judged(response) }
            if status == 401 || status == 403 {
                switch credential {
                case .bearer, .oauth: await context.tokens.invalidate(authorization.value)
                default: break
                }
                if attempt == 1 { continue }
                context.logger.error("the platform refused the credentials", metadata: ["status": "\(status)"])
                let (code, message) = errorText(
                    response.body,
                    status: status,
                    message: spec.response.errorMessage,
                    code: spec.response.errorCode
                )
                return .accountRefused(
                    reason: "\(context.account.platform) refused the credentials (\(status)): \(code): \(message)"
                )
            }
            if spec.response.retry.contains(status) {
                let after = response.retryAfter
                if status == 429 { await context.rateLimiter.throttled(operation, retryAfter: after) }
                return .transient(reason: "\(method) \(path) answered \(status)", after: after)
            }
            return refused(response)
        }
        return .transient(reason: "unreachable", after: nil)
    }

    /// The spec's static query parameters as `?a=b&c=d` (empty without any).
    private var query: String {
        guard !spec.query.isEmpty else { return "" }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "?"
            + spec.query.map {
                "\($0.name.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.name)="
                    + ($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.value)
            }.joined(separator: "&")
    }

    /// A success status, unless the spec judges success by a body field and the body says otherwise.
    private func judged(_ response: HTTPResponse) -> Reply {
        guard let field = spec.response.successField, let expected = spec.response.successValue else {
            return .success(response)
        }
        let json = try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])
        if let json, field.text(in: json) == expected { return .success(response) }
        return refused(response)
    }

    /// The answer as a final refusal, in the platform's words.
    private func refused(_ response: HTTPResponse) -> Reply {
        let (code, message) = errorText(
            response.body,
            status: response.status,
            message: spec.response.errorMessage,
            code: spec.response.errorCode
        )
        return .refused(code: code, message: message)
    }

    /// The auth header; a bearer token goes through the account's token cache.
    private func header() async throws -> (name: String, value: Secret) {
        switch credential {
        case .bearer(let token):
            let cached = try await context.tokens.token {
                AccessToken(value: Secret(token.withRevealedValue { "Bearer \($0)" }), expiresIn: .seconds(86_400))
            }
            return ("Authorization", cached)
        case .basic(let value): return ("Authorization", value)
        case .apiKey(let header, let value): return (header, value)
        case .oauth(let fetcher):
            return ("Authorization", try await context.tokens.token { try await fetcher.fetch() })
        }
    }

    /// An error body's code and message by the spec's paths; the body's start when they find nothing.
    func errorText(_ body: [UInt8], status: Int, message: JSONPath?, code: JSONPath?) -> (String, String) {
        let json = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        let codeText = json.flatMap { json in code?.text(in: json) } ?? "HTTP_\(status)"
        let messageText =
            json.flatMap { json in message?.text(in: json) } ?? String(decoding: body.prefix(300), as: UTF8.self)
        return (codeText, messageText)
    }

}
