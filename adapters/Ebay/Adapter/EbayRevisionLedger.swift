import Foundation

/// Counts revisions per listing (marketplace and SKU) per calendar day in UTC, so the adapter stays within
/// eBay's limit of 250 revisions per listing per day (`marketplace-apis.md` §2) instead of drawing errors.
///
/// One ledger serves every channel of one eBay account (``EbayAdapterFactory`` keeps them), so a
/// rebuilt adapter keeps the day's counts. The counts live in memory: after a restart the day starts
/// over, which can at worst draw eBay's own limit error — mapped to a retry like any other.
public actor EbayRevisionLedger {
    /// Today's revisions on one marketplace, for status.
    public struct DaySummary: Sendable, Hashable {
        /// Listings revised at least once today.
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

    private var day: Int
    private var counts: [String: Int] = [:]
    /// Listings (keys as in `counts`) whose revision was refused today.
    private var heldBack: Set<String> = []
    private let now: @Sendable () -> Date

    /// A ledger reading the time from `now` (tests pass a fixed clock).
    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
        day = Self.utcDay(of: now())
    }

    /// Revisions of `sku` on `marketplace` counted today (UTC).
    public func count(marketplace: String, sku: String) -> Int {
        rollOver()
        return counts[Self.key(marketplace, sku), default: 0]
    }

    /// Reserves `revisions` for `sku` if today's total stays within `limit`; `false` when it would not.
    public func reserve(_ revisions: Int, marketplace: String, sku: String, limit: Int) -> Bool {
        rollOver()
        let key = Self.key(marketplace, sku)
        let used = counts[key, default: 0]
        guard used + revisions <= limit else {
            heldBack.insert(key)
            return false
        }
        counts[key] = used + revisions
        heldBack.remove(key)
        return true
    }

    /// Today's revisions on `marketplace` measured against `limit`.
    public func summary(marketplace: String, limit: Int) -> DaySummary {
        rollOver()
        let prefix = marketplace + "\u{1F}"
        let today = counts.filter { $0.key.hasPrefix(prefix) && $0.value > 0 }.map(\.value)
        return DaySummary(
            listings: today.count,
            revisions: today.reduce(0, +),
            highest: today.max() ?? 0,
            atLimit: today.filter { $0 >= limit }.count,
            waiting: heldBack.filter { $0.hasPrefix(prefix) }.count,
            resetsAt: now().addingTimeInterval(untilMidnightUTC().seconds)
        )
    }

    /// Gives back `revisions` reserved for calls that were never made or did not change the listing.
    public func release(_ revisions: Int, marketplace: String, sku: String) {
        let key = Self.key(marketplace, sku)
        counts[key] = max(0, counts[key, default: 0] - revisions)
    }

    /// The time left until 00:00 UTC, when every listing's count starts over.
    public func untilMidnightUTC() -> Duration {
        let current = now()
        let seconds = current.timeIntervalSince1970
        let next = (seconds / 86_400).rounded(.down) * 86_400 + 86_400
        return .milliseconds(Int64(((next - seconds) * 1_000).rounded(.up)))
    }

    private func rollOver() {
        let today = Self.utcDay(of: now())
        if today != day {
            day = today
            counts = [:]
            heldBack = []
        }
    }

    private static func utcDay(of date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    private static func key(_ marketplace: String, _ sku: String) -> String {
        marketplace + "\u{1F}" + sku
    }
}

extension Duration {
    /// The duration in seconds, for `Date` arithmetic.
    fileprivate var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
