import Catalog
import Daemon
import Foundation
import Sync
import Testing

/// The shipped example configurations load cleanly; a broken example would be the first thing a new user hits.
struct ExampleConfigurationTests {
    /// `config/` at the repository root, found from this file's path.
    static let configDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("config").path

    static let amazonGlobalSelling: Set<String> = ["US", "CA", "MX", "UK", "DE", "FR", "IT", "ES", "JP", "AE"]
    static let partnerPlatforms: Set<String> = [
        "ebay", "flipkart", "walmart", "shiprocket", "shopclues", "dhl", "rivexa",
    ]

    @Test(arguments: ["catalogsyncd.toml", "sandbox.toml"])
    func exampleLoadsWithoutErrors(file: String) throws {
        let configuration = try DaemonConfiguration.load(path: "\(Self.configDirectory)/\(file)", environment: [:])
        let amazon = configuration.channels.filter { configuration.accounts[$0.account]?.platform == "amazon" }
        #expect(Set(amazon.map(\.marketplace)) == Self.amazonGlobalSelling)
        #expect(Set(amazon.compactMap { configuration.accounts[$0.account]?.region }) == ["na", "eu", "fe"])
        #expect(configuration.channel(named: "amazon-ae")?.account == "amazon-eu")
        let platforms = Set(configuration.accounts.values.map(\.platform))
        #expect(platforms == Self.partnerPlatforms.union(["amazon"]))
        #expect(configuration.channels.allSatisfy { $0.currency != nil })
        let projections = try configuration.makeChannelProjections()
        #expect(Set(projections.projectors.keys) == Set(configuration.channels.map(\.name)))
        let issues = EngineAssembly.check(configuration, projections: projections)
        #expect(issues.isEmpty, "\(issues)")
    }

    @Test func productionExamplePricesEbayUSWithDHLsLandedCostToTheUS() throws {
        let configuration = try DaemonConfiguration.load(
            path: "\(Self.configDirectory)/catalogsyncd.toml",
            environment: [:]
        )
        let wiring = LandedCostWiring(
            configuration,
            projections: try configuration.makeChannelProjections(),
            data: { _ in InMemoryAdapterDataStore() }
        )
        #expect(wiring.inputs.mapValues { "\($0.source) \($0.destination)" } == ["ebay-us": "dhl-express US"])
        #expect(Set(wiring.sources.keys) == ["dhl-express"])
    }

    @Test func sandboxHasTheSameChannelsWithoutEndpointsOrCredentials() throws {
        let production = try DaemonConfiguration.load(
            path: "\(Self.configDirectory)/catalogsyncd.toml",
            environment: [:]
        )
        let sandbox = try DaemonConfiguration.load(path: "\(Self.configDirectory)/sandbox.toml", environment: [:])
        // Except that no sandbox price adds a DHL landed cost: the demo and the end-to-end suites price
        // by the rules alone, without waiting for DHL's estimates (2 calls/s).
        let withoutLandedCosts = production.channels.map { channel in
            var channel = channel
            channel.pricing["add_landed_cost"] = nil
            return channel
        }
        #expect(sandbox.channels == withoutLandedCosts)
        #expect(sandbox.accounts.values.allSatisfy { $0.endpoint == nil && $0.tokenEndpoint == nil })
        #expect(sandbox.accounts.values.allSatisfy { $0.credentials == nil })
    }

    @Test func stockSharesOfTheProductionExampleNeverOfferMoreThanTheStock() throws {
        let configuration = try DaemonConfiguration.load(
            path: "\(Self.configDirectory)/catalogsyncd.toml",
            environment: [:]
        )
        let shares = configuration.channels.map { $0.inventory["share_percent"] }
        #expect(shares.allSatisfy { $0 != nil }, "a channel without share_percent is offered all the stock")
        #expect(shares.compactMap { $0 }.reduce(0, +) <= 100)
    }
}
