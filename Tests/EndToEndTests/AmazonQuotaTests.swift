import Foundation
import Testing

extension EndToEndSuites {
    /// Spending Amazon's published quotas fully without drawing 429s.
    @Suite("Amazon quotas end to end", .serialized)
    struct AmazonQuotaTests {
        /// The seller's quotas are raised 20× (Amazon raises them per seller; the twin and the daemon are
        /// both told), so the test runs in minutes: `patchListingsItem` allows 100 requests/s, burst 100.
        static let multiplier = 20.0

        @Test(
            "a 500-SKU price change on four EU marketplaces of one seller sends every new price and draws no 429"
        )
        func priceChangeSpendsTheQuotaWithoutThrottling() async throws {
            let channels: Set<String> = ["amazon-uk", "amazon-de", "amazon-fr", "amazon-it"]
            let world = try await SyncWorld(
                platforms: ["amazon"],
                channelNames: channels,
                quotaMultiplier: Int(Self.multiplier),
                // Single calls only: the path whose pace the quota sets (feeds are bounded by processing time).
                daemonSettings: "bulk_threshold = 1000000",
                sandboxArguments: ["--quotas", "published"]
            )
            #expect(world.channels.count == 4)
            var catalog = TestCatalog(count: 500)
            let daemon = try await world.startDaemon()
            try await daemon.importCatalog(catalog.csv())
            try await world.waitForConvergence(of: catalog, within: .seconds(300))

            // ₹200 more: more than one unit of every channel currency after FX and rounding, so the
            // listings get new prices (a ₹5 change mostly rounded to the same price and left the test
            // almost nothing to send).
            let previous = catalog
            catalog.changePrices(of: 0..<500, by: 20_000)
            // The listings whose price the oracle says changes (a few cheap products stay at a channel's
            // minimum price).
            let changing = zip(previous.oracleProducts, catalog.oracleProducts).map { old, new in
                world.channels.filter { channel in
                    world.oracle.listing(of: old, on: channel.name)?.price
                        != world.oracle.listing(of: new, on: channel.name)?.price
                }.count
            }.reduce(0, +)
            let pricesBefore = try await Self.prices(world)
            let before = try await world.sandbox.stats()["amazon"]
            let started = ContinuousClock.now
            try await daemon.importCatalog(catalog.csv())
            try await world.waitForConvergence(of: catalog, within: .seconds(300))
            let elapsed = ContinuousClock.now - started
            let after = try await world.sandbox.stats()["amazon"]

            let pricesAfter = try await Self.prices(world)
            let calls = pricesAfter.filter { pricesBefore[$0.key] != $0.value }.count
            #expect(changing > 1_900, "nearly all of the 2,000 listings get a new price: \(changing)")
            #expect(calls == changing, "every listing whose price changed shows it: \(calls) of \(changing)")
            let sent = (after?.requests ?? 0) - (before?.requests ?? 0)
            #expect(sent >= calls, "every new price was sent: \(sent) requests for \(calls) prices")
            let throttled = (after?.throttled ?? 0) - (before?.throttled ?? 0)
            #expect(throttled == 0, "no 429 while spending the quota: \(throttled)")
            #expect(try await daemon.deadLetters().deadLetters.isEmpty)

            // The pace is a benchmark's business (make bench: BenchSync's quota efficiency); printed here.
            // The minimum: one patchListingsItem per listing from the seller's one bucket (the EU
            // marketplaces share it): the first 5 × 20 from the burst, the rest at 5 × 20 = 100/s.
            let burst = 5 * Self.multiplier
            let minimumSeconds = (Double(calls) - burst) / (5 * Self.multiplier)
            print("quota end to end: \(elapsed) for a quota-bound minimum of \(minimumSeconds) s, \(throttled) 429s")
            #expect(await daemon.stop() == 0)
            await world.sandbox.stop()
        }

        /// Every Amazon listing's price in the sandbox, by marketplace and SKU.
        static func prices(_ world: SyncWorld) async throws -> [String: String] {
            let listings = try await world.sandbox.listings(platform: "amazon")
            return Dictionary(
                listings.map { ("\($0.marketplace)/\($0.sku)", $0.price ?? "") },
                uniquingKeysWith: { first, _ in first }
            )
        }
    }
}
