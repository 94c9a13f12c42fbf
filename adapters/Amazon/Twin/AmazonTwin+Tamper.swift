import AmazonModel
import Foundation
import TwinSupport

/// `POST /_sandbox/tamper` on Amazon: a listing edited in Seller Central behind the daemon's back.
/// `marketplace` is the marketplace code (`DE`) or id (`A1PA6795UKMFR9`).
extension AmazonTwin: TamperableTwin {
    public func tamper(_ tamper: ListingTamper) async throws(TamperError) -> TwinListing {
        guard
            let marketplace = AmazonMarketplace.named(tamper.marketplace)
                ?? AmazonMarketplace.withID(tamper.marketplace)
        else {
            throw TamperError(code: "invalid_tamper", message: "Unknown Amazon marketplace '\(tamper.marketplace)'.")
        }
        if let price = tamper.price, Decimal(string: price, locale: Locale(identifier: "en_US_POSIX")) == nil {
            throw TamperError(code: "invalid_tamper", message: "price '\(price)' is not a decimal number.")
        }
        if let quantity = tamper.quantity, quantity < 0 {
            throw TamperError(code: "invalid_tamper", message: "quantity must be 0 or more.")
        }
        let changed = await store.tamper(
            marketplace: marketplace,
            sku: tamper.sku,
            price: tamper.price,
            quantity: tamper.quantity,
            status: tamper.status
        )
        guard let first = changed.first else {
            throw TamperError(code: "not_found", message: "No listing of SKU '\(tamper.sku)' on \(marketplace.code).")
        }
        return first
    }
}

extension ListingRecord {
    /// Sets the offer's `our_price` (`value_with_tax` of its first schedule) to the number `text`.
    mutating func setPrice(_ text: String) {
        guard var offers = attributes["purchasable_offer"]?.array, var offer = offers.first?.object,
            var prices = offer["our_price"]?.array, var ourPrice = prices.first?.object,
            var schedules = ourPrice["schedule"]?.array, var schedule = schedules.first?.object
        else { return }
        schedule["value_with_tax"] = .number(text)
        schedules[0] = .object(schedule)
        ourPrice["schedule"] = .array(schedules)
        prices[0] = .object(ourPrice)
        offer["our_price"] = .array(prices)
        offers[0] = .object(offer)
        attributes["purchasable_offer"] = .array(offers)
        if let price, price != priceHistory.last { priceHistory.append(price) }
    }

    /// Sets the first `fulfillment_availability` entry's quantity.
    mutating func setQuantity(_ quantity: Int) {
        guard var entries = attributes["fulfillment_availability"]?.array, var entry = entries.first?.object else {
            return
        }
        entry["quantity"] = .number(String(quantity))
        entries[0] = .object(entry)
        attributes["fulfillment_availability"] = .array(entries)
    }
}
