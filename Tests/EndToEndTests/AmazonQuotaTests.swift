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
                accountSettings: "quota_multiplier = \"\(Int(Self.multiplier))\"",
                sandboxArguments: ["--quotas", "published", "--quota-multiplier", "\(Int(Self.multiplier))"]
            )
            #expect(world.channels.count == 4)
            var catalog = TestCatalog(count: 2_000)
            let daemon = try await world.startDaemon()
            try await daemon.importCatalog(catalog.csv())
            try await world.waitForConvergence(of: catalog, within: .seconds(900))

            // The minimum: 4 marketplaces × 2,000 SKUs = 8,000 patchListingsItem calls from one seller's
            // bucket (all EU marketplaces share it): the first 100 from the burst (5 × 20), the rest at
            // 5 × 20 = 100/s: 79 s.
            let calls = 4 * 2_000
            let burst = 5 * Self.multiplier
            let minimumSeconds = (Double(calls) - burst) / (5 * Self.multiplier)
            catalog.changePrices(of: 0..<2_000, by: -500)
            let started = ContinuousClock.now
            try await daemon.importCatalog(catalog.csv())
            try await Task.sleep(for: .seconds(1))
            let throttledAfterFirstSecond = try await world.sandbox.stats()["amazon"]?.throttled ?? 0
            try await world.waitForConvergence(of: catalog, within: .seconds(minimumSeconds * 3))
            let elapsed = ContinuousClock.now - started
            let throttledAtEnd = try await world.sandbox.stats()["amazon"]?.throttled ?? 0

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
    }
}
