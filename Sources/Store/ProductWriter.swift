import Catalog
import GRDB

/// Writes products inside one open write transaction, marking every affected (channel, SKU)
/// dirty in that same transaction (the transactional outbox).
///
/// An upsert of an identical product writes nothing: the `ON CONFLICT … WHERE` clause only
/// updates when some column differs, and only then bumps the revision and marks channels dirty.
struct ProductWriter {
    let db: Database
    let channels: [String]
    let now: Int64

    private static let selectPrevious = "SELECT quantity, price_minor, channels FROM product WHERE sku = ?"

    private static let upsert: String = {
        let columns = ProductRecord.dataColumns
        let placeholders = Array(repeating: "?", count: columns.count + 2).joined(separator: ", ")
        return """
            INSERT INTO product (sku, \(columns.joined(separator: ", ")), updated_at, revision)
            VALUES (\(placeholders), 1)
            ON CONFLICT (sku) DO UPDATE SET
                \(columns.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")),
                updated_at = excluded.updated_at,
                revision = revision + 1
            WHERE \(columns.map { "\($0) IS NOT excluded.\($0)" }.joined(separator: " OR "))
            RETURNING revision
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
            not_before = CASE WHEN dead = 1 THEN 0 ELSE not_before END,
            dead = 0
        """

    /// Inserts or updates `product`; returns what happened.
    func save(_ product: Product, priority: SyncPriority?) throws -> SaveOutcome {
        let sku = product.sku.rawValue
        let previous = try Row.fetchOne(db.cachedStatement(sql: Self.selectPrevious), arguments: [sku])
        var arguments: [(any DatabaseValueConvertible)?] = [sku]
        arguments += ProductRecord.dataValues(of: product)
        arguments.append(now)
        guard
            try Int64.fetchOne(db.cachedStatement(sql: Self.upsert), arguments: StatementArguments(arguments))
                != nil
        else { return .unchanged }

        var affected = listedChannels(product.channels)
        var urgency = priority ?? .normal
        if let previous {
            let oldQuantity: Int = previous[0]
            let oldPrice: Int64 = previous[1]
            let oldChannels: String? = previous[2]
            for channel in try listedChannels(oldChannels.map(CompactCoding.decodeStrings))
            where !affected.contains(channel) {
                affected.append(channel)
            }
            if priority == nil {
                if product.quantity == 0 && oldQuantity > 0 {
                    urgency = .stockOut
                } else if product.price.minorUnits < oldPrice {
                    urgency = .priceDecrease
                }
            }
            try db.cachedStatement(sql: "DELETE FROM dead_letter WHERE sku = ?").execute(arguments: [sku])
        }
        try mark(sku: sku, channels: affected, priority: urgency)
        return previous == nil ? .inserted : .updated
    }

    /// Deletes the product with `sku`, marking each channel it was listed on dirty (for removal).
    /// Returns `false` when there was no such product.
    func delete(sku: SKU) throws -> Bool {
        guard
            let previous = try Row.fetchOne(
                db.cachedStatement(sql: Self.selectPrevious),
                arguments: [sku.rawValue]
            )
        else { return false }
        let oldChannels: String? = previous[2]
        try db.execute(sql: "DELETE FROM product WHERE sku = ?", arguments: [sku.rawValue])
        try db.execute(sql: "DELETE FROM dead_letter WHERE sku = ?", arguments: [sku.rawValue])
        try mark(
            sku: sku.rawValue,
            channels: listedChannels(oldChannels.map(CompactCoding.decodeStrings)),
            priority: .stockOut
        )
        return true
    }

    private func mark(sku: String, channels: [String], priority: SyncPriority) throws {
        let statement = try db.cachedStatement(sql: Self.markDirty)
        for channel in channels {
            try statement.execute(arguments: [channel, sku, priority.rawValue, now])
        }
    }

    /// The configured channels a product with this channel list is listed on.
    private func listedChannels(_ explicit: [String]?) -> [String] {
        guard let explicit else { return channels }
        return channels.filter(explicit.contains)
    }
}
