import Foundation

/// What the Flipkart twin holds for one seller: listings by SKU (FSN, price, stock per location) and
/// Flipkart's checks of price and inventory updates.
///
/// Listings are created in Flipkart's Seller Hub, not through these calls. The twin behaves as if every
/// SKU had been onboarded with the FSN ``FlipkartTwin/fsn(for:)`` derives from it, unless the sandbox
/// registered the SKU with ``onboard(sku:title:)`` (which also gives it a title for the inspection view
/// and the `[REJECT]` hook).
actor FlipkartTwinState {
    struct Listing: Sendable, Hashable {
        var fsn: String
        var title: String?
        var mrp: String?
        var sellingPrice: String?
        var locations: [String: Int] = [:]
    }

    private(set) var listings: [String: Listing] = [:]
    /// SKUs per update call seen so far, to show batches never exceed 10.
    private(set) var batchSizes: [Int] = []
    let seed: UInt64

    init(seed: UInt64) {
        self.seed = seed
    }

    func onboard(sku: String, title: String?) {
        var listing = listings[sku] ?? Listing(fsn: FlipkartTwinModel.fsn(for: sku, seed: seed))
        listing.title = title
        listings[sku] = listing
    }

    func recordBatch(_ size: Int) {
        batchSizes.append(size)
    }

    /// The listing of `sku`, onboarding it on first sight when it is a valid SKU.
    func listing(sku: String) -> Listing? {
        if let listing = listings[sku] { return listing }
        guard FlipkartTwinModel.isValidSKU(sku) else { return nil }
        let listing = Listing(fsn: FlipkartTwinModel.fsn(for: sku, seed: seed))
        listings[sku] = listing
        return listing
    }

    /// One SKU of `update/price`.
    func updatePrice(sku: String, entry: FlipkartTwinModel.PriceEntry) -> FlipkartTwinModel.SKUStatus {
        var errors: [FlipkartTwinModel.ErrorEntry] = []
        guard var listing = check(sku: sku, productID: entry.productID, errors: &errors) else {
            return .failure(errors)
        }
        guard let price = entry.price else {
            return .failure([.error("MISSING_ATTRIBUTE", "price is required", attribute: "price")])
        }
        let mrp = FlipkartTwinModel.amount(price.mrp)
        let selling = FlipkartTwinModel.amount(price.sellingPrice)
        if price.mrp == nil { errors.append(.error("MISSING_ATTRIBUTE", "mrp is required", attribute: "mrp")) }
        if price.sellingPrice == nil {
            errors.append(.error("MISSING_ATTRIBUTE", "selling_price is required", attribute: "selling_price"))
        }
        if let value = price.mrp, mrp == nil || value <= 0 {
            errors.append(
                .error("INVALID_PRICE", "mrp must be a positive amount with at most 2 decimals", attribute: "mrp")
            )
        }
        if let value = price.sellingPrice, selling == nil || value <= 0 {
            errors.append(
                .error(
                    "INVALID_PRICE",
                    "selling_price must be a positive amount with at most 2 decimals",
                    attribute: "selling_price"
                )
            )
        }
        if let mrp = price.mrp, let selling = price.sellingPrice, selling > mrp {
            errors.append(
                .error("INVALID_PRICE", "selling_price cannot be greater than mrp", attribute: "selling_price")
            )
        }
        if price.currency != "INR" {
            errors.append(
                .error(
                    "INVALID_CURRENCY",
                    "currency \(price.currency ?? "(none)") is not supported; use INR",
                    attribute: "currency"
                )
            )
        }
        guard errors.isEmpty else { return .failure(errors) }
        listing.mrp = mrp
        listing.sellingPrice = selling
        listings[sku] = listing
        return .success
    }

    /// One SKU of `update/inventory`.
    func updateInventory(sku: String, entry: FlipkartTwinModel.InventoryEntry) -> FlipkartTwinModel.SKUStatus {
        var errors: [FlipkartTwinModel.ErrorEntry] = []
        guard var listing = check(sku: sku, productID: entry.productID, errors: &errors) else {
            return .failure(errors)
        }
        let locations = entry.locations ?? []
        if locations.isEmpty {
            errors.append(.error("MISSING_ATTRIBUTE", "locations is required", attribute: "locations"))
        }
        for location in locations {
            if (location.id ?? "").isEmpty {
                errors.append(.error("INVALID_LOCATION", "location id is required", attribute: "locations.id"))
            }
            guard let inventory = location.inventory else {
                errors.append(.error("MISSING_ATTRIBUTE", "inventory is required", attribute: "locations.inventory"))
                continue
            }
            if inventory < 0 {
                errors.append(
                    .error("INVALID_INVENTORY", "inventory cannot be negative", attribute: "locations.inventory")
                )
            }
        }
        guard errors.isEmpty else { return .failure(errors) }
        for location in locations { listing.locations[location.id ?? ""] = location.inventory }
        listings[sku] = listing
        return .success
    }

    /// The SKU's listing when `productID` is its FSN and it is not blocked; else the reason in `errors`.
    private func check(sku: String, productID: String?, errors: inout [FlipkartTwinModel.ErrorEntry]) -> Listing? {
        guard let productID, !productID.isEmpty else {
            errors.append(.error("MISSING_ATTRIBUTE", "product_id is required", attribute: "product_id"))
            return nil
        }
        guard let listing = listing(sku: sku) else {
            errors.append(.error("SKU_NOT_FOUND", "Listing not found for sku \(sku)", attribute: "sku"))
            return nil
        }
        guard listing.fsn == productID else {
            errors.append(
                .error(
                    "INVALID_PRODUCT_ID",
                    "product_id \(productID) is not valid for sku \(sku)",
                    attribute: "product_id"
                )
            )
            return nil
        }
        if let title = listing.title, title.contains(FlipkartTwinModel.rejectMarker) {
            errors.append(
                .error(
                    "LISTING_BLOCKED",
                    "Listing is blocked: the product failed Flipkart's quality check (prohibited content in title)",
                    attribute: "title"
                )
            )
            return nil
        }
        return listing
    }
}
