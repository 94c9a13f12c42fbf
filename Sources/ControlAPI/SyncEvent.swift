import Catalog

/// One line of `GET /v1/events` (NDJSON): the outcome of one (channel, SKU, facet) send.
///
/// Wire keys: `time` (ISO 8601, UTC), `channel`, `sku`, `facet`, `outcome`, `message`, `retry_after_seconds`.
public struct SyncEvent: Codable, Hashable, Sendable {
    /// What happened to the send.
    public enum Outcome: String, Codable, Hashable, Sendable {
        /// The marketplace accepted it; the hash is acked.
        case accepted
        /// The marketplace refused it; it is a dead letter now.
        case rejected
        /// The adapter's local check refused it before sending (nothing sent); it is a dead letter now.
        case held
        /// A transient failure; it backs off and retries.
        case retrying
        /// The marketplace throttled the request (429).
        case throttled
        /// An order line took units off the catalog's stock (`channel` sold them).
        case sold
        /// A cancellation or return restock gave an order line's units back.
        case restored
        /// An order line sold more than the stock there was: the stock stopped at 0.
        case oversold
        /// The listing verifier found the platform showing something else (`message`: e.g. `drift: price
        /// 24.99 on amazon-de, expected 22.99`); the facet is queued again.
        case drifted
    }

    public var time: String
    public var channel: String
    public var sku: String
    public var facet: Facet
    public var outcome: Outcome
    public var message: String?
    public var retryAfterSeconds: Int?

    public init(
        time: String,
        channel: String,
        sku: String,
        facet: Facet,
        outcome: Outcome,
        message: String? = nil,
        retryAfterSeconds: Int? = nil
    ) {
        self.time = time
        self.channel = channel
        self.sku = sku
        self.facet = facet
        self.outcome = outcome
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    private enum CodingKeys: String, CodingKey {
        case time, channel, sku, facet, outcome, message
        case retryAfterSeconds = "retry_after_seconds"
    }
}
