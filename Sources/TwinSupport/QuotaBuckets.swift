import Synchronization

/// A platform's published quotas as the platform enforces them: one token bucket per key (seller and
/// operation), each starting full. A twin asks ``take(_:rate:burst:)`` per request and answers 429
/// when it returns a delay.
public final class QuotaBuckets: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let buckets = Mutex<[String: Bucket]>([:])
    private let isEnabled: Bool
    /// Every rate and burst asked of ``take(_:rate:burst:)`` times this: a seller whose quotas the
    /// platform raised (the sandbox's `--quota-multiplier`).
    private let multiplier: Double

    /// Buckets that enforce quotas when `isEnabled` (the sandbox's `--quotas published`), each rate and
    /// burst raised by `multiplier`.
    public init(isEnabled: Bool, multiplier: Double = 1) {
        self.isEnabled = isEnabled
        self.multiplier = multiplier
    }

    /// Buckets as the sandbox's options say: enforced with `--quotas published`, raised by
    /// `--quota-multiplier`.
    public convenience init(_ environment: TwinEnvironment) {
        self.init(isEnabled: environment.quotasEnabled, multiplier: environment.quotaMultiplier)
    }

    /// Takes one token from `key`'s bucket. Returns `nil` when the request may proceed, or how long
    /// until a token is back (the `Retry-After` to send with the 429).
    public func take(_ key: String, rate published: Double, burst publishedBurst: Int) -> Duration? {
        guard isEnabled else { return nil }
        let rate = published * multiplier
        let burst = max(1, Int((Double(publishedBurst) * multiplier).rounded()))
        let now = ContinuousClock.now
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: Double(burst), updated: now)
            let (seconds, attoseconds) = (now - bucket.updated).components
            let elapsed = Double(seconds) + Double(attoseconds) / 1e18
            bucket.tokens = min(Double(burst), bucket.tokens + elapsed * rate)
            bucket.updated = now
            defer { buckets[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return .nanoseconds(Int64((1 - bucket.tokens) / rate * 1e9))
        }
    }
}
