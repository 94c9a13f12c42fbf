import Catalog
import Foundation
import GRDB
import Store
import Testing

@Suite("Batched saves: one dirty-mark statement per batch, same outbox as one save at a time")
struct BatchWriteTests {
    @Test("a batch marks every configured channel for its new products, even channel names JSON must escape")
    func batchMarksEveryChannelForNewProducts() throws {
        let channels = ["amazon-de", "odd \"quoted\" \\ name", "tab\tchannel"]
        let fixture = try TemporaryStore(channels: channels)
        let products = try (0..<7).map { try makeProduct("SKU-\($0)") }
        let outcomes = try fixture.store.save(products, now: epoch)
        #expect(outcomes == Array(repeating: .inserted, count: 7))
        let entries = try fixture.store.dirtyEntries()
        #expect(entries.count == 21)
        #expect(Set(entries.map(\.channel)) == Set(channels))
        #expect(Set(entries.map(\.sku.rawValue)) == Set(products.map(\.sku.rawValue)))
        #expect(entries.allSatisfy { $0.generation == 1 && $0.priority == .normal })
    }

    @Test("a batch mixing new, changed, unchanged and channel-limited products gives each its outcome and marks")
    func batchMixesOutcomes() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        try store.save([try makeProduct("SKU-A"), try makeProduct("SKU-B")], now: epoch)
        let outcomes = try store.save(
            [
                try makeProduct("SKU-A"),  // unchanged
                try makeProduct("SKU-B", quantity: 0),  // changed: stock-out
                try makeProduct("SKU-C"),  // new, every channel
                try makeProduct("SKU-D", channels: ["ebay-us"]),  // new, one channel
                try makeProduct("SKU-C", price: "99.00"),  // the same SKU again in the batch: a price decrease
            ],
            now: epoch
        )
        #expect(outcomes == [.unchanged, .updated, .inserted, .inserted, .updated])
        let marks = try store.dirtyEntries().map {
            "\($0.channel)/\($0.sku) g\($0.generation) p\($0.priority.rawValue)"
        }
        #expect(
            marks.sorted() == [
                "amazon-de/SKU-A g1 p0", "amazon-de/SKU-B g2 p2", "amazon-de/SKU-C g2 p1",
                "ebay-us/SKU-A g1 p0", "ebay-us/SKU-B g2 p2", "ebay-us/SKU-C g2 p1", "ebay-us/SKU-D g1 p0",
            ]
        )
        #expect(try store.product(sku: SKU(trusted: "SKU-C"))?.revision == 2)
        #expect(try store.product(sku: SKU(trusted: "SKU-C"))?.product.price.minorUnits == 9_900)
    }

    @Test("an imported price with few or no decimals is read as the same money as the general parser reads it")
    func plainPricesParseLikeTheGeneralParser() throws {
        let fixture = try TemporaryStore()
        let csv = "sku,title,price,quantity\nA,t,149,1\nB,t,149.5,1\nC,t,0149.50,1\nD,t,149.505,1\nE,t,1.,1\nF,t,.5,1\n"
        let report = try CatalogImporter(store: fixture.store)
            .importData(Data(csv.utf8), format: .csv, now: epoch)
        var prices: [String: Int64] = [:]
        for sku in ["A", "B", "C", "E", "F"] {
            prices[sku] = try fixture.store.product(sku: SKU(trusted: sku))?.product.price.minorUnits
        }
        for (sku, text) in ["A": "149", "B": "149.5", "C": "0149.50", "E": "1.", "F": ".5"] {
            #expect(prices[sku] == Money(parsing: text, currency: .inr)?.minorUnits, "SKU \(sku)")
        }
        #expect(prices["A"] == 14_900)
        #expect(prices["B"] == 14_950)
        #expect(report.errors.map(\.sku) == ["D"])
        #expect(report.errors.first?.column == "price")
    }
}

@Suite("Import pipeline: parsing overlaps writing, errors still surface")
struct ImportPipelineTests {
    @Test("an import whose write fails throws the database error instead of reporting success")
    func writeFailureSurfaces() throws {
        let fixture = try TemporaryStore()
        let store = try CatalogStore(
            configuration: .init(path: fixture.path, channels: ["amazon-de"], importBatchSize: 2, busyTimeout: .zero)
        )
        var csv = "sku,title,price,quantity\n"
        for index in 0..<9 { csv += "SKU-\(index),Petha,149.00,\(index)\n" }
        // Another connection holds the write lock, so every batch's transaction fails with SQLITE_BUSY.
        var unsafe = Configuration()
        unsafe.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: fixture.path, configuration: unsafe)
        try other.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        #expect(throws: DatabaseError.self) {
            _ = try CatalogImporter(store: store).importData(Data(csv.utf8), format: .csv, now: epoch)
        }
        try other.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
        try other.close()
        #expect(try store.productCount() == 0)

        let report = try CatalogImporter(store: store).importData(Data(csv.utf8), format: .csv, now: epoch)
        #expect(report.inserted == 9)
        #expect(try store.dirtyEntries().count == 9)
    }
}
