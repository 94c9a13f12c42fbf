import Foundation

/// An OAuth access token and when it stops working.
public struct AccessToken: Sendable {
    /// The bearer value; a ``Secret`` so it never lands in a log.
    public var value: Secret
    /// When the platform stops accepting it.
    public var expiresAt: ContinuousClock.Instant

    public init(value: Secret, expiresAt: ContinuousClock.Instant) {
        self.value = value
        self.expiresAt = expiresAt
    }

    /// A token valid for `lifetime` from now (the `expires_in` of a token response).
    public init(value: Secret, expiresIn lifetime: Duration) {
        self.init(value: value, expiresAt: .now + lifetime)
    }
}

/// One account's access token: fetched once, shared by every channel, refreshed ahead of expiry with
/// at most one refresh in flight.
///
/// Adapters call ``token(_:)`` before each request with their platform's refresh call. When a platform
/// answers "expired" or "unauthorized" anyway (revoked, clock skew), the adapter calls
/// ``invalidate(_:)`` and retries once; a second failure is reported, not retried forever.
public actor TokenCache {
    /// How long before expiry a token is refreshed.
    public let refreshMargin: Duration
    private var current: AccessToken?
    /// The margin for the cached token: ``refreshMargin``, or half its lifetime if that is shorter
    /// (a token living 60 s is not refreshed on every call).
    private var margin: Duration = .zero
    private var refresh: Task<AccessToken, any Error>?
    /// Refreshes done so far (status, tests).
    public private(set) var refreshCount = 0

    /// A cache refreshing tokens `refreshMargin` before they expire.
    public init(refreshMargin: Duration = .seconds(60)) {
        self.refreshMargin = refreshMargin
    }

    /// A valid token: the cached one while it has more than the margin left, else a fresh one from
    /// `fetch` (callers arriving during a refresh wait for that same refresh).
    public func token(_ fetch: @escaping @Sendable () async throws -> AccessToken) async throws -> Secret {
        if let current, current.expiresAt - margin > .now { return current.value }
        if let refresh { return try await refresh.value.value }
        let task = Task { try await fetch() }
        refresh = task
        defer { refresh = nil }
        do {
            let fresh = try await task.value
            current = fresh
            margin = min(refreshMargin, (fresh.expiresAt - .now) / 2)
            refreshCount += 1
            return fresh.value
        } catch {
            current = nil
            throw error
        }
    }

    /// Forgets `token` if it is still the cached one (the platform said it is expired or revoked).
    public func invalidate(_ token: Secret) {
        if current?.value == token { current = nil }
    }
}
