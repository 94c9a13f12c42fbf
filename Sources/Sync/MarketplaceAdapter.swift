import Catalog

/// A platform's side of the sync: how one channel's listings reach one marketplace.
///
/// An adapter turns desired listings into that platform's requests and turns the platform's answers
/// back into one ``ListingOutcome`` per SKU — never a verdict for a whole batch. The engine decides
/// what to send and when (claims, priorities, rate limits, backoff); the adapter decides how.
public protocol MarketplaceAdapter: Sendable {
    /// What the platform can do: facets, paths, batch limits and published quotas.
    var capabilities: AdapterCapabilities { get }

    /// Sends `changes` (all of one channel) and reports an outcome for every SKU in them.
    ///
    /// The engine calls this with at most ``AdapterCapabilities/maximumBatchSize`` changes. An SKU the
    /// adapter leaves out of the answer is treated as a transient failure and retried.
    func push(_ changes: [ListingChange]) async -> [SKU: ListingOutcome]
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

    /// A change sending `facets` of `desired`.
    public init(desired: DesiredListing, facets: Set<Facet>, remoteID: String? = nil, isRemoval: Bool = false) {
        self.desired = desired
        self.facets = facets
        self.remoteID = remoteID
        self.isRemoval = isRemoval
    }

    /// The SKU the change is for.
    public var sku: SKU { desired.sku }
}

/// How one SKU's push ended.
public enum ListingOutcome: Sendable, Hashable {
    /// The marketplace took these facets; `sentHashes` are the hashes of exactly what was sent.
    case accepted(sentHashes: [Facet: FacetHash], remoteID: String?)
    /// The marketplace refused the listing for a reason a retry cannot fix, in its own words.
    case rejected(issues: [MarketplaceIssue])
    /// A transient failure (network, 5xx, 429, timeout); try again after `after` when the platform said so.
    case retry(reason: String, after: Duration?)
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
