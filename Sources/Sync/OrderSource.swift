import CurlHTTP
import Logging
import Store

/// A platform's orders as one account sees them: pages of order lines after a cursor.
///
/// The source is stateless between calls: everything it needs to resume is in the cursor text it
/// returns, which the poller saves in the same transaction as the lines of that page
/// (``Store/CatalogStore/apply(orderLines:cursor:isStockOut:now:)``). A crash between pages reads the
/// last page again; the store's (platform, order, line) key makes the replay change nothing.
///
/// The source paces its calls through the account's ``RateLimiter`` — the same instance listing
/// pushes use — with the order operations' own published quotas (``OrderSourceFactory/orderQuotas(for:)``).
public protocol OrderSource: Sendable {
    /// The next page of lines after `cursor` (`nil`: the source's starting point, e.g. now minus the
    /// configured look-back), and the cursor to resume from.
    ///
    /// - Throws: ``AdapterError`` or the transport's error; the poller retries after a bounded backoff.
    func poll(since cursor: String?) async throws -> OrderPage
}

/// One page of an account's order lines.
public struct OrderPage: Sendable, Hashable {
    /// The lines of the page, every marketplace of the account, each with its channel resolved.
    public var lines: [OrderLine]
    /// Where the next poll resumes.
    public var cursor: String
    /// `true` when the platform has more pages now (the poller asks again before sleeping).
    public var hasMore: Bool

    public init(lines: [OrderLine], cursor: String, hasMore: Bool) {
        self.lines = lines
        self.cursor = cursor
        self.hasMore = hasMore
    }
}

/// What an order source is built with: its account, the account's channels and the account's shared parts.
public struct OrderSourceContext: Sendable {
    public var account: AccountSettings
    /// Every configured channel of the account whose orders are ingested.
    public var channels: [ChannelSettings]
    public var http: HTTPClient
    /// The account's limiter, shared with its channels' listing pushes.
    public var rateLimiter: RateLimiter
    /// The account's OAuth token, shared with its channels' adapters.
    public var tokens: TokenCache
    public var requestTimeout: Duration
    /// How long before now a source's first poll starts (`order_look_back_seconds`, default one hour).
    public var lookBack: Duration
    public var logger: Logger

    public init(
        account: AccountSettings,
        channels: [ChannelSettings],
        http: HTTPClient,
        rateLimiter: RateLimiter,
        tokens: TokenCache,
        requestTimeout: Duration = .seconds(30),
        lookBack: Duration = .seconds(3600),
        logger: Logger
    ) {
        self.account = account
        self.channels = channels
        self.http = http
        self.rateLimiter = rateLimiter
        self.tokens = tokens
        self.requestTimeout = requestTimeout
        self.lookBack = lookBack
        self.logger = logger
    }

    /// The context of an adapter of the account's first ingested channel, for a platform client the
    /// source shares with the listing pushes (its limiter, and `tokens`: the account's unless a
    /// source needs a token of another scope).
    /// - Throws: ``AdapterError`` when no channel ingests orders.
    public func adapterContext(tokens: TokenCache? = nil) throws(AdapterError) -> AdapterContext {
        guard let first = channels.first else {
            throw .configuration(key: "accounts.\(account.name)", message: "no channel ingests orders")
        }
        return AdapterContext(
            account: account,
            channel: first,
            http: http,
            rateLimiter: rateLimiter,
            tokens: tokens ?? self.tokens,
            requestTimeout: requestTimeout,
            logger: logger
        )
    }
}

/// An ``AdapterFactory`` whose platform exposes orders.
///
/// Orders never starve pushes and pushes never starve orders because the order calls are separate
/// operations with separate published quotas (Amazon `getOrders` / `getOrderItems`, eBay's Fulfillment
/// API): each has its own bucket in the account's ``RateLimiter``, so neither side can spend the other's
/// tokens. A platform whose orders share a quota with listing calls must reserve a share here instead.
public protocol OrderSourceFactory: AdapterFactory {
    /// The published quotas of the order operations, added to the account's ``RateLimiter``.
    func orderQuotas(for account: AccountSettings) -> [OperationQuota]

    /// The order source of one account.
    func makeOrderSource(context: OrderSourceContext) throws(AdapterError) -> any OrderSource
}
