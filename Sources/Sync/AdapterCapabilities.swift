import Catalog

/// What a platform can do, as the engine needs to know it to plan requests.
public struct AdapterCapabilities: Sendable, Hashable {
    /// The facets the platform keeps (DHL keeps none of a marketplace's; Flipkart no content).
    public var facets: Set<Facet>
    /// Whether single-item calls exist (low latency for small backlogs and urgent changes).
    public var supportsSingleItem: Bool
    /// The most SKUs one bulk call (feed, batch) may carry; 1 when there is no bulk path.
    public var maximumBatchSize: Int
    /// The platform's published quotas per operation, seeding the rate limiter.
    public var quotas: [OperationQuota]
    /// What each path spends of ``quotas``, for choosing the path by the account's budget
    /// (``PathPlanner``); `nil` when the engine should use its fixed bulk threshold instead.
    public var pathCosts: PathCosts?

    /// Capabilities of a platform.
    public init(
        facets: Set<Facet> = Set(Facet.allCases),
        supportsSingleItem: Bool = true,
        maximumBatchSize: Int = 1,
        quotas: [OperationQuota] = [],
        pathCosts: PathCosts? = nil
    ) {
        self.facets = facets
        self.supportsSingleItem = supportsSingleItem
        self.maximumBatchSize = max(1, maximumBatchSize)
        self.quotas = quotas
        self.pathCosts = pathCosts
    }
}

/// What one push spends on each path, named by the operations of ``AdapterCapabilities/quotas``, so
/// the engine can estimate how fast either path drains an account's backlog without knowing the platform.
public struct PathCosts: Sendable, Hashable {
    /// The operation one single-item push spends, once per SKU (`patchListingsItem`).
    public var singleOperation: String
    /// The operations one bulk submission spends, each once (`createFeedDocument`, `createFeed`, ...).
    public var bulkOperations: [String]
    /// How long a bulk submission takes from submission to its outcomes before any was observed
    /// (the adapter reports what it observes through ``MarketplaceAdapter/bulkTurnaround()``).
    public var defaultBulkTurnaround: Duration

    /// Costs of a platform whose single path spends `singleOperation` per SKU and whose bulk path spends
    /// each of `bulkOperations` once per submission.
    public init(singleOperation: String, bulkOperations: [String], defaultBulkTurnaround: Duration) {
        self.singleOperation = singleOperation
        self.bulkOperations = bulkOperations
        self.defaultBulkTurnaround = defaultBulkTurnaround
    }
}

/// A published rate limit for one operation of one account: a token bucket's rate and burst.
public struct OperationQuota: Sendable, Hashable {
    /// The platform's name for the operation (`patchListingsItem`, `bulkUpdatePriceQuantity`).
    public var operation: String
    /// Requests per second the platform allows in steady state.
    public var requestsPerSecond: Double
    /// Requests the platform allows at once after an idle period.
    public var burst: Int

    /// A quota of `requestsPerSecond` with `burst`.
    public init(operation: String, requestsPerSecond: Double, burst: Int) {
        self.operation = operation
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
    }
}
