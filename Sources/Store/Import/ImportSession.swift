import Catalog
import Foundation
import GRDB

/// Collects good records into batches, rejects duplicate SKUs, and writes each batch in one
/// transaction (products and their dirty marks together).
final class ImportSession {
    private let store: CatalogStore
    private let now: Int64
    private var batch: [ProductRecord.Encoded] = []
    /// SKU → line of its first good record in this file.
    private var seen: [String: Int] = [:]
    private(set) var report = ImportReport()

    init(store: CatalogStore, now: Date) {
        self.store = store
        self.now = StoreClock.millis(now)
        batch.reserveCapacity(store.configuration.importBatchSize)
    }

    /// Adds one record: its product joins the batch, or its errors join the report.
    func add(_ draft: consuming ProductDraft) throws {
        guard let product = draft.build() else {
            report.errors += draft.errors
            return
        }
        if let first = seen.updateValue(draft.line, forKey: product.sku.rawValue) {
            seen[product.sku.rawValue] = first
            report.errors.append(
                ImportError(
                    line: draft.line,
                    column: "sku",
                    sku: product.sku.rawValue,
                    message: "duplicate SKU \(product.sku.rawValue): already on line \(first) of this file"
                )
            )
            return
        }
        batch.append(ProductRecord.Encoded(product))
        if batch.count >= store.configuration.importBatchSize { try flush() }
    }

    /// Records a problem that is not about one field of a record (a header error, a malformed row).
    func reject(_ error: ImportError) {
        report.errors.append(error)
    }

    /// Writes what is pending and returns the report.
    func finish() throws -> ImportReport {
        try flush()
        return report
    }

    private func flush() throws {
        guard !batch.isEmpty else { return }
        let outcomes = try store.pool.write { db in
            let writer = ProductWriter(db: db, channels: store.configuration.channels, now: now)
            return try writer.save(batch: batch)
        }
        outcomes.forEach { report.count($0) }
        batch.removeAll(keepingCapacity: true)
    }
}
