import Catalog
import Foundation
import GRDB

/// Writes products inside one open write transaction, marking every affected (channel, SKU)
/// dirty in that same transaction (the transactional outbox).
///
/// Each save reads the stored row once by primary key, compares it column by column with the
/// encoded product (bytes for text, `IS` semantics for NULL), and then inserts, updates (bumping
/// the revision) or writes nothing. Statements come from the connection's cache and are bound
/// through ``RawStatement``: the import saves a million products through here.
struct ProductWriter {
    let db: Database
    let channels: [String]
    let now: Int64
    /// Prepared once per writer (one transaction): the import runs them once per row, and looking
    /// a statement up in the connection's cache hashes its whole SQL text.
    private let insertStatement: RawStatement
    private let markStatement: RawStatement

    init(db: Database, channels: [String], now: Int64) throws {
        self.db = db
        self.channels = channels
        self.now = now
        insertStatement = try RawStatement(db, sql: Self.insert)
        markStatement = try RawStatement(db, sql: Self.markDirty)
    }

    /// sku, then the data columns in ``ProductRecord/dataColumns`` order (columns 1…16).
    private static let selectStored =
        "SELECT revision, " + ProductRecord.dataColumns.joined(separator: ", ") + " FROM product WHERE sku = ?"

    private static let insert: String = {
        let columns = ProductRecord.dataColumns
        let placeholders = Array(repeating: "?", count: columns.count + 2).joined(separator: ", ")
        return """
            INSERT INTO product (sku, \(columns.joined(separator: ", ")), updated_at, revision)
            VALUES (\(placeholders), 1)
            ON CONFLICT (sku) DO NOTHING
            """
    }()

    private static let update: String = {
        let columns = ProductRecord.dataColumns
        return """
            UPDATE product SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")), updated_at = ?,
                revision = revision + 1
            WHERE sku = ?
            """
    }()

    /// Marks (channel, SKU) dirty: inserts, or bumps the generation of the existing row. An edit
    /// revives a dead-lettered row (the product changed, so the rejection may no longer apply).
    static let markDirty = """
        INSERT INTO dirty (channel, sku, generation, priority, marked_at, not_before, attempts, lease_until, dead)
        VALUES (?, ?, 1, ?, ?, 0, 0, NULL, 0)
        ON CONFLICT (channel, sku) DO UPDATE SET
            generation = generation + 1,
            priority = max(priority, excluded.priority),
            attempts = CASE WHEN dead = 1 THEN 0 ELSE attempts END,
            first_failed_at = CASE WHEN dead = 1 THEN NULL ELSE first_failed_at END,
            not_before = CASE WHEN dead = 1 THEN 0 ELSE not_before END,
            dead = 0
        """

    /// Inserts or updates `product`; returns what happened.
    func save(_ product: Product, priority: SyncPriority?) throws -> SaveOutcome {
        try save(ProductRecord.Encoded(product), priority: priority)
    }

    /// Inserts or updates the product encoded as `record`; returns what happened.
    func save(_ record: ProductRecord.Encoded, priority: SyncPriority?) throws -> SaveOutcome {
        guard try !insertNew(record) else {
            try mark(sku: record.sku, channels: listedChannels(record.channelList), priority: priority ?? .normal)
            return .inserted
        }
        return try saveExisting(record, priority: priority)
    }

    /// Saves an import batch, in order, with the outcome of each. New products listed on every
    /// configured channel (the common case) get their dirty marks from one statement per batch
    /// (channels × SKUs, in primary-key order) instead of one statement per (channel, SKU).
    func save(batch records: [ProductRecord.Encoded]) throws -> [SaveOutcome] {
        var outcomes: [SaveOutcome] = []
        outcomes.reserveCapacity(records.count)
        var everywhere: [String] = []
        for record in records {
            if record.channelList == nil, !channels.isEmpty, try insertNew(record) {
                everywhere.append(record.sku)
                outcomes.append(.inserted)
            } else {
                outcomes.append(try save(record, priority: nil))
            }
        }
        try markEveryChannel(skus: everywhere)
        return outcomes
    }

    /// Inserts `record` unless its SKU exists (most saves of an import are new products, so the
    /// insert comes first: one B-tree descent). Returns whether it inserted.
    private func insertNew(_ record: ProductRecord.Encoded) throws -> Bool {
        let insert = insertStatement
        insert.reset()
        record.bind(to: insert, startingAt: 1)
        insert.bind(Int32(ProductRecord.dataColumns.count + 2), now)
        try insert.run()
        return insert.changes == 1
    }

    /// Updates the stored product with `record`'s SKU when some column differs.
    private func saveExisting(_ record: ProductRecord.Encoded, priority: SyncPriority?) throws -> SaveOutcome {
        let stored = try RawStatement(db, sql: Self.selectStored)
        defer { stored.reset() }
        stored.bind(1, record.sku)
        guard try stored.step() else {
            throw StoreError.corruptRow(table: "product", key: record.sku, reason: "conflicting row not found")
        }
        guard !record.matches(stored, startingAt: 1) else { return .unchanged }

        let oldQuantity = stored.int(4)
        let oldPrice = stored.int64(2)
        let oldChannels = stored.optionalString(16)
        stored.reset()
        let update = try RawStatement(db, sql: Self.update)
        record.bindData(to: update, startingAt: 1)
        let next = Int32(ProductRecord.dataColumns.count + 1)
        update.bind(next, now)
        update.bind(next + 1, record.sku)
        try update.run()

        var affected = listedChannels(record.channelList)
        for channel in try listedChannels(oldChannels.map(CompactCoding.decodeStrings))
        where !affected.contains(channel) {
            affected.append(channel)
        }
        var urgency = priority ?? .normal
        if priority == nil {
            if record.quantity == 0 && oldQuantity > 0 {
                urgency = .stockOut
            } else if record.priceMinor < oldPrice {
                urgency = .priceDecrease
            }
        }
        try db.cachedStatement(sql: "DELETE FROM dead_letter WHERE sku = ?").execute(arguments: [record.sku])
        try mark(sku: record.sku, channels: affected, priority: urgency)
        return .updated
    }

    /// Deletes the product with `sku`, marking each channel it was listed on dirty (for removal).
    /// Returns `false` when there was no such product.
    func delete(sku: SKU) throws -> Bool {
        guard
            let previous = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT channels FROM product WHERE sku = ?"),
                arguments: [sku.rawValue]
            )
        else { return false }
        let oldChannels: String? = previous[0]
        try db.execute(sql: "DELETE FROM product WHERE sku = ?", arguments: [sku.rawValue])
        try db.execute(sql: "DELETE FROM dead_letter WHERE sku = ?", arguments: [sku.rawValue])
        try mark(
            sku: sku.rawValue,
            channels: listedChannels(oldChannels.map(CompactCoding.decodeStrings)),
            priority: .stockOut
        )
        return true
    }

    /// Marks (channel, SKU) dirty, one single-row statement per channel: a multi-row `VALUES`
    /// measured 30× more `pwrite` calls (SQLite opens a statement journal for multi-row writes).
    private func mark(sku: String, channels: [String], priority: SyncPriority) throws {
        guard !channels.isEmpty else { return }
        let statement = markStatement
        statement.reset()
        statement.bind(2, sku)
        statement.bind(3, priority.rawValue)
        statement.bind(4, now)
        for channel in channels {
            statement.bind(1, channel)
            try statement.run()
        }
    }

    /// Marks every configured channel dirty (normal priority) for `skus` in one statement.
    private func markEveryChannel(skus: [String]) throws {
        guard !skus.isEmpty, !channels.isEmpty else { return }
        let statement = try RawStatement(db, sql: Self.markEveryChannel)
        statement.bind(1, Self.jsonArray(channels))
        statement.bind(2, Self.jsonArray(skus))
        statement.bind(3, now)
        try statement.run()
    }

    /// ``markDirty`` for channels × SKUs given as JSON arrays (`?1`, `?2`), at `?3`, normal priority.
    private static let markEveryChannel = markDirty.replacingOccurrences(
        of: "VALUES (?, ?, 1, ?, ?, 0, 0, NULL, 0)",
        with: """
            SELECT c.value, s.value, 1, 0, ?3, 0, 0, NULL, 0
            FROM json_each(?1) AS c CROSS JOIN json_each(?2) AS s WHERE true
            """
    )

    /// `strings` as a JSON array of strings.
    static func jsonArray(_ strings: [String]) -> String {
        var out = "["
        for (index, string) in strings.enumerated() {
            if index > 0 { out.append(",") }
            out.append("\"")
            if !string.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                out.append(string)
                out.append("\"")
                continue
            }
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": out.append("\\\"")
                case "\\": out.append("\\\\")
                case let control where control.value < 0x20:
                    out.append("\\u00")
                    out.append(control.value < 0x10 ? "0" : "1")
                    out.append(String(control.value % 16, radix: 16))
                default: out.unicodeScalars.append(scalar)
                }
            }
            out.append("\"")
        }
        out.append("]")
        return out
    }

    /// The configured channels a product with this channel list is listed on.
    private func listedChannels(_ explicit: [String]?) -> [String] {
        guard let explicit else { return channels }
        return channels.filter(explicit.contains)
    }
}
