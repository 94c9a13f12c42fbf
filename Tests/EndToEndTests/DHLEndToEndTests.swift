import Foundation
import Testing

extension EndToEndSuites {
    /// DHL Express through the daemon: estimates per destination, and a channel whose price adds them.
    @Suite("DHL Express end to end", .serialized)
    struct DHLEndToEndTests {
        /// DHL's assumed 2 requests/s (burst 10), raised 10× on both sides.
        static let multiplier = 10

        @Test(
            "100 SKUs are estimated to every destination through injected faults and a channel adding the estimates prices with the twin's own; a price and stock change on 20 SKUs is estimated and priced again; a SKU without an HS code is not ready and a refused one is dead-lettered in DHL's words, both held on the adding channel"
        )
        func estimatesAndLandedCostPricesConvergeThroughFaults() async throws {
            let world = try await SyncWorld(
                platforms: ["dhl", "ebay"],
                channelNames: ["dhl-express", "ebay-us"],
                quotaMultiplier: Self.multiplier,
                daemonSettings: "bulk_threshold = 50",
                channelSettings: [
                    "ebay-us":
                        #"pricing = { markup_percent = "38", add = "3.00", rounding = "ending:0.99", min = "5.99", add_landed_cost = "dhl-express" }"#
                ],
                sandboxArguments: [
                    "--faults", SyncWorld.faults, "--quotas", "published", "--processing-delay-ms", "200",
                ]
            )
            #expect(world.channels.map(\.name) == ["ebay-us", "dhl-express"])
            #expect(world.oracle.channels["ebay-us"]?.addsLandedCostFrom == "dhl-express")
            let (rejectedIndex, notReadyIndex) = (50, 70)
            var catalog = TestCatalog(count: 100, rejected: [rejectedIndex], withoutHSCode: [notReadyIndex])
            let rejected = catalog.products[rejectedIndex - 1].sku.rawValue
            let notReady = catalog.products[notReadyIndex - 1].sku.rawValue
            let daemon = try await world.startDaemon()
            try await daemon.importCatalog(catalog.csv())
            // Every other SKU: on dhl-express with an estimate to US, GB and DE at its declared value, and on
            // ebay-us at the rules' price plus the twin's US estimate, converted and rounded up.
            try await world.waitForConvergence(of: catalog, excluding: [rejected, notReady])

            catalog.changePrices(of: 0..<20, by: 20_000)
            catalog.setQuantity(of: 0..<20, to: 3)
            try await daemon.importCatalog(catalog.csv(0..<20))
            try await world.waitForConvergence(of: catalog, excluding: [rejected, notReady])

            var letters = try await daemon.waitForDeadLetters(of: rejected, on: ["dhl-express"])
            letters += try await daemon.waitForDeadLetters(of: notReady, on: ["dhl-express"])
            #expect(Set(try await daemon.deadLetters().deadLetters.map(\.channel)) == ["dhl-express"], "\(letters)")
            let reasons = Dictionary(letters.map { ($0.sku, $0.reason) }, uniquingKeysWith: { first, _ in first })
            #expect(reasons[rejected]?.contains("prohibited content [REJECT]") == true, "\(reasons)")
            #expect(reasons[notReady]?.contains("not ready to ship: HS code missing") == true, "\(reasons)")
            // Held on ebay-us, never priced without an estimate.
            let listings = try await world.sandbox.listings(platform: "ebay")
            for sku in [rejected, notReady] {
                #expect(!listings.contains { $0.sku == sku }, "\(sku) is not listed on ebay-us")
                let standing = await daemon.listingSummary(of: sku)
                #expect(standing.contains("price held"), "\(standing)")
            }
            #expect(await daemon.stop() == 0)
            await world.sandbox.stop()
        }
    }
}
