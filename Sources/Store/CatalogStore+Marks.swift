import Catalog
import Foundation
import GRDB

/// Writes to the outbox beyond product saves: a partial sync of named (channel, SKU) pairs, marks and
/// holds for prices that wait on a landed cost, dropping the marks of a channel that left the
/// configuration, and the reads `/metrics` and the watchdog need.
extension CatalogStore {
    /// Marks each (channel, SKU) pair dirty in one transaction, with the outbox's semantics: a new
    /// row, or the existing row's generation bumped (a dead letter revived). Returns how many pairs
    /// were marked.
    @discardableResult
    public func markDirty(
        _ pairs: [(channel: String, sku: SKU)],
        priority: SyncPriority = .normal,
        now: Date = Date()
    ) throws -> Int {
        let nowMillis = StoreClock.millis(now)
        return try pool.write { db in
            let statement = try db.cachedStatement(sql: ProductWriter.markDirty)
            for pair in pairs {
                try statement.execute(arguments: [pair.channel, pair.sku.rawValue, priority.rawValue, nowMillis])
            }
            return pairs.count
        }
    }

    /// Marks each (channel, SKU) pair dirty because an input of its price changed (a landed cost that
    /// another channel keeps arrived or changed), in one transaction: like ``markDirty(_:priority:now:)``,
    /// and a pair waiting out a backoff or a hold is due at once, since what it waited for may be here.
    /// Returns how many pairs were marked.
    @discardableResult
    public func markPriceInputChanged(_ pairs: [(channel: String, sku: SKU)], now: Date = Date()) throws -> Int {
        let nowMillis = StoreClock.millis(now)
        return try pool.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO dirty (channel, sku, generation, priority, marked_at, not_before, attempts, lease_until, dead)
                    VALUES (?, ?, 1, 0, ?, 0, 0, NULL, 0)
                    ON CONFLICT (channel, sku) DO UPDATE SET
                        generation = generation + 1, attempts = 0, first_failed_at = NULL, not_before = 0, dead = 0
                    """
            )
            for pair in pairs {
                try statement.execute(arguments: [pair.channel, pair.sku.rawValue, nowMillis])
            }
            return pairs.count
        }
    }

    /// Holds a claimed pair back because its price waits for an input (a landed cost): like
    /// ``retryLater(channel:sku:generation:notBefore:error:)``, except that a pair marked again since the
    /// claim (`generation` is stale: the input may have arrived meanwhile) is due at once.
    public func hold(channel: String, sku: SKU, generation: Int64, notBefore: Date, reason: String) throws {
        try retryLater(
            channel: channel,
            sku: sku,
            generation: generation,
            notBefore: notBefore,
            error: reason,
            dueAtOnceIfMarkedAgain: true
        )
    }

    /// Removes the dirty marks and dead letters of `channels` (channels no longer configured), in one
    /// transaction; their acked listing state stays, so re-adding a channel does not resend everything.
    /// Returns how many dirty marks were dropped.
    @discardableResult
    public func dropMarks(channels: [String]) throws -> Int {
        guard !channels.isEmpty else { return 0 }
        return try pool.write { db in
            let placeholders = databaseQuestionMarks(count: channels.count)
            try db.execute(
                sql: "DELETE FROM dead_letter WHERE channel IN (\(placeholders))",
                arguments: StatementArguments(channels)
            )
            try db.execute(
                sql: "DELETE FROM dirty WHERE channel IN (\(placeholders))",
                arguments: StatementArguments(channels)
            )
            return db.changesCount
        }
    }

    /// Listings with acknowledged hashes, per channel.
    public func ackedListingCounts() throws -> [String: Int] {
        try pool.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT channel, count(*) FROM listing_state GROUP BY channel") {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }

    /// Runs a trivial query on a read connection: throws when the database does not answer.
    public func ping() throws {
        _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }
}
