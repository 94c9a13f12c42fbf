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
    }

    let spec: RESTSpec
    let baseURL: String
    let credential: Credential
    let context: AdapterContext

    /// Sends `method path` with `body`: the token first, then the rate limiter, then the call.
    func send(method: String, path: String, body: String?) async -> Reply {
        let operation = RESTAdapterMethods.operation
        for attempt in 1...2 {
            // The token before the limiter, so a slow token lookup does not compress request spacing.
            let authorization: (name: String, value: Secret)
            do {
                authorization = try await header()
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
            authorization.value.withRevealedValue { headers.add(name: authorization.name, value: $0) }
            let response: HTTPResponse
            do {
                response = try await context.http.execute(
                    HTTPRequest(
                        method: HTTPMethod(rawValue: method),
                        url: baseURL + path,
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
            if spec.response.success.contains(status) { return .success(response) }
            if status == 401 || status == 403 {
                if case .bearer = credential { await context.tokens.invalidate(authorization.value) }
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
            let (code, message) = errorText(
                response.body,
                status: status,
                message: spec.response.errorMessage,
                code: spec.response.errorCode
            )
            return .refused(code: code, message: message)
        }
        return .transient(reason: "unreachable", after: nil)
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
