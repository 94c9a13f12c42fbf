import Catalog
import Foundation
import GRDB

/// What channel workers read besides claims: products in bulk, remote ids, due counts and wake times.
extension CatalogStore {
    /// Returns every leased (channel, SKU) to the due set. The daemon calls it once at start-up: it is
    /// the only writer, so a lease still set is one a killed process held, and its work must resume now
    /// rather than when the lease would have run out.
    @discardableResult
    public func releaseAllLeases() throws -> Int {
        try pool.write { db in
            try db.execute(sql: "UPDATE dirty SET lease_until = NULL WHERE lease_until IS NOT NULL")
            return db.changesCount
        }
    }

    /// The stored products with the given SKUs, in one read; SKUs without a product are absent.
    public func products(skus: [SKU]) throws -> [SKU: StoredProduct] {
        guard !skus.isEmpty else { return [:] }
        return try pool.read { db in
            let statement = try Statement.cached(
                db,
                "SELECT \(ProductRecord.selection) FROM product WHERE sku = ?"
            )
            var found: [SKU: StoredProduct] = [:]
            found.reserveCapacity(skus.count)
            for sku in skus {
                if let row = try Row.fetchOne(statement, arguments: [sku.rawValue]) {
                    found[sku] = try ProductRecord.stored(from: row)
                }
            }
            return found
        }
    }

    /// The marketplace's ids of the given SKUs' listings on `channel`, where one was acknowledged.
    public func remoteIDs(channel: String, skus: [SKU]) throws -> [SKU: String] {
        guard !skus.isEmpty else { return [:] }
        return try pool.read { db in
            let statement = try Statement.cached(
                db,
                "SELECT remote_id FROM listing_state WHERE sku = ? AND channel = ? AND remote_id IS NOT NULL"
            )
            var found: [SKU: String] = [:]
            for sku in skus {
                if let id = try String.fetchOne(statement, arguments: [sku.rawValue, channel]) { found[sku] = id }
            }
            return found
        }
    }

    /// How many (channel, SKU) pairs of `channel` are due now, counting at most `limit`.
    public func dueCount(channel: String, limit: Int, now: Date = Date()) throws -> Int {
        try pool.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM (
                        SELECT 1 FROM dirty
                        WHERE channel = ? AND dead = 0 AND not_before <= ?
                            AND (lease_until IS NULL OR lease_until <= ?)
                        LIMIT ?)
                    """,
                arguments: [channel, StoreClock.millis(now), StoreClock.millis(now), limit]
            ) ?? 0
        }
    }

    /// When the next pair of `channel` that is not due now becomes due (backoff or lease running out),
    /// or `nil` when nothing is waiting.
    public func nextDueDate(channel: String, now: Date = Date()) throws -> Date? {
        let millis = try pool.read { db in
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT min(max(not_before, coalesce(lease_until, 0))) FROM dirty
                    WHERE channel = ? AND dead = 0
                    """,
                arguments: [channel]
            )
        }
        return millis.map { Date(timeIntervalSince1970: TimeInterval($0) / 1000) }
    }

    /// The pending (due, backing off or leased, not dead) pair count per channel.
    public func pendingCounts() throws -> [String: Int] {
        try pool.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT channel, count(*) FROM dirty WHERE dead = 0 GROUP BY channel")
            {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }
}
