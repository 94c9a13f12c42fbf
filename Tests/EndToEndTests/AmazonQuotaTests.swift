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
            "a 2,000-SKU price change on four EU marketplaces of one seller draws no 429 after the first second and finishes within 1.2× of the quota-bound minimum"
        )
        func priceChangeSpendsTheQuotaWithoutThrottling() async throws {
            let channels: Set<String> = ["amazon-uk", "amazon-de", "amazon-fr", "amazon-it"]
            let world = try await SyncWorld(
                platforms: ["amazon"],
                channelNames: channels,
                // Single calls only: the path whose pace the quota sets (feeds are bounded by processing time).
                daemonSettings: "request_timeout_seconds = 10\nbulk_threshold = 1000000",
                accountSettings: ["amazon": "quota_multiplier = \"\(Int(Self.multiplier))\""],
                sandboxArguments: ["--quotas", "published", "--quota-multiplier", "\(Int(Self.multiplier))"]
            )
            #expect(world.channels.count == 4)
            var catalog = TestCatalog(count: 2_000)
            let daemon = try await world.startDaemon()
            try await daemon.importCatalog(catalog.csv())
            try await world.waitForConvergence(of: catalog, within: .seconds(900))

            // ₹200 more: more than one unit of every channel currency after FX and rounding, so the
            // listings get new prices (a ₹5 change mostly rounded to the same price and left the test
            // almost nothing to send); listings priced by a `price@<channel>` override keep theirs.
            catalog.changePrices(of: 0..<2_000, by: 20_000)
            let pricesBefore = try await Self.prices(world)
            let requestsBefore = try await world.sandbox.stats()["amazon"]?.requests ?? 0
            let started = ContinuousClock.now
            try await daemon.importCatalog(catalog.csv())
            try await Task.sleep(for: .seconds(1))
            let throttledAfterFirstSecond = try await world.sandbox.stats()["amazon"]?.throttled ?? 0
            try await world.waitForConvergence(of: catalog, within: .seconds(300))
            let elapsed = ContinuousClock.now - started
            let statsAtEnd = try await world.sandbox.stats()["amazon"]
            let throttledAtEnd = statsAtEnd?.throttled ?? 0

            // The minimum: one patchListingsItem call per listing whose price changed (of 4 marketplaces
            // × 2,000 SKUs), all from the seller's one bucket (the EU marketplaces share it): the first
            // 100 from the burst (5 × 20), the rest at 5 × 20 = 100/s — about 79 s.
            let pricesAfter = try await Self.prices(world)
            let calls = pricesAfter.filter { pricesBefore[$0.key] != $0.value }.count
            #expect(calls >= 7_900, "nearly every one of the 8,000 listings got a new price: \(calls)")
            #expect((statsAtEnd?.requests ?? 0) - requestsBefore >= calls, "every new price was sent")
            let burst = 5 * Self.multiplier
            let minimumSeconds = (Double(calls) - burst) / (5 * Self.multiplier)

            #expect(throttledAtEnd == throttledAfterFirstSecond, "no 429 after the first second")
            let ratio = elapsed / .seconds(minimumSeconds)
            print(
                "quota end to end: \(elapsed) for a minimum of \(minimumSeconds) s (ratio \(ratio)); 429s: \(throttledAfterFirstSecond) in the first second, \(throttledAtEnd - throttledAfterFirstSecond) after"
            )
            #expect(ratio <= 1.2, "took \(elapsed) for a quota-bound minimum of \(minimumSeconds) s (ratio \(ratio))")
            #expect(try await daemon.deadLetters().deadLetters.isEmpty)
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
