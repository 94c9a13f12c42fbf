import Synchronization

/// The access tokens a twin issued, each with its expiry: `<prefix><n>` for the n-th token.
public final class TwinTokenIssuer: Sendable {
    private struct State {
        var issued: [String: ContinuousClock.Instant] = [:]
        var counter = 0
    }

    private let state = Mutex(State())
    private let prefix: String

    /// An issuer of tokens that start with `prefix` (the platform's token shape and the twin's seed).
    public init(prefix: String) {
        self.prefix = prefix
    }

    /// A new token valid for `lifetime`.
    public func issue(lifetime: Duration) -> String {
        state.withLock { state in
            state.counter += 1
            let token = "\(prefix)\(state.counter)"
            state.issued[token] = .now + lifetime
            return token
        }
    }

    /// Whether `token` was issued and has not expired or been revoked.
    public func isValid(_ token: String) -> Bool {
        state.withLock { state in
            guard let expiry = state.issued[token] else { return false }
            return expiry > .now
        }
    }

    /// Revokes every token issued so far (consent withdrawn, keys or secrets rotated).
    public func revokeAll() {
        state.withLock { $0.issued = [:] }
    }

    /// Tokens issued so far.
    public var issuedCount: Int {
        state.withLock { $0.counter }
    }
}
