import Foundation
import TwinSupport

/// What the twin's buyers and Seller Hub edits do to a listing: a sale takes units off the ENABLED
/// locations, a cancellation puts them back where they came from, and a tamper edits the price, the
/// stock or the status behind the daemon's back.
extension FlipkartTwinState {
    /// Why a sale was refused.
    enum SaleRefusal: Error, Sendable, Hashable {
        /// The SKU has no listing with stock (never priced or stocked through the API).
        case noListing
        /// The listing is INACTIVE: buyers cannot buy it.
        case inactive
        /// Fewer units are sellable than asked for.
        case notEnough(available: Int)
    }

    /// Takes `units` of `sku` off its ENABLED locations in location-id order; the units taken per
    /// location, or why not (nothing changes then).
    func take(sku: String, units: Int) -> Result<[String: Int], SaleRefusal> {
        guard var listing = listings[sku], listing.sellingPrice != nil || !listing.locations.isEmpty else {
            return .failure(.noListing)
        }
        guard listing.listingStatus == "ACTIVE" else { return .failure(.inactive) }
        guard listing.sellable >= units else { return .failure(.notEnough(available: listing.sellable)) }
        var taken: [String: Int] = [:]
        var left = units
        for id in listing.locations.keys.sorted() where left > 0 && !listing.disabled.contains(id) {
            let part = min(left, listing.locations[id] ?? 0)
            guard part > 0 else { continue }
            listing.locations[id, default: 0] -= part
            taken[id] = part
            left -= part
        }
        listings[sku] = listing
        return .success(taken)
    }

    /// Puts back the units a cancelled sale took, at the locations they came from.
    func giveBack(sku: String, taken: [String: Int]) {
        guard var listing = listings[sku] else { return }
        for (id, units) in taken { listing.locations[id, default: 0] += units }
        listings[sku] = listing
    }

    /// Applies a Seller Hub edit to `sku`'s listing: `price` (whole rupees) as the selling price,
    /// `quantity` as the inventory of the first location (every other location emptied), `status`
    /// `active` (listing ACTIVE, every location ENABLED), `inactive` (listing INACTIVE) or
    /// `suppressed` (every location DISABLED: nothing to sell from). `nil` when there is no listing.
    func tamper(sku: String, sellingPrice: Int32?, quantity: Int?, status: ListingTamper.Status?) -> Listing? {
        guard var listing = listings[sku], listing.sellingPrice != nil || !listing.locations.isEmpty else {
            return nil
        }
        if let sellingPrice { listing.sellingPrice = "\(sellingPrice).00" }
        if let quantity {
            let ids = listing.locations.keys.sorted()
            let first = ids.first ?? "LOC-SELLER-HUB"
            for id in ids { listing.locations[id] = 0 }
            listing.locations[first] = quantity
        }
        switch status {
        case .active?:
            listing.listingStatus = "ACTIVE"
            listing.disabled = []
        case .inactive?:
            listing.listingStatus = "INACTIVE"
        case .suppressed?:
            listing.disabled = Set(listing.locations.keys)
        case nil:
            break
        }
        listings[sku] = listing
        return listing
    }

    /// `sku`'s listing as `GET /listings/v3/{skuIds}` answers it (`MarketplaceListingDetail`, the
    /// fields the twin keeps), or `nil` for a SKU Flipkart would call invalid.
    func detail(sku: String) -> JSONValue? {
        guard let listing = listing(sku: sku) else { return nil }
        var detail: [String: JSONValue] = [
            "listing_id": .string("LST" + listing.fsn),
            "product_id": .string(listing.fsn),
            "listing_status": .string(listing.listingStatus),
            "fulfillment_profile": .string("NON_FBF"),
            "archived_status": .string("NONE"),
            "locations": .array(
                listing.locations.keys.sorted().map { id in
                    .object([
                        "id": .string(id),
                        "status": .string(listing.disabled.contains(id) ? "DISABLED" : "ENABLED"),
                        "inventory": .int(listing.locations[id] ?? 0),
                    ])
                }
            ),
        ]
        if let selling = Self.rupees(listing.sellingPrice) {
            detail["price"] = .object([
                "mrp": .int(Self.rupees(listing.mrp) ?? selling),
                "selling_price": .int(selling),
                "currency": .string("INR"),
            ])
        }
        return .object(detail)
    }

    /// The whole rupees of a stored price (`"286.00"` → 286).
    static func rupees(_ text: String?) -> Int? {
        text.flatMap { $0.split(separator: ".").first }.flatMap { Int($0) }
    }
}
