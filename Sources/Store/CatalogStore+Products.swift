import Catalog
import Foundation
import GRDB

extension CatalogStore {
    /// Inserts or updates one product and marks its channels dirty in the same transaction.
    ///
    /// - Parameter priority: the urgency of the resulting sends; `nil` derives it (stock going to
    ///   zero first, then a price decrease, else normal).
    @discardableResult
    public func save(_ product: Product, priority: SyncPriority? = nil, now: Date = Date()) throws -> SaveOutcome {
        try pool.write { db in
            try ProductWriter(db: db, channels: configuration.channels, now: StoreClock.millis(now))
                .save(product, priority: priority)
        }
    }

    /// Saves many products in transactions of ``Configuration/importBatchSize``; returns one outcome per product.
    @discardableResult
    public func save(_ products: [Product], now: Date = Date()) throws -> [SaveOutcome] {
        var outcomes: [SaveOutcome] = []
        outcomes.reserveCapacity(products.count)
        var start = 0
        while start < products.count {
            let batch = products[start..<min(start + configuration.importBatchSize, products.count)]
            outcomes += try pool.write { db in
                let writer = try ProductWriter(db: db, channels: configuration.channels, now: StoreClock.millis(now))
                return try writer.save(batch: batch.map(ProductRecord.Encoded.init))
            }
            start += batch.count
        }
        return outcomes
    }

    /// Deletes a product and marks every channel it was listed on dirty, so workers remove the listing.
    /// Returns `false` when no product has that SKU.
    @discardableResult
    public func deleteProduct(sku: SKU, now: Date = Date()) throws -> Bool {
        try pool.write { db in
            try ProductWriter(db: db, channels: configuration.channels, now: StoreClock.millis(now)).delete(sku: sku)
        }
    }

    /// The stored product with `sku`, or `nil`.
    public func product(sku: SKU) throws -> StoredProduct? {
        try pool.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT \(ProductRecord.selection) FROM product WHERE sku = ?",
                arguments: [sku.rawValue]
            ).map(ProductRecord.stored(from:))
        }
    }

    /// The highest catalog price, in minor units of the base currency; `nil` for an empty catalog.
    public func highestPriceMinorUnits() throws -> Int64? {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(price_minor) FROM product") }
    }

    /// The number of products in the catalog.
    public func productCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM product") ?? 0 }
    }
}
