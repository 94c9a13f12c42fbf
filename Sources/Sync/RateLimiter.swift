/// One account's token buckets, one per operation, seeded with the platform's published quotas.
///
/// A bucket holds up to `burst` tokens and refills at `rate` per second. ``acquire(_:)`` reserves the
/// next token — the balance may go negative — and sleeps until that token exists, so callers are
/// served in arrival order and the bucket is spent exactly at its rate. The effective rate is the
/// published one times ``Configuration/safetyFactor`` and part of the burst stays unspent as a cushion,
/// so the platform's own bucket never runs dry in steady state and no 429 is drawn.
///
/// The cushion: requests reserved in order reach the platform later than reserved, by a delay that
/// varies (scheduling, a busy event loop at either end, the network). Arrivals then bunch: in the
/// worst case a window of the platform's sees ``Configuration/arrivalJitter`` more of our reservations
/// than it refills for. Keeping `rate × arrivalJitter` tokens of the burst unspent (at least one, at
/// most all but one) absorbs exactly that, at the cost of a smaller first burst.
///
/// Platforms tighten it live: ``observe(_:limit:)`` takes a rate-limit header
/// (`x-amzn-RateLimit-Limit`), and ``throttled(_:retryAfter:)`` pauses the operation until
/// `Retry-After` (or one refill interval) has passed. Operations without a quota are
/// not limited.
public actor RateLimiter {
    /// How the limiter spends published quotas.
    public struct Configuration: Sendable, Hashable {
        /// The fraction of the published rate actually used.
        public var safetyFactor: Double = 0.95
        /// `false` turns pacing off (a sandbox with quotas off, throughput benchmarks).
        public var isEnabled: Bool = true
        /// How much the delay from reservation to arrival at the platform may vary without a 429.
        public var arrivalJitter: Duration = .milliseconds(250)

        public init(safetyFactor: Double = 0.95, isEnabled: Bool = true, arrivalJitter: Duration = .milliseconds(250)) {
            self.safetyFactor = safetyFactor
            self.isEnabled = isEnabled
            self.arrivalJitter = arrivalJitter
        }
    }

    /// A bucket's state, for status and metrics.
    public struct BucketState: Sendable, Hashable {
        public var operation: String
        /// Tokens per second in use now (after safety factor and live tightening).
        public var rate: Double
        public var burst: Int
        /// Tokens available now; negative while callers wait.
        public var tokens: Double
        /// Times the platform answered 429 for this operation.
        public var throttles: Int
    }

    private struct Bucket {
        var rate: Double
        var burst: Double
        var tokens: Double
        var updated: ContinuousClock.Instant
        var pausedUntil: ContinuousClock.Instant?
        var throttles = 0

        mutating func refill(at now: ContinuousClock.Instant) {
            let elapsed = Self.seconds(now - updated)
            if elapsed > 0 {
                tokens = min(burst, tokens + elapsed * rate)
                updated = now
            }
        }

        static func seconds(_ duration: Duration) -> Double {
            let (seconds, attoseconds) = duration.components
            return Double(seconds) + Double(attoseconds) / 1e18
        }
    }

    public let configuration: Configuration
    private var buckets: [String: Bucket] = [:]
    /// Per operation, the next free slot of work limited to a share of its rate (``reserveShare``).
    private var shareSlots: [String: ContinuousClock.Instant] = [:]
    private let clock = ContinuousClock()

    /// A limiter with one bucket per quota, each starting full.
    public init(quotas: [OperationQuota], configuration: Configuration = Configuration()) {
        self.configuration = configuration
        let now = clock.now
        for quota in quotas {
            let rate = quota.requestsPerSecond * configuration.safetyFactor
            let cushion = min(
                Double(quota.burst - 1),
                max(1, rate * Bucket.seconds(configuration.arrivalJitter))
            )
            let burst = max(1, Double(quota.burst) - cushion)
            buckets[quota.operation] = Bucket(rate: rate, burst: burst, tokens: burst, updated: now)
        }
    }

    /// Waits until one request of `operation` may be sent, and takes its token.
    /// - Throws: `CancellationError` when the calling task is cancelled while waiting.
    public func acquire(_ operation: String) async throws {
        let wait = reserve(operation)
        if wait > .zero { try await Task.sleep(for: wait) }
    }

    /// Takes a token of `operation` now if one is there (no waiting), for opportunistic work.
    public func tryAcquire(_ operation: String) -> Bool {
        guard configuration.isEnabled, var bucket = buckets[operation] else { return true }
        let now = clock.now
        bucket.refill(at: now)
        guard bucket.tokens >= 1, bucket.pausedUntil.map { $0 <= now } ?? true else { return false }
        bucket.tokens -= 1
        buckets[operation] = bucket
        return true
    }

    /// The rate `operation` is spent at now and the tokens it holds (after refill), or `nil` when
    /// it is not limited (no quota, or pacing off): for work that only uses idle capacity.
    public func capacity(_ operation: String) -> (rate: Double, tokens: Double)? {
        guard configuration.isEnabled, var bucket = buckets[operation] else { return nil }
        let now = clock.now
        bucket.refill(at: now)
        buckets[operation] = bucket
        if let paused = bucket.pausedUntil, paused > now { return (bucket.rate, min(bucket.tokens, 0)) }
        return (bucket.rate, bucket.tokens)
    }

    /// Reserves the next slot of `operation` for work that may use only `share` of its rate (the listing
    /// verifier), shared by every caller of this account's limiter, so all channels of an account
    /// together stay within the share; returns how long to wait for the slot. An operation without a
    /// bucket (or pacing off) is taken to run at `fallbackRate`.
    public func reserveShare(_ operation: String, share: Double, fallbackRate: Double) -> Duration {
        let rate = configuration.isEnabled ? buckets[operation]?.rate ?? fallbackRate : fallbackRate
        let interval = 1 / max(rate * share, 1e-6)
        let now = clock.now
        let slot = max(shareSlots[operation] ?? now, now)
        shareSlots[operation] = slot + .nanoseconds(Int64(min(interval, 1e9) * 1e9))
        return slot - now
    }

    /// The platform reported its limit for `operation` in requests per second: use it from now on.
    public func observe(_ operation: String, limit: Double) {
        guard limit > 0, var bucket = buckets[operation] else { return }
        bucket.refill(at: clock.now)
        bucket.rate = limit * configuration.safetyFactor
        buckets[operation] = bucket
    }

    /// The platform answered 429 for `operation`: nothing is sent before `retryAfter` (or one refill
    /// interval) has passed. The bucket keeps its tokens: a long-window quota (Shopclues' 10,000 a day)
    /// must not lose a day's budget to one throttled second.
    public func throttled(_ operation: String, retryAfter: Duration?) {
        guard var bucket = buckets[operation] else { return }
        let now = clock.now
        bucket.refill(at: now)
        let pause = retryAfter ?? .seconds(1 / max(bucket.rate, 0.001))
        bucket.pausedUntil = max(bucket.pausedUntil ?? now, now + pause)
        bucket.throttles += 1
        buckets[operation] = bucket
    }

    /// Every bucket's state, sorted by operation.
    public func states() -> [BucketState] {
        let now = clock.now
        return buckets.keys.sorted().map { operation in
            var bucket = buckets[operation]!
            bucket.refill(at: now)
            return BucketState(
                operation: operation,
                rate: bucket.rate,
                burst: Int(bucket.burst),
                tokens: bucket.tokens,
                throttles: bucket.throttles
            )
        }
    }

    /// Reserves the next token and returns how long to wait for it.
    private func reserve(_ operation: String) -> Duration {
        guard configuration.isEnabled, var bucket = buckets[operation] else { return .zero }
        let now = clock.now
        bucket.refill(at: now)
        var start = now
        if let paused = bucket.pausedUntil, paused > now {
            start = paused
        } else {
            bucket.pausedUntil = nil
        }
        bucket.tokens -= 1
        buckets[operation] = bucket
        let deficit = bucket.tokens < 0 ? -bucket.tokens / bucket.rate : 0
        return (start - now) + .nanoseconds(Int64(deficit * 1e9))
    }
}
