import Foundation
import Testing

extension EndToEndSuites {
    /// Each partner platform's adapter against its twin, through the daemon, with injected faults.
    @Suite("Partner platforms end to end", .serialized)
    struct PartnerEndToEndTests {
        static let faults = "500:0.05,429:0.05,timeout:0.01,reset:0.01"

        @Test(
            "300 SKUs converge through injected faults, then a stock change on 50 SKUs; a product the platform refuses is dead-lettered in its words",
            arguments: ["ebay", "flipkart", "walmart", "shiprocket", "shopclues", "rivexa"]
        )
        func convergesThroughFaults(platform: String) async throws {
            let world = try await SyncWorld(
                platforms: [platform],
                daemonSettings: "request_timeout_seconds = 5\nbulk_threshold = 100",
                sandboxArguments: ["--faults", Self.faults, "--quotas", "published", "--processing-delay-ms", "200"]
            )
            #expect(!world.channels.isEmpty)
            let rejectedIndex = 150
            var catalog = TestCatalog(count: 300, rejected: [rejectedIndex])
            let rejectedSKU = catalog.products[rejectedIndex - 1].sku.rawValue
            let daemon = try await world.startDaemon()
            try await daemon.importCatalog(catalog.csv())
            try await world.waitForConvergence(of: catalog, excluding: [rejectedSKU])

            catalog.setQuantity(of: 0..<50, to: 3)
            try await daemon.importCatalog(catalog.csv(0..<50))
            try await world.waitForConvergence(of: catalog, excluding: [rejectedSKU])

            // Every platform's twin refuses the product by its title (Shopclues sees it in the price
            // update that names a new product), so exactly that SKU is dead-lettered, once per channel.
            let letters = try await daemon.deadLetters(atLeast: world.channels.count)
            #expect(Set(letters.map(\.sku)) == [rejectedSKU], "only the refused product is dead-lettered")
            let everyChannel = Set(world.channels.map(\.name))
            let standing =
                Set(letters.map(\.channel)) == everyChannel ? "" : await daemon.listingSummary(of: rejectedSKU)
            #expect(Set(letters.map(\.channel)) == everyChannel, "dead-lettered on every channel: \(standing)")
            #expect(letters.allSatisfy { !$0.reason.isEmpty })
            #expect(await daemon.stop() == 0)
            await world.sandbox.stop()
        }

        @Test("1,000 SKUs converge on every configured channel of every platform in one run")
        func allPlatformsAtOnce() async throws {
            // DHL Express estimates 1,000 SKUs × 3 destinations; at its assumed 2 requests/s that alone
            // is 25 minutes, so its quota is raised 10× on both sides. The sandbox's multiplier raises
            // Amazon's twin too; the Amazon adapter follows the rate the twin reports in
            // `x-amzn-RateLimit-Limit`, as it follows Amazon's.
            let world = try await SyncWorld(
                platforms: ["amazon", "ebay", "flipkart", "walmart", "shiprocket", "shopclues", "dhl", "rivexa"],
                accountSettings: ["dhl": "quota_multiplier = \"10\""],
                sandboxArguments: ["--quotas", "published", "--processing-delay-ms", "200", "--quota-multiplier", "10"]
            )
            #expect(Set(world.channels.map(\.platform)).count == 8)
            let catalog = TestCatalog(count: 1_000)
            let daemon = try await world.startDaemon()
            try await daemon.importCatalog(catalog.csv())
            try await world.waitForConvergence(of: catalog, within: .seconds(1_200))
            #expect(try await daemon.deadLetters().deadLetters.isEmpty)
            #expect(await daemon.stop() == 0)
            await world.sandbox.stop()
        }
    }
}
