import Catalog

/// One outcome of one (channel, SKU) send, as the engine reports it to the daemon (events stream,
/// metrics, logs).
public struct EngineEvent: Sendable, Hashable {
    /// What happened.
    public enum Outcome: String, Sendable, Hashable {
        /// The marketplace accepted the facets; their hashes are acked.
        case accepted
        /// The marketplace refused the listing; it is a dead letter now.
        case rejected
        /// The adapter's local check refused the listing before sending; it is a dead letter (`held:`).
        case held
        /// A transient failure; the pair backs off and retries.
        case retrying
        /// The marketplace throttled the request (429).
        case throttled
        /// The verifier read the listing back and it shows something else than was acknowledged; the
        /// drifted facets are queued again (`message`: the drift's reason).
        case drifted
    }

    public var channel: String
    public var sku: SKU
    /// The facets that were sent.
    public var facets: [Facet]
    public var outcome: Outcome
    /// The marketplace's words (rejections), or the failure (retries).
    public var message: String?
    /// When the pair is due again (retries).
    public var retryAfter: Duration?
    /// The path the send took.
    public var mode: PushMode
    /// The time from the claim to the outcome.
    public var duration: Duration

    public init(
        channel: String,
        sku: SKU,
        facets: [Facet],
        outcome: Outcome,
        message: String? = nil,
        retryAfter: Duration? = nil,
        mode: PushMode,
        duration: Duration
    ) {
        self.channel = channel
        self.sku = sku
        self.facets = facets
        self.outcome = outcome
        self.message = message
        self.retryAfter = retryAfter
        self.mode = mode
        self.duration = duration
    }
}

extension ListingOutcome {
    /// Whether a retry was caused by throttling (HTTP 429 or a quota), which must not trip the breaker.
    var isThrottle: Bool {
        guard case .retry(let reason, _) = self else { return false }
        let lowered = reason.lowercased()
        return lowered.contains("429") || lowered.contains("quota") || lowered.contains("throttl")
    }
}
