import Catalog
import Foundation
import GRDB

/// Stock that follows sales: order lines applied to the catalog exactly once, and their read side.
extension CatalogStore {
    /// Applies `lines` to the catalog's stock and saves `cursor`, all in one transaction.
    ///
    /// Each line is keyed by (platform, order id, line id). A line first seen placed takes its units
    /// off the stock (never below 0: what is missing is recorded as its shortfall, an oversell); a
    /// placed line later seen cancelled or returned-restocked gives back exactly what it took; any
    /// placed line later seen shipped is marked fulfilled (no longer reserved; stock untouched); any
    /// other repeat changes nothing. Every stock change bumps the product's revision and marks every
    /// channel the product is listed on dirty (the channel that sold too), at ``SyncPriority/stockOut``
    /// where `isStockOut(channel, newStock)` says the channel now offers nothing, else normal.
    ///
    /// A crash before the commit loses nothing: neither the lines nor the cursor were saved, so the
    /// next poll reads them again; after it, a re-read is a duplicate.
    @discardableResult
    public func apply(
        orderLines lines: [OrderLine],
        cursor: OrderCursor? = nil,
        isStockOut: (_ channel: String, _ stock: Int) -> Bool = { $1 == 0 },
        now: Date = Date()
    ) throws -> [AppliedOrderLine] {
        let nowMillis = StoreClock.millis(now)
        return try pool.write { db in
            var applied: [AppliedOrderLine] = []
            applied.reserveCapacity(lines.count)
            for line in lines {
                let effect = try apply(line, db: db, isStockOut: isStockOut, now: nowMillis)
                applied.append(AppliedOrderLine(line: line, effect: effect))
            }
            if let cursor {
                try db.execute(
                    sql: """
                        INSERT INTO order_cursor (account, cursor, updated_at) VALUES (?, ?, ?)
                        ON CONFLICT (account) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
                        """,
                    arguments: [cursor.account, cursor.value, nowMillis]
                )
            }
            return applied
        }
    }

    /// Where `account`'s order polling resumes, `nil` before its first saved poll.
    public func orderCursor(account: String) throws -> String? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT cursor FROM order_cursor WHERE account = ?", arguments: [account])
        }
    }

    /// Order lines last changed at or after `since` (all when `nil`), newest first, at most `limit`.
    public func orderLines(since: Date? = nil, sku: SKU? = nil, limit: Int = 500) throws -> [StoredOrderLine] {
        try pool.read { db in
            var conditions = ["updated_at >= ?"]
            var arguments: StatementArguments = [since.map(StoreClock.millis) ?? 0]
            if let sku {
                conditions.append("sku = ?")
                arguments += [sku.rawValue]
            }
            arguments += [max(0, limit)]
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT platform, order_id, line_id, account, channel, marketplace, sku, quantity, status,
                        applied, shortfall, restored, note, seen_at, updated_at, fulfilled
                    FROM order_line WHERE \(conditions.joined(separator: " AND "))
                    ORDER BY updated_at DESC, platform, order_id, line_id LIMIT ?
                    """,
                arguments: arguments
            ).map(Self.storedOrderLine)
        }
    }

    /// The stored line (platform, order id, line id), `nil` when no poll has read it.
    public func orderLine(platform: String, orderID: String, lineID: String) throws -> StoredOrderLine? {
        try pool.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT platform, order_id, line_id, account, channel, marketplace, sku, quantity, status,
                        applied, shortfall, restored, note, seen_at, updated_at, fulfilled
                    FROM order_line WHERE platform = ? AND order_id = ? AND line_id = ?
                    """,
                arguments: [platform, orderID, lineID]
            ).map(Self.storedOrderLine)
        }
    }

    /// A return the seller put back on the shelf, for a platform that reports no restock itself: the
    /// stored line becomes `returned-restocked` and gives back what it took, exactly once (a line
    /// already cancelled or restocked changes nothing: ``OrderLineEffect/duplicate``). `nil` when no
    /// such line was read.
    public func restockReturn(
        platform: String,
        orderID: String,
        lineID: String,
        now: Date = Date()
    ) throws -> AppliedOrderLine? {
        guard var line = try orderLine(platform: platform, orderID: orderID, lineID: lineID)?.line else { return nil }
        line.status = .returnedRestocked
        return try apply(orderLines: [line], now: now).first
    }

    /// The order figures of `sku` (all zero when no line named it).
    public func orderCounts(sku: SKU) throws -> SKUOrderCounts {
        try pool.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT coalesce(sum(CASE WHEN status = 'placed' THEN quantity ELSE 0 END), 0),
                        coalesce(sum(CASE WHEN status = 'placed' AND fulfilled = 0 THEN quantity ELSE 0 END), 0),
                        coalesce(sum(restored), 0), coalesce(sum(shortfall), 0), count(*)
                    FROM order_line WHERE sku = ?
                    """,
                arguments: [sku.rawValue]
            )
            return SKUOrderCounts(
                sold: row?[0] ?? 0,
                reserved: row?[1] ?? 0,
                restored: row?[2] ?? 0,
                oversold: row?[3] ?? 0,
                lines: row?[4] ?? 0
            )
        }
    }

    // MARK: - One line

    private func apply(
        _ line: OrderLine,
        db: Database,
        isStockOut: (String, Int) -> Bool,
        now: Int64
    ) throws -> OrderLineEffect {
        let key: StatementArguments = [line.platform, line.orderID, line.lineID]
        let existing = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT status, applied, fulfilled FROM order_line WHERE platform = ? AND order_id = ? AND line_id = ?
                    """
            ),
            arguments: key
        )
        if let existing {
            let status = OrderLineStatus(rawValue: existing[0]) ?? .placed
            if status == .placed, line.status == .placed, line.fulfilled, existing[2] == false {
                try db.execute(
                    sql: """
                        UPDATE order_line SET fulfilled = 1, updated_at = ?
                        WHERE platform = ? AND order_id = ? AND line_id = ?
                        """,
                    arguments: [now] + key
                )
                return .shipped
            }
            guard status == .placed, line.status.restoresStock else { return .duplicate }
            let units: Int = existing[1]
            try db.execute(
                sql: """
                    UPDATE order_line SET status = ?, restored = ?, updated_at = ?
                    WHERE platform = ? AND order_id = ? AND line_id = ?
                    """,
                arguments: [line.status.rawValue, units, now] + key
            )
            guard units > 0, let stock = try changeStock(sku: line.sku, by: units, db: db, now: now) else {
                return .restored(units: 0, stock: try stockOf(line.sku, db: db) ?? 0)
            }
            try markListedChannels(sku: line.sku, stock: stock, db: db, isStockOut: { _, _ in false }, now: now)
            return .restored(units: units, stock: stock)
        }

        var applied = 0
        var shortfall = 0
        var note: String?
        var effect = OrderLineEffect.recordedOnly
        if line.status == .placed {
            if let before = try stockOf(line.sku, db: db) {
                applied = min(max(0, before), line.quantity)
                shortfall = line.quantity - applied
                let stock = try changeStock(sku: line.sku, by: -applied, db: db, now: now) ?? before
                try markListedChannels(sku: line.sku, stock: stock, db: db, isStockOut: isStockOut, now: now)
                effect = .decremented(units: applied, shortfall: shortfall, stock: stock)
            } else {
                note = "unknown SKU"
                effect = .unknownSKU
            }
        } else {
            note = "first seen \(line.status.rawValue): stock untouched"
        }
        try db.execute(
            sql: """
                INSERT INTO order_line (platform, order_id, line_id, account, channel, marketplace, sku, quantity,
                    status, applied, shortfall, restored, note, seen_at, updated_at, fulfilled)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)
                """,
            arguments: key + [
                line.account, line.channel, line.marketplace, line.sku.rawValue, line.quantity, line.status.rawValue,
                applied, shortfall, note, now, now, line.fulfilled,
            ]
        )
        return effect
    }

    private func stockOf(_ sku: SKU, db: Database) throws -> Int? {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT quantity FROM product WHERE sku = ?"),
            arguments: [sku.rawValue]
        )
    }

    /// Adds `delta` to the product's quantity (a real change bumps its revision); the new stock, `nil`
    /// when the product is gone.
    private func changeStock(sku: SKU, by delta: Int, db: Database, now: Int64) throws -> Int? {
        guard delta != 0 else { return try stockOf(sku, db: db) }
        return try Int.fetchOne(
            db.cachedStatement(
                sql: """
                    UPDATE product SET quantity = max(0, quantity + ?), revision = revision + 1, updated_at = ?
                    WHERE sku = ? RETURNING quantity
                    """
            ),
            arguments: [delta, now, sku.rawValue]
        )
    }

    /// Marks every configured channel the product is listed on dirty.
    private func markListedChannels(
        sku: SKU,
        stock: Int,
        db: Database,
        isStockOut: (String, Int) -> Bool,
        now: Int64
    ) throws {
        let explicit = try String.fetchOne(
            db.cachedStatement(sql: "SELECT channels FROM product WHERE sku = ?"),
            arguments: [sku.rawValue]
        )
        let listed = try explicit.map(CompactCoding.decodeStrings)
        let statement = try db.cachedStatement(sql: ProductWriter.markDirty)
        for channel in configuration.channels where listed?.contains(channel) ?? true {
            let priority: SyncPriority = isStockOut(channel, stock) ? .stockOut : .normal
            try statement.execute(arguments: [channel, sku.rawValue, priority.rawValue, now])
        }
    }

    private static func storedOrderLine(_ row: Row) -> StoredOrderLine {
        StoredOrderLine(
            line: OrderLine(
                platform: row[0],
                account: row[3],
                channel: row[4],
                marketplace: row[5],
                orderID: row[1],
                lineID: row[2],
                sku: SKU(trusted: row[6]),
                quantity: row[7],
                status: OrderLineStatus(rawValue: row[8]) ?? .placed,
                fulfilled: row[15]
            ),
            applied: row[9],
            shortfall: row[10],
            restored: row[11],
            note: row[12],
            seenAt: StoreClock.date(row[13]),
            updatedAt: StoreClock.date(row[14])
        )
    }
}
