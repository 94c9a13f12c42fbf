import ControlAPI
import Foundation
import Testing

extension EndToEndSuites {
    /// The daemon against the Amazon twin over loopback: the ten Global Selling marketplaces of
    /// `config/sandbox.toml` in three regional accounts. Convergence through faults is shown with every
    /// other platform in ``AllPlatformsEndToEndTests``; these are Amazon's own cases.
    @Suite("Amazon end to end", .serialized)
    struct AmazonEndToEndTests {
        @Test(
            "SIGKILL three times while some listings are acknowledged and others leased loses nothing: 400 SKUs converge on ten marketplaces after the restarts"
        )
        func survivesCrashes() async throws {
            // Quotas off on both sides; backlogs of 100 or more go by feed, so crashes land mid-feed too.
            let world = try await SyncWorld(
                platforms: ["amazon"],
                daemonSettings: "rate_limits = \"off\"\nbulk_threshold = 100",
                sandboxArguments: ["--faults", "500:0.02", "--quotas", "off", "--processing-delay-ms", "100"]
            )
            let catalog = TestCatalog(count: 400)
            var daemon = try await world.startDaemon()
            try await daemon.importCatalog(catalog.csv())
            var ackedBeforeCrash = 0
            for crash in 1...3 {
                // Kill mid-sync: only once this run has acknowledged something and still holds leases.
                let deadline = ContinuousClock.now + .seconds(120)
                var state: (acked: Int, leased: Int) = (0, 0)
                while true {
                    let status = try await daemon.status()
                    state = (status.channels.map(\.acked).reduce(0, +), status.channels.map(\.leased).reduce(0, +))
                    if state.acked > ackedBeforeCrash, state.leased > 0 { break }
                    guard ContinuousClock.now < deadline else {
                        throw EndToEndError("crash \(crash): never saw new acknowledgements with leases held: \(state)")
                    }
                    try await Task.sleep(for: .milliseconds(10))
                }
                await daemon.crash()
                #expect(state.acked > ackedBeforeCrash && state.leased > 0, "crash \(crash) came mid-sync: \(state)")
                ackedBeforeCrash = state.acked
                daemon = try await world.startDaemon()
            }
            try await world.waitForConvergence(of: catalog)
            #expect(try await daemon.deadLetters().deadLetters.isEmpty)
            #expect(await daemon.stop() == 0)
            await world.sandbox.stop()
        }

        @Test(
            "20 price edits while the channels are paused go out as one request per marketplace with the last price; 20 rapid edits under latency end with the last price, never an older price after a newer one"
        )
        func rapidEditsCoalesceAndEndWithTheLastPrice() async throws {
            // Orders are not polled and listings not read back: the request count below is the pushes'.
            let world = try await SyncWorld(
                platforms: ["amazon"],
                accountSettings: ["amazon": "ingest_orders = false"],
                sandboxArguments: ["--latency-ms", "150", "--quotas", "published"]
            )
            var catalog = TestCatalog(count: 1)
            let daemon = try await world.startDaemon()
            try await daemon.importCatalog(catalog.csv())
            try await world.waitForConvergence(of: catalog, within: .seconds(120))

            // Coalescing, deterministically: nothing can be sent between the edits.
            for channel in world.channels { try await daemon.post("/v1/channels/\(channel.name)/pause") }
            let requestsBeforePausedEdits = try await world.sandbox.stats()["amazon"]?.requests ?? 0
            for _ in 0..<20 {
                catalog.changePrices(of: 0..<1, by: 20_000)
                try await daemon.importCatalog(catalog.csv())
            }
            for channel in world.channels { try await daemon.post("/v1/channels/\(channel.name)/resume") }
            try await world.waitForConvergence(of: catalog, within: .seconds(120))
            let pausedEditRequests =
                (try await world.sandbox.stats()["amazon"]?.requests ?? 0) - requestsBeforePausedEdits
            // One patchListingsItem per marketplace (tokens are cached from the first sync).
            #expect(
                pausedEditRequests == 10,
                "20 edits × 10 marketplaces coalesced into 10 requests: \(pausedEditRequests)"
            )
            let afterPause = try await world.sandbox.listings(platform: "amazon")
            for listing in afterPause {
                #expect(
                    listing.priceHistory?.count == 2,
                    "\(listing.marketplace) got its first price and then only the last: \(listing.priceHistory ?? [])"
                )
            }

            // Ordering under latency: edits land while earlier ones are in flight.
            for _ in 0..<20 {
                // ₹200 a step: more than one unit of every marketplace currency after FX and rounding,
                // so each edit is a different price on every marketplace.
                catalog.changePrices(of: 0..<1, by: 20_000)
                try await daemon.importCatalog(catalog.csv())
                try await Task.sleep(for: .milliseconds(30))  // pacing the edits, not waiting for a result
            }
            try await world.waitForConvergence(of: catalog, within: .seconds(120))
            // Every edit raised the price, so a marketplace that ever got an older price after a newer
            // one shows a fall in its history.
            let listings = try await world.sandbox.listings(platform: "amazon")
            #expect(listings.count == 10)
            for listing in listings {
                let history = (listing.priceHistory ?? []).compactMap { Decimal(string: $0) }
                #expect(history.count >= 3, "\(listing.marketplace) kept a price history: \(history)")
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
