/// What buyers do to stock on the eBay twin: a sale takes units off the published offer of the site
/// (its `availableQuantity` when set) and off the shared inventory item; a cancellation gives them back.
extension EbayTwinState {
    /// Takes `units` (negative: gives back) off `sku`'s published offer on `marketplace`; returns the
    /// offer's listing id. Refuses a sale beyond what the listing offers.
    func sell(sku: String, marketplace: String, units: Int) -> Result<String, EbayTwinErrors> {
        guard
            let offer = offers.values.sorted(by: { ($0.offerId ?? "") < ($1.offerId ?? "") })
                .first(where: { $0.sku == sku && $0.marketplaceId == marketplace && $0.status == "PUBLISHED" }),
            let id = offer.offerId
        else {
            return .failure(
                EbayTwinErrors([.userError("No published listing of \(sku) on \(marketplace).", field: "sku")])
            )
        }
        let item = items[sku]
        let sellable = Self.sellable(offer, item: item)
        guard units <= sellable else {
            return .failure(
                EbayTwinErrors([
                    .userError("\(sku) on \(marketplace) offers \(sellable), not \(units).", field: "quantity")
                ])
            )
        }
        if var stored = offers[id], let available = stored.availableQuantity {
            stored.availableQuantity = max(0, available - units)
            offers[id] = stored
        }
        if var stored = item {
            let quantity = Self.itemQuantity(stored)
            stored.availability = EbayTwinModel.Availability(
                shipToLocationAvailability: EbayTwinModel.ShipToLocationAvailability(quantity: max(0, quantity - units))
            )
            items[sku] = stored
        }
        return .success(offer.listing?.listingId ?? id)
    }
}
