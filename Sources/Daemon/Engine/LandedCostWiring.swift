import Catalog
import Store
import Sync

/// The landed costs of one configuration: which channels keep them (their platform's adapter says so:
/// a DHL Express channel keeps estimates) and which channels' prices add them
/// (`pricing = { …, add_landed_cost = "<channel>" }`), each to its own destination country.
///
/// `add_landed_cost` names the **channel** that keeps the landed costs (`dhl-express`), not its account:
/// the channel's destinations decide which countries are estimated. A channel adding them must sell to
/// one of those destinations (the country of its marketplace, from its platform's adapter), and both
/// currencies need an FX rate; anything else is a configuration error at load and reload
/// (``check(_:projections:)``), never a price sent without its landed cost.
public struct LandedCostWiring: Sendable {
    /// The landed costs each keeping channel has, by channel name (every such channel, used or not).
    public var sources: [String: any LandedCostSource]
    /// Where each channel whose price adds a landed cost takes it from, by channel name.
    public var inputs: [String: LandedCostInput]

    /// The wiring of `configuration`; a channel whose `add_landed_cost` does not check out is left out
    /// (``check(_:projections:)`` reports it). `data` gives an account's adapter data store by name.
    public init(
        _ configuration: DaemonConfiguration,
        projections: ChannelProjections,
        data: (String) -> any AdapterDataStore
    ) {
        (sources, inputs, _) = Self.resolve(configuration, projections: projections, data: data)
    }

    /// The wiring of `configuration` over the adapter data in `store`.
    public init(_ configuration: DaemonConfiguration, projections: ChannelProjections, store: CatalogStore) {
        self.init(configuration, projections: projections) { StoreAdapterData(store: store, account: $0) }
    }

    /// Every `add_landed_cost` that cannot work, naming its key (`channels[3].pricing.add_landed_cost`).
    public static func check(_ configuration: DaemonConfiguration, projections: ChannelProjections)
        -> [ConfigurationIssue]
    {
        resolve(configuration, projections: projections) { _ in InMemoryAdapterDataStore() }.issues
    }

    /// Per channel of `projectors` whose price adds a landed cost, the amount every SKU with one adds
    /// there, in the channel's currency: what a dirty-set rebuild compares against.
    public func amounts(for projectors: [ChannelProjector]) async throws -> [String: [SKU: Money]] {
        var result: [String: [SKU: Money]] = [:]
        for projector in projectors {
            let name = projector.channel.name
            guard let input = inputs[name] else { continue }
            result[name] = try await input.costs.amountsToAdd(
                to: input.destination,
                currency: projector.channel.currency,
                skus: nil
            )
        }
        return result
    }

    /// Every stored landed cost of `sku`, by keeping channel (sorted by name).
    public func landedCosts(of sku: SKU) async throws -> [(source: String, costs: [LandedCost])] {
        var result: [(source: String, costs: [LandedCost])] = []
        for name in sources.keys.sorted() {
            result.append((name, try await sources[name]!.landedCosts(of: sku)))
        }
        return result
    }

    private static func resolve(
        _ configuration: DaemonConfiguration,
        projections: ChannelProjections,
        data: (String) -> any AdapterDataStore
    ) -> (sources: [String: any LandedCostSource], inputs: [String: LandedCostInput], issues: [ConfigurationIssue]) {
        var sources: [String: any LandedCostSource] = [:]
        for channel in configuration.channels {
            guard let account = configuration.accounts[channel.account],
                let factory = AdapterRegistry.factory(for: account.platform),
                let rules = projections.rules[channel.name],
                let source = factory.landedCostSource(
                    channel: EngineAssembly.channelSettings(channel, rules: rules),
                    data: data(account.name),
                    fx: projections.fx
                )
            else { continue }
            sources[channel.name] = source
        }
        var inputs: [String: LandedCostInput] = [:]
        var issues: [ConfigurationIssue] = []
        for (index, channel) in configuration.channels.enumerated() {
            guard let rules = projections.rules[channel.name], let sourceName = rules.pricing.landedCostSource else {
                continue
            }
            let key = "channels[\(index)].pricing.add_landed_cost"
            guard let source = sources[sourceName], let sourceRules = projections.rules[sourceName] else {
                let keeping = sources.keys.sorted().joined(separator: ", ")
                let what =
                    configuration.channel(named: sourceName) == nil
                    ? "which is not defined" : "which keeps no landed costs"
                issues.append(
                    ConfigurationIssue(
                        keyPath: key,
                        message: "names channel \"\(sourceName)\", \(what) (channels that keep landed costs: "
                            + "\(keeping.isEmpty ? "none" : keeping))"
                    )
                )
                continue
            }
            let platform = configuration.accounts[channel.account]?.platform ?? ""
            guard
                let destination = AdapterRegistry.factory(for: platform)?.destinationCountry(
                    marketplace: channel.marketplace
                )
            else {
                issues.append(
                    ConfigurationIssue(
                        keyPath: key,
                        message: "the destination country of marketplace \"\(channel.marketplace)\" "
                            + "(platform \(platform)) is not known, so no landed cost can apply"
                    )
                )
                continue
            }
            guard source.destinations.contains(destination) else {
                issues.append(
                    ConfigurationIssue(
                        keyPath: key,
                        message: "channel \(channel.name) sells to \(destination), which \(sourceName) does not "
                            + "estimate (its destinations: \(source.destinations.joined(separator: ","))); "
                            + "add \(destination) to its destinations"
                    )
                )
                continue
            }
            let missing = [sourceRules.currency, rules.currency].filter { projections.fx.rate(to: $0) == nil }
            guard missing.isEmpty else {
                issues.append(
                    ConfigurationIssue(
                        keyPath: key,
                        message: "fx.\(missing[0].code): no rate to convert \(sourceName)'s landed costs "
                            + "(\(sourceRules.currency.code)) to \(rules.currency.code)"
                    )
                )
                continue
            }
            inputs[channel.name] = LandedCostInput(source: sourceName, destination: destination, costs: source)
        }
        return (sources, inputs, issues)
    }
}
