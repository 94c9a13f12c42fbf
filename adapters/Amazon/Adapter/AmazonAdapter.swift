import AmazonModel
import Catalog
import Sync

/// The Amazon SP-API adapter of one channel (one marketplace of one seller account).
///
/// Single mode sends each SKU on its own Listings Items call, all concurrently as the account's rate
/// limiter allows; bulk mode sends `JSON_LISTINGS_FEED` feeds (see ``FeedSubmission``). Every SKU gets
/// its own outcome. Built by ``AmazonAdapterFactory``.
public struct AmazonAdapter: MarketplaceAdapter {
    /// The adapter's options; the factory reads overrides from the account's extra keys.
    public struct Configuration: Sendable, Hashable {
        /// How often a submitted feed's status is read (account key `feed_poll_seconds`).
        public var pollInterval: Duration
        /// How long a feed may take before its urgent SKUs go single (account key `feed_timeout_seconds`).
        public var feedTimeout: Duration
        /// The most messages in one feed (the schema's `maxItems`).
        public var maximumMessagesPerFeed: Int
        /// The largest feed document in bytes (Amazon's 10 MiB recommendation).
        public var maximumFeedBytes: Int
        /// How long to wait after Amazon refused a freshly fetched access token.
        public var refusedTokenDelay: Duration
        /// When to retry SKUs of a feed that did not finish in time or failed as a whole.
        public var timedOutFeedRetryDelay: Duration

        /// The defaults: poll every 2 s, give a feed 15 minutes, 25,000 messages and 10 MiB per feed.
        public init(
            pollInterval: Duration = .seconds(2),
            feedTimeout: Duration = .seconds(900),
            maximumMessagesPerFeed: Int = 25_000,
            maximumFeedBytes: Int = 10 * 1024 * 1024,
            refusedTokenDelay: Duration = .seconds(60),
            timedOutFeedRetryDelay: Duration = .seconds(60)
        ) {
            self.pollInterval = pollInterval
            self.feedTimeout = feedTimeout
            self.maximumMessagesPerFeed = min(max(1, maximumMessagesPerFeed), 25_000)
            self.maximumFeedBytes = max(1024, maximumFeedBytes)
            self.refusedTokenDelay = refusedTokenDelay
            self.timedOutFeedRetryDelay = timedOutFeedRetryDelay
        }
    }

    /// All three facets, single calls, feeds of up to 25,000 messages and the published quotas.
    public let capabilities: AdapterCapabilities
    /// The options this adapter runs with.
    public let configuration: Configuration
    /// The marketplace the channel sells on.
    public let marketplace: AmazonMarketplace
    private let items: ListingsItemsClient
    private let feeds: FeedSubmission

    init(
        context: AdapterContext,
        marketplace: AmazonMarketplace,
        sellerID: String,
        tokenProvider: LWATokenProvider,
        configuration: Configuration,
        quotas: [OperationQuota]
    ) {
        self.configuration = configuration
        self.marketplace = marketplace
        capabilities = AdapterCapabilities(
            facets: Set(Facet.allCases),
            supportsSingleItem: true,
            maximumBatchSize: configuration.maximumMessagesPerFeed,
            quotas: quotas
        )
        let connection = SPAPIConnection(
            baseURL: Self.trimmedBase(context.account.endpoint ?? marketplace.region.endpoint),
            http: context.http,
            rateLimiter: context.rateLimiter,
            tokens: context.tokens,
            tokenProvider: tokenProvider,
            timeout: context.requestTimeout,
            logger: context.logger,
            refusedTokenDelay: configuration.refusedTokenDelay,
            platform: context.account.platform
        )
        let builder = ListingsPayloadBuilder(marketplace: marketplace, language: context.channel.language)
        items = ListingsItemsClient(connection: connection, builder: builder, sellerID: sellerID)
        feeds = FeedSubmission(
            connection: connection,
            feedBuilder: ListingsFeedBuilder(
                builder: builder,
                sellerID: sellerID,
                maximumMessages: configuration.maximumMessagesPerFeed,
                maximumBytes: configuration.maximumFeedBytes
            ),
            items: items,
            configuration: configuration,
            logger: context.logger
        )
    }

    /// Sends `changes` one call per SKU (`single`) or as feeds (`bulk`); one outcome per SKU.
    public func push(_ changes: [ListingChange], mode: PushMode) async -> [SKU: ListingOutcome] {
        guard !changes.isEmpty else { return [:] }
        if mode == .bulk { return await feeds.push(changes) }
        let items = self.items
        return await withTaskGroup(of: (SKU, ListingOutcome).self) { group in
            for change in changes {
                group.addTask { (change.sku, await items.push(change)) }
            }
            var outcomes: [SKU: ListingOutcome] = [:]
            for await (sku, outcome) in group { outcomes[sku] = outcome }
            return outcomes
        }
    }

    /// Amazon's issues with `listing`, from a `VALIDATION_PREVIEW` PUT that changes nothing.
    public func validate(_ listing: DesiredListing) async throws -> [MarketplaceIssue] {
        try await items.validate(listing)
    }

    static func trimmedBase(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
