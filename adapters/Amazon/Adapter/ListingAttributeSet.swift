import AmazonModel
import Catalog
import Foundation
import Sync

/// The Amazon attributes of one listing on one channel, from the catalog's fields, its `amazon.<attribute>`
/// columns and the channel's defaults.
///
/// Without an ASIN: every attribute the `PRODUCT` definition requires (`product-type-PRODUCT.json`:
/// `required` and the `allOf` conditions — an identifier, and with a merchant-fulfilled offer,
/// `condition_type`, `fulfillment_availability` and `merchant_shipping_group`). With one: the offer on
/// that detail page (`merchant_suggested_asin`, condition, shipping group, offer, stock).
///
/// `amazon.<attribute>` values (`amazon.<attribute>@<channel>` wins on its channel): plain text becomes
/// `[{"value": text, "marketplace_id": …}]`, with `language_tag` for attributes written in a language
/// (English for a value without `@<channel>`, the channel's language for one with it); text starting
/// with `[` is the attribute's JSON array as Amazon's definition describes it, and gets `marketplace_id`
/// where an entry has none. Such a value replaces what the builder would derive for that attribute.
struct ListingAttributeSet {
    /// Attribute names whose values carry a `language_tag` (the `PRODUCT` definition's attributes with
    /// `language_tag` among their selectors, and `material` / `manufacturer` of other product types).
    static let languageTagged: Set<String> = [
        "item_name", "brand", "condition_note", "product_description", "bullet_point", "generic_keyword", "color",
        "safety_data_sheet_url", "material", "manufacturer",
    ]
    /// Attributes of the offer, the ones an offer-only (`LISTING_OFFER_ONLY`) body may carry.
    static let offerAttributes: Set<String> = [
        "merchant_suggested_asin", "condition_type", "condition_note", "merchant_shipping_group", "purchasable_offer",
        "fulfillment_availability", "list_price", "max_order_quantity", "merchant_release_date", "product_tax_code",
        "gift_options", "skip_offer", "main_offer_image_locator", "other_offer_image_locator_1",
        "other_offer_image_locator_2", "other_offer_image_locator_3", "other_offer_image_locator_4",
        "other_offer_image_locator_5",
    ]
    /// `amazon.<name>` columns that are no attribute (`product_type`) or whose attribute is a facet the
    /// builder writes itself (price, stock): never copied into the body.
    static let reserved: Set<String> = ["product_type", "purchasable_offer", "fulfillment_availability"]
    /// What the `PRODUCT` definition requires of a full listing, beside an identifier.
    static let requiredForListing = [
        "brand", "bullet_point", "color", "condition_type", "country_of_origin", "fulfillment_availability",
        "item_name", "item_type_keyword", "merchant_shipping_group", "product_description",
        "supplier_declared_dg_hz_regulation",
    ]
    /// What an offer on an existing ASIN needs.
    static let requiredForOffer = [
        "condition_type", "fulfillment_availability", "merchant_shipping_group", "merchant_suggested_asin",
        "purchasable_offer",
    ]
    /// Catalog fields that are attributes of most product types but not of `PRODUCT`.
    static let absentFromPRODUCT: Set<String> = ["material", "manufacturer", "part_number"]

    let listing: DesiredListing
    let builder: ListingsPayloadBuilder
    /// The channel's `amazon.*` values by attribute name, and whether each came from `@<channel>`.
    private let platform: [String: (value: String, channelSpecific: Bool)]

    init(listing: DesiredListing, builder: ListingsPayloadBuilder) {
        self.listing = listing
        self.builder = builder
        var platform: [String: (value: String, channelSpecific: Bool)] = [:]
        let suffix = "@" + listing.channel
        for (key, value) in listing.content.details.platformAttributes where key.hasPrefix("amazon.") {
            let name = key.dropFirst("amazon.".count)
            if let at = name.firstIndex(of: "@") {
                guard name.hasSuffix(suffix) else { continue }
                platform[String(name[..<at])] = (value, true)
            } else if platform[String(name)] == nil {
                platform[String(name)] = (value, false)
            }
        }
        self.platform = platform
    }

    private var content: ListingContent { listing.content }
    private var marketplaceID: String { builder.marketplace.id }

    /// The `amazon.<name>` text of this channel, if any.
    func platformText(_ name: String) -> String? { platform[name]?.value }

    /// Whether the listing is an offer on an existing detail page.
    var isOfferOnly: Bool { content.details.asin != nil }

    /// Every attribute but the offer's price and the stock (the content facet), derived fields first,
    /// then the `amazon.*` values (replacing a derived attribute of the same name).
    func contentAttributes() -> [(String, JSONValue)] {
        var members = isOfferOnly ? offerContent() : listingContent()
        for (name, entry) in platform.sorted(by: { $0.key < $1.key }) where !Self.reserved.contains(name) {
            if isOfferOnly && !Self.offerAttributes.contains(name) { continue }
            let value = platformValue(name: name, text: entry.value, channelSpecific: entry.channelSpecific)
            if let index = members.firstIndex(where: { $0.0 == name }) {
                members[index].1 = value
            } else {
                members.append((name, value))
            }
        }
        return members
    }

    /// The whole body's attributes: the content, then `purchasable_offer` and `fulfillment_availability`.
    func allAttributes() -> [(String, JSONValue)] {
        contentAttributes() + [
            ("purchasable_offer", builder.purchasableOffer(listing.price)),
            ("fulfillment_availability", builder.fulfillmentAvailability(listing.quantity)),
        ]
    }

    /// The required attributes the body lacks (see ``ListingsPayloadBuilder/missingAttributes(for:)``).
    var missingRequired: [String] {
        let present = Set(allAttributes().filter { !($0.1.isEmptyArray) }.map(\.0))
        let required = isOfferOnly ? Self.requiredForOffer : Self.requiredForListing
        var missing = required.filter { !present.contains($0) }
        let identified =
            present.contains("externally_assigned_product_identifier")
            || present.contains("merchant_suggested_asin")
            || present.contains("supplier_declared_has_product_identifier_exemption")
        if !isOfferOnly && !identified { missing.append("externally_assigned_product_identifier") }
        return missing.sorted()
    }

    /// The offer of an offer-only body, without price and stock.
    private func offerContent() -> [(String, JSONValue)] {
        [
            ("merchant_suggested_asin", [plain(.string(content.details.asin ?? ""))]),
            ("condition_type", [plain(.string(content.details.condition.rawValue))]),
            ("merchant_shipping_group", [plain(.string(builder.defaults.merchantShippingGroup))]),
        ]
    }

    /// A full listing's attributes, without price and stock.
    private func listingContent() -> [(String, JSONValue)] {
        let details = content.details
        let titleTag = builder.tag(forTranslation: content.language)
        var members: [(String, JSONValue)] = [("item_name", [text(content.title, tag: titleTag)])]
        if let brand = nonEmpty(content.brand) { members.append(("brand", [text(brand, tag: titleTag)])) }
        if let description = nonEmpty(content.description) {
            let tag = builder.tag(forTranslation: content.descriptionLanguage)
            members.append(("product_description", [text(description, tag: tag)]))
        }
        let bullets = details.bulletPoints.compactMap(nonEmpty)
        if !bullets.isEmpty {
            let tag = builder.tag(forTranslation: content.bulletLanguage)
            members.append(("bullet_point", .array(bullets.map { text($0, tag: tag) })))
        }
        if let color = nonEmpty(details.color) { members.append(("color", [text(color, tag: builder.englishTag)])) }
        if let origin = nonEmpty(content.originCountry) {
            members.append(("country_of_origin", [plain(.string(origin.uppercased()))]))
        }
        members.append(("supplier_declared_dg_hz_regulation", [plain(.string(details.dangerousGoods.rawValue))]))
        if let gtin = details.gtin {
            members.append(
                (
                    "externally_assigned_product_identifier",
                    [
                        .object([
                            ("type", .string(Self.identifierType(of: gtin))), ("value", .string(gtin)),
                            ("marketplace_id", .string(marketplaceID)),
                        ])
                    ]
                )
            )
        } else if details.identifierExemption {
            members.append(("supplier_declared_has_product_identifier_exemption", [plain(.bool(true))]))
        }
        members.append(("condition_type", [plain(.string(details.condition.rawValue))]))
        members.append(("merchant_shipping_group", [plain(.string(builder.defaults.merchantShippingGroup))]))
        for (index, url) in content.imageURLs.prefix(ListingsPayloadBuilder.maximumOtherImages + 1).enumerated() {
            let name = index == 0 ? "main_product_image_locator" : "other_product_image_locator_\(index)"
            members.append(
                (name, [.object([("media_location", .string(url)), ("marketplace_id", .string(marketplaceID))])])
            )
        }
        if let grams = content.weightGrams, grams > 0 {
            let weight: JSONValue = .object([
                ("value", .integer(grams)), ("unit", "grams"), ("marketplace_id", .string(marketplaceID)),
            ])
            members.append(("item_weight", [weight]))
        }
        if builder.productType(of: listing) != ListingsPayloadBuilder.defaultProductType {
            if let material = nonEmpty(details.material) {
                members.append(("material", [text(material, tag: builder.englishTag)]))
            }
            if let manufacturer = nonEmpty(details.manufacturer) {
                members.append(("manufacturer", [text(manufacturer, tag: builder.englishTag)]))
            }
            if let part = nonEmpty(details.partNumber) { members.append(("part_number", [plain(.string(part))])) }
        }
        return members
    }

    /// `externally_assigned_product_identifier.type` of a GTIN by its length: UPC-A `upc`, EAN-13 and
    /// EAN-8 `ean`, GTIN-14 `gtin`.
    static func identifierType(of gtin: String) -> String {
        switch gtin.utf8.count {
        case 12: "upc"
        case 14: "gtin"
        default: "ean"
        }
    }

    /// The JSON of `amazon.<name>` = `text` (see the type's documentation).
    private func platformValue(name: String, text value: String, channelSpecific: Bool) -> JSONValue {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("["), let parsed = JSONValue.parse(trimmed), case .array(let entries) = parsed {
            return .array(
                entries.map { entry in
                    guard case .object(let fields) = entry, !fields.contains(where: { $0.0 == "marketplace_id" }) else {
                        return entry
                    }
                    return .object(fields + [("marketplace_id", .string(marketplaceID))])
                }
            )
        }
        guard Self.languageTagged.contains(name) else { return [plain(.string(value))] }
        return [text(value, tag: channelSpecific ? builder.languageTag : builder.englishTag)]
    }

    /// A text value in language `tag` on this marketplace.
    private func text(_ value: String, tag: String) -> JSONValue {
        .object([("value", .string(value)), ("language_tag", .string(tag)), ("marketplace_id", .string(marketplaceID))])
    }

    /// A language-neutral value on this marketplace.
    private func plain(_ value: JSONValue) -> JSONValue {
        .object([("value", value), ("marketplace_id", .string(marketplaceID))])
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
