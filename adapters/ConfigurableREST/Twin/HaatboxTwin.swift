import Foundation
import HTTPTypes
import Hummingbird
import Synchronization
import TwinSupport

/// A stateful fake of Haatbox, an imagined second partner described only by `config/haatbox.toml`: it
/// shows that a partner with a different API needs a spec file and no Swift. Mounted under `/haatbox`.
///
/// What it insists on, each something Rivexa does not do:
/// - `POST /haatbox/oauth2/token`: OAuth 2.0 client credentials (RFC 6749 §4.4) with HTTP Basic client
///   auth, `grant_type=client_credentials`, `scope=listings:write`; answers `{"access_token","token_type",
///   "expires_in"}`. ``expireTokens()`` revokes every token (the next call answers 401).
/// - Every `/haatbox/api` call needs the bearer token, the header `Haatbox-Api-Version: 2` and the query
///   parameter `channel=catalogsync`.
/// - `PATCH /haatbox/api/listings/{sku}` with `{"listing":{…}}` (`name`, `summary`, `maker`, `origin`,
///   `material`, `colour`, `photos`, `price`, `currency`, `stock`): merges into the listing.
/// - `POST /haatbox/api/listings/{sku}/archive`: withdraws it; 404 when there is none.
/// - **Every refusal is HTTP 200** `{"ok":false,"error":{"type","detail"}}` — success is `{"ok":true}`:
///   any string sent empty (`empty_value`: unknown values must be left out), a name with `[REJECT]`
///   (`prohibited_content`), a non-positive price or a negative stock.
/// - A name containing `[LOCKED]` answers 409 `{"ok":false,"error":{"type":"locked"}}` (the listing is
///   under moderation: the spec retries it after 5 s).
public struct HaatboxTwin: PlatformTwin {
    /// Always `haatbox`.
    public let platform = "haatbox"
    let state = HaatboxStore()

    /// A twin with no listings.
    public init() {}

    /// How many tokens the token endpoint has issued.
    public var tokensIssued: Int { state.withLock { $0.issued } }

    /// Revokes every issued token, as a token's expiry would.
    public func expireTokens() { state.withLock { $0.tokens.removeAll() } }

    /// Registers the token, listing and archive routes on the `/haatbox` group.
    public func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("oauth2/token") { request, _ in try await self.token(request) }
        group.patch("api/listings/:sku") { request, context in
            try await self.guarded(request) { try await self.patch(request, sku: context.parameters.get("sku") ?? "") }
        }
        group.post("api/listings/:sku/archive") { request, context in
            try await self.guarded(request) {
                let sku = context.parameters.get("sku") ?? ""
                let removed = self.state.withLock { $0.listings.removeValue(forKey: sku) != nil }
                return removed ? Self.ok() : Self.answer(.notFound, "not_found", "no listing \(sku)")
            }
        }
    }

    /// Every listing (Haatbox has one marketplace, `GLOBAL`).
    public func listings(marketplace: String?) async -> [TwinListing] {
        state.withLock { $0.listings.values.sorted { $0.sku < $1.sku } }.map { $0.twinListing }
    }

    /// The listing of `sku` as the twin keeps it.
    func listing(_ sku: String) -> HaatboxListing? { state.withLock { $0.listings[sku] } }

    // MARK: - Routes

    private func token(_ request: Request) async throws -> Response {
        let body = String(buffer: try await request.body.collect(upTo: 1 << 16))
        var form: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if parts.count == 2 { form[parts[0]] = parts[1] }
        }
        guard let header = request.headers[.authorization], header.hasPrefix("Basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
            decoded.split(separator: ":").count == 2,
            !RevokedCredentials.contains(decoded.split(separator: ":").last.map(String.init))
        else {
            return Self.json(.unauthorized, #"{"error":"invalid_client"}"#)
        }
        guard form["grant_type"] == "client_credentials" else {
            return Self.json(.badRequest, #"{"error":"unsupported_grant_type"}"#)
        }
        guard form["scope"] == "listings:write" else { return Self.json(.badRequest, #"{"error":"invalid_scope"}"#) }
        let token = state.withLock { state in
            state.issued += 1
            let token = "hbx-\(state.issued)"
            state.tokens.insert(token)
            return token
        }
        return Self.json(.ok, #"{"access_token":"\#(token)","token_type":"Bearer","expires_in":3600}"#)
    }

    private func patch(_ request: Request, sku: String) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        guard let root = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any],
            let fields = root["listing"] as? [String: Any]
        else {
            return Self.answer(.ok, "invalid_body", "the body must be {\"listing\": {...}}")
        }
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            if let text = value as? String, text.isEmpty {
                return Self.answer(.ok, "empty_value", "listing.\(key) must be left out when unknown, not sent empty")
            }
        }
        var listing = listing(sku) ?? HaatboxListing(sku: sku)
        if let problem = listing.apply(fields) { return Self.answer(.ok, problem.0, problem.1) }
        if listing.name?.contains("[LOCKED]") == true {
            return Self.answer(.conflict, "locked", "the listing is under moderation")
        }
        state.withLock { $0.listings[sku] = listing }
        return Self.ok()
    }

    // MARK: - Auth, headers, query

    private func guarded(_ request: Request, _ handler: () async throws -> Response) async throws -> Response {
        let token = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let token, state.withLock({ $0.tokens.contains(token) }) else {
            return Self.answer(.unauthorized, "unauthorized", "missing, unknown or expired token")
        }
        guard let name = HTTPField.Name("Haatbox-Api-Version"), request.headers[name] == "2" else {
            return Self.answer(.badRequest, "unsupported_version", "send the header Haatbox-Api-Version: 2")
        }
        guard request.uri.queryParameters.get("channel") == "catalogsync" else {
            return Self.answer(.badRequest, "unknown_channel", "the query parameter channel=catalogsync is required")
        }
        return try await handler()
    }

    // MARK: - Wire helpers

    static func ok() -> Response { json(.ok, #"{"ok":true}"#) }

    static func answer(_ status: HTTPResponse.Status, _ type: String, _ detail: String) -> Response {
        json(
            status,
            #"{"ok":false,"error":{"type":"\#(RivexaTwin.escaped(type))","detail":"\#(RivexaTwin.escaped(detail))"}}"#
        )
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        RivexaTwin.json(status, text)
    }
}
