import Catalog
import Foundation
import Sync

/// A feed a push stopped waiting for: what it carries per SKU, kept until its results are read.
struct WalmartAbandonedFeed: Codable, Sendable, Hashable {
    /// Walmart's id of the feed.
    var feedID: String
    /// `MP_ITEM`, `price` or `inventory`.
    var feedType: String
    /// When the feed was submitted.
    var submittedAt: Date
    /// Per SKU, the hash of each facet the feed carries for it (`content`, `price`, `quantity`).
    var items: [String: [String: Int64]]
    /// SKUs that were told to retry and still wait for this feed's result.
    var awaiting: Set<String>

    /// The facets a feed of `feedType` carries: an item carries its price; inventory only the stock.
    static func facets(ofFeedType feedType: String) -> Set<Facet> {
        switch feedType {
        case "MP_ITEM": [.content, .price]
        case "price": [.price]
        default: [.quantity]
        }
    }

    /// A record of `changes` sent as a `feedType` feed, `awaiting` the SKUs still waiting for it.
    init(feedID: String, feedType: String, submittedAt: Date, changes: [ListingChange], awaiting: Set<SKU>) {
        self.feedID = feedID
        self.feedType = feedType
        self.submittedAt = submittedAt
        let facets = Self.facets(ofFeedType: feedType)
        var items: [String: [String: Int64]] = [:]
        for change in changes {
            items[change.sku.rawValue] = Dictionary(
                uniqueKeysWithValues: facets.map { ($0.rawValue, change.desired.hashes[$0].rawValue) }
            )
        }
        self.items = items
        self.awaiting = Set(awaiting.map(\.rawValue))
    }

    /// Whether the feed carries for `change`'s SKU exactly the values `change` wants now.
    func carriesSameValues(as change: ListingChange) -> Bool {
        guard let hashes = items[change.sku.rawValue] else { return false }
        return hashes.allSatisfy { facet, hash in
            Facet(rawValue: facet).map { change.desired.hashes[$0].rawValue == hash } ?? false
        }
    }

    /// The facets the feed carries for `sku`.
    func facets(of sku: SKU) -> Set<Facet> {
        Set((items[sku.rawValue] ?? [:]).keys.compactMap(Facet.init(rawValue:)))
    }

    enum CodingKeys: String, CodingKey {
        case feedID = "feed_id"
        case feedType = "feed_type"
        case submittedAt = "submitted_at"
        case items
        case awaiting
    }
}

/// The abandoned feeds of one adapter's account, kept in its ``Sync/AdapterDataStore`` under
/// `walmart-feeds/<feedId>` (one JSON value per feed: per SKU the hashes of what it carries) until every SKU waiting for a feed has had
/// its result, so a restarted daemon still reads them.
///
/// The records are read from the store once per adapter and then kept in memory; every change is
/// written through, in order.
actor WalmartAbandonedFeeds {
    /// The prefix of every key.
    static let keyPrefix = "walmart-feeds/"

    private let store: any AdapterDataStore
    private var feeds: [String: WalmartAbandonedFeed]?
    private var loading: Task<[String: WalmartAbandonedFeed], any Error>?
    private var writes = OrderedAdapterDataWrites()

    /// The records in `store`.
    init(store: any AdapterDataStore) {
        self.store = store
    }

    /// Every remembered feed, oldest first.
    func all() async throws -> [WalmartAbandonedFeed] {
        try await load().values.sorted { ($0.submittedAt, $0.feedID) < ($1.submittedAt, $1.feedID) }
    }

    /// Remembers `feed` until its SKUs have their results.
    func remember(_ feed: WalmartAbandonedFeed) async throws {
        _ = try await load()
        feeds?[feed.feedID] = feed
        try await persist(feed.feedID)
    }

    /// The finished feed `feedID` gave `skus` their results: they wait no longer, and SKUs that do not
    /// wait are dropped (nothing older can overwrite them now). Forgets the feed when none waits.
    func resolve(feedID: String, skus: Set<SKU>) async throws {
        guard var feed = try await load()[feedID] else { return }
        feed.awaiting.subtract(skus.map(\.rawValue))
        feed.items = feed.items.filter { feed.awaiting.contains($0.key) }
        feeds?[feedID] = feed.awaiting.isEmpty ? nil : feed
        try await persist(feedID)
    }

    /// Forgets the feed `feedID` (it ended in `ERROR`, is unknown to Walmart, or is too old).
    func forget(feedID: String) async throws {
        guard try await load()[feedID] != nil else { return }
        feeds?[feedID] = nil
        try await persist(feedID)
    }

    private func load() async throws -> [String: WalmartAbandonedFeed] {
        if let feeds { return feeds }
        let task = loading ?? Task { [store] in try await Self.read(from: store) }
        loading = task
        do {
            let read = try await task.value
            if feeds == nil { feeds = read }
            loading = nil
            return feeds ?? read
        } catch {
            loading = nil
            throw error
        }
    }

    private static func read(from store: any AdapterDataStore) async throws -> [String: WalmartAbandonedFeed] {
        var feeds: [String: WalmartAbandonedFeed] = [:]
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        for (_, value) in try await store.values(withPrefix: keyPrefix) {
            if let feed = try? decoder.decode(WalmartAbandonedFeed.self, from: Data(value.utf8)) {
                feeds[feed.feedID] = feed
            }
        }
        return feeds
    }

    /// Writes the record of `feedID` as it is now (removes it when forgotten), after earlier writes of it.
    private func persist(_ feedID: String) async throws {
        let key = Self.keyPrefix + feedID
        let write = writes.enqueue(feeds?[feedID].map(Self.encoded), for: key, in: store)
        defer { writes.settle(write, for: key) }
        try await write.value
    }

    private static func encoded(_ feed: WalmartAbandonedFeed) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(feed)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
