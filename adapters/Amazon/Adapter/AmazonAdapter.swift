import AmazonModel
import Catalog
import Sync

/// The Amazon SP-API adapter of one channel (one marketplace of one seller account).
///
/// Single mode sends each SKU on its own Listings Items call, all concurrently as the account's rate
/// limiter allows; bulk mode sends `JSON_LISTINGS_FEED` feeds (see ``FeedSubmission``). Every SKU gets
/// its own outcome. Built by ``AmazonAdapterFactory``.
public struct AmazonAdapter: MarketplaceAdapter, ListingReader {
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
        /// How long a request waits after LWA could not give a token for a reason a retry may cure (a 5xx,
        /// a timeout; credentials LWA refuses need attention instead). 5 s: long enough not to hammer LWA
        /// from every channel of the account, short enough that one faulted token request does not hold
        /// the account's listings for a minute.
        public var refusedTokenDelay: Duration
        /// When to retry SKUs of a feed that did not finish in time or failed as a whole.
        public var timedOutFeedRetryDelay: Duration
        /// Whether every listing body is checked against its product type definition before it is sent
        /// (``ListingChecker``). Always on for configured accounts; off only in tests of other behaviour.
        public var checksProductTypeDefinitions = true
        /// How long a checked product type definition is used before Amazon is asked for its version
        /// again (account key `definition_recheck_hours`; default 24 h).
        public var definitionRecheckInterval: Duration = .seconds(24 * 3600)
        /// How long a submitted feed is waited for (across restarts) before its SKUs go in a new one.
        public var abandonFeedAfter: Duration
        /// The feed turnaround (submission to report) the path choice assumes before one was observed.
        public var defaultFeedTurnaround: Duration

        /// The defaults: poll every 2 s, give a feed 15 minutes, 25,000 messages and 10 MiB per feed,
        /// give up on a submitted feed after 4 hours, assume 5 minutes of turnaround until one is seen.
        public init(
            pollInterval: Duration = .seconds(2),
            feedTimeout: Duration = .seconds(900),
            maximumMessagesPerFeed: Int = 25_000,
            maximumFeedBytes: Int = 10 * 1024 * 1024,
            refusedTokenDelay: Duration = .seconds(5),
            timedOutFeedRetryDelay: Duration = .seconds(60),
            abandonFeedAfter: Duration = .seconds(4 * 3600),
            defaultFeedTurnaround: Duration = .seconds(300)
        ) {
            self.pollInterval = pollInterval
            self.feedTimeout = feedTimeout
            self.maximumMessagesPerFeed = min(max(1, maximumMessagesPerFeed), 25_000)
            self.maximumFeedBytes = max(1024, maximumFeedBytes)
            self.refusedTokenDelay = refusedTokenDelay
            self.timedOutFeedRetryDelay = timedOutFeedRetryDelay
            self.abandonFeedAfter = abandonFeedAfter
            self.defaultFeedTurnaround = defaultFeedTurnaround
        }
    }

    /// All three facets, single calls, feeds of up to 25,000 messages, the published quotas and what
    /// each path spends of them (``pathCosts``).
    public let capabilities: AdapterCapabilities
    /// The options this adapter runs with.
    public let configuration: Configuration
    /// The marketplace the channel sells on.
    public let marketplace: AmazonMarketplace
    private let items: ListingsItemsClient
    private let builder: ListingsPayloadBuilder
    private let feeds: FeedSubmission
    /// Checks bodies against their product type definitions before they are sent.
    let checker: ListingChecker
    private let reader: ListingsItemReader
    /// The account's rate limiter (the verifier reads only while it has idle capacity).
    public let rateLimiter: RateLimiter

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
        rateLimiter = context.rateLimiter
        capabilities = AdapterCapabilities(
            facets: Set(Facet.allCases),
            supportsSingleItem: true,
            maximumBatchSize: configuration.maximumMessagesPerFeed,
            quotas: quotas,
            pathCosts: Self.pathCosts(configuration)
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
        let builder = ListingsPayloadBuilder(
            marketplace: marketplace,
            language: context.channel.language,
            defaults: AmazonListingDefaults(channel: context.channel)
        )
        self.builder = builder
        items = ListingsItemsClient(connection: connection, builder: builder, sellerID: sellerID)
        checker = ListingChecker(
            definitions: ProductTypeDefinitions(
                connection: connection,
                data: context.data,
                configuration: .init(recheckInterval: configuration.definitionRecheckInterval),
                logger: context.logger
            ),
            builder: builder
        )
        reader = ListingsItemReader(
            connection: connection,
            sellerID: sellerID,
            marketplace: marketplace,
            languageTag: builder.languageTag
        )
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
            logger: context.logger,
            inFlight: InFlightFeeds(
                data: context.data,
                marketplaceID: marketplace.id,
                maximumAge: configuration.abandonFeedAfter,
                logger: context.logger
            )
        )
    }

    /// What each path spends: a single change one Listings Items call (`patchListingsItem`: price and
    /// stock changes are patches; put and delete have the same published quota), a feed one
    /// createFeedDocument and one createFeed of both createFeed buckets. The document upload (S3) and
    /// getFeed polling have no quota worth planning for.
    static func pathCosts(_ configuration: Configuration) -> PathCosts {
        PathCosts(
            singleOperation: ListingsItemsClient.Operation.patch,
            bulkOperations: [
                FeedSubmission.Operation.createFeedDocument, FeedSubmission.Operation.createFeed,
                FeedSubmission.Operation.createListingsFeed,
            ],
            defaultBulkTurnaround: configuration.defaultFeedTurnaround
        )
    }

    /// The account's rate-limit buckets now (shared by its channels), for the path choice.
    public func rateBuckets() async -> [RateLimiter.BucketState] {
        await rateLimiter.states()
    }

    /// The account's moving average of feed turnaround (kept in the state database), `nil` before the
    /// first feed finished.
    public func bulkTurnaround() async -> Duration? {
        await feeds.inFlight.averageTurnaround()
    }

    /// Sends `changes` one call per SKU (`single`) or as feeds (`bulk`); one outcome per SKU.
    ///
    /// Every body is first checked against its product type definition (``ListingChecker``): a listing
    /// that fails is held, never sent, and costs no listing quota.
    public func push(_ changes: [ListingChange], mode: PushMode) async -> [SKU: ListingOutcome] {
        guard !changes.isEmpty else { return [:] }
        var outcomes: [SKU: ListingOutcome] = [:]
        var sendable = changes
        if configuration.checksProductTypeDefinitions {
            sendable = []
            for change in changes {
                if let outcome = await checker.check(change) {
                    outcomes[change.sku] = outcome
                } else {
                    sendable.append(change)
                }
            }
            guard !sendable.isEmpty else { return outcomes }
        }
        if mode == .bulk { return outcomes.merging(await feeds.push(sendable)) { held, _ in held } }
        let items = self.items
        return await withTaskGroup(of: (SKU, ListingOutcome).self) { group in
            for change in sendable {
                group.addTask { (change.sku, await items.push(change)) }
            }
            for await (sku, outcome) in group { outcomes[sku] = outcome }
            return outcomes
        }
    }

    /// The `putListingsItem` body of `listing` and its violations of the product type definition
    /// (checked whatever ``Configuration/checksProductTypeDefinitions`` says); sends nothing.
    public func preview(_ listing: DesiredListing) async throws -> ListingPreview {
        try await checker.preview(listing)
    }

    /// Amazon's issues with `listing`, from a `VALIDATION_PREVIEW` PUT that changes nothing.
    public func validate(_ listing: DesiredListing) async throws -> [MarketplaceIssue] {
        try await items.validate(listing)
    }

    /// The attributes Amazon's `PRODUCT` definition requires of `listing` that its body cannot fill
    /// (`item_type_keyword`, `externally_assigned_product_identifier`, ...), sorted; empty when none.
    public func missingAttributes(for listing: DesiredListing) -> [String] {
        builder.missingAttributes(for: listing)
    }

    /// The product type and requirements set `listing`'s body is written for (`PRODUCT`, `LISTING` or
    /// `LISTING_OFFER_ONLY`): the definition to validate it against.
    public func definitionKey(for listing: DesiredListing) -> (productType: String, requirements: String) {
        (builder.productType(of: listing), builder.requirements(of: listing))
    }

    /// The `putListingsItem` body of `listing` (also the attributes of its feed `UPDATE` message), as JSON
    /// text: what contract tests hold against Amazon's definition.
    public func putBodyJSON(for listing: DesiredListing) -> String {
        String(decoding: builder.putBody(for: listing).serialized(), as: UTF8.self)
    }

    /// `getListingsItem` of the listing verifier.
    public var readOperation: String { ListingsItemsClient.Operation.get }

    /// What Amazon shows for `sku` on this marketplace (`getListingsItem`).
    public func readListing(sku: SKU, remoteID: String?) async -> ListingRead {
        await reader.read(sku)
    }

    static func trimmedBase(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
