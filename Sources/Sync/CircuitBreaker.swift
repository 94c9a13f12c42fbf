import Foundation

/// Stops a channel's workers from hammering a platform that is down.
///
/// Closed, it counts consecutive transient failures (throttling excluded: the rate limiter handles
/// that); at ``Configuration/failureThreshold`` it opens, and nothing is sent for the cool-down. Then
/// it is half-open: one probe batch goes out; success closes it, failure opens it again with twice the
/// cool-down, up to ``Configuration/maximumCooldown``.
struct CircuitBreaker: Sendable {
    /// When the breaker opens and how long it stays open.
    struct Configuration: Sendable, Hashable {
        /// Consecutive transient failures that open the breaker.
        var failureThreshold = 25
        /// The first cool-down.
        var cooldown: Duration = .seconds(5)
        /// The longest cool-down.
        var maximumCooldown: Duration = .seconds(300)
    }

    /// Where the breaker is.
    enum State: Sendable, Hashable {
        case closed
        case open(until: ContinuousClock.Instant)
        case halfOpen
    }

    let configuration: Configuration
    private(set) var state = State.closed
    private var consecutiveFailures = 0
    private var currentCooldown: Duration
    /// Times the breaker opened.
    private(set) var openings = 0

    init(configuration: Configuration) {
        self.configuration = configuration
        self.currentCooldown = configuration.cooldown
    }

    /// How long to wait before sending, or `nil` when sending is allowed now. In half-open state only
    /// the first caller gets through until its outcome is recorded.
    mutating func permission(now: ContinuousClock.Instant = .now) -> Duration? {
        switch state {
        case .closed:
            return nil
        case .open(let until):
            if until > now { return until - now }
            state = .halfOpen
            probing = true
            return nil
        case .halfOpen:
            return probing ? .milliseconds(200) : nil
        }
    }

    private var probing = false

    /// A send got an answer from the platform (accepted or rejected).
    mutating func recordSuccess() {
        consecutiveFailures = 0
        currentCooldown = configuration.cooldown
        state = .closed
        probing = false
    }

    /// A send failed transiently.
    mutating func recordFailure(now: ContinuousClock.Instant = .now) {
        consecutiveFailures += 1
        switch state {
        case .halfOpen:
            open(now: now)
        case .closed where consecutiveFailures >= configuration.failureThreshold:
            open(now: now)
        default:
            break
        }
    }

    /// Whether the breaker is open or probing.
    var isOpen: Bool { state != .closed }

    /// The breaker for status. An open breaker whose cool-down is over shows as half-open: the next
    /// send is its probe.
    func status(now: ContinuousClock.Instant = .now, date: Date = Date()) -> BreakerStatus {
        let shown: BreakerStatus.State
        var openUntil: Date?
        switch state {
        case .closed:
            shown = .closed
        case .halfOpen:
            shown = .halfOpen
        case .open(let until) where until > now:
            shown = .open
            openUntil = date.addingTimeInterval((until - now).seconds)
        case .open:
            shown = .halfOpen
        }
        return BreakerStatus(
            state: shown,
            openUntil: openUntil,
            consecutiveFailures: consecutiveFailures,
            openings: openings
        )
    }

    private mutating func open(now: ContinuousClock.Instant) {
        state = .open(until: now + currentCooldown)
        openings += 1
        probing = false
        currentCooldown = min(currentCooldown * 2, configuration.maximumCooldown)
    }
}
