import Catalog

/// A platform's side of the sync: how one channel's listings reach one marketplace.
///
/// An adapter turns desired listings into that platform's requests and turns the platform's answers
/// back into one ``ListingOutcome`` per SKU — never a verdict for a whole batch. The engine decides
/// what to send and when (claims, priorities, path, backoff, circuit breaking); the adapter decides how,
/// and paces its own HTTP calls through the account's ``RateLimiter`` (one feed submission can take
/// several calls of different operations).
public protocol MarketplaceAdapter: Sendable {
    /// What the platform can do: facets, paths, batch limits and published quotas.
    var capabilities: AdapterCapabilities { get }

    /// Sends `changes` (all of one channel) and reports an outcome for every SKU in them.
    ///
    /// With ``PushMode/single`` the adapter sends each SKU on its own low-latency call (concurrently,
    /// as its rate limiter allows); with ``PushMode/bulk`` it uses the platform's batch or feed path.
    /// The engine passes at most ``AdapterCapabilities/maximumBatchSize`` changes in bulk mode. An SKU
    /// the adapter leaves out of the answer is treated as a transient failure and retried.
    func push(_ changes: [ListingChange], mode: PushMode) async -> [SKU: ListingOutcome]

    /// Asks the platform to check `listing` without changing anything (Amazon's `VALIDATION_PREVIEW`).
    ///
    /// - Throws: ``AdapterError/unsupported(_:)`` when the platform has no such check.
    func validate(_ listing: DesiredListing) async throws -> [MarketplaceIssue]

    /// What the adapter would send for `listing` now, with the issues its local check finds in it
    /// (Amazon: the body against the product type definition), without sending anything.
    ///
    /// - Throws: ``AdapterError/unsupported(_:)`` when the adapter has no local check.
    func preview(_ listing: DesiredListing) async throws -> ListingPreview

    /// The platform's budgets beyond plain request rates (feeds per hour, revisions per listing per
    /// day, requests per day) as this adapter spends them now, for status. Platforms without any
    /// report none.
    func budgets() async -> [BudgetStatus]

    /// How long a bulk submission has been taking from submission to outcomes (a moving average the
    /// adapter keeps across restarts), for choosing the path; `nil` until one was observed.
    func bulkTurnaround() async -> Duration?

    /// The account's rate-limit buckets as they are now, so the path choice starts from what is left
    /// of each budget rather than from full buckets; empty when the adapter does not say.
    func rateBuckets() async -> [RateLimiter.BucketState]
}

extension MarketplaceAdapter {
    /// Platforms without a validation call say so.
    public func validate(_ listing: DesiredListing) async throws -> [MarketplaceIssue] {
        throw AdapterError.unsupported("this platform has no validation-only call")
    }

    /// Adapters without a local check say so.
    public func preview(_ listing: DesiredListing) async throws -> ListingPreview {
        throw AdapterError.unsupported("this platform's adapter has no local check of listings")
    }

    /// Platforms without budgets beyond their request rates report none.
    public func budgets() async -> [BudgetStatus] { [] }

    /// Platforms without a bulk path, or that do not measure it, report nothing.
    public func bulkTurnaround() async -> Duration? { nil }

    /// Adapters that do not say are planned from full buckets.
    public func rateBuckets() async -> [RateLimiter.BucketState] { [] }
}

/// Which path a push takes.
public enum PushMode: String, Sendable, Hashable {
    /// One call per SKU: lowest latency, for small backlogs and urgent changes.
    case single
    /// The platform's batch or feed path: most SKUs per quota, for large backlogs.
    case bulk
}

/// What one SKU needs on one channel: the listing as desired now and which facets differ.
public struct ListingChange: Sendable, Hashable {
    /// What the listing should be, projected at send time.
    public var desired: DesiredListing
    /// The facets whose desired hash differs from the one the marketplace last acknowledged.
    public var facets: Set<Facet>
    /// The platform's own id for the listing, when an earlier push returned one (eBay offer id, FSN).
    public var remoteID: String?
    /// The product left the catalog or this channel: the listing is to be withdrawn.
    public var isRemoval: Bool
    /// Nothing was ever acknowledged for this listing: the platform may need to create it first.
    public var isNew: Bool
    /// Stock going to zero, a price decrease or a removal: must not wait behind a slow bulk path
    /// (a feed that does not finish in time makes its urgent SKUs fall back to single calls).
    public var isUrgent: Bool

    /// A change sending `facets` of `desired`.
    public init(
        desired: DesiredListing,
        facets: Set<Facet>,
        remoteID: String? = nil,
        isRemoval: Bool = false,
        isNew: Bool = false,
        isUrgent: Bool = false
    ) {
        self.desired = desired
        self.facets = facets
        self.remoteID = remoteID
        self.isRemoval = isRemoval
        self.isNew = isNew
        self.isUrgent = isUrgent
    }

    /// The SKU the change is for.
    public var sku: SKU { desired.sku }

    /// The hashes of the facets this change sends, for ``ListingOutcome/accepted(sentHashes:remoteID:)``.
    public var sentHashes: [Facet: FacetHash] {
        Dictionary(uniqueKeysWithValues: facets.map { ($0, desired.hashes[$0]) })
    }
}

/// How one SKU's push ended.
public enum ListingOutcome: Sendable, Hashable {
    /// The marketplace took these facets; `sentHashes` are the hashes of exactly what was sent.
    case accepted(sentHashes: [Facet: FacetHash], remoteID: String?)
    /// The marketplace refused the listing for a reason a retry cannot fix, in its own words.
    case rejected(issues: [MarketplaceIssue])
    /// A transient failure (network, 5xx, 429, timeout); try again after `after` when the platform said so.
    case retry(reason: String, after: Duration?)
    /// The platform refused the account itself, not the listing — authentication that fails with a
    /// fresh token, a missing permission (HTTP 401 after a refresh, 403) — in its own words. No retry
    /// can fix it: the engine stops sending on the channel and shows it as needing attention until an
    /// operator resumes the channel or reloads the configuration; the SKU stays due.
    case needsAttention(reason: String)
    /// The adapter checked the listing against the platform's published rules before sending and it
    /// fails them: nothing was sent and no quota spent. The engine keeps it as a dead letter with a
    /// `held:` reason, without counting a failed attempt or tripping the breaker; a product edit that
    /// changes its hashes queues it again (``ListingChange`` is re-projected then).
    case held(issues: [MarketplaceIssue])

    /// Accepted with every facet `change` sends.
    public static func accepted(_ change: ListingChange, remoteID: String? = nil) -> ListingOutcome {
        .accepted(sentHashes: change.sentHashes, remoteID: remoteID ?? change.remoteID)
    }
}

/// What an adapter would send for one listing and what its local check finds wrong with it.
public struct ListingPreview: Sendable, Hashable {
    /// The request body as it would go on the wire (JSON text).
    public var body: String
    /// What the rules the adapter checks against are, for the operator (`PRODUCT definition, version …`).
    public var checkedAgainst: String
    /// The violations found; empty when the body passes. Each names the attribute and the platform's title.
    public var issues: [MarketplaceIssue]

    public init(body: String, checkedAgainst: String, issues: [MarketplaceIssue]) {
        self.body = body
        self.checkedAgainst = checkedAgainst
        self.issues = issues
    }
}

/// One validation issue as the marketplace reported it, kept verbatim for the operator.
public struct MarketplaceIssue: Sendable, Hashable, Codable {
    /// The platform's code (`90220`, `INVALID_PRICE`).
    public var code: String
    /// The platform's message, unaltered.
    public var message: String
    /// `ERROR`, `WARNING` or the platform's equivalent.
    public var severity: String
    /// The attributes the issue names, when the platform says.
    public var attributeNames: [String]

    /// An issue with the platform's own code and message.
    public init(code: String, message: String, severity: String = "ERROR", attributeNames: [String] = []) {
        self.code = code
        self.message = message
        self.severity = severity
        self.attributeNames = attributeNames
    }
}

/// Why an adapter could not be built or could not do what was asked.
public enum AdapterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The account or channel configuration is wrong; `key` names it (`accounts.amazon-eu.region`).
    case configuration(key: String, message: String)
    /// A credential is missing or empty; `key` names it without revealing any value.
    case credentials(key: String, message: String)
    /// The platform cannot do this.
    case unsupported(String)
    /// The platform refused or failed, in its own words.
    case platform(String)

    public var description: String {
        switch self {
        case .configuration(let key, let message): "\(key): \(message)"
        case .credentials(let key, let message): "credentials \(key): \(message)"
        case .unsupported(let message): "unsupported: \(message)"
        case .platform(let message): message
        }
    }
}
