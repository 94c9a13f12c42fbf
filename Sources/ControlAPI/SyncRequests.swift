import Catalog

/// `POST /v1/sync`: mark listings dirty now. Wire keys: `channel`, `skus`, `full` (all optional).
///
/// With `full`, the dirty set is rebuilt by comparing desired hashes with acked ones.
public struct SyncRequest: Codable, Hashable, Sendable {
    /// Only this channel; `nil` means all.
    public var channel: String?
    /// Only these SKUs; `nil` means all.
    public var skus: [String]?
    public var full: Bool?

    public init(channel: String? = nil, skus: [String]? = nil, full: Bool? = nil) {
        self.channel = channel
        self.skus = skus
        self.full = full
    }
}

/// `POST /v1/retry`: put dead letters back in the queue. Wire keys: `channel`, `skus` (optional).
public struct RetryRequest: Codable, Hashable, Sendable {
    public var channel: String?
    public var skus: [String]?

    public init(channel: String? = nil, skus: [String]? = nil) {
        self.channel = channel
        self.skus = skus
    }
}

/// `POST /v1/sync` and `POST /v1/retry` answer: how many (channel, SKU, facet) marks were queued.
/// Wire keys: `queued`.
public struct QueuedResponse: Codable, Hashable, Sendable {
    public var queued: Int

    public init(queued: Int) { self.queued = queued }
}

/// `GET /v1/queue`: pending work per channel. Wire keys: `channels` (each `channel`, `pending`,
/// `leased`, `backing_off`, `next_attempt_at`).
public struct QueueResponse: Codable, Hashable, Sendable {
    /// One channel's queue.
    public struct ChannelQueue: Codable, Hashable, Sendable {
        public var channel: String
        public var pending: Int
        public var leased: Int
        public var backingOff: Int
        /// When the earliest backing-off mark is due, ISO 8601 (UTC), or `nil`.
        public var nextAttemptAt: String?

        public init(channel: String, pending: Int, leased: Int, backingOff: Int, nextAttemptAt: String? = nil) {
            self.channel = channel
            self.pending = pending
            self.leased = leased
            self.backingOff = backingOff
            self.nextAttemptAt = nextAttemptAt
        }

        private enum CodingKeys: String, CodingKey {
            case channel, pending, leased
            case backingOff = "backing_off"
            case nextAttemptAt = "next_attempt_at"
        }
    }

    public var channels: [ChannelQueue]

    public init(channels: [ChannelQueue]) { self.channels = channels }
}

/// `GET /v1/dead-letters`: what marketplaces rejected and what to do about it.
/// Wire keys: `dead_letters` (each `sku`, `channel`, `facet`, `reason`, `hint`, `failed_at`).
public struct DeadLetterResponse: Codable, Hashable, Sendable {
    /// One rejected (channel, SKU, facet).
    public struct DeadLetter: Codable, Hashable, Sendable {
        public var sku: String
        public var channel: String
        public var facet: Facet
        /// The marketplace's own reason, as it gave it.
        public var reason: String
        /// What to do next (fix the product and re-import, or `catalogctl retry`).
        public var hint: String
        /// When it was rejected, ISO 8601 (UTC).
        public var failedAt: String?

        public init(sku: String, channel: String, facet: Facet, reason: String, hint: String, failedAt: String? = nil) {
            self.sku = sku
            self.channel = channel
            self.facet = facet
            self.reason = reason
            self.hint = hint
            self.failedAt = failedAt
        }

        private enum CodingKeys: String, CodingKey {
            case sku, channel, facet, reason, hint
            case failedAt = "failed_at"
        }
    }

    public var deadLetters: [DeadLetter]

    public init(deadLetters: [DeadLetter]) { self.deadLetters = deadLetters }

    private enum CodingKeys: String, CodingKey {
        case deadLetters = "dead_letters"
    }
}
