import TwinSupport

/// SP-API's published default quotas, as the twin enforces them (one place for the whole table).
///
/// Source: `../shared/reference/marketplace-apis.md` §1.5, the rate-limit doc pages' values; where the
/// model's usage plan and the doc page disagree on burst, the lower burst is used, as Amazon advises.
/// Buckets are keyed by (seller, operation): every marketplace of one seller shares one budget, as
/// Amazon's merged regional accounts do.
struct AmazonTwinQuotas: Sendable {
    /// One operation's token bucket.
    struct Plan: Sendable {
        /// Requests per second.
        var rate: Double
        var burst: Int
        /// The value of `x-amzn-RateLimit-Limit` for the operation, exactly as Amazon writes it.
        var header: String
    }

    /// The SP-API operations the twin serves.
    enum Operation: String, Sendable, CaseIterable {
        case getListingsItem, putListingsItem, patchListingsItem, deleteListingsItem
        case createFeedDocument, createFeed, getFeed, getFeedDocument
        /// The separate per-seller (region) cap on `JSON_LISTINGS_FEED` submissions.
        case jsonListingsFeedSubmission
        case getDefinitionsProductType
        /// Orders API v0 (usage plans in `ordersV0.json`).
        case getOrders, getOrderItems
    }

    /// The published plan of `operation`.
    static func plan(_ operation: Operation) -> Plan {
        switch operation {
        case .getListingsItem, .putListingsItem, .patchListingsItem, .deleteListingsItem:
            Plan(rate: 5, burst: 5, header: "5.0")
        case .createFeedDocument: Plan(rate: 0.5, burst: 15, header: "0.5")
        case .createFeed: Plan(rate: 0.0083, burst: 15, header: "0.0083")
        case .getFeed: Plan(rate: 2, burst: 15, header: "2.0")
        case .getFeedDocument: Plan(rate: 0.0222, burst: 10, header: "0.0222")
        case .jsonListingsFeedSubmission: Plan(rate: 5.0 / 300.0, burst: 5, header: "0.0083")
        // definitionsProductTypes_2020-09-01.json: "Default | 5 | 10".
        case .getDefinitionsProductType: Plan(rate: 5, burst: 10, header: "5.0")
        case .getOrders: Plan(rate: 0.0167, burst: 20, header: "0.0167")
        case .getOrderItems: Plan(rate: 0.5, burst: 30, header: "0.5")
        }
    }

    private let buckets: QuotaBuckets
    /// Multiplies every refill rate; 1 is Amazon's. Tests slow refills down so bursts are exact
    /// whatever the machine's speed.
    private let rateScale: Double
    /// A seller's raised quotas: every published rate and burst times this, as `x-amzn-RateLimit-Limit`
    /// reports for the rate.
    private let multiplier: Double

    /// Quotas that are enforced only when `isEnabled` (`--quotas published`), raised by `multiplier`.
    init(isEnabled: Bool, rateScale: Double = 1, multiplier: Double = 1) {
        buckets = QuotaBuckets(isEnabled: isEnabled)
        self.rateScale = rateScale
        self.multiplier = multiplier
    }

    /// The `x-amzn-RateLimit-Limit` value for `operation`: the published figure, raised by the multiplier.
    func header(_ operation: Operation) -> String {
        let plan = Self.plan(operation)
        guard multiplier != 1 else { return plan.header }
        return String(format: "%.4g", plan.rate * multiplier)
    }

    /// Takes one request from `seller`'s budget for `operation`; returns the `Retry-After` delay when
    /// the budget is spent.
    func take(_ operation: Operation, seller: String) -> Duration? {
        let plan = Self.plan(operation)
        return buckets.take(
            "\(seller)|\(operation.rawValue)",
            rate: plan.rate * rateScale * multiplier,
            burst: max(1, Int((Double(plan.burst) * multiplier).rounded()))
        )
    }
}
