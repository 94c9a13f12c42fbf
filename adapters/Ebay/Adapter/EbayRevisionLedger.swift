import Foundation
import Sync

/// Counts revisions per listing (marketplace and SKU) per calendar day in UTC, so the adapter stays within
/// eBay's limit of 250 revisions per listing per day (`marketplace-apis.md` §2) instead of drawing errors.
///
/// The counts live in the account's ``Sync/AdapterDataStore`` (the state database in the daemon), so a
/// restarted daemon or a rebuilt adapter keeps the day's counts:
///
/// - key `ebay-revisions/<YYYY-MM-DD>/<marketplace>/<SKU>`, value the count as decimal text;
/// - a listing's count is read from the store the first time this ledger needs it on a day, then kept
///   in memory; only a count that changes is written, each write awaited before the revision is made;
/// - on its first use of a day the ledger removes every earlier day's keys (one `DELETE` per day).
///
/// One ledger serves one channel (one marketplace); two ledgers of one account touch different keys.
public actor EbayRevisionLedger {
    /// Today's revisions on one marketplace, for status.
    public struct DaySummary: Sendable, Hashable {
        /// Listings revised at least once today (of those this ledger has touched since it started).
        public var listings: Int
        /// Revisions counted today, all listings together.
        public var revisions: Int
        /// The most revisions any one listing had today.
        public var highest: Int
        /// Listings that reached the limit today.
        public var atLimit: Int
        /// Listings with a change held back today because the limit was reached: they wait for 00:00 UTC.
        public var waiting: Int
        /// The next 00:00 UTC, when every count starts over.
        public var resetsAt: Date
    }

    /// The prefix of every key the ledger keeps.
    public static let keyPrefix = "ebay-revisions/"
    /// Listings (keys as in ``counts``) whose revision was refused today.
    private var heldBack: Set<String> = []

    private let store: any AdapterDataStore
    private let now: @Sendable () -> Date
    /// The UTC day (`2026-12-02`) whose counts ``counts`` holds.
    private var day: String?
    /// Today's counts read or written so far, by `marketplace/SKU`.
    private var counts: [String: Int] = [:]
    /// The clean-up of a day's start, shared by the calls that arrive while it runs.
    private var dayStart: (day: String, task: Task<Void, any Error>)?
    private var writes = OrderedAdapterDataWrites()

    /// A ledger keeping its counts in `store` and reading the time from `now` (tests pass a clock).
    public init(
        store: any AdapterDataStore = InMemoryAdapterDataStore(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.now = now
    }

    /// Revisions of `sku` on `marketplace` counted today (UTC); what is known when the store fails.
    public func count(marketplace: String, sku: String) async -> Int {
        let listing = Self.listingKey(marketplace, sku)
        if let today = try? await startDay() { try? await load(listing, day: today) }
        return counts[listing, default: 0]
    }

    /// Reserves `revisions` for `sku` if today's total stays within `limit`; `false` when it would not.
    ///
    /// The new count is stored before this returns, so the revision is counted even if the daemon stops
    /// right after making it.
    /// - Throws: the store's error; nothing is reserved then.
    public func reserve(_ revisions: Int, marketplace: String, sku: String, limit: Int) async throws -> Bool {
        let today = try await startDay()
        let listing = Self.listingKey(marketplace, sku)
        try await load(listing, day: today)
        let used = counts[listing, default: 0]
        guard used + revisions <= limit else {
            heldBack.insert(listing)
            return false
        }
        counts[listing] = used + revisions
        heldBack.remove(listing)
        do {
            try await persist(listing, day: today)
        } catch {
            counts[listing] = max(0, counts[listing, default: 0] - revisions)
            throw error
        }
        return true
    }

    /// Today's revisions on `marketplace` measured against `limit`.
    ///
    /// Counts of listings this ledger has not touched since it started (a restart) are in the store but
    /// not in the summary until they are revised again.
    public func summary(marketplace: String, limit: Int) -> DaySummary {
        let isToday = day == Self.dayText(now())
        let prefix = Self.listingKey(marketplace, "")
        let today = isToday ? counts.filter { $0.key.hasPrefix(prefix) && $0.value > 0 }.map(\.value) : []
        return DaySummary(
            listings: today.count,
            revisions: today.reduce(0, +),
            highest: today.max() ?? 0,
            atLimit: today.filter { $0 >= limit }.count,
            waiting: isToday ? heldBack.filter { $0.hasPrefix(prefix) }.count : 0,
            resetsAt: now().addingTimeInterval(untilMidnightUTC().seconds)
        )
    }

    /// Gives back `revisions` reserved for calls that were never made or did not change the listing.
    ///
    /// Best effort: when the store fails, the count stays higher there than here, which only holds
    /// revisions back sooner after a restart.
    public func release(_ revisions: Int, marketplace: String, sku: String) async {
        guard let today = day else { return }
        let listing = Self.listingKey(marketplace, sku)
        guard let used = counts[listing] else { return }
        counts[listing] = max(0, used - revisions)
        try? await persist(listing, day: today)
    }

    /// The time left until 00:00 UTC, when every listing's count starts over.
    public func untilMidnightUTC() -> Duration {
        let current = now()
        let seconds = current.timeIntervalSince1970
        let next = (seconds / 86_400).rounded(.down) * 86_400 + 86_400
        return .milliseconds(Int64(((next - seconds) * 1_000).rounded(.up)))
    }

    // MARK: - Days

    /// Today (UTC); on the ledger's first call of a day, forgets the previous day's counts and removes
    /// every earlier day from the store.
    private func startDay() async throws -> String {
        let today = Self.dayText(now())
        if day == today { return today }
        let task: Task<Void, any Error>
        if let running = dayStart, running.day == today {
            task = running.task
        } else {
            task = Task { [store] in try await Self.removeDays(before: today, from: store) }
            dayStart = (today, task)
        }
        do {
            try await task.value
        } catch {
            if dayStart?.day == today { dayStart = nil }
            throw error
        }
        if day != today {
            day = today
            counts = [:]
            heldBack = []
        }
        return today
    }

    /// Removes the keys of every day other than `today` (the keys are read once a day per ledger).
    private static func removeDays(before today: String, from store: any AdapterDataStore) async throws {
        var days: Set<Substring> = []
        for key in try await store.values(withPrefix: keyPrefix).keys {
            let day = key.dropFirst(keyPrefix.count).prefix { $0 != "/" }
            if day != today { days.insert(day) }
        }
        for day in days {
            try await store.removeValues(withPrefix: "\(keyPrefix)\(day)/")
        }
    }

    // MARK: - Counts

    /// Reads `listing`'s stored count of `day` unless this ledger already knows it.
    private func load(_ listing: String, day: String) async throws {
        guard counts[listing] == nil else { return }
        let stored = try await store.value(for: Self.storeKey(day: day, listing: listing)).flatMap { Int($0) } ?? 0
        // Another call may have loaded or counted this listing while the read ran; it knows better.
        if self.day == day, counts[listing] == nil { counts[listing] = stored }
    }

    /// Writes `listing`'s current count, after any earlier write of it.
    private func persist(_ listing: String, day: String) async throws {
        let key = Self.storeKey(day: day, listing: listing)
        let write = writes.enqueue(String(counts[listing, default: 0]), for: key, in: store)
        defer { writes.settle(write, for: key) }
        try await write.value
    }

    /// The store key of `listing`'s count on `day`.
    static func storeKey(day: String, listing: String) -> String {
        "\(keyPrefix)\(day)/\(listing)"
    }

    private static func listingKey(_ marketplace: String, _ sku: String) -> String {
        "\(marketplace)/\(sku)"
    }

    /// The UTC calendar day of `date` as `YYYY-MM-DD`.
    static func dayText(_ date: Date) -> String {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let midnight = Date(timeIntervalSince1970: TimeInterval(days) * 86_400)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: midnight)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}

extension Duration {
    /// The duration in seconds, for `Date` arithmetic.
    fileprivate var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
