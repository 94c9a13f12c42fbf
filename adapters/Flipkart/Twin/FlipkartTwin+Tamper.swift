import Foundation
import TwinSupport

/// `POST /_sandbox/tamper` on Flipkart: a listing edited in the Seller Hub behind the daemon's back.
/// `marketplace` is `IN`. `price` is the selling price in whole rupees (Flipkart's int32 rupees:
/// `"300"` or `"300.00"`, never paise), `quantity` the stock of the listing's first location, `status`
/// `inactive` sets `listing_status` INACTIVE, `suppressed` DISABLES every location (nothing left to
/// sell from), `active` undoes both.
extension FlipkartTwin: TamperableTwin {
    public func tamper(_ tamper: ListingTamper) async throws(TamperError) -> TwinListing {
        guard tamper.marketplace.uppercased() == "IN" else {
            throw TamperError(code: "not_found", message: "Flipkart sells on IN only, not \(tamper.marketplace).")
        }
        var rupees: Int32?
        if let price = tamper.price {
            guard let value = Decimal(string: price, locale: Locale(identifier: "en_US_POSIX")), value > 0,
                let whole = Int32(exactly: NSDecimalNumber(decimal: value).int64Value),
                Decimal(whole) == value
            else {
                throw TamperError(
                    code: "invalid_tamper",
                    message: "price '\(price)' is not a positive whole number of rupees (Flipkart's int32)."
                )
            }
            rupees = whole
        }
        if let quantity = tamper.quantity, quantity < 0 {
            throw TamperError(code: "invalid_tamper", message: "quantity must be 0 or more.")
        }
        guard
            let listing = await state.tamper(
                sku: tamper.sku,
                sellingPrice: rupees,
                quantity: tamper.quantity,
                status: tamper.status
            )
        else {
            throw TamperError(code: "not_found", message: "No Flipkart listing of SKU '\(tamper.sku)'.")
        }
        return TwinListing(
            sku: tamper.sku,
            marketplace: "IN",
            title: listing.title,
            price: listing.sellingPrice,
            currency: listing.sellingPrice == nil ? nil : "INR",
            quantity: listing.locations.isEmpty ? nil : listing.sellable
        )
    }
}
