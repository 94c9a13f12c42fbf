import Foundation
import TwinSupport

/// `POST /_sandbox/tamper` on eBay: an offer edited in Seller Hub behind the daemon's back.
/// `marketplace` is the eBay marketplace id (`EBAY_DE`).
extension EbayTwin: TamperableTwin {
    public func tamper(_ tamper: ListingTamper) async throws(TamperError) -> TwinListing {
        if let price = tamper.price, !EbayTwinState.isPositiveDecimal(price) {
            throw TamperError(code: "invalid_tamper", message: "price '\(price)' is not a positive decimal number.")
        }
        if let quantity = tamper.quantity, quantity < 0 {
            throw TamperError(code: "invalid_tamper", message: "quantity must be 0 or more.")
        }
        guard
            let offer = await state.tamper(
                sku: tamper.sku,
                marketplace: tamper.marketplace,
                price: tamper.price,
                quantity: tamper.quantity,
                status: tamper.status
            )
        else {
            throw TamperError(code: "not_found", message: "No offer of SKU '\(tamper.sku)' on \(tamper.marketplace).")
        }
        return TwinListing(
            sku: tamper.sku,
            marketplace: tamper.marketplace,
            price: offer.pricingSummary?.price?.value,
            currency: offer.pricingSummary?.price?.currency,
            quantity: offer.availableQuantity
        )
    }
}
