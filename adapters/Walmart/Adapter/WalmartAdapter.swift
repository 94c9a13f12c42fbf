import Catalog
import CurlHTTP
import Foundation
import Sync

/// Keeps one Walmart US channel's listings in sync: item setup, price and inventory.
///
/// - Content (and the price it carries) goes through the item feed (`MP_ITEM`): Walmart has no
///   single-item setup call.
/// - Single mode: `PUT /v3/price` and `PUT /v3/inventory?sku=` per SKU, concurrently as the limiter allows.
/// - Bulk mode: one price feed and one inventory feed, within the local budget of feeds per hour per
///   feed type. When the budget is spent, urgent changes fall back to single calls and the rest are
///   retried when a feed token is back; a feed that does not finish within the wait does the same.
/// - A removal sets the stock to 0 (the item stays, unpublished by having no stock).
/// - A feed given up on is remembered in the account's data and its results are read before its SKUs
///   are sent again (``WalmartAbandonedFeeds``, `WalmartAdapter+AbandonedFeeds.swift`).
public struct WalmartAdapter: MarketplaceAdapter {
    /// Pacing of feed polling and how long a push waits for a feed.
    public struct Configuration: Sendable, Hashable {
        /// Feeds per hour per feed type the adapter allows itself (Walmart: 10).
        public var feedsPerHour: Int
        /// The first wait before polling a feed's status; later waits double.
        public var firstPoll: Duration
        /// The longest wait between two polls.
        public var longestPoll: Duration
        /// How long a push waits for a feed before giving up on it for this push.
        public var feedWait: Duration
        /// Single calls in flight at once.
        public var concurrency: Int
        /// How long an abandoned feed is waited for before its SKUs are sent again regardless.
        public var abandonedFeedLimit: Duration
        /// The channel's Walmart category per catalog product type (channel key `categories`).
        public var categories: WalmartCategoryMap
        /// Sandbox accounts only: a product without GTIN/UPC gets one derived from its SKU.
        public var derivedGTIN: Bool
        /// Item statuses read per feed status call (`limit`; Walmart: at most 1000, default 50).
        public var statusPageSize: Int

        /// Walmart's defaults: 10 feeds per hour, polls from 2 s up to 60 s, at most 10 minutes; an
        /// abandoned feed is waited for up to a day (Walmart suggests polling item feeds for hours).
        public init(
            feedsPerHour: Int = 10,
            firstPoll: Duration = .seconds(2),
            longestPoll: Duration = .seconds(60),
            feedWait: Duration = .seconds(600),
            concurrency: Int = 8,
            abandonedFeedLimit: Duration = .seconds(86_400),
            categories: WalmartCategoryMap = WalmartCategoryMap(),
            derivedGTIN: Bool = false,
            statusPageSize: Int = 1_000
        ) {
            self.feedsPerHour = feedsPerHour
            self.firstPoll = firstPoll
            self.longestPoll = longestPoll
            self.feedWait = feedWait
            self.concurrency = concurrency
            self.abandonedFeedLimit = abandonedFeedLimit
            self.categories = categories
            self.derivedGTIN = derivedGTIN
            self.statusPageSize = statusPageSize
        }
    }

    /// Walmart's limit of items per feed.
    public static let maximumFeedItems = 10_000

    public let capabilities: AdapterCapabilities
    let configuration: Configuration
    let client: WalmartClient
    let feeds: WalmartFeedRunner
    /// Feeds given up on, in the account's data store (`context.data`).
    let abandoned: WalmartAbandonedFeeds

    /// An adapter for the channel of `context`.
    public init(context: AdapterContext, configuration: Configuration = Configuration()) {
        self.configuration = configuration
        client = WalmartClient(context: context)
        feeds = WalmartFeedRunner(client: client, configuration: configuration)
        abandoned = WalmartAbandonedFeeds(store: context.data)
        capabilities = AdapterCapabilities(
            facets: Set(Facet.allCases),
            supportsSingleItem: true,
            maximumBatchSize: Self.maximumFeedItems,
            quotas: WalmartAdapterFactory.quotas(feedsPerHour: configuration.feedsPerHour)
        )
    }

    /// Sends `changes` (after ``reconcile(_:)`` took out what abandoned feeds already settled); an
    /// outcome for every SKU.
    func send(_ changes: [ListingChange], mode: PushMode) async -> [SKU: ListingOutcome] {
        guard !changes.isEmpty else { return [:] }
        var failures: [SKU: ListingOutcome] = [:]
        let removals = changes.filter(\.isRemoval)
        let updates = changes.filter { !$0.isRemoval }
        for (sku, outcome) in await singleCalls(removals, zeroStock: true) { failures[sku] = outcome }

        // Item setup first: price and stock of an item that does not exist would fail.
        let withContent = updates.filter { $0.facets.contains(.content) }
        if !withContent.isEmpty {
            for (sku, outcome) in await itemFeed(withContent) { failures[sku] = outcome }
        }
        let remaining = updates.filter { failures[$0.sku] == nil }
        switch mode {
        case .single:
            for (sku, outcome) in await singleCalls(remaining, zeroStock: false) { failures[sku] = outcome }
        case .bulk:
            for (sku, outcome) in await priceAndInventoryFeeds(remaining) { failures[sku] = outcome }
        }
        var outcomes: [SKU: ListingOutcome] = [:]
        for change in changes {
            outcomes[change.sku] = failures[change.sku] ?? .accepted(change)
        }
        return outcomes
    }

    /// The feed budgets, one per feed type (price, inventory, item setup), each shared by every channel
    /// of the account and refilling continuously over the hour. Submitted feeds spend them, whether
    /// Walmart then processes them or not.
    public func budgets() async -> [BudgetStatus] {
        var budgets: [BudgetStatus] = []
        for (feedType, name) in [("price", "price feeds"), ("inventory", "inventory feeds"), ("MP_ITEM", "item feeds")]
        {
            let budget = await BudgetStatus.bucket(
                WalmartFeedRunner.budgetKey(feedType),
                of: client.context.rateLimiter,
                name: name,
                window: "1 h, refilling continuously",
                note: "Walmart allows \(configuration.feedsPerHour) \(feedType) feeds per hour"
            )
            if let budget { budgets.append(budget) }
        }
        return budgets
    }

    // MARK: - Single calls

    /// Price then inventory per SKU (inventory 0 for removals); the first failure per SKU.
    private func singleCalls(_ changes: [ListingChange], zeroStock: Bool) async -> [SKU: ListingOutcome] {
        guard !changes.isEmpty else { return [:] }
        return await withTaskGroup(of: (SKU, ListingOutcome?).self) { group in
            var failures: [SKU: ListingOutcome] = [:]
            var next = changes.makeIterator()
            func add(_ change: ListingChange) {
                group.addTask { (change.sku, await self.singleUpdate(change, zeroStock: zeroStock)) }
            }
            for _ in 0..<max(1, configuration.concurrency) {
                guard let change = next.next() else { break }
                add(change)
            }
            for await (sku, failure) in group {
                if let failure { failures[sku] = failure }
                if let change = next.next() { add(change) }
            }
            return failures
        }
    }

    /// One SKU's single calls; `nil` when all were accepted.
    private func singleUpdate(_ change: ListingChange, zeroStock: Bool) async -> ListingOutcome? {
        let sku = change.sku.rawValue
        if !zeroStock, change.facets.contains(.price), !change.facets.contains(.content) {
            let body = Self.encode(Self.priceUpdate(change.desired))
            if let failure = await call("updatePrice", .put, "/v3/price", body) { return failure }
        }
        if zeroStock || change.facets.contains(.quantity) || change.facets.contains(.content) {
            let quantity = zeroStock ? 0 : change.desired.quantity
            let body = Self.encode(Self.inventoryUpdate(sku: sku, quantity: quantity))
            let path = "/v3/inventory?sku=" + Self.queryEscaped(sku)
            if let failure = await call("updateInventory", .put, path, body) { return failure }
        }
        return nil
    }

    /// One call whose 2xx means accepted; `nil` on success, else the SKU's outcome.
    private func call(_ operation: String, _ method: HTTPMethod, _ path: String, _ body: [UInt8]) async
        -> ListingOutcome?
    {
        switch await client.send(operation, method, path, body: body) {
        case .failed(let outcome): return outcome
        case .response(let response): return response.isSuccess ? nil : WalmartClient.rejection(response)
        }
    }

    // MARK: - Feeds

    /// The `MP_ITEM` feed for `changes`; failures per SKU. The item carries the price, so a price
    /// change of these SKUs needs no separate call; their stock still goes by inventory call or feed.
    private func itemFeed(_ all: [ListingChange]) async -> [SKU: ListingOutcome] {
        var refused: [SKU: ListingOutcome] = [:]
        var changes: [ListingChange] = []
        var items: [WalmartWire.ItemFeed.Item] = []
        for change in all {
            switch item(change.desired) {
            case .success(let item):
                changes.append(change)
                items.append(item)
            case .failure(let box): refused[change.sku] = box.outcome
            }
        }
        guard !changes.isEmpty else { return refused }
        return await itemFeed(changes, items: items).merging(refused) { $1 }
    }

    /// Submits the item feed of `changes` (`items` built from them, in order).
    private func itemFeed(_ changes: [ListingChange], items: [WalmartWire.ItemFeed.Item]) async
        -> [SKU: ListingOutcome]
    {
        let feed = WalmartWire.ItemFeed(header: WalmartItemSpec.header, items: items)
        let result = await feeds.run(feedType: "MP_ITEM", skus: changes.map(\.sku), body: Self.encode(feed))
        switch result {
        case .budgetSpent(let after):
            return Self.all(changes, .retry(reason: "Walmart MP_ITEM feed budget spent", after: after))
        case .failed(let outcome):
            return Self.all(changes, outcome)
        case .unfinished(let feedID, let status):
            await remember(feedID: feedID, feedType: "MP_ITEM", changes: changes, awaiting: Set(changes.map(\.sku)))
            return Self.all(
                changes,
                .retry(reason: "Walmart item feed \(feedID) still \(status)", after: configuration.longestPoll)
            )
        case .finished(let items):
            return items.compactMapValues { $0 }
        }
    }

    /// Price feed and inventory feed for `changes`, side by side; failures per SKU.
    private func priceAndInventoryFeeds(_ changes: [ListingChange]) async -> [SKU: ListingOutcome] {
        let priced = changes.filter { $0.facets.contains(.price) && !$0.facets.contains(.content) }
        let stocked = changes.filter { $0.facets.contains(.quantity) || $0.facets.contains(.content) }
        async let priceFailures = feedOrFallback(priced, feedType: "price") { changes in
            Self.encode(
                WalmartWire.PriceFeed(
                    priceHeader: .init(version: "1.7"),
                    price: changes.map { Self.priceUpdate($0.desired) }
                )
            )
        }
        async let stockFailures = feedOrFallback(stocked, feedType: "inventory") { changes in
            Self.encode(
                WalmartWire.InventoryFeed(
                    inventoryHeader: .init(version: "1.4"),
                    inventory: changes.map { Self.inventoryUpdate(sku: $0.sku.rawValue, quantity: $0.desired.quantity) }
                )
            )
        }
        return await priceFailures.merging(stockFailures) { first, _ in first }
    }

    /// Sends `changes` as one feed; when the budget is spent or the feed does not finish in time, urgent
    /// changes go by single calls and the rest are retried later.
    private func feedOrFallback(
        _ changes: [ListingChange],
        feedType: String,
        body: @Sendable ([ListingChange]) -> [UInt8]
    ) async -> [SKU: ListingOutcome] {
        guard !changes.isEmpty else { return [:] }
        let retry: ListingOutcome
        var abandonedFeedID: String?
        switch await feeds.run(feedType: feedType, skus: changes.map(\.sku), body: body(changes)) {
        case .finished(let items): return items.compactMapValues { $0 }
        case .failed(let outcome): return Self.all(changes, outcome)
        case .budgetSpent(let after):
            retry = .retry(reason: "Walmart \(feedType) feed budget spent", after: after)
        case .unfinished(let feedID, let status):
            abandonedFeedID = feedID
            retry = .retry(
                reason: "Walmart \(feedType) feed \(feedID) still \(status)",
                after: configuration.longestPoll
            )
        }
        let urgent = changes.filter(\.isUrgent).map { Self.only(feedType == "price" ? .price : .quantity, of: $0) }
        var failures = Self.all(changes.filter { !$0.isUrgent }, retry)
        for (sku, outcome) in await singleCalls(urgent, zeroStock: false) { failures[sku] = outcome }
        if let abandonedFeedID {
            // Urgent SKUs that went through by single call carry the same values as the feed: they do not
            // wait for it, but the record keeps them until it is done, so nothing newer is sent before.
            await remember(feedID: abandonedFeedID, feedType: feedType, changes: changes, awaiting: Set(failures.keys))
        }
        return failures
    }

    // MARK: - Payloads

    static func priceUpdate(_ listing: DesiredListing) -> WalmartWire.PriceUpdate {
        WalmartWire.PriceUpdate(
            sku: listing.sku.rawValue,
            pricing: [WalmartWire.Pricing(currentPriceType: "BASE", currentPrice: amount(listing.price))]
        )
    }

    static func inventoryUpdate(sku: String, quantity: Int) -> WalmartWire.InventoryUpdate {
        WalmartWire.InventoryUpdate(sku: sku, quantity: .init(unit: "EACH", amount: quantity))
    }

    /// The `MP_ITEM` item of `listing`, or why Walmart cannot take it (no identifier, no category).
    func item(_ listing: DesiredListing) -> Result<WalmartWire.ItemFeed.Item, ListingOutcomeBox> {
        let identifier: WalmartWire.ItemFeed.ProductIdentifier
        let category: String
        switch WalmartItemSpec.identifier(for: listing, derivedFromSKU: configuration.derivedGTIN) {
        case .success(let value): identifier = value
        case .failure(let box): return .failure(box)
        }
        switch configuration.categories.category(of: listing) {
        case .success(let value): category = value
        case .failure(let box): return .failure(box)
        }
        return .success(Self.item(listing, identifier: identifier, category: category))
    }

    static func item(
        _ listing: DesiredListing,
        identifier: WalmartWire.ItemFeed.ProductIdentifier,
        category: String
    ) -> WalmartWire.ItemFeed.Item {
        let content = listing.content
        let orderable = WalmartWire.ItemFeed.Orderable(
            sku: listing.sku.rawValue,
            productIdentifiers: identifier,
            price: amount(listing.price).amount,
            shippingWeight: content.weightGrams.map(pounds)
        )
        let visible = WalmartWire.ItemFeed.Visible(
            productName: content.title,
            brand: content.brand,
            shortDescription: content.description,
            mainImageUrl: content.imageURLs.first,
            productSecondaryImageURL: content.imageURLs.count > 1 ? Array(content.imageURLs.dropFirst()) : nil
        )
        return WalmartWire.ItemFeed.Item(orderable: orderable, visible: [category: visible])
    }

    /// The exact decimal of `money` (from its amount string, never through `Double`).
    static func amount(_ money: Money) -> WalmartWire.Amount {
        WalmartWire.Amount(currency: money.currency.code, amount: Decimal(string: money.amountString) ?? 0)
    }

    /// Grams in pounds, rounded to three decimals.
    static func pounds(_ grams: Int) -> Decimal {
        var value = Decimal(grams) / Decimal(string: "453.59237")!
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 3, .plain)
        return rounded
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data())
    }

    static func queryEscaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
            ?? text
    }

    static func all(_ changes: [ListingChange], _ outcome: ListingOutcome) -> [SKU: ListingOutcome] {
        Dictionary(changes.map { ($0.sku, outcome) }, uniquingKeysWith: { first, _ in first })
    }

    /// `change` limited to `facet`, for a single-call fallback of one feed type.
    static func only(_ facet: Facet, of change: ListingChange) -> ListingChange {
        var limited = change
        limited.facets = [facet]
        return limited
    }
}
