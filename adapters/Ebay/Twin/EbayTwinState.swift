import Foundation
import TwinSupport

/// What the eBay twin holds for one seller: inventory items by SKU, offers by id, and eBay's checks.
///
/// The inventory item is shared by every marketplace (as on eBay); offers are per SKU and marketplace.
actor EbayTwinState {
    typealias ErrorDetail = EbayTwinModel.ErrorDetail

    var items: [String: EbayTwinModel.InventoryItem] = [:]
    var offers: [String: EbayTwinModel.Offer] = [:]
    /// Offers ever created, to show that retries never create duplicates.
    private(set) var offersCreated = 0
    private var nextOfferID = 5_000_000_001
    private var nextListingID = 110_000_000_001
    /// Entries per bulk call so far, by operation, in arrival order.
    private(set) var bulkSizes: [String: [Int]] = [:]
    /// Responses to lose after the change was stored, per operation (the "lost response" hook).
    private var lostResponses: [String: Int] = [:]
    /// The seller's business policies: id → marketplace.
    let policies: [String: String]

    init(policies: [String: String] = EbayTwin.sandboxPolicies) {
        self.policies = policies
    }

    /// Records a bulk call of `operation` with `size` entries.
    func recordBulk(_ operation: String, size: Int) {
        bulkSizes[operation, default: []].append(size)
    }

    /// Loses the next `count` responses of `operation` (`createOffer`, ...) after storing the change.
    func loseResponses(of operation: String, count: Int) {
        lostResponses[operation, default: 0] += count
    }

    /// Whether this response of `operation` is to be lost (and counts it).
    func takeLostResponse(_ operation: String) -> Bool {
        guard let left = lostResponses[operation], left > 0 else { return false }
        lostResponses[operation] = left - 1
        return true
    }

    /// `createOrReplaceInventoryItem`: the item's errors, or `[]` when it was stored.
    func replaceItem(sku: String, item: EbayTwinModel.InventoryItem) -> [ErrorDetail] {
        let errors = Self.validate(item: item)
        if errors.isEmpty {
            var stored = item
            stored.sku = sku
            items[sku] = stored
        }
        return errors
    }

    /// The offers of `sku`, optionally on one marketplace.
    func offers(sku: String, marketplace: String?) -> [EbayTwinModel.Offer] {
        offers.values.filter { $0.sku == sku && (marketplace == nil || $0.marketplaceId == marketplace) }
            .sorted { ($0.offerId ?? "") < ($1.offerId ?? "") }
    }

    /// `createOffer`: the new offer id, or eBay's errors.
    func createOffer(_ offer: EbayTwinModel.Offer) -> Result<String, EbayTwinErrors> {
        guard let sku = offer.sku, !sku.isEmpty else {
            return .failure(EbayTwinErrors([.userError("The SKU is missing.", field: "sku")]))
        }
        guard items[sku] != nil else {
            return .failure(
                EbayTwinErrors([.inventory(25702, "The SKU \(sku) could not be found.", parameters: ["0": sku])])
            )
        }
        guard offer.format == "FIXED_PRICE" || offer.format == "AUCTION" else {
            return .failure(EbayTwinErrors([.userError("A valid format is required.", field: "format")]))
        }
        if let existing = offers.values.first(where: { $0.sku == sku && $0.marketplaceId == offer.marketplaceId }) {
            return .failure(
                EbayTwinErrors([
                    .inventory(25002, "Offer entity already exists.", parameters: ["offerId": existing.offerId ?? ""])
                ])
            )
        }
        let errors = Self.validate(offer: offer)
        guard errors.isEmpty else { return .failure(EbayTwinErrors(errors)) }
        let id = String(nextOfferID)
        nextOfferID += 1
        offersCreated += 1
        var stored = offer
        stored.offerId = id
        stored.status = "UNPUBLISHED"
        offers[id] = stored
        return .success(id)
    }

    /// `updateOffer`: a full replacement of everything but sku, marketplace, format, status and listing.
    func updateOffer(id: String, with update: EbayTwinModel.Offer) -> [ErrorDetail]? {
        guard var offer = offers[id] else { return nil }
        var candidate = update
        candidate.sku = offer.sku
        candidate.marketplaceId = offer.marketplaceId
        let errors = Self.validate(offer: candidate)
        guard errors.isEmpty else { return errors }
        offer.availableQuantity = update.availableQuantity
        offer.categoryId = update.categoryId
        offer.listingDescription = update.listingDescription
        offer.listingDuration = update.listingDuration
        offer.listingPolicies = update.listingPolicies
        offer.merchantLocationKey = update.merchantLocationKey
        offer.pricingSummary = update.pricingSummary
        offers[id] = offer
        return []
    }

    /// `publishOffer`: the listing id, or what is missing to publish.
    func publish(id: String) -> Result<String, EbayTwinErrors>? {
        guard var offer = offers[id] else { return nil }
        guard let sku = offer.sku, let item = items[sku] else {
            return .failure(EbayTwinErrors([.inventory(25702, "The SKU could not be found.")]))
        }
        var errors = Self.validate(item: item)
        if (item.product?.description ?? "").isEmpty {
            errors.append(.userError("The item.Description is missing.", field: "description"))
        }
        if offer.categoryId == nil { errors.append(.userError("The categoryId is missing.", field: "categoryId")) }
        if offer.merchantLocationKey == nil {
            errors.append(
                .userError("No Item.Country exists. Add a merchantLocationKey.", field: "merchantLocationKey")
            )
        }
        let listingPolicies = offer.listingPolicies
        let named = [
            listingPolicies?.fulfillmentPolicyId, listingPolicies?.paymentPolicyId, listingPolicies?.returnPolicyId,
        ]
        if named.contains(where: { $0 == nil }) {
            errors.append(.userError("The listingPolicies are incomplete.", field: "listingPolicies"))
        }
        for id in named.compactMap({ $0 }) where policies[id] != offer.marketplaceId {
            errors.append(
                .inventory(25035, "The specified policy is not found for the market place", parameters: ["0": id])
            )
        }
        if offer.format == "FIXED_PRICE", offer.listingDuration != "GTC" {
            errors.append(
                .userError(
                    "For fixed-price listings, listingDuration must be set to GTC (got \(offer.listingDuration ?? "none")).",
                    field: "listingDuration"
                )
            )
        }
        errors += Self.quantityErrors(offer, item: item)
        guard errors.isEmpty else { return .failure(EbayTwinErrors(errors)) }
        if offer.listing?.listingId == nil {
            offer.listing = EbayTwinModel.Listing(listingId: String(nextListingID))
            nextListingID += 1
        }
        offer.status = "PUBLISHED"
        offers[id] = offer
        return .success(offer.listing?.listingId ?? "")
    }

    /// `withdrawOffer`: ends the listing; `nil` for an unknown offer.
    func withdraw(id: String) -> String? {
        guard var offer = offers[id] else { return nil }
        offer.status = "UNPUBLISHED"
        offers[id] = offer
        return offer.listing?.listingId ?? ""
    }

    /// Edits the offer of `sku` on `marketplace` as Seller Hub would (`POST /_sandbox/tamper`): a new
    /// price, an `availableQuantity` (the inventory item grows to hold it), a status (inactive:
    /// unpublished; suppressed: published but on hold; active: published). `nil` when there is no offer.
    func tamper(
        sku: String,
        marketplace: String,
        price: String?,
        quantity: Int?,
        status: ListingTamper.Status?
    ) -> EbayTwinModel.Offer? {
        guard var offer = offers.values.first(where: { $0.sku == sku && $0.marketplaceId == marketplace }),
            let id = offer.offerId
        else { return nil }
        if let price {
            offer.pricingSummary = .init(price: .init(value: price, currency: offer.pricingSummary?.price?.currency))
        }
        if let quantity {
            offer.availableQuantity = quantity
            if var item = items[sku], Self.itemQuantity(item) < quantity {
                item.availability = .init(shipToLocationAvailability: .init(quantity: quantity))
                items[sku] = item
            }
        }
        switch status {
        case .inactive: offer.status = "UNPUBLISHED"
        case .suppressed:
            offer.status = "PUBLISHED"
            offer.listing?.listingOnHold = true
        case .active:
            offer.status = "PUBLISHED"
            offer.listing?.listingOnHold = nil
        case nil: break
        }
        offers[id] = offer
        return offer
    }

    /// One SKU of `bulkUpdatePriceQuantity`: a status per offer.
    func updatePriceQuantity(_ request: EbayTwinModel.PriceQuantity) -> [EbayTwinModel.ItemStatus] {
        let sku = request.sku ?? ""
        guard var item = items[sku] else {
            return [.init(sku: sku, statusCode: 404, errors: [.inventory(25702, "The SKU \(sku) could not be found.")])]
        }
        if let quantity = request.shipToLocationAvailability?.quantity {
            guard quantity >= 0 else {
                return [.init(sku: sku, statusCode: 400, errors: [Self.negativeQuantity])]
            }
            item.availability = .init(shipToLocationAvailability: .init(quantity: quantity))
            items[sku] = item
        }
        return (request.offers ?? []).map { update in
            let id = update.offerId ?? ""
            guard var offer = offers[id], offer.sku == sku else {
                return .init(
                    sku: sku,
                    offerId: id,
                    statusCode: 404,
                    errors: [.inventory(25713, "This Offer is not available.")]
                )
            }
            // Published or not, the offer takes the new price and quantity (eBay documents no error
            // for an unpublished offer here; error 25760 is about auction quantities).
            var candidate = offer
            if let price = update.price { candidate.pricingSummary = .init(price: price) }
            if let quantity = update.availableQuantity { candidate.availableQuantity = quantity }
            let errors = Self.validate(offer: candidate) + Self.quantityErrors(candidate, item: items[sku])
            guard errors.isEmpty else { return .init(sku: sku, offerId: id, statusCode: 400, errors: errors) }
            offer = candidate
            offers[id] = offer
            return .init(sku: sku, offerId: id, statusCode: 200)
        }
    }

    static let negativeQuantity = ErrorDetail.userError("The quantity must be 0 or greater.", field: "quantity")

    /// The quantity of the inventory item (shared by every marketplace), 0 when it has none.
    static func itemQuantity(_ item: EbayTwinModel.InventoryItem?) -> Int {
        item?.availability?.shipToLocationAvailability?.quantity ?? 0
    }

    /// What buyers of `offer` can buy: its `availableQuantity` (the item's when unset), at most the
    /// inventory item's quantity.
    static func sellable(_ offer: EbayTwinModel.Offer, item: EbayTwinModel.InventoryItem?) -> Int {
        min(offer.availableQuantity ?? itemQuantity(item), itemQuantity(item))
    }

    /// An offer whose `availableQuantity` exceeds its inventory item's quantity (the item is shared by
    /// every marketplace; one site's offer cannot sell more than it holds).
    static func quantityErrors(_ offer: EbayTwinModel.Offer, item: EbayTwinModel.InventoryItem?) -> [ErrorDetail] {
        guard let available = offer.availableQuantity, available > itemQuantity(item) else { return [] }
        return [
            .userError(
                "The availableQuantity \(available) exceeds the inventory item's shipToLocationAvailability "
                    + "quantity \(itemQuantity(item)).",
                field: "availableQuantity"
            )
        ]
    }

    /// eBay's checks of an inventory item: a title of at most 80 characters, a quantity ≥ 0, and the
    /// sandbox's policy hook (a title containing `[REJECT]`).
    static func validate(item: EbayTwinModel.InventoryItem) -> [ErrorDetail] {
        var errors: [ErrorDetail] = []
        let title = item.product?.title ?? ""
        if title.isEmpty {
            errors.append(.userError("The item title is missing.", field: "product.title"))
        } else if title.count > 80 {
            errors.append(.userError("The title may not be longer than 80 characters.", field: "product.title"))
        }
        if title.contains(EbayTwinModel.rejectMarker) {
            errors.append(
                .inventory(
                    25019,
                    "The listing violates eBay's prohibited and restricted items policy and cannot be revised.",
                    parameters: ["0": "product.title"]
                )
            )
        }
        if let quantity = item.availability?.shipToLocationAvailability?.quantity, quantity < 0 {
            errors.append(negativeQuantity)
        }
        return errors
    }

    /// eBay's checks of an offer: a known marketplace, a positive price in its currency, quantity ≥ 0.
    static func validate(offer: EbayTwinModel.Offer) -> [ErrorDetail] {
        var errors: [ErrorDetail] = []
        guard let marketplace = offer.marketplaceId, let currency = EbayTwinModel.currencies[marketplace] else {
            return [.userError("The marketplaceId is missing or not valid.", field: "marketplaceId")]
        }
        if let price = offer.pricingSummary?.price {
            if !isPositiveDecimal(price.value) {
                errors.append(.userError("The price must be greater than 0.", field: "pricingSummary.price.value"))
            }
            if price.currency != currency {
                errors.append(
                    .userError(
                        "The currency \(price.currency ?? "(none)") is not valid for marketplace \(marketplace); use \(currency).",
                        field: "pricingSummary.price.currency"
                    )
                )
            }
        } else {
            errors.append(.userError("The price is missing.", field: "pricingSummary.price"))
        }
        if let quantity = offer.availableQuantity, quantity < 0 {
            errors.append(.userError("The availableQuantity must be 0 or greater.", field: "availableQuantity"))
        }
        return errors
    }

    /// Whether `text` is a plain decimal greater than zero (`"24.99"`).
    static func isPositiveDecimal(_ text: String?) -> Bool {
        guard let text, !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            text.filter({ $0 == "." }).count <= 1
        else { return false }
        return text.contains { $0.isNumber && $0 != "0" }
    }
}

/// A list of eBay errors carried as a `Result` failure.
struct EbayTwinErrors: Error, Sendable {
    var errors: [EbayTwinModel.ErrorDetail]

    init(_ errors: [EbayTwinModel.ErrorDetail]) {
        self.errors = errors
    }
}
