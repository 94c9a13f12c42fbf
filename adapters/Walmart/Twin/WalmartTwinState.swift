import Foundation

/// What the Walmart twin holds: issued tokens, items, and feeds with their per-item results.
actor WalmartTwinState {
    /// One item of the seller's catalog.
    struct Item: Sendable {
        var title: String?
        var price: Decimal?
        var currency: String = "USD"
        var quantity: Int?
        /// `publishedStatus` of `ItemResponse` (us-mp-items.json): `PUBLISHED` once set up; a tamper
        /// makes it `UNPUBLISHED`.
        var publishedStatus = "PUBLISHED"
        /// `lifecycleStatus`: `ACTIVE`, or `RETIRED` after a tamper to suppressed.
        var lifecycleStatus = "ACTIVE"
        /// `unpublishedReasons.reason` while `UNPUBLISHED`.
        var unpublishedReasons: [String] = []
    }

    /// A change a feed applies to one item once it is processed.
    enum Change: Sendable {
        case setup(sku: String, title: String, price: Decimal)
        case price(sku: String, amount: Decimal, currency: String)
        case inventory(sku: String, amount: Int)

        var sku: String {
            switch self {
            case .setup(let sku, _, _), .price(let sku, _, _), .inventory(let sku, _): sku
            }
        }
    }

    /// One item's line of a feed: its index, SKU, and either a change or its errors.
    struct FeedItem: Sendable {
        var index: Int
        var sku: String
        var change: Change?
        var errors: [WalmartTwinError]
    }

    /// A submitted feed.
    struct Feed: Sendable {
        var id: String
        var type: String
        var items: [FeedItem]
        var isProcessed = false
    }

    private var tokens: [String: ContinuousClock.Instant] = [:]
    private(set) var items: [String: Item] = [:]
    private var feeds: [String: Feed] = [:]
    private var counter = 0

    // MARK: - Tokens

    /// Issues a token valid for `lifetime`.
    func issueToken(lifetime: Duration) -> String {
        counter += 1
        let token = "wm-token-\(counter)-" + UUID().uuidString
        tokens[token] = .now + lifetime
        return token
    }

    /// Whether `token` was issued here and is still live.
    func isLive(_ token: String) -> Bool {
        guard let expiry = tokens[token] else { return false }
        return expiry > .now
    }

    /// Expires every issued token (test hook).
    func expireTokens() {
        for key in tokens.keys { tokens[key] = .now }
    }

    // MARK: - Items

    /// The item `sku`, if it was set up.
    func item(_ sku: String) -> Item? { items[sku] }

    /// Applies a validated change.
    func apply(_ change: Change) {
        switch change {
        case .setup(let sku, let title, let price):
            var item = items[sku] ?? Item()
            item.title = title
            item.price = price
            items[sku] = item
        case .price(let sku, let amount, let currency):
            items[sku]?.price = amount
            items[sku]?.currency = currency
        case .inventory(let sku, let amount):
            items[sku]?.quantity = amount
        }
    }

    /// Takes `units` off `sku`'s quantity (negative: gives them back); the quantity left, or `nil`
    /// when there is no such item. A sale beyond the quantity changes nothing and answers `-1`.
    func sell(sku: String, units: Int) -> Int? {
        guard var item = items[sku] else { return nil }
        let left = (item.quantity ?? 0) - units
        guard left >= 0 else { return -1 }
        item.quantity = left
        items[sku] = item
        return left
    }

    /// Edits `sku` behind the seller's back (the sandbox's tamper): any of price, quantity and
    /// statuses; the item as it is now, `nil` when there is no such item.
    func tamper(
        sku: String,
        price: Decimal?,
        quantity: Int?,
        statuses: (published: String, lifecycle: String, reasons: [String])?
    ) -> Item? {
        guard var item = items[sku] else { return nil }
        if let price { item.price = price }
        if let quantity { item.quantity = quantity }
        if let statuses {
            item.publishedStatus = statuses.published
            item.lifecycleStatus = statuses.lifecycle
            item.unpublishedReasons = statuses.reasons
        }
        items[sku] = item
        return item
    }

    // MARK: - Feeds

    /// Stores a feed and returns its id.
    func submit(type: String, items: [FeedItem]) -> String {
        counter += 1
        let id = String(format: "%08X-WMT-FEED-%06d", counter &* 2_654_435_761 & 0xFFFF_FFFF, counter)
        feeds[id] = Feed(id: id, type: type, items: items)
        return id
    }

    /// Processes a feed: applies every valid item whose SKU exists (or that sets it up).
    /// Feeds whose processing waits for ``releaseFeeds()`` (test hook), `nil` when feeds run freely.
    private var heldFeeds: [String]?

    /// From now on, feeds stay `INPROGRESS` until ``releaseFeeds()``, however long that takes.
    func holdFeeds() {
        if heldFeeds == nil { heldFeeds = [] }
    }

    /// Processes every held feed, in submission order, and lets later feeds run freely again.
    func releaseFeeds() {
        let held = heldFeeds ?? []
        heldFeeds = nil
        for id in held { process(id) }
    }

    func process(_ id: String) {
        if heldFeeds != nil {
            heldFeeds?.append(id)
            return
        }
        guard var feed = feeds[id], !feed.isProcessed else { return }
        for index in feed.items.indices {
            guard let change = feed.items[index].change else { continue }
            if case .setup = change {
                apply(change)
            } else if items[change.sku] == nil {
                feed.items[index].errors = [
                    WalmartTwinError(
                        code: "ERR_EXT_DATA_0801001",
                        field: "sku",
                        description: "Item not found for sku: \(change.sku). Set up the item before updating it."
                    )
                ]
                feed.items[index].change = nil
            } else {
                apply(change)
            }
        }
        feed.isProcessed = true
        feeds[id] = feed
    }

    /// The feed `id`, if known.
    func feed(_ id: String) -> Feed? { feeds[id] }

    /// The ids of the feeds of `type`, in submission order.
    func feedIDs(type: String) -> [String] {
        feeds.values.filter { $0.type == type }.map(\.id).sorted { $0.suffix(6) < $1.suffix(6) }
    }

    /// How many feeds of `type` were accepted.
    func feedCount(type: String) -> Int { feeds.values.filter { $0.type == type }.count }
}
