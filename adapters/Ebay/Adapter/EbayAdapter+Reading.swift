import Catalog
import CurlHTTP
import Foundation
import Sync

/// The listing verifier's read-back on eBay: `getOffers` (`GET /offer?sku=&marketplace_id=`) gives the
/// offer of this marketplace with its price (`pricingSummary.price`), `availableQuantity` (what the
/// channel's quantity is sent as) and `status` (`PUBLISHED`/`UNPUBLISHED`), and `listing.listingStatus`
/// once published. One call per SKU on the account's `sell.inventory` bucket. The inventory item's
/// title (`getInventoryItem`) is not read: content drift is not checked on eBay, which keeps one call
/// per SKU. eBay answers 404 with error 25713 when the SKU has no offer (OAS `getOffers` responses).
extension EbayAdapter: ListingReader {
    /// The account's shared Inventory API bucket.
    public var readOperation: String { EbayAPIClient.inventoryOperation }

    /// The account's rate limiter.
    public var rateLimiter: RateLimiter { client.context.rateLimiter }

    /// What eBay shows for `sku` on this marketplace.
    public func readListing(sku: SKU, remoteID: String?) async -> ListingRead {
        let query = "?sku=\(EbayAPIClient.pathEncode(sku.rawValue))&marketplace_id=\(configuration.marketplace.id)"
        switch await client.send(.get, "/offer" + query) {
        case .failed(.needsAttention(let reason)), .failed(.retry(let reason, _)):
            return .failed(reason: reason)
        case .failed(let outcome):
            return .failed(reason: "eBay getOffers: \(outcome)")
        case .response(let response):
            if response.status == 404 { return .missing }
            if let failure = EbayResponses.failure(response) { return .failed(reason: "\(failure)") }
            guard let offers = try? JSONDecoder().decode(ReadOffers.self, from: Data(response.body)) else {
                return .failed(reason: "getOffers answered \(response.status) with an unreadable body")
            }
            let mine = (offers.offers ?? []).filter {
                $0.marketplaceId == nil || $0.marketplaceId == configuration.marketplace.id
            }
            let offer = mine.first { $0.offerId == remoteID } ?? mine.first
            guard let offer else { return .missing }
            return .found(Self.live(offer))
        }
    }

    /// The neutral view of one offer.
    static func live(_ offer: ReadOffer) -> LiveListing {
        let published = offer.status == "PUBLISHED"
        let listingStatus = offer.listing?.listingStatus
        let onHold = offer.listing?.listingOnHold == true
        let availability: LiveListing.Availability =
            onHold ? .suppressed : published && (listingStatus ?? "ACTIVE") == "ACTIVE" ? .active : .inactive
        return LiveListing(
            price: offer.pricingSummary?.price?.value.flatMap {
                Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX"))
            },
            currencyCode: offer.pricingSummary?.price?.currency,
            quantity: offer.availableQuantity,
            availability: availability,
            platformStatus: [offer.status, listingStatus].compactMap { $0 }.joined(separator: ",")
        )
    }

    /// `Offers` as `getOffers` answers it, only the fields the verifier reads (`EbayOfferDetailsWithAll`).
    struct ReadOffers: Decodable, Sendable {
        var offers: [ReadOffer]?
    }

    /// One `EbayOfferDetailsWithAll`.
    struct ReadOffer: Decodable, Sendable {
        struct Amount: Decodable, Sendable {
            var value: String?
            var currency: String?
        }

        struct PricingSummary: Decodable, Sendable {
            var price: Amount?
        }

        struct Listing: Decodable, Sendable {
            var listingStatus: String?
            var listingOnHold: Bool?
        }

        var offerId: String?
        var marketplaceId: String?
        var status: String?
        var availableQuantity: Int?
        var pricingSummary: PricingSummary?
        var listing: Listing?
    }
}
