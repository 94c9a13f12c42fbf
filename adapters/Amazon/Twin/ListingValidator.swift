import AmazonModel
import Foundation

/// Checks a listing's attributes the way Amazon's listing validation does, for the twin's small rule set.
///
/// Rules: `item_name` is required (except for `LISTING_OFFER_ONLY`) and `brand`, when given, must not be
/// empty; `purchasable_offer` and `fulfillment_availability` are optional, but when present the price
/// (`our_price[0].schedule[0].value_with_tax`) must be a positive number, the offer's currency must be
/// the marketplace's, and quantities must be whole numbers ≥ 0; every value's `marketplace_id` must be
/// one the request targets. A title containing `[REJECT]` is refused (the end-to-end test hook).
/// Full submissions (PUT, feed `UPDATE`) are also held to the official product type definition with the
/// `JSONSchema` module (``TwinProductTypes``, applied by ``ListingsStore``).
struct ListingValidator: Sendable {
    /// The marketplace the listing is for.
    var marketplace: AmazonMarketplace
    /// The marketplace ids the request targets (values naming any other are refused).
    var allowedMarketplaceIDs: Set<String>
    /// `LISTING`, `LISTING_PRODUCT_ONLY` or `LISTING_OFFER_ONLY`.
    var requirements = "LISTING"

    /// Every issue with `attributes`, empty when the listing is valid.
    func issues(in attributes: [String: TwinJSON]) -> [ListingIssue] {
        var issues: [ListingIssue] = []
        for name in attributes.keys.sorted() {
            guard let values = attributes[name]?.array, values.allSatisfy({ $0.object != nil }) else {
                issues.append(
                    .invalid(
                        ListingIssue.Code.malformedAttribute,
                        "The attribute '\(name)' must be an array of objects.",
                        attribute: name
                    )
                )
                continue
            }
            for value in values {
                if let id = value["marketplace_id"]?.string, !allowedMarketplaceIDs.contains(id) {
                    issues.append(
                        .invalid(
                            ListingIssue.Code.marketplaceMismatch,
                            "The value of '\(name)' is for marketplace '\(id)', but the request is for '"
                                + allowedMarketplaceIDs.sorted().joined(separator: ", ") + "'.",
                            attribute: name
                        )
                    )
                }
            }
        }
        if requirements != "LISTING_OFFER_ONLY", isEmptyText(attributes["item_name"]) {
            issues.append(.missing("item_name"))
        }
        if attributes["brand"] != nil, isEmptyText(attributes["brand"]) {
            issues.append(.missing("brand"))
        }
        if let title = attributes["item_name"]?[0]?["value"]?.string, title.contains("[REJECT]") {
            issues.append(
                .invalid(
                    ListingIssue.Code.prohibitedContent,
                    "The product title contains prohibited content: [REJECT].",
                    attribute: "item_name"
                )
            )
        }
        issues += offerIssues(attributes["purchasable_offer"]?.array ?? [])
        issues += quantityIssues(attributes["fulfillment_availability"]?.array ?? [])
        return issues
    }

    private func isEmptyText(_ attribute: TwinJSON?) -> Bool {
        guard let first = attribute?[0] else { return true }
        guard let text = first["value"]?.string else { return first["value"] == nil }
        return text.trimmingCharacters(in: .whitespaces).isEmpty
    }

    private func offerIssues(_ offers: [TwinJSON]) -> [ListingIssue] {
        var issues: [ListingIssue] = []
        for offer in offers where appliesHere(offer) {
            if let currency = offer["currency"]?.string, currency != marketplace.currency {
                issues.append(
                    .invalid(
                        ListingIssue.Code.currencyMismatch,
                        "The currency '\(currency)' of 'purchasable_offer' does not match the currency '"
                            + "\(marketplace.currency)' of marketplace '\(marketplace.id)'.",
                        attribute: "purchasable_offer"
                    )
                )
            }
            guard let price = offer["our_price"]?[0]?["schedule"]?[0]?["value_with_tax"] else { continue }
            guard let text = price.numberText, let amount = Decimal(string: text), amount > 0 else {
                let shown = price.numberText ?? price.serialized
                issues.append(
                    .invalid(
                        ListingIssue.Code.invalidPrice,
                        "The value '\(shown)' of 'purchasable_offer.our_price' is not valid: the price must be a "
                            + "number greater than 0.",
                        attribute: "purchasable_offer",
                        category: "INVALID_PRICE"
                    )
                )
                continue
            }
        }
        return issues
    }

    private func quantityIssues(_ availabilities: [TwinJSON]) -> [ListingIssue] {
        var issues: [ListingIssue] = []
        for availability in availabilities where appliesHere(availability) {
            guard let quantity = availability["quantity"] else { continue }
            if let count = quantity.integer, count >= 0 { continue }
            issues.append(
                .invalid(
                    ListingIssue.Code.invalidQuantity,
                    "The value '\(quantity.numberText ?? quantity.serialized)' of "
                        + "'fulfillment_availability.quantity' is not valid: it must be a whole number of 0 or more.",
                    attribute: "fulfillment_availability"
                )
            )
        }
        return issues
    }

    /// Whether a value object is for this validator's marketplace (or for every marketplace).
    private func appliesHere(_ value: TwinJSON) -> Bool {
        guard let id = value["marketplace_id"]?.string else { return true }
        return id == marketplace.id || !allowedMarketplaceIDs.contains(id)
    }
}
