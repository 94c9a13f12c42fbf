import Catalog
import CurlHTTP
import Logging
import Store
import Sync
import Synchronization

/// Builds the engine's channels from a configuration: one adapter per channel, with the rate limiter
/// and token cache of its account shared by all the account's channels and kept across reloads.
public final class EngineAssembly: Sendable {
    /// Where accounts point and how they are paced.
    public struct Options: Sendable {
        /// The sandbox's base URL: every account is pointed at its platform's twin there.
        public var sandboxBaseURL: String?
        /// `false` turns client-side pacing off (a sandbox with quotas off, benchmarks).
        public var rateLimits: Bool
        /// The total time allowed for one request to a platform.
        public var requestTimeout: Duration
        /// Where adapters keep durable per-account data; in memory when `nil`.
        public var store: CatalogStore?

        public init(
            sandboxBaseURL: String? = nil,
            rateLimits: Bool = true,
            requestTimeout: Duration = .seconds(30),
            store: CatalogStore? = nil
        ) {
            self.sandboxBaseURL = sandboxBaseURL
            self.rateLimits = rateLimits
            self.requestTimeout = requestTimeout
            self.store = store
        }
    }

    /// What one account's channels share.
    struct AccountResources {
        var platform: String
        var rateLimiter: RateLimiter
        var tokens: TokenCache
    }

    /// A channel left out of the engine, and why (no adapter for its platform, bad credentials...).
    public struct Skipped: Sendable, Hashable {
        public var channel: String
        public var reason: String
    }

    let http: HTTPClient
    let options: Options
    let logger: Logger
    private let accounts = Mutex<[String: AccountResources]>([:])
    /// Each account's adapter data when ``Options/store`` is `nil`, kept across reloads.
    private let memoryData = Mutex<[String: InMemoryAdapterDataStore]>([:])
    /// The running order pollers by account, with what each was built from
    /// (``reconcileOrderPollers(for:projections:credentials:store:onApplied:)``).
    let pollers = Mutex<[String: (fingerprint: PollerFingerprint, poller: OrderPoller)]>([:])

    public init(http: HTTPClient, options: Options, logger: Logger) {
        self.http = http
        self.options = options
        self.logger = logger
    }

    /// Problems with platform-specific settings that the adapters can see without credentials, keys
    /// that neither the daemon nor the platform reads (``PlatformSettingKeys``), and `add_landed_cost`
    /// (``LandedCostWiring/check(_:projections:)``), as configuration issues naming their keys.
    public static func check(_ configuration: DaemonConfiguration, projections: ChannelProjections)
        -> [ConfigurationIssue]
    {
        var issues = PlatformSettingKeys.check(configuration)
        issues += LandedCostWiring.check(configuration, projections: projections)
        issues += checkOrderKeys(configuration)
        for (index, channel) in configuration.channels.enumerated() {
            guard let account = configuration.accounts[channel.account],
                let factory = AdapterRegistry.factory(for: account.platform),
                let rules = projections.rules[channel.name]
            else { continue }
            let settings = Self.channelSettings(channel, rules: rules)
            for problem in factory.check(account: Self.accountSettings(account, credentials: [:]), channel: settings) {
                issues.append(ConfigurationIssue(keyPath: "channels[\(index)]", message: "\(problem)"))
            }
        }
        return issues
    }

    /// The engine's channels for `configuration`, and the channels that cannot run.
    public func channels(
        for configuration: DaemonConfiguration,
        projections: ChannelProjections,
        credentials: CredentialStore
    ) -> (channels: [SyncEngine.Channel], skipped: [Skipped]) {
        var result: [SyncEngine.Channel] = []
        var skipped: [Skipped] = []
        let landedCosts = LandedCostWiring(configuration, projections: projections, data: data(account:))
        for channel in configuration.channels {
            guard let account = configuration.accounts[channel.account],
                let projector = projections.projectors[channel.name],
                let rules = projections.rules[channel.name]
            else { continue }
            guard let factory = AdapterRegistry.factory(for: account.platform) else {
                skipped.append(.init(channel: channel.name, reason: "no adapter for platform \(account.platform) yet"))
                continue
            }
            do {
                var settings = try accountSettings(account, credentials: credentials)
                if let base = options.sandboxBaseURL { settings = factory.sandboxAccount(settings, baseURL: base) }
                let resources = resources(for: settings, factory: factory)
                var channelLogger = logger
                channelLogger[metadataKey: "channel"] = "\(channel.name)"
                let context = AdapterContext(
                    account: settings,
                    channel: Self.channelSettings(channel, rules: rules),
                    http: http,
                    rateLimiter: resources.rateLimiter,
                    tokens: resources.tokens,
                    requestTimeout: options.requestTimeout,
                    logger: channelLogger,
                    data: data(account: account.name)
                )
                let adapter = try factory.makeAdapter(context: context)
                result.append(
                    SyncEngine.Channel(
                        name: channel.name,
                        projector: projector,
                        adapter: adapter,
                        landedCost: landedCosts.inputs[channel.name],
                        account: account.name
                    )
                )
            } catch {
                skipped.append(.init(channel: channel.name, reason: "\(error)"))
            }
        }
        return (result, skipped)
    }

    /// The adapter data of `account`: in the store, else in memory for the assembly's lifetime.
    private func data(account: String) -> any AdapterDataStore {
        if let store = options.store { return StoreAdapterData(store: store, account: account) }
        return memoryData.withLock { stores in
            if let existing = stores[account] { return existing }
            let created = InMemoryAdapterDataStore()
            stores[account] = created
            return created
        }
    }

    /// Each account's rate-limit buckets, for status.
    public func rateLimiters() -> [String: RateLimiter] {
        accounts.withLock { $0.mapValues(\.rateLimiter) }
    }

    func resources(for account: AccountSettings, factory: any AdapterFactory) -> AccountResources {
        accounts.withLock { accounts in
            if let existing = accounts[account.name], existing.platform == account.platform { return existing }
            let multiplier = account.extra["quota_multiplier"].flatMap(Double.init) ?? 1
            let orderQuotas = (factory as? any OrderSourceFactory)?.orderQuotas(for: account) ?? []
            let quotas = (factory.quotas(for: account) + orderQuotas).map { quota in
                OperationQuota(
                    operation: quota.operation,
                    requestsPerSecond: quota.requestsPerSecond * multiplier,
                    burst: max(1, Int((Double(quota.burst) * multiplier).rounded()))
                )
            }
            let limiter = RateLimiter(
                quotas: quotas,
                configuration: .init(isEnabled: options.rateLimits)
            )
            let created = AccountResources(platform: account.platform, rateLimiter: limiter, tokens: TokenCache())
            accounts[account.name] = created
            return created
        }
    }

    func accountSettings(
        _ account: AccountConfiguration,
        credentials store: CredentialStore
    ) throws -> AccountSettings {
        var secrets: [String: Secret] = [:]
        // Pointed at the sandbox, an account without a credentials file gets the twins' sandbox values; one
        // that names a file gets its values (the twins refuse `revoked-…` ones as the platforms refuse them).
        if let name = account.credentials {
            secrets = try store.credentials(named: name).values
        }
        return Self.accountSettings(account, credentials: secrets)
    }

    static func accountSettings(_ account: AccountConfiguration, credentials: [String: Secret]) -> AccountSettings {
        AccountSettings(
            name: account.name,
            platform: account.platform,
            region: account.region,
            sellerID: account.sellerID,
            endpoint: account.endpoint,
            tokenEndpoint: account.tokenEndpoint,
            extra: account.extra,
            credentials: credentials
        )
    }

    static func channelSettings(_ channel: ChannelConfiguration, rules: ChannelRules) -> ChannelSettings {
        channelSettings(channel, currency: rules.currency)
    }

    static func channelSettings(_ channel: ChannelConfiguration, currency: Currency) -> ChannelSettings {
        ChannelSettings(
            name: channel.name,
            marketplace: channel.marketplace,
            currency: currency,
            language: channel.language,
            extra: channel.extra
        )
    }
}
