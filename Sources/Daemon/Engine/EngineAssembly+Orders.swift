import Catalog
import Foundation
import Store
import Sync

/// The order side of the assembly: one ``Sync/OrderPoller`` per account whose platform has an order
/// source, on the account's shared rate limiter and token cache, rebuilt on a reload only where the
/// account's order settings changed.
///
/// Configuration: `[accounts.NAME] ingest_orders = false` turns an account's polling off,
/// `order_poll_seconds` sets its interval (default ``defaultOrderPollSeconds``),
/// `order_look_back_seconds` how far before now a first poll starts; a channel with
/// `ingest_orders = false` is left out (its orders do not change the stock).
extension EngineAssembly {
    /// The wait between two polls of an account when it does not set `order_poll_seconds`.
    public static let defaultOrderPollSeconds = 60.0

    /// What an account's poller is built from: a reload that leaves it equal keeps the running poller
    /// (its status and its wait), one that changes it replaces the poller.
    struct PollerFingerprint: Hashable, Sendable {
        var account: AccountConfiguration
        var channels: [ChannelConfiguration]
        var inventory: [String: InventoryRule]
    }

    /// The order pollers `configuration` asks for, against the ones running: the pollers to start
    /// (new accounts, and accounts whose settings, ingested channels or their inventory rules changed),
    /// the accounts whose running poller stops (gone, changed, or no longer ingesting), and the
    /// accounts that cannot poll (with why). The first call starts every poller.
    public func reconcileOrderPollers(
        for configuration: DaemonConfiguration,
        projections: ChannelProjections,
        credentials: CredentialStore,
        store: CatalogStore,
        onApplied: @escaping @Sendable ([AppliedOrderLine]) -> Void
    ) -> (start: [OrderPoller], stop: [String], skipped: [Skipped]) {
        var wanted: [String: PollerFingerprint] = [:]
        var skipped: [Skipped] = []
        for account in configuration.accounts.values.sorted(by: { $0.name < $1.name }) {
            guard Self.isOn(account.extra["ingest_orders"]),
                AdapterRegistry.factory(for: account.platform) is any OrderSourceFactory
            else { continue }
            let channels = configuration.channels.filter {
                $0.account == account.name && Self.isOn($0.extra["ingest_orders"]) && projections.rules[$0.name] != nil
            }
            guard !channels.isEmpty else { continue }
            wanted[account.name] = PollerFingerprint(
                account: account,
                channels: channels,
                inventory: Dictionary(
                    uniqueKeysWithValues: channels.map { ($0.name, projections.rules[$0.name]!.inventory) }
                )
            )
        }
        let running = pollers.withLock { $0 }
        var start: [OrderPoller] = []
        let stop = running.keys.filter { wanted[$0] != running[$0]?.fingerprint }.sorted()
        for (name, fingerprint) in wanted.sorted(by: { $0.key < $1.key })
        where running[name]?.fingerprint != fingerprint {
            do {
                start.append(
                    try makePoller(
                        fingerprint,
                        projections: projections,
                        credentials: credentials,
                        store: store,
                        onApplied: onApplied
                    )
                )
            } catch {
                skipped.append(.init(channel: name, reason: "orders: \(error)"))
            }
        }
        pollers.withLock { current in
            for name in stop { current[name] = nil }
            for poller in start { current[poller.account] = (wanted[poller.account]!, poller) }
        }
        return (start, stop, skipped)
    }

    /// The poller of one account.
    private func makePoller(
        _ fingerprint: PollerFingerprint,
        projections: ChannelProjections,
        credentials: CredentialStore,
        store: CatalogStore,
        onApplied: @escaping @Sendable ([AppliedOrderLine]) -> Void
    ) throws -> OrderPoller {
        let account = fingerprint.account
        guard let factory = AdapterRegistry.factory(for: account.platform) as? any OrderSourceFactory else {
            throw AdapterError.configuration(key: "accounts.\(account.name).platform", message: "no order source")
        }
        var settings = try accountSettings(account, credentials: credentials)
        if let base = options.sandboxBaseURL { settings = factory.sandboxAccount(settings, baseURL: base) }
        let resources = resources(for: settings, factory: factory)
        var pollerLogger = logger
        pollerLogger[metadataKey: "account"] = "\(account.name)"
        let source = try factory.makeOrderSource(
            context: OrderSourceContext(
                account: settings,
                channels: fingerprint.channels.map { Self.channelSettings($0, rules: projections.rules[$0.name]!) },
                http: http,
                rateLimiter: resources.rateLimiter,
                tokens: resources.tokens,
                requestTimeout: options.requestTimeout,
                lookBack: .milliseconds(
                    Int64((account.extra["order_look_back_seconds"].flatMap(Double.init) ?? 3600) * 1000)
                ),
                logger: pollerLogger
            )
        )
        let seconds = account.extra["order_poll_seconds"].flatMap(Double.init) ?? Self.defaultOrderPollSeconds
        let inventory = fingerprint.inventory
        return OrderPoller(
            account: account.name,
            source: source,
            store: store,
            configuration: .init(
                interval: .milliseconds(Int64(max(0.05, seconds) * 1000)),
                // Failures back off to at most five intervals (5 s to 5 minutes).
                maximumBackoff: .milliseconds(Int64(min(300, max(5, seconds * 5)) * 1000)),
                ingestedChannels: Set(fingerprint.channels.map(\.name))
            ),
            isStockOut: { channel, stock in
                (inventory[channel] ?? InventoryRule()).quantity(forStock: stock) == 0
            },
            onApplied: onApplied
        )
    }

    /// Each polling account's order poller state.
    public func orderPollerStatuses() -> [String: OrderPoller.Status] {
        pollers.withLock { $0.mapValues(\.poller.status) }
    }

    /// Problems with the order keys of `configuration`, each naming its key.
    public static func checkOrderKeys(_ configuration: DaemonConfiguration) -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        for account in configuration.accounts.values.sorted(by: { $0.name < $1.name }) {
            for key in ["order_poll_seconds", "order_look_back_seconds"] {
                if let text = account.extra[key], (Double(text) ?? 0) <= 0 {
                    issues.append(
                        ConfigurationIssue(
                            keyPath: "accounts.\(account.name).\(key)",
                            message: "\"\(text)\" is not a positive number of seconds"
                        )
                    )
                }
            }
            if let text = account.extra["ingest_orders"], !["true", "false"].contains(text) {
                issues.append(
                    ConfigurationIssue(
                        keyPath: "accounts.\(account.name).ingest_orders",
                        message: "\"\(text)\" is not true or false"
                    )
                )
            }
        }
        for (index, channel) in configuration.channels.enumerated() {
            if let text = channel.extra["ingest_orders"], !["true", "false"].contains(text) {
                issues.append(
                    ConfigurationIssue(
                        keyPath: "channels[\(index)].ingest_orders",
                        message: "\"\(text)\" is not true or false"
                    )
                )
            }
        }
        return issues
    }

    private static func isOn(_ text: String?) -> Bool { text != "false" }
}
