import Catalog
import ControlAPI
import Foundation
import Testing

extension EndToEndSuites {
    /// The daemon against the Amazon twin over loopback: the ten Global Selling marketplaces of
    /// `config/sandbox.toml` in three regional accounts.
    @Suite("Amazon end to end", .serialized)
    struct AmazonEndToEndTests {
        static let faults = "500:0.05,429:0.05,timeout:0.01,reset:0.01"

        @Test(
            "1,000 SKUs converge on ten marketplaces through injected faults; then 100 price changes; a bad product is dead-lettered with Amazon's words"
        )
        func convergesThroughFaults() async throws {
            let world = try await SyncWorld(
                platforms: ["amazon"],
                sandboxArguments: ["--faults", Self.faults, "--quotas", "published", "--processing-delay-ms", "200"]
            )
            #expect(world.channels.count == 10)
            let rejectedIndex = 500
            var catalog = TestCatalog(count: 1_000, rejected: [rejectedIndex])
            let rejectedSKU = catalog.products[rejectedIndex - 1].sku.rawValue
            let daemon = try await world.startDaemon()
            let report = try await daemon.importCatalog(catalog.csv())
            #expect(report.inserted == 1_000)
            try await world.waitForConvergence(of: catalog, excluding: [rejectedSKU])

            catalog.changePrices(of: 0..<100, by: 20_000)  // a new price on every marketplace after rounding
            try await daemon.importCatalog(catalog.csv(0..<100))
            try await world.waitForConvergence(of: catalog, excluding: [rejectedSKU])

            let letters = try await daemon.deadLetters(atLeast: 10)
            #expect(
                Set(letters.map(\.sku)) == [rejectedSKU],
                "only the bad product is dead-lettered, no transient fault is"
            )
            let standing = letters.count == 10 ? "" : await daemon.listingSummary(of: rejectedSKU)
            #expect(letters.count == 10, "the refused product is dead-lettered on all ten marketplaces: \(standing)")
            #expect(letters.allSatisfy { $0.reason.contains("prohibited content") })
            let stats = try await world.sandbox.stats()["amazon"]
            #expect((stats?.faults.values.reduce(0, +) ?? 0) > 0, "faults were injected")
            #expect(await daemon.stop() == 0)
            await world.sandbox.stop()
        }

        @Test(
            "SIGKILL at random points of a 1,000-SKU sync, three times, loses nothing: full convergence after restarts"
        )
        func survivesCrashes() async throws {
            let world = try await SyncWorld(
                platforms: ["amazon"],
                sandboxArguments: ["--faults", "500:0.02", "--quotas", "off", "--processing-delay-ms", "100"]
            )
            let catalog = TestCatalog(count: 1_000)
            var daemon = try await world.startDaemon()
            try await daemon.importCatalog(catalog.csv())
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<3 {
                try await Task.sleep(for: .milliseconds(Int64.random(in: 200...2_500, using: &generator)))
                await daemon.crash()
                daemon = try await world.startDaemon()
            }
            try await world.waitForConvergence(of: catalog)
            #expect(try await daemon.deadLetters().deadLetters.isEmpty)
            #expect(await daemon.stop() == 0)
            await world.sandbox.stop()
        }

        @Test(
            "20 rapid price edits of one SKU under latency end with the last price on every marketplace, never an older price after a newer one"
        )
        func rapidEditsEndWithTheLastPrice() async throws {
            let world = try await SyncWorld(
                platforms: ["amazon"],
                sandboxArguments: ["--latency-ms", "150", "--quotas", "published"]
            )
            var catalog = TestCatalog(count: 1)
            let daemon = try await world.startDaemon()
            try await daemon.importCatalog(catalog.csv())
            try await world.waitForConvergence(of: catalog, within: .seconds(120))
            for _ in 0..<20 {
                // ₹200 a step: more than one unit of every marketplace currency after FX and rounding,
                // so each edit is a different price on every marketplace.
                catalog.changePrices(of: 0..<1, by: 20_000)
                try await daemon.importCatalog(catalog.csv())
                try await Task.sleep(for: .milliseconds(30))
            }
            try await world.waitForConvergence(of: catalog, within: .seconds(120))
            let requests = try await world.sandbox.stats()["amazon"]?.requests ?? 0
            #expect(requests < 10 + 20 * 10 + 10, "edits coalesce: fewer sends than edits × marketplaces")
            // Every edit raised the price, so a marketplace that ever got an older price after a newer
            // one shows a fall in its history.
            let listings = try await world.sandbox.listings(platform: "amazon")
            #expect(listings.count == 10)
            for listing in listings {
                let history = (listing.priceHistory ?? []).compactMap { Decimal(string: $0) }
                #expect(history.count >= 2, "\(listing.marketplace) kept a price history: \(history)")
                #expect(
                    zip(history, history.dropFirst()).allSatisfy { $0 < $1 },
                    "\(listing.marketplace) never went back to an older price: \(history)"
                )
            }
            #expect(await daemon.stop() == 0)
            await world.sandbox.stop()
        }
    }
}
