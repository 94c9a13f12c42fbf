import Synchronization

/// The user access tokens the eBay twin issued, each with its expiry.
final class EbayTwinTokens: Sendable {
    private struct State {
        var issued: [String: ContinuousClock.Instant] = [:]
        var counter = 0
    }

    private let state = Mutex(State())
    private let seed: UInt64

    init(seed: UInt64) {
        self.seed = seed
    }

    /// A new token valid for `lifetime`.
    func issue(lifetime: Duration) -> String {
        state.withLock { state in
            state.counter += 1
            let token = "v^1.1#i^1#r^0#p^3#I^3#f^0#t^sandbox-\(seed)-\(state.counter)"
            state.issued[token] = .now + lifetime
            return token
        }
    }

    /// Whether `token` was issued and has not expired or been revoked.
    func isValid(_ token: String) -> Bool {
        state.withLock { state in
            guard let expiry = state.issued[token] else { return false }
            return expiry > .now
        }
    }

    /// Revokes every token issued so far (the seller withdrew consent, eBay rotated keys).
    func revokeAll() {
        state.withLock { $0.issued = [:] }
    }

    /// Tokens issued so far.
    var issuedCount: Int {
        state.withLock { $0.counter }
    }
}
