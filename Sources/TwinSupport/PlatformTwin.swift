import Hummingbird

/// A stateful fake of one platform's API, mounted by the sandbox under `/<platform>`.
///
/// A twin speaks the platform's real paths, auth flow, payloads, error bodies and published quotas,
/// keeps what it was sent, and shows it through the platform-neutral ``listings(marketplace:)`` view.
/// Faults and latency are the sandbox's business (a middleware in front of every twin), not the twin's.
public protocol PlatformTwin: Sendable {
    /// The path prefix and the `platform` of the inspection view (`amazon`).
    var platform: String { get }

    /// Registers the platform's routes on `group`, which is already scoped to `/<platform>`.
    func addRoutes(to group: RouterGroup<BasicRequestContext>)

    /// Every listing the twin holds, optionally only those of one marketplace (the platform's own
    /// marketplace code or id, as the twin documents).
    func listings(marketplace: String?) async -> [TwinListing]

    /// The paths (below `/<platform>`) where the platform issues access tokens (`auth/o2/token`), so
    /// the sandbox can take them down (`--token-outage-ms`); empty for a platform without tokens.
    var tokenPaths: [String] { get }
}

extension PlatformTwin {
    /// No token endpoint.
    public var tokenPaths: [String] { [] }
}

/// A listing as the sandbox's inspection endpoint shows it, the same shape for every platform.
public struct TwinListing: Codable, Sendable, Hashable {
    public var sku: String
    public var marketplace: String
    public var title: String?
    /// The price as a decimal string in `currency` (`"24.99"`), `nil` when none was set.
    public var price: String?
    public var currency: String?
    public var quantity: Int?
    /// Every price the listing has had, oldest first, each once per change (`nil` when the twin keeps
    /// no history): an ordering test reads it to prove an older price never followed a newer one.
    public var priceHistory: [String]?
    /// For a shipping platform's estimate (DHL Express): the landed cost quoted per destination country,
    /// as decimal strings in `currency` (`nil` for marketplaces).
    public var landedCosts: [String: String]?

    private enum CodingKeys: String, CodingKey {
        case sku, marketplace, title, price, currency, quantity
        case priceHistory = "price_history"
        case landedCosts = "landed_costs"
    }

    public init(
        sku: String,
        marketplace: String,
        title: String? = nil,
        price: String? = nil,
        currency: String? = nil,
        quantity: Int? = nil,
        priceHistory: [String]? = nil,
        landedCosts: [String: String]? = nil
    ) {
        self.sku = sku
        self.marketplace = marketplace
        self.title = title
        self.price = price
        self.currency = currency
        self.quantity = quantity
        self.priceHistory = priceHistory
        self.landedCosts = landedCosts
    }
}

/// What every twin is built with: the sandbox's options and its shared counters.
public struct TwinEnvironment: Sendable {
    /// `true` with `--quotas published`: twins enforce the platform's published quotas with 429s.
    public var quotasEnabled: Bool
    /// Seeds the twins' random choices (ids, processing delays) so runs repeat.
    public var seed: UInt64
    /// Request, throttle and fault counts per platform.
    public var stats: SandboxStats
    /// The sandbox's own base URL once it listens (twins hand out URLs to themselves, e.g. upload URLs).
    public var address: SandboxAddress
    /// How long a token a twin issues stays valid.
    public var tokenLifetime: Duration
    /// How long asynchronous work (feeds) takes before it is done.
    public var processingDelay: Duration
    /// Every published rate and burst times this: a seller whose quotas the platform raised
    /// (`--quota-multiplier`).
    public var quotaMultiplier: Double
    /// Contract checks a twin skips for now, by the name the twin gives them (`AmazonTwin`'s
    /// `product-type-definitions`). TEMPORARY (issue 12): set while the daemon's sample bodies are
    /// incomplete; to be emptied and removed once they pass the published definitions.
    public var temporarilyLenientContracts: Set<String> = []

    public init(
        quotasEnabled: Bool = true,
        seed: UInt64 = 1,
        stats: SandboxStats = SandboxStats(),
        address: SandboxAddress = SandboxAddress(),
        tokenLifetime: Duration = .seconds(3600),
        processingDelay: Duration = .milliseconds(500),
        quotaMultiplier: Double = 1
    ) {
        self.quotasEnabled = quotasEnabled
        self.seed = seed
        self.stats = stats
        self.address = address
        self.tokenLifetime = tokenLifetime
        self.processingDelay = processingDelay
        self.quotaMultiplier = quotaMultiplier
    }
}
