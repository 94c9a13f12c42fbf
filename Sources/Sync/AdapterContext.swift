import Catalog
import CurlHTTP
import Logging

/// One seller account as an adapter sees it: the `[accounts.NAME]` section of the configuration.
public struct AccountSettings: Sendable, Hashable {
    /// The section name (`amazon-eu`).
    public var name: String
    /// The platform (`amazon`, `ebay`, ...).
    public var platform: String
    /// The platform's region, where it has them (Amazon: `na`, `eu`, `fe`).
    public var region: String?
    /// The seller's identifier on the platform.
    public var sellerID: String?
    /// An override of the platform's API base URL (sandbox, tests), without a trailing slash.
    public var endpoint: String?
    /// An override of the platform's token URL (sandbox, tests).
    public var tokenEndpoint: String?
    /// Platform-specific keys of the section, as text (`merchant_location_key`, ...).
    public var extra: [String: String]
    /// The keys of the account's credentials file; values never leave ``Secret``.
    public var credentials: [String: Secret]

    public init(
        name: String,
        platform: String,
        region: String? = nil,
        sellerID: String? = nil,
        endpoint: String? = nil,
        tokenEndpoint: String? = nil,
        extra: [String: String] = [:],
        credentials: [String: Secret] = [:]
    ) {
        self.name = name
        self.platform = platform
        self.region = region
        self.sellerID = sellerID
        self.endpoint = endpoint
        self.tokenEndpoint = tokenEndpoint
        self.extra = extra
        self.credentials = credentials
    }

    /// The credential `key`, or an ``AdapterError/credentials(key:message:)`` naming it.
    public func credential(_ key: String) throws(AdapterError) -> Secret {
        guard let secret = credentials[key], !secret.isEmpty else {
            throw .credentials(key: "\(name).\(key)", message: "missing or empty in the account's credentials file")
        }
        return secret
    }
}

/// One channel as an adapter sees it: a marketplace of an account, in a currency and a language.
public struct ChannelSettings: Sendable, Hashable {
    /// The channel's name (`amazon-de`).
    public var name: String
    /// The platform's marketplace code as configured (`DE`, `EBAY_GB`).
    public var marketplace: String
    /// The currency prices are sent in.
    public var currency: Currency
    /// The listing language (`de_DE`), when configured.
    public var language: String?
    /// Platform-specific keys of the channel, as text (`category_id`, ...).
    public var extra: [String: String]

    public init(
        name: String,
        marketplace: String,
        currency: Currency,
        language: String? = nil,
        extra: [String: String] = [:]
    ) {
        self.name = name
        self.marketplace = marketplace
        self.currency = currency
        self.language = language
        self.extra = extra
    }
}

/// Everything an adapter for one channel is built with: its account and channel, and the shared parts.
///
/// The rate limiter and the token cache belong to the account: every channel of one account gets the
/// same instances, so amazon-de, -fr, -it and -es of one EU seller spend one budget and one token.
public struct AdapterContext: Sendable {
    public var account: AccountSettings
    public var channel: ChannelSettings
    /// The process's HTTP engine.
    public var http: HTTPClient
    /// The account's token buckets, one per operation.
    public var rateLimiter: RateLimiter
    /// The account's OAuth access token.
    public var tokens: TokenCache
    /// The total time allowed for one request to the platform.
    public var requestTimeout: Duration
    /// A logger with `channel` metadata; never log secrets through it.
    public var logger: Logger
    /// The account's durable data (kept in the state database by the daemon).
    public var data: any AdapterDataStore

    public init(
        account: AccountSettings,
        channel: ChannelSettings,
        http: HTTPClient,
        rateLimiter: RateLimiter,
        tokens: TokenCache,
        requestTimeout: Duration = .seconds(30),
        logger: Logger,
        data: any AdapterDataStore = InMemoryAdapterDataStore()
    ) {
        self.account = account
        self.channel = channel
        self.http = http
        self.rateLimiter = rateLimiter
        self.tokens = tokens
        self.requestTimeout = requestTimeout
        self.logger = logger
        self.data = data
    }
}

/// Builds a platform's adapters; one per platform in the daemon's adapter registry.
public protocol AdapterFactory: Sendable {
    /// The `platform` value of accounts this factory serves (`amazon`).
    var platform: String { get }

    /// The platform-specific keys an `[accounts.NAME]` section of this platform may set, beyond the
    /// keys every account has (`merchant_location_key` for eBay); the daemon refuses any other key.
    var accountKeys: Set<String> { get }

    /// The platform-specific keys a `[[channels]]` entry of this platform may set, beyond the keys
    /// every channel has (`category_id` for eBay); the daemon refuses any other key.
    var channelKeys: Set<String> { get }

    /// The platform's published quotas for one account, seeding its ``RateLimiter``.
    func quotas(for account: AccountSettings) -> [OperationQuota]

    /// The currency of `marketplace` when the channel does not configure one (`DE` → EUR).
    func defaultCurrency(marketplace: String) -> Currency?

    /// Problems with an account or channel's platform-specific settings, each naming its key.
    func check(account: AccountSettings, channel: ChannelSettings) -> [AdapterError]

    /// The adapter for one channel.
    func makeAdapter(context: AdapterContext) throws(AdapterError) -> any MarketplaceAdapter

    /// `account` pointed at the platform's twin in the sandbox at `baseURL` (`http://127.0.0.1:PORT`),
    /// with the sandbox credentials the twin accepts (any non-empty values).
    func sandboxAccount(_ account: AccountSettings, baseURL: String) -> AccountSettings

    /// The country (ISO 3166 alpha-2) buyers on `marketplace` are in, which a price adding a landed
    /// cost ships to (`EBAY_GB` → `GB`); `nil` when the marketplace has none (`GLOBAL`).
    func destinationCountry(marketplace: String) -> String?

    /// The settings of `channel` (and its `account`) that shape every listing on the platform beyond
    /// what the catalog says — a DHL Express channel's destinations, shipper and package — as one
    /// canonical text; empty when none do. It becomes part of every content hash of the channel, so a
    /// change sends every listing again (``Catalog/ChannelRules/listingSettings``). Keep it free of
    /// secrets and of anything that differs between processes.
    func listingSettings(account: AccountSettings, channel: ChannelSettings) -> String

    /// The per-SKU landed costs `channel` of this platform keeps for other channels' prices
    /// (`add_landed_cost = "<channel>"`), read from the account's `data` and converted with `fx`;
    /// `nil` when the platform keeps none.
    func landedCostSource(channel: ChannelSettings, data: any AdapterDataStore, fx: FXTable)
        -> (any LandedCostSource)?
}

extension AdapterFactory {
    /// Most platforms need no account settings beyond the common ones.
    public var accountKeys: Set<String> { [] }
    /// Most platforms need no channel settings beyond the common ones.
    public var channelKeys: Set<String> { [] }
    public func defaultCurrency(marketplace: String) -> Currency? { nil }
    public func check(account: AccountSettings, channel: ChannelSettings) -> [AdapterError] { [] }

    /// A two-letter marketplace code is taken to be the country itself (`US`, `IN`).
    public func destinationCountry(marketplace: String) -> String? {
        let code = marketplace.uppercased()
        guard code.utf8.count == 2, code.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else { return nil }
        return code
    }

    /// Most platforms' listings are shaped by the catalog alone.
    public func listingSettings(account: AccountSettings, channel: ChannelSettings) -> String { "" }

    /// Platforms keep no landed costs unless they say so.
    public func landedCostSource(channel: ChannelSettings, data: any AdapterDataStore, fx: FXTable)
        -> (any LandedCostSource)?
    {
        nil
    }

    /// The twin under `/<platform>`, with every commonly used credential key set to `sandbox`.
    public func sandboxAccount(_ account: AccountSettings, baseURL: String) -> AccountSettings {
        var account = account
        account.endpoint = "\(baseURL)/\(platform)"
        for key in Self.sandboxCredentialKeys where account.credentials[key] == nil {
            account.credentials[key] = Secret("sandbox-\(key)")
        }
        return account
    }

    /// The credential keys ``sandboxAccount(_:baseURL:)`` fills by default.
    public static var sandboxCredentialKeys: [String] {
        [
            "client_id", "client_secret", "refresh_token", "app_id", "app_secret", "email", "password", "username",
            "api_key",
        ]
    }
}
