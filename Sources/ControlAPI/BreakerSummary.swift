/// A channel's circuit breaker in status: whether sends are held back after repeated failures.
///
/// Wire keys: `state` (`closed`, `open` or `half_open`), `open_until` (ISO 8601, UTC; only when
/// open), `consecutive_failures`, `openings`.
public struct BreakerSummary: Codable, Hashable, Sendable {
    /// `closed` (sending), `open` (nothing is sent until `open_until`) or `half_open` (one probe goes out).
    public var state: String
    public var openUntil: String?
    /// Transient failures in a row since the platform last answered.
    public var consecutiveFailures: Int
    /// Times the breaker opened since the daemon started.
    public var openings: Int

    public init(state: String, openUntil: String? = nil, consecutiveFailures: Int = 0, openings: Int = 0) {
        self.state = state
        self.openUntil = openUntil
        self.consecutiveFailures = consecutiveFailures
        self.openings = openings
    }

    private enum CodingKeys: String, CodingKey {
        case state
        case openUntil = "open_until"
        case consecutiveFailures = "consecutive_failures"
        case openings
    }
}
