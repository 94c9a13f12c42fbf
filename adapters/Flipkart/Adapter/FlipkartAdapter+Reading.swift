import Catalog
import CurlHTTP
import Foundation
import Sync

/// The listing verifier's read-back on Flipkart: `GET /sellers/listings/v3/{skuIds}` (the call the
/// adapter already uses for FSNs; `../shared/specs/flipkart/get-listings.md`) answers each SKU's
/// `MarketplaceListingDetail`: `price.selling_price` (int32 rupees, `currency` INR), `locations[]`
/// with `status` ENABLED|DISABLED and `inventory`, `listing_status` ACTIVE|INACTIVE and
/// `archived_status`. One call per SKU on the account's listings bucket.
///
/// Read as: the price is `selling_price`; the quantity the inventory of the ENABLED locations summed
/// (a DISABLED location sells nothing); the listing is `active` when it is ACTIVE, not ARCHIVED and has
/// an ENABLED location, else `inactive` (Flipkart documents no state we could map to `suppressed`). A
/// SKU under `unavailable` or `invalid`, or absent from `available`, is missing.
extension FlipkartAdapter: ListingReader {
    /// The account's shared listings v3 bucket.
    public var readOperation: String { FlipkartAPIClient.listingsOperation }

    /// The account's rate limiter.
    public var rateLimiter: RateLimiter { client.context.rateLimiter }

    /// What Flipkart shows for `sku`.
    public func readListing(sku: SKU, remoteID: String?) async -> ListingRead {
        let id = sku.rawValue
        switch await client.send(
            .get,
            "/" + (id.addingPercentEncoding(withAllowedCharacters: Self.skuCharacters) ?? id)
        ) {
        case .failed(.needsAttention(let reason)), .failed(.retry(let reason, _)):
            return .failed(reason: reason)
        case .failed(let outcome):
            return .failed(reason: "Flipkart get listings: \(outcome)")
        case .response(let response):
            if let failure = FlipkartResponses.callFailure(response) {
                return .failed(reason: "Flipkart get listings: \(failure)")
            }
            guard let answer = try? JSONDecoder().decode(ReadListings.self, from: Data(response.body)) else {
                return .failed(reason: "get listings answered \(response.status) with an unreadable body")
            }
            guard let detail = answer.available?[id] else { return .missing }
            return .found(Self.live(detail))
        }
    }

    /// What a SKU keeps unescaped in the path (a `,` would split it into two SKUs).
    static let skuCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))

    /// The neutral view of one `MarketplaceListingDetail`.
    static func live(_ detail: ReadListing) -> LiveListing {
        let locations = detail.locations ?? []
        let enabled = locations.filter { ($0.status ?? "ENABLED") == "ENABLED" }
        let listingStatus = detail.listingStatus ?? "ACTIVE"
        let archived = detail.archivedStatus == "ARCHIVED"
        let buyable = listingStatus == "ACTIVE" && !archived && (locations.isEmpty || !enabled.isEmpty)
        var words = [listingStatus]
        if archived { words.append("ARCHIVED") }
        if !locations.isEmpty, enabled.isEmpty { words.append("DISABLED") }
        return LiveListing(
            price: detail.price?.sellingPrice,
            currencyCode: detail.price?.currency,
            quantity: locations.isEmpty ? nil : enabled.reduce(0) { $0 + ($1.inventory ?? 0) },
            availability: buyable ? .active : .inactive,
            platformStatus: words.joined(separator: ",")
        )
    }

    /// The answer of `GET /listings/v3/{skuIds}`, only the fields the verifier reads.
    struct ReadListings: Decodable, Sendable {
        var available: [String: ReadListing]?
        var unavailable: [String]?
        var invalid: [String]?
    }

    /// One `MarketplaceListingDetail`.
    struct ReadListing: Decodable, Sendable {
        struct Price: Decodable, Sendable {
            /// Documented `int32` rupees; read as a decimal so `286.0` would not fail the whole read.
            var sellingPrice: Decimal?
            var currency: String?

            enum CodingKeys: String, CodingKey {
                case currency
                case sellingPrice = "selling_price"
            }
        }

        struct Location: Decodable, Sendable {
            var id: String?
            var status: String?
            var inventory: Int?
        }

        var price: Price?
        var listingStatus: String?
        var archivedStatus: String?
        var locations: [Location]?

        enum CodingKeys: String, CodingKey {
            case price, locations
            case listingStatus = "listing_status"
            case archivedStatus = "archived_status"
        }
    }
}
