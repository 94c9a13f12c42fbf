import Foundation
import Testing

extension EndToEndSuites {
    /// The long runs: before a release, not in CI (`make soak`, which sets `CATALOGSYNC_SOAK=1`).
    @Suite(
        "Soak",
        .serialized,
        .enabled(if: ProcessInfo.processInfo.environment["CATALOGSYNC_SOAK"] == "1", "make soak runs it")
    )
    struct SoakTests {
        @Test("1,000 SKUs converge on all 19 channels of 8 platforms at once through injected faults")
        func thousandSKUsOnEveryPlatform() async throws {
            let world = try await SyncWorld(
                platforms: AllPlatformsEndToEndTests.platforms,
                quotaMultiplier: 10,
                sandboxArguments: [
                    "--faults", SyncWorld.faults, "--quotas", "published", "--processing-delay-ms", "200",
                ]
            )
            #expect(world.channels.count == 19)
            var catalog = TestCatalog(count: 1_000)
            let daemon = try await world.startDaemon()
            let started = ContinuousClock.now
            try await daemon.importCatalog(catalog.csv())
            try await world.waitForConvergence(of: catalog, within: .seconds(1_800))
            let converged = ContinuousClock.now - started
            catalog.changePrices(of: 0..<1_000, by: 20_000)
            let changed = ContinuousClock.now
            try await daemon.importCatalog(catalog.csv())
            try await world.waitForConvergence(of: catalog, within: .seconds(1_800))
            let repriced = ContinuousClock.now - changed
            #expect(try await daemon.deadLetters().deadLetters.isEmpty)
            let stats = try await world.sandbox.stats()
            let requests = stats.values.map(\.requests).reduce(0, +)
            let throttled = stats.values.map(\.throttled).reduce(0, +)
            let faults = stats.values.map { $0.faults.values.reduce(0, +) }.reduce(0, +)
            print(
                "soak: 1,000 SKUs × 19 channels converged in \(converged), repriced in \(repriced); \(requests) requests, \(faults) faults injected, \(throttled) 429s"
            )
            #expect(await daemon.stop() == 0)
            await world.sandbox.stop()
        }
    }
}
