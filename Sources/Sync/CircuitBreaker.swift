import Foundation

/// Stops a channel's workers from hammering a platform that is down.
///
/// Closed, it counts consecutive transient failures (throttling excluded: the rate limiter handles
/// that); at ``Configuration/failureThreshold`` it opens, and nothing is sent for the cool-down. Then
/// it is half-open: one probe batch goes out; success closes it, failure opens it again with twice the
/// cool-down, up to ``Configuration/maximumCooldown``. A probe that ends without a verdict (throttled,
/// nothing due, an error before sending) hands its ticket back and the next lane probes: a half-open
/// breaker never waits on a probe that is no longer running.
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

    /// What a lane may do now.
    enum Permission: Sendable, Hashable {
        /// Send. With a `probe` ticket the lane holds the half-open breaker's one probe: it must hand
        /// the ticket back through ``endProbe(_:)`` however its attempt ends, so a probe that gets no
        /// verdict (throttled, nothing due, an error before sending) never holds the channel.
        case send(probe: Int?)
        /// Wait this long, then ask again.
        case wait(Duration)
    }

    /// Whether a lane may send now. In half-open state only the first caller gets through (with a
    /// probe ticket) until the probe's verdict is recorded or the probe is handed back.
    mutating func permission(now: ContinuousClock.Instant = .now) -> Permission {
        switch state {
        case .closed:
            return .send(probe: nil)
        case .open(let until):
            if until > now { return .wait(until - now) }
            state = .halfOpen
            return takeProbe()
        case .halfOpen:
            return probe == nil ? takeProbe() : .wait(.milliseconds(200))
        }
    }

    /// The probe ticket `ticket` comes back without a verdict: the platform neither answered nor
    /// failed (throttled, nothing was due, the attempt ended early). The next lane probes instead.
    /// A ticket that is no longer current (a verdict came, or a newer probe started) changes nothing.
    mutating func endProbe(_ ticket: Int) {
        if probe == ticket { probe = nil }
    }

    /// The ticket of the probe in flight, if any.
    private(set) var probe: Int?
    private var probesIssued = 0

    private mutating func takeProbe() -> Permission {
        probesIssued += 1
        probe = probesIssued
        return .send(probe: probesIssued)
    }

    /// A send got an answer from the platform (accepted or rejected).
    mutating func recordSuccess() {
        consecutiveFailures = 0
        currentCooldown = configuration.cooldown
        state = .closed
        probe = nil
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
        probe = nil
        currentCooldown = min(currentCooldown * 2, configuration.maximumCooldown)
    }
}
