import Catalog
import Foundation
import GRDB

/// The worker side of the outbox: claim due (channel, SKU) pairs, then ack, back off or reject them.
extension CatalogStore {
    /// Leases up to `limit` due (channel, SKU) pairs of `channel`: higher priority first, then the
    /// longest waiting. Skips pairs that are leased, backing off (`not_before` in the future) or
    /// dead-lettered; a pair whose lease ran out is due again. With `minimumPriority`, only pairs of at
    /// least that priority (urgent changes while the bulk path carries the rest).
    public func claimDue(
        channel: String,
        limit: Int,
        minimumPriority: SyncPriority = .normal,
        now: Date = Date()
    ) throws -> [ClaimedListing] {
        let nowMillis = StoreClock.millis(now)
        return try pool.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    UPDATE dirty SET lease_until = :leaseUntil
                    WHERE channel = :channel AND sku IN (
                        SELECT sku FROM dirty
                        WHERE channel = :channel AND dead = 0 AND not_before <= :now
                            AND (lease_until IS NULL OR lease_until <= :now) AND priority >= :minimumPriority
                        ORDER BY priority DESC, marked_at, sku
                        LIMIT :limit)
                    RETURNING sku, generation, attempts, priority, marked_at, first_failed_at
                    """,
                arguments: [
                    "leaseUntil": nowMillis + leaseMillis, "channel": channel, "now": nowMillis, "limit": limit,
                    "minimumPriority": minimumPriority.rawValue,
                ]
            )
            let acked = try Statement.cached(
                db,
                "SELECT content_hash, price_hash, quantity_hash FROM listing_state WHERE sku = ? AND channel = ?"
            )
            let claimed = try rows.map { row -> (ClaimedListing, Int64) in
                let sku: String = row[0]
                let state = try Row.fetchOne(acked, arguments: [sku, channel])
                let listing = ClaimedListing(
                    sku: SKU(trusted: sku),
                    generation: row[1],
                    attempts: row[2],
                    priority: SyncPriority(rawValue: row[3]),
                    firstFailedAt: (row[5] as Int64?).map(StoreClock.date),
                    acked: AckedHashes(content: state?[0], price: state?[1], quantity: state?[2])
                )
                return (listing, row[4])
            }
            return
                claimed.sorted {
                    ($0.0.priority, -$0.1, $0.0.sku.rawValue) > ($1.0.priority, -$1.1, $1.0.sku.rawValue)
                }
                .map(\.0)
        }
    }

    /// Records what the marketplace accepted: per SKU and facet, the hash that was SENT becomes
    /// the acked hash. The dirty row goes away only if its generation is still the claimed one;
    /// a product change that landed mid-flight leaves it dirty (and its lease released).
    public func complete(channel: String, acks: [ListingAck], now: Date = Date()) throws {
        let nowMillis = StoreClock.millis(now)
        try pool.write { db in
            let upsert = try Statement.cached(
                db,
                """
                INSERT INTO listing_state
                    (sku, channel, content_hash, price_hash, quantity_hash, remote_id, status, last_error, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 'active', NULL, ?)
                ON CONFLICT (sku, channel) DO UPDATE SET
                    content_hash = coalesce(excluded.content_hash, content_hash),
                    price_hash = coalesce(excluded.price_hash, price_hash),
                    quantity_hash = coalesce(excluded.quantity_hash, quantity_hash),
                    remote_id = coalesce(excluded.remote_id, remote_id),
                    status = 'active', last_error = NULL, updated_at = excluded.updated_at
                """
            )
            let removeState = try Statement.cached(db, "DELETE FROM listing_state WHERE sku = ? AND channel = ?")
            let finish = try Statement.cached(
                db,
                "DELETE FROM dirty WHERE channel = ? AND sku = ? AND generation = ? AND dead = 0"
            )
            let release = try Statement.cached(
                db,
                """
                UPDATE dirty SET lease_until = NULL, attempts = 0, first_failed_at = NULL, not_before = 0
                WHERE channel = ? AND sku = ?
                """
            )
            for ack in acks {
                let sku = ack.sku.rawValue
                if ack.removed {
                    try removeState.execute(arguments: [sku, channel])
                } else {
                    try upsert.execute(arguments: [
                        sku, channel, ack.sent.content, ack.sent.price, ack.sent.quantity, ack.remoteID, nowMillis,
                    ])
                }
                try finish.execute(arguments: [channel, sku, ack.generation])
                if db.changesCount == 0 {
                    try release.execute(arguments: [channel, sku])
                }
            }
        }
    }

    /// A transient failure (network, 5xx, 429): the pair stays dirty, its lease is cleared, it is
    /// not due before `notBefore`, its attempt count grows by one, and the time of its first failure
    /// since it was last in sync is kept (`now` when this is the first).
    ///
    /// With `dueAtOnceIfMarkedAgain`, a pair marked again since the claim (`generation` is stale) is due
    /// at once instead: what it waited for may have arrived meanwhile.
    public func retryLater(
        channel: String,
        sku: SKU,
        generation: Int64,
        notBefore: Date,
        error: String,
        dueAtOnceIfMarkedAgain: Bool = false,
        now: Date = Date()
    ) throws {
        let error = SecretRedactor.redact(error)
        try pool.write { db in
            try db.execute(
                sql: """
                    UPDATE dirty SET lease_until = NULL, attempts = attempts + 1,
                        first_failed_at = coalesce(first_failed_at, ?),
                        not_before = CASE WHEN ? AND generation != ? THEN 0 ELSE ? END, last_error = ?
                    WHERE channel = ? AND sku = ?
                    """,
                arguments: [
                    StoreClock.millis(now), dueAtOnceIfMarkedAgain, generation, StoreClock.millis(notBefore), error,
                    channel, sku.rawValue,
                ]
            )
        }
    }

    /// The marketplace rejected the listing: keep its reason verbatim (secrets redacted,
    /// ``SecretRedactor``) as a dead letter and take the
    /// pair out of the due set until the product changes or ``retryDeadLetters(channel:sku:)``.
    ///
    /// If the product changed since the claim (`generation` is stale), the rejection concerns an
    /// outdated value: the pair stays due and only its `last_error` records the reason.
    ///
    /// `status` is what the acked listing's state shows: `rejected` by the marketplace, or `held` when
    /// the adapter's own check kept it from being sent.
    public func reject(
        channel: String,
        sku: SKU,
        generation: Int64,
        facet: Facet?,
        reason: String,
        status: String = "rejected",
        now: Date = Date()
    ) throws {
        let reason = SecretRedactor.redact(reason)
        let nowMillis = StoreClock.millis(now)
        try pool.write { db in
            let current = try Int64.fetchOne(
                db,
                sql: "SELECT generation FROM dirty WHERE channel = ? AND sku = ?",
                arguments: [channel, sku.rawValue]
            )
            if let current, current != generation {
                try db.execute(
                    sql: "UPDATE dirty SET lease_until = NULL, last_error = ? WHERE channel = ? AND sku = ?",
                    arguments: [reason, channel, sku.rawValue]
                )
                return
            }
            // The row may already be gone if the accepted facets were completed first.
            try db.execute(
                sql: """
                    INSERT INTO dirty
                        (channel, sku, generation, priority, marked_at, not_before, attempts, lease_until, dead, last_error)
                    VALUES (?, ?, ?, 0, ?, 0, 0, NULL, 1, ?)
                    ON CONFLICT (channel, sku) DO UPDATE SET dead = 1, lease_until = NULL, last_error = excluded.last_error
                    """,
                arguments: [channel, sku.rawValue, generation, nowMillis, reason]
            )
            let revision =
                try Int64.fetchOne(db, sql: "SELECT revision FROM product WHERE sku = ?", arguments: [sku.rawValue])
                ?? 0
            try db.execute(
                sql: """
                    INSERT INTO dead_letter (channel, sku, facet, reason, product_revision, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [channel, sku.rawValue, facet?.rawValue, reason, revision, nowMillis]
            )
            try db.execute(
                sql: """
                    UPDATE listing_state SET status = ?, last_error = ?, updated_at = ?
                    WHERE sku = ? AND channel = ?
                    """,
                arguments: [status, reason, nowMillis, sku.rawValue, channel]
            )
        }
    }

    /// Puts dead-lettered pairs back in the due set (all, one channel's, or one SKU's) and clears
    /// their dead letters. Returns how many pairs were revived.
    @discardableResult
    public func retryDeadLetters(channel: String? = nil, sku: SKU? = nil) throws -> Int {
        try pool.write { db in
            let filter = "(:channel IS NULL OR channel = :channel) AND (:sku IS NULL OR sku = :sku)"
            let arguments: StatementArguments = ["channel": channel, "sku": sku?.rawValue]
            try db.execute(sql: "DELETE FROM dead_letter WHERE \(filter)", arguments: arguments)
            let revive = """
                UPDATE dirty SET dead = 0, attempts = 0, first_failed_at = NULL, not_before = 0, last_error = NULL
                WHERE dead = 1
                """
            guard let sku else {
                try db.execute(sql: "\(revive) AND (:channel IS NULL OR channel = :channel)", arguments: arguments)
                return db.changesCount
            }
            // One SKU: a primary-key lookup per channel (the outbox has no SKU index).
            var revived = 0
            for channel in try channel.map { [$0] } ?? Self.outboxChannels(db) {
                try db.execute(sql: "\(revive) AND channel = ? AND sku = ?", arguments: [channel, sku.rawValue])
                revived += db.changesCount
            }
            return revived
        }
    }
}

extension Statement {
    /// `db.cachedStatement(sql:)`, shorter at call sites.
    static func cached(_ db: Database, _ sql: String) throws -> Statement {
        try db.cachedStatement(sql: sql)
    }
}
