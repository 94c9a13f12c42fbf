import Catalog
import Foundation
import GRDB

/// One (channel, SKU) in the outbox, as the control plane shows it.
public struct DirtyEntry: Hashable, Sendable {
    public var channel: String
    public var sku: SKU
    public var generation: Int64
    public var priority: SyncPriority
    public var attempts: Int
    public var notBefore: Date
    public var leaseUntil: Date?
    /// Rejected by the marketplace and waiting for a product change or an operator's retry.
    public var isDead: Bool
    public var lastError: String?
}

/// Reads for the control plane: listing states, the queue, dead letters.
extension CatalogStore {
    /// What each channel acknowledged for `sku`, ordered by channel.
    public func listingStates(sku: SKU) throws -> [ListingState] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT channel, content_hash, price_hash, quantity_hash, remote_id, status, last_error, updated_at
                    FROM listing_state WHERE sku = ? ORDER BY channel
                    """,
                arguments: [sku.rawValue]
            ).map { row in
                ListingState(
                    channel: row[0],
                    sku: sku,
                    acked: AckedHashes(content: row[1], price: row[2], quantity: row[3]),
                    remoteID: row[4],
                    status: row[5],
                    lastError: row[6],
                    updatedAt: StoreClock.date(row[7])
                )
            }
        }
    }

    /// The outbox entries, optionally only one channel's or one SKU's, ordered by channel and SKU.
    public func dirtyEntries(channel: String? = nil, sku: SKU? = nil) throws -> [DirtyEntry] {
        try pool.read { db in
            // One SKU: a primary-key lookup per channel (the outbox has no SKU index).
            let channels = try sku == nil ? [channel] : channel.map { [$0] } ?? Self.outboxChannels(db)
            return try channels.flatMap { channel in
                try Self.dirtyEntries(db, channel: channel, sku: sku)
            }
        }
    }

    /// Every channel with a row in the outbox, in order: a skip scan of the primary key, one seek per
    /// channel, so it costs the same with a thousand rows or ten million.
    static func outboxChannels(_ db: Database) throws -> [String] {
        try String.fetchAll(
            db,
            sql: """
                WITH RECURSIVE next(channel) AS (
                    SELECT min(channel) FROM dirty
                    UNION ALL
                    SELECT (SELECT min(channel) FROM dirty WHERE channel > next.channel) FROM next
                    WHERE next.channel IS NOT NULL)
                SELECT channel FROM next WHERE channel IS NOT NULL
                """
        )
    }

    private static func dirtyEntries(_ db: Database, channel: String?, sku: SKU?) throws -> [DirtyEntry] {
        // Spelled out per case: SQLite cannot use an index for `(:x IS NULL OR column = :x)`.
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let channel {
            conditions.append("channel = ?")
            arguments += [channel]
        }
        if let sku {
            conditions.append("sku = ?")
            arguments += [sku.rawValue]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try Row.fetchAll(
            db,
            sql: """
                SELECT channel, sku, generation, priority, attempts, not_before, lease_until, dead, last_error
                FROM dirty \(filter) ORDER BY channel, sku
                """,
            arguments: arguments
        ).map { row in
            let leaseUntil: Int64? = row[6]
            return DirtyEntry(
                channel: row[0],
                sku: SKU(trusted: row[1]),
                generation: row[2],
                priority: SyncPriority(rawValue: row[3]),
                attempts: row[4],
                notBefore: StoreClock.date(row[5]),
                leaseUntil: leaseUntil.map(StoreClock.date),
                isDead: row[7] == 1,
                lastError: row[8]
            )
        }
    }

    /// Per configured channel (and any other channel with entries): pending, leased, backing-off
    /// and dead-lettered pairs at `now`.
    public func queueSummary(now: Date = Date()) throws -> [QueueSummary] {
        try pool.read { db in
            var summaries: [String: QueueSummary] = [:]
            for channel in configuration.channels {
                summaries[channel] = QueueSummary(
                    channel: channel,
                    pending: 0,
                    leased: 0,
                    backingOff: 0,
                    deadLetters: 0
                )
            }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT channel,
                        sum(dead = 0 AND coalesce(lease_until, 0) <= :now AND not_before <= :now),
                        sum(dead = 0 AND coalesce(lease_until, 0) > :now),
                        sum(dead = 0 AND coalesce(lease_until, 0) <= :now AND not_before > :now),
                        sum(dead = 1),
                        min(CASE WHEN dead = 0 AND not_before > :now THEN not_before END)
                    FROM dirty GROUP BY channel
                    """,
                arguments: ["now": StoreClock.millis(now)]
            )
            for row in rows {
                let channel: String = row[0]
                let nextAttempt: Int64? = row[5]
                summaries[channel] = QueueSummary(
                    channel: channel,
                    pending: row[1],
                    leased: row[2],
                    backingOff: row[3],
                    deadLetters: row[4],
                    nextAttemptAt: nextAttempt.map(StoreClock.date)
                )
            }
            return summaries.values.sorted { $0.channel < $1.channel }
        }
    }

    /// Dead letters, newest first, optionally of one channel.
    public func deadLetters(channel: String? = nil, limit: Int = 1_000) throws -> [DeadLetter] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT channel, sku, facet, reason, product_revision, created_at FROM dead_letter
                    WHERE :channel IS NULL OR channel = :channel ORDER BY id DESC LIMIT :limit
                    """,
                arguments: ["channel": channel, "limit": limit]
            ).map { row in
                let facet: String? = row[2]
                return DeadLetter(
                    channel: row[0],
                    sku: SKU(trusted: row[1]),
                    facet: facet.flatMap(Facet.init(rawValue:)),
                    reason: row[3],
                    productRevision: row[4],
                    createdAt: StoreClock.date(row[5])
                )
            }
        }
    }
}
