import Catalog
import Foundation

/// A platform's read-back of its own listings: what buyers are shown now for one SKU.
///
/// An adapter whose platform has a read call (Amazon's `getListingsItem`, eBay's `getOffers`) adopts
/// it, and the engine's ``ListingVerifier`` reads its channel's acknowledged listings back through it,
/// low-priority, to find listings that changed behind our back (an edit in Seller Central, a
/// suppression, a feed "accepted" but never applied). Platforms without a public read call do not
/// adopt it; their README says so.
public protocol ListingReader: Sendable {
    /// The rate-limiter operation one read spends (`getListingsItem`): the verifier only reads while
    /// its bucket has idle capacity, and paces itself to a share of its published rate.
    var readOperation: String { get }

    /// The account's rate limiter the reads are paced by (the one its pushes use).
    var rateLimiter: RateLimiter { get }

    /// What the platform shows for `sku` on this channel now. `remoteID` is the platform's id from an
    /// earlier push, when there is one (eBay's offer id).
    func readListing(sku: SKU, remoteID: String?) async -> ListingRead
}

/// How one read-back ended.
public enum ListingRead: Sendable, Hashable {
    /// The platform shows the listing like this.
    case found(LiveListing)
    /// The platform says it has no such listing (Amazon's 404 `NOT_FOUND`, eBay's 25713).
    case missing
    /// The read failed (network, 5xx, 429, a refused token): nothing is concluded; `reason` in the
    /// platform's words.
    case failed(reason: String)
}

/// A listing as the platform shows it, in neutral terms; fields the platform did not report are `nil`.
public struct LiveListing: Sendable, Hashable {
    /// Whether buyers can find and buy it.
    public enum Availability: String, Sendable, Hashable, Codable {
        /// Buyable (Amazon `BUYABLE`, eBay `PUBLISHED`).
        case active
        /// Listed but not buyable (Amazon `DISCOVERABLE` only, eBay `UNPUBLISHED`).
        case inactive
        /// Neither discoverable nor buyable (Amazon: no status at all, an enforcement action).
        case suppressed
    }

    /// The price as shown, an exact decimal in `currencyCode`.
    public var price: Decimal?
    public var currencyCode: String?
    /// The quantity buyers can buy.
    public var quantity: Int?
    /// The title as shown (compared only when the adapter reads it).
    public var title: String?
    public var availability: Availability
    /// The platform's own status words (`BUYABLE,DISCOVERABLE`, `PUBLISHED`).
    public var platformStatus: String?
    /// The platform's issues with the listing, verbatim (Amazon's `issues` array).
    public var issues: [MarketplaceIssue]

    public init(
        price: Decimal? = nil,
        currencyCode: String? = nil,
        quantity: Int? = nil,
        title: String? = nil,
        availability: Availability = .active,
        platformStatus: String? = nil,
        issues: [MarketplaceIssue] = []
    ) {
        self.price = price
        self.currencyCode = currencyCode
        self.quantity = quantity
        self.title = title
        self.availability = availability
        self.platformStatus = platformStatus
        self.issues = issues
    }
}
