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
        /// Locations whose `status` is DISABLED: they sell nothing.
        var disabled: Set<String> = []
        /// `listing_status`: `ACTIVE` or `INACTIVE` (a Seller Hub edit, through the sandbox's tampering).
        var listingStatus = "ACTIVE"

        /// Units buyers can buy: the inventory of the ENABLED locations.
        var sellable: Int {
            locations.filter { !disabled.contains($0.key) }.values.reduce(0, +)
        }
    }

    /// Every listing by SKU (the stock and tamper extensions edit it).
    var listings: [String: Listing] = [:]
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

    /// One SKU of `update/price`: int32 prices, both present and positive, selling ≤ MRP, INR.
    func updatePrice(sku: String, entry: FlipkartTwinModel.PriceEntry) -> FlipkartTwinModel.SKUStatus {
        typealias Code = FlipkartTwinModel.Code
        var errors: [FlipkartTwinModel.ErrorEntry] = []
        guard var listing = check(sku: sku, productID: entry.productID, errors: &errors) else {
            return .failure(errors)
        }
        guard entry.hasPrice else {
            return .failure([.error(Code.missingAttribute, "price is required", attribute: "price")])
        }
        errors += entry.typeErrors
        let typeRefused = Set(entry.typeErrors.compactMap(\.path))
        if entry.mrp == nil, !typeRefused.contains("$.mrp") {
            errors.append(.error(Code.missingAttribute, "mrp is required", attribute: "mrp"))
        }
        if entry.sellingPrice == nil, !typeRefused.contains("$.selling_price") {
            errors.append(.error(Code.missingAttribute, "selling_price is required", attribute: "selling_price"))
        }
        if let mrp = entry.mrp, mrp <= 0 {
            errors.append(.error(Code.invalidPrice, "mrp must be greater than 0", attribute: "mrp"))
        }
        if let selling = entry.sellingPrice, selling <= 0 {
            errors.append(.error(Code.invalidPrice, "selling_price must be greater than 0", attribute: "selling_price"))
        }
        if let mrp = entry.mrp, let selling = entry.sellingPrice, selling > mrp {
            errors.append(
                .error(Code.invalidPrice, "selling_price cannot be greater than mrp", attribute: "selling_price")
            )
        }
        if entry.currency != "INR" {
            errors.append(
                .error(
                    Code.invalidCurrency,
                    "currency \(entry.currency ?? "(none)") is not supported; use INR",
                    attribute: "currency"
                )
            )
        }
        guard errors.isEmpty, let mrp = entry.mrp, let selling = entry.sellingPrice else { return .failure(errors) }
        listing.mrp = "\(mrp).00"
        listing.sellingPrice = "\(selling).00"
        listings[sku] = listing
        return .success
    }

    /// One SKU of `update/inventory`: every location needs `id`, `status` (ENABLED|DISABLED) and an
    /// int32 `inventory` ≥ 0. A DISABLED location sells nothing: its stock counts as 0.
    func updateInventory(sku: String, entry: FlipkartTwinModel.InventoryEntry) -> FlipkartTwinModel.SKUStatus {
        typealias Code = FlipkartTwinModel.Code
        var errors: [FlipkartTwinModel.ErrorEntry] = []
        guard var listing = check(sku: sku, productID: entry.productID, errors: &errors) else {
            return .failure(errors)
        }
        let locations = entry.locations ?? []
        if locations.isEmpty {
            errors.append(.error(Code.missingAttribute, "locations is required", attribute: "locations"))
        }
        var updates: [String: Int] = [:]
        for location in locations {
            let id = location.id ?? ""
            if id.isEmpty {
                errors.append(.error(Code.invalidLocation, "location id is required", attribute: "locations.id"))
            }
            switch location.status {
            case nil:
                errors.append(
                    .error(Code.missingAttribute, "locations.status is required", attribute: "locations.status")
                )
            case "ENABLED", "DISABLED":
                break
            case let other?:
                errors.append(
                    .error(
                        Code.invalidLocation,
                        "locations.status \(other) is not one of [ENABLED, DISABLED]",
                        attribute: "locations.status"
                    )
                )
            }
            guard let value = location.inventory else {
                errors.append(
                    .error(Code.missingAttribute, "inventory is required", attribute: "locations.inventory")
                )
                continue
            }
            guard let inventory = value.integerValue.flatMap(Int32.init(exactly:)) else {
                errors.append(
                    .error(
                        Code.invalidType,
                        "inventory must be an int32, got \(value.typeName)",
                        attribute: "locations.inventory"
                    )
                )
                continue
            }
            if inventory < 0 {
                errors.append(
                    .error(Code.invalidInventory, "inventory cannot be negative", attribute: "locations.inventory")
                )
            }
            updates[id] = location.status == "DISABLED" ? 0 : Int(inventory)
        }
        guard errors.isEmpty else { return .failure(errors) }
        listing.locations.merge(updates) { $1 }
        for location in locations {
            guard let id = location.id else { continue }
            if location.status == "DISABLED" { listing.disabled.insert(id) } else { listing.disabled.remove(id) }
        }
        listings[sku] = listing
        return .success
    }

    /// The SKU's listing when `productID` is its FSN and it is not blocked; else the reason in `errors`.
    private func check(sku: String, productID: String?, errors: inout [FlipkartTwinModel.ErrorEntry]) -> Listing? {
        guard let productID, !productID.isEmpty else {
            errors.append(
                .error(FlipkartTwinModel.Code.missingAttribute, "product_id is required", attribute: "product_id")
            )
            return nil
        }
        guard let listing = listing(sku: sku) else {
            errors.append(
                .error(FlipkartTwinModel.Code.skuNotFound, "Listing not found for sku \(sku)", attribute: "sku")
            )
            return nil
        }
        guard listing.fsn == productID else {
            errors.append(
                .error(
                    FlipkartTwinModel.Code.invalidProductID,
                    "product_id \(productID) is not valid for sku \(sku)",
                    attribute: "product_id"
                )
            )
            return nil
        }
        if let title = listing.title, title.contains(FlipkartTwinModel.rejectMarker) {
            errors.append(
                .error(
                    FlipkartTwinModel.Code.listingBlocked,
                    "Listing is blocked: the product failed Flipkart's quality check (prohibited content in title)",
                    attribute: "title"
                )
            )
            return nil
        }
        return listing
    }
}
