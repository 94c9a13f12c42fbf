import Catalog
import Foundation

/// A product as stored: the value, its per-SKU revision and when it last changed.
public struct StoredProduct: Hashable, Sendable {
    public var product: Product
    /// Starts at 1 on insert and grows by one on every real change.
    public var revision: Int64
    public var updatedAt: Date
}

/// What happened to one product on a save.
public enum SaveOutcome: String, Hashable, Sendable {
    case inserted
    case updated
    /// The stored product was identical: nothing written, nothing marked dirty.
    case unchanged
}

/// How urgently a dirty (channel, SKU) should be sent; higher goes first.
public struct SyncPriority: RawRepresentable, Hashable, Comparable, Sendable {
    public var rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let normal = SyncPriority(rawValue: 0)
    /// A price went down: customers should not see the old, higher price for long.
    public static let priceDecrease = SyncPriority(rawValue: 1)
    /// Stock ran out, or the product was deleted: overselling is the worst outcome.
    public static let stockOut = SyncPriority(rawValue: 2)

    public static func < (lhs: SyncPriority, rhs: SyncPriority) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The facet hashes a marketplace acknowledged (or that were sent), `nil` where none.
public struct AckedHashes: Hashable, Sendable {
    public var content: Int64?
    public var price: Int64?
    public var quantity: Int64?

    public init(content: Int64? = nil, price: Int64? = nil, quantity: Int64? = nil) {
        self.content = content
        self.price = price
        self.quantity = quantity
    }

    /// The hash of `facet`.
    public subscript(facet: Facet) -> Int64? {
        get {
            switch facet {
            case .content: content
            case .price: price
            case .quantity: quantity
            }
        }
        set {
            switch facet {
            case .content: content = newValue
            case .price: price = newValue
            case .quantity: quantity = newValue
            }
        }
    }
}

/// One (channel, SKU) a worker claimed from the outbox, leased until it completes or the lease runs out.
public struct ClaimedListing: Hashable, Sendable {
    public var sku: SKU
    /// Pass back to ``CatalogStore/complete(channel:acks:now:)``: a newer generation means the
    /// product changed while the send was in flight.
    public var generation: Int64
    /// Failed attempts so far (for backoff).
    public var attempts: Int
    public var priority: SyncPriority
    /// When the first of those attempts failed (`nil` before any): the age the engine caps retries by.
    public var firstFailedAt: Date?
    /// What the marketplace last acknowledged per facet.
    public var acked: AckedHashes
}

/// A worker's report that the marketplace accepted a send.
public struct ListingAck: Hashable, Sendable {
    public var sku: SKU
    /// The generation that was claimed.
    public var generation: Int64
    /// The hashes of the facets that were SENT (not recomputed): facets left `nil` keep their old ack.
    public var sent: AckedHashes
    /// The marketplace's id of the listing, when it has one.
    public var remoteID: String?
    /// `true` when the send removed the listing (the product was deleted or unlisted).
    public var removed: Bool

    public init(sku: SKU, generation: Int64, sent: AckedHashes, remoteID: String? = nil, removed: Bool = false) {
        self.sku = sku
        self.generation = generation
        self.sent = sent
        self.remoteID = remoteID
        self.removed = removed
    }
}

/// What a marketplace acknowledged for one (channel, SKU).
public struct ListingState: Hashable, Sendable {
    public var channel: String
    public var sku: SKU
    public var acked: AckedHashes
    public var remoteID: String?
    public var status: String
    public var lastError: String?
    public var updatedAt: Date
}

/// A (channel, SKU) the marketplace rejected, kept out of the due set until the product
/// changes or an operator retries it.
public struct DeadLetter: Hashable, Sendable {
    public var channel: String
    public var sku: SKU
    /// The rejected facet, when the marketplace said which.
    public var facet: Facet?
    /// The marketplace's own words, verbatim (may be JSON of its issues).
    public var reason: String
    /// The product revision that was rejected.
    public var productRevision: Int64
    public var createdAt: Date
}

/// The outbox of one channel at a glance.
public struct QueueSummary: Hashable, Sendable {
    public var channel: String
    /// Due now or waiting for nothing but a worker.
    public var pending: Int
    /// Claimed by a worker, lease still running.
    public var leased: Int
    /// Waiting for `not_before` after a transient failure.
    public var backingOff: Int
    /// Rejected by the marketplace.
    public var deadLetters: Int
    /// When the first pair backing off becomes due again (`nil`: none is backing off).
    public var nextAttemptAt: Date? = nil
}
