import Foundation

/// A channel's circuit breaker as status shows it: whether sends are held back, and until when.
public struct BreakerStatus: Sendable, Hashable {
    /// Where the breaker is.
    public enum State: String, Sendable, Hashable {
        /// Sending normally.
        case closed
        /// Too many consecutive transient failures: nothing is sent until ``BreakerStatus/openUntil``.
        case open
        /// The cool-down is over: one probe goes out; its outcome closes or reopens the breaker.
        case halfOpen = "half_open"
    }

    /// Where the breaker is now.
    public var state: State
    /// With ``State/open``: when the cool-down ends.
    public var openUntil: Date?
    /// Transient failures in a row since the platform last answered.
    public var consecutiveFailures: Int
    /// Times the breaker opened since the daemon started.
    public var openings: Int

    /// A breaker in `state`.
    public init(state: State, openUntil: Date? = nil, consecutiveFailures: Int = 0, openings: Int = 0) {
        self.state = state
        self.openUntil = openUntil
        self.consecutiveFailures = consecutiveFailures
        self.openings = openings
    }
}
