import AmazonModel
import Catalog
import Foundation
import Sync

/// Builds the Listings Items API bodies of one channel: `ListingsItemPutRequest` and
/// `ListingsItemPatchRequest` (`listingsItems_2021-08-01.json`), and the attribute sets the feed reuses.
///
/// Text attributes carry the channel's `language_tag` and `marketplace_id`; the price is written from
/// `Money.amountString` as a raw JSON number (`24.99`, JPY `1780`), never through `Double`.
struct ListingsPayloadBuilder: Sendable {
    /// The product type when the catalog gives none.
    static let defaultProductType = "PRODUCT"
    /// Amazon allows a main image and eight others.
    static let maximumOtherImages = 8

    let marketplace: AmazonMarketplace
    /// The `language_tag` of text attributes (`de_DE`).
    let languageTag: String

    /// A builder for `marketplace`, tagging text with `language` (`de_DE` or `de-DE`) or the marketplace's
    /// default locale.
    init(marketplace: AmazonMarketplace, language: String?) {
        self.marketplace = marketplace
        let trimmed = language?.trimmingCharacters(in: .whitespaces) ?? ""
        languageTag = trimmed.isEmpty ? marketplace.defaultLocale : trimmed.replacingOccurrences(of: "-", with: "_")
    }

    /// The product type of `listing`.
    func productType(of listing: DesiredListing) -> String {
        guard let type = listing.content.productType?.trimmingCharacters(in: .whitespaces), !type.isEmpty else {
            return Self.defaultProductType
        }
        return type
    }

    /// `ListingsItemPutRequest`: every attribute, with the offer and the stock, so one PUT sends all facets.
    func putBody(for listing: DesiredListing) -> JSONValue {
        .object([
            ("productType", .string(productType(of: listing))),
            ("requirements", "LISTING"),
            ("attributes", attributes(for: listing)),
        ])
    }

    /// `ListingsItemPatchRequest` for the price and/or stock of `listing`, or `nil` when `facets` has neither.
    func patchBody(for listing: DesiredListing, facets: Set<Facet>) -> JSONValue? {
        let patches = self.patches(for: listing, facets: facets)
        guard !patches.isEmpty else { return nil }
        return .object([("productType", .string(productType(of: listing))), ("patches", .array(patches))])
    }

    /// The JSON Patch operations for the price (`replace /attributes/purchasable_offer`) and the stock
    /// (`merge /attributes/fulfillment_availability`) facets in `facets`.
    func patches(for listing: DesiredListing, facets: Set<Facet>) -> [JSONValue] {
        var patches: [JSONValue] = []
        if facets.contains(.price) {
            patches.append(
                .object([
                    ("op", "replace"), ("path", "/attributes/purchasable_offer"),
                    ("value", purchasableOffer(listing.price)),
                ])
            )
        }
        if facets.contains(.quantity) {
            patches.append(
                .object([
                    ("op", "merge"), ("path", "/attributes/fulfillment_availability"),
                    ("value", fulfillmentAvailability(listing.quantity)),
                ])
            )
        }
        return patches
    }

    /// The full attribute set of `listing` on this marketplace.
    func attributes(for listing: DesiredListing) -> JSONValue {
        let content = listing.content
        var members: [(String, JSONValue)] = [
            ("condition_type", [marketplaceValue(.string("new_new"))]),
            ("item_name", [text(content.title)]),
        ]
        if let brand = nonEmpty(content.brand) { members.append(("brand", [text(brand)])) }
        if let description = nonEmpty(content.description) {
            members.append(("product_description", [text(description)]))
        }
        let bullets = content.attributes.filter { $0.name.hasPrefix("bullet_point") }.compactMap { nonEmpty($0.value) }
        if !bullets.isEmpty { members.append(("bullet_point", .array(bullets.map(text)))) }
        if let origin = nonEmpty(content.originCountry) {
            members.append(("country_of_origin", [marketplaceValue(.string(origin.uppercased()))]))
        }
        for (index, url) in content.imageURLs.prefix(Self.maximumOtherImages + 1).enumerated() {
            let name = index == 0 ? "main_product_image_locator" : "other_product_image_locator_\(index)"
            members.append(
                (name, [.object([("media_location", .string(url)), ("marketplace_id", .string(marketplace.id))])])
            )
        }
        if let grams = content.weightGrams, grams > 0 {
            members.append(
                (
                    "item_weight",
                    [
                        .object([
                            ("value", .integer(grams)), ("unit", "grams"), ("marketplace_id", .string(marketplace.id)),
                        ])
                    ]
                )
            )
        }
        members.append(("purchasable_offer", purchasableOffer(listing.price)))
        members.append(("fulfillment_availability", fulfillmentAvailability(listing.quantity)))
        return .object(members)
    }

    /// `purchasable_offer`: marketplace, currency, audience `ALL` and the price with tax.
    func purchasableOffer(_ price: Money) -> JSONValue {
        let amount = JSONValue.number(price.amountString) ?? .rawNumber("0")
        let schedule: JSONValue = [.object([("value_with_tax", amount)])]
        return [
            .object([
                ("marketplace_id", .string(marketplace.id)),
                ("currency", .string(price.currency.code)),
                ("audience", "ALL"),
                ("our_price", [.object([("schedule", schedule)])]),
            ])
        ]
    }

    /// `fulfillment_availability` for merchant-fulfilled stock.
    func fulfillmentAvailability(_ quantity: Int) -> JSONValue {
        [.object([("fulfillment_channel_code", "DEFAULT"), ("quantity", .integer(max(0, quantity)))])]
    }

    /// A text attribute value in the channel's language on this marketplace.
    private func text(_ value: String) -> JSONValue {
        .object([
            ("value", .string(value)), ("language_tag", .string(languageTag)),
            ("marketplace_id", .string(marketplace.id)),
        ])
    }

    /// A language-neutral attribute value on this marketplace.
    private func marketplaceValue(_ value: JSONValue) -> JSONValue {
        .object([("value", value), ("marketplace_id", .string(marketplace.id))])
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
