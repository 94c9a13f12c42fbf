import Catalog
import Foundation
import GRDB
import Store
import Testing

@Suite("Dirty-set rebuild (sync --full)")
struct RebuildTests {
    static func projectors() throws -> [ChannelProjector] {
        let fx = FXTable(base: .inr, rates: [.eur: Decimal(string: "0.0109")!, .usd: Decimal(string: "0.01185")!])
        return [
            try ChannelProjector(channel: ChannelRules(name: "amazon-de", currency: .eur, language: "de_DE"), fx: fx),
            try ChannelProjector(channel: ChannelRules(name: "ebay-us", currency: .usd, language: "en_US"), fx: fx),
        ]
    }

    /// Empties the outbox behind the store's back, as if the dirty marks had been lost.
    static func loseOutbox(_ fixture: TemporaryStore) throws {
        let queue = try DatabaseQueue(path: fixture.path)
        try queue.write { try $0.execute(sql: "DELETE FROM dirty") }
        try queue.close()
    }

    @Test("rebuild marks exactly the pairs whose facets differ from the acked hashes, and counts each facet")
    func rebuildFindsExactlyTheDifferingFacets() async throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let projectors = try Self.projectors()
        let products = try ["A", "B", "C", "D"].map { try makeProduct("SKU-\($0)") }
        try store.save(products, now: epoch)
        for projector in projectors {
            try store.recordAcked(
                channel: projector.channel.name,
                hashes: products.map { ($0.sku, projector.hashes(for: $0)) },
                now: epoch
            )
        }
        try Self.loseOutbox(fixture)
        let clean = try await store.rebuildDirtySet(projectors: projectors, now: epoch)
        #expect(clean.productsScanned == 4)
        #expect(clean.newlyMarked == 0)
        #expect(try store.dirtyEntries().isEmpty)

        // A: new price (price differs on both channels). B: only on ebay-us now (amazon-de orphaned).
        // C: amazon-de acked a stale quantity. D: untouched.
        try store.save(makeProduct("SKU-A", price: "199.00"), now: epoch)
        try store.save(makeProduct("SKU-B", channels: ["ebay-us"]), now: epoch)
        var staleQuantity = projectors[0].hashes(for: products[2])
        staleQuantity.quantity = FacetHash(rawValue: staleQuantity.quantity.rawValue &+ 1)
        try store.recordAcked(channel: "amazon-de", hashes: [(products[2].sku, staleQuantity)], now: epoch)
        try Self.loseOutbox(fixture)

        let report = try await store.rebuildDirtySet(projectors: projectors, now: epoch)
        #expect(report.productsScanned == 4)
        #expect(report.newlyMarked == 4)
        #expect(report.channels["amazon-de"]?.differingListings == 2)
        #expect(report.channels["amazon-de"]?.differingFacets == [.price: 1, .quantity: 1])
        #expect(report.channels["amazon-de"]?.orphanedListings == 1)
        #expect(report.channels["ebay-us"]?.differingListings == 1)
        #expect(report.channels["ebay-us"]?.differingFacets == [.price: 1])
        #expect(report.channels["ebay-us"]?.orphanedListings == 0)
        #expect(
            try store.dirtyEntries().map { "\($0.channel)/\($0.sku)" } == [
                "amazon-de/SKU-A", "amazon-de/SKU-B", "amazon-de/SKU-C", "ebay-us/SKU-A",
            ]
        )
    }

    @Test("a channel with listing settings does not share the content hash of another channel of its language")
    func listingSettingsKeepAChannelsContentHashItsOwn() async throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let fx = FXTable(base: .inr, rates: [:])
        let plain = try ChannelProjector(
            channel: ChannelRules(name: "flipkart", currency: .inr, language: "en_IN"),
            fx: fx
        )
        let acked = try ChannelProjector(
            channel: ChannelRules(name: "dhl-express", currency: .inr, language: "en_IN", listingSettings: "dest=US"),
            fx: fx
        )
        let products = try ["A", "B"].map { try makeProduct("SKU-\($0)") }
        try store.save(products, now: epoch)
        for projector in [plain, acked] {
            try store.recordAcked(
                channel: projector.channel.name,
                hashes: products.map { ($0.sku, projector.hashes(for: $0)) },
                now: epoch
            )
        }
        try Self.loseOutbox(fixture)
        // The plain channel comes first: a content hash shared by language would be its own.
        let unchanged = try await store.rebuildDirtySet(projectors: [plain, acked], now: epoch)
        #expect(unchanged.newlyMarked == 0)
        var widened = acked.channel
        widened.listingSettings = "dest=US,GB"
        let changed = try ChannelProjector(channel: widened, fx: fx)
        let report = try await store.rebuildDirtySet(projectors: [plain, changed], now: epoch)
        #expect(report.channels["flipkart"]?.differingListings == 0)
        #expect(report.channels["dhl-express"]?.differingFacets == [.content: 2])
        #expect(report.newlyMarked == 2)
    }

    @Test("rebuild splits the catalog across parallel ranges without missing or doubling a pair")
    func parallelRangesCoverEverything() async throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let products = try (0..<5_000).map { try makeProduct(String(format: "SKU-%05d", $0)) }
        try store.save(products, now: epoch)
        try Self.loseOutbox(fixture)
        let report = try await store.rebuildDirtySet(projectors: try Self.projectors(), parallelism: 3, now: epoch)
        #expect(report.productsScanned == 5_000)
        #expect(report.newlyMarked == 10_000)
        #expect(report.channels["amazon-de"]?.differingFacets == [.content: 5_000, .price: 5_000, .quantity: 5_000])
    }
}
