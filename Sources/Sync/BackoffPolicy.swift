/// Exponential backoff with full jitter and a cap, for transient failures.
///
/// The delay before attempt `n` (1-based) is uniform in `[0, min(cap, base × 2^(n−1))]` — "full
/// jitter", which spreads retries of many SKUs so a platform that recovers is not hit by a wave. A
/// platform's own `Retry-After` wins when it asks for longer.
public struct BackoffPolicy: Sendable, Hashable {
    /// The ceiling of the first retry's delay.
    public var base: Duration
    /// The largest delay ever chosen.
    public var cap: Duration

    /// A policy starting at `base` and never waiting longer than `cap`.
    public init(base: Duration = .milliseconds(500), cap: Duration = .seconds(300)) {
        self.base = base
        self.cap = cap
    }

    /// The upper bound of the delay before attempt `attempt` (1-based), before jitter.
    public func ceiling(attempt: Int) -> Duration {
        let exponent = min(max(attempt, 1) - 1, 40)
        let baseNanos = Self.nanoseconds(base)
        let capNanos = Self.nanoseconds(cap)
        let (scaled, overflow) = baseNanos.multipliedReportingOverflow(by: Int64(1) << exponent)
        return .nanoseconds(overflow ? capNanos : min(scaled, capNanos))
    }

    /// The delay before attempt `attempt`: full jitter under ``ceiling(attempt:)``, at least `retryAfter`.
    public func delay(
        attempt: Int,
        retryAfter: Duration? = nil,
        using generator: inout some RandomNumberGenerator
    ) -> Duration {
        let ceilingNanos = Self.nanoseconds(ceiling(attempt: attempt))
        let jittered = Duration.nanoseconds(Int64.random(in: 0...ceilingNanos, using: &generator))
        guard let retryAfter else { return jittered }
        return max(jittered, retryAfter)
    }

    /// The delay before attempt `attempt` with the system's random generator.
    public func delay(attempt: Int, retryAfter: Duration? = nil) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(attempt: attempt, retryAfter: retryAfter, using: &generator)
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
