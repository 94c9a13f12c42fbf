import AmazonModel
import Catalog
import Foundation
import Sync

/// Builds the Listings Items API bodies of one channel: `ListingsItemPutRequest` and
/// `ListingsItemPatchRequest` (`listingsItems_2021-08-01.json`), and the attribute sets the feed reuses.
///
/// A listing without an ASIN is a full `LISTING` with every attribute the `PRODUCT` definition requires
/// (``ListingAttributeSet``); with one (`asin` / `asin@<channel>`) it is an offer on that detail page,
/// `LISTING_OFFER_ONLY`. A listing Amazon has already is changed with a patch of the attributes
/// CatalogSync owns, never a PUT that would drop what was set elsewhere. Prices are written from
/// `Money.amountString` as a raw JSON number (`24.99`, JPY `1780`), never through `Double`.
struct ListingsPayloadBuilder: Sendable {
    /// The product type when neither the catalog nor the channel names one.
    static let defaultProductType = AmazonListingDefaults.defaultProductType
    /// Amazon allows a main image and eight others.
    static let maximumOtherImages = 8

    let marketplace: AmazonMarketplace
    /// The `language_tag` of text in the channel's language (`de_DE`).
    let languageTag: String
    /// The `language_tag` of text in the catalog's base language, English (`en_GB` on amazon-de).
    let englishTag: String
    /// The channel's shipping template and default product type.
    let defaults: AmazonListingDefaults

    /// A builder for `marketplace`, tagging translated text with `language` (`de_DE` or `de-DE`; a full
    /// tag, which ``AmazonAdapterFactory/check(account:channel:)`` enforces) or the marketplace's default
    /// locale, and untranslated text with the marketplace's English tag.
    init(marketplace: AmazonMarketplace, language: String?, defaults: AmazonListingDefaults = .init()) {
        self.marketplace = marketplace
        let trimmed = language?.trimmingCharacters(in: .whitespaces) ?? ""
        languageTag = trimmed.isEmpty ? marketplace.defaultLocale : trimmed.replacingOccurrences(of: "-", with: "_")
        englishTag = marketplace.englishLocale
        self.defaults = defaults
    }

    /// The product type of `listing`: its `amazon.product_type`, else the channel's `product_type`.
    func productType(of listing: DesiredListing) -> String {
        let type = attributeSet(for: listing).platformText("product_type")?.trimmingCharacters(in: .whitespaces)
        guard let type, !type.isEmpty else { return defaults.productType }
        return type
    }

    /// The requirements set the body is written for: `LISTING_OFFER_ONLY` with an ASIN, else `LISTING`.
    func requirements(of listing: DesiredListing) -> String {
        attributeSet(for: listing).isOfferOnly ? "LISTING_OFFER_ONLY" : "LISTING"
    }

    /// The attribute assembly of `listing` on this channel.
    func attributeSet(for listing: DesiredListing) -> ListingAttributeSet {
        ListingAttributeSet(listing: listing, builder: self)
    }

    /// `ListingsItemPutRequest`: every attribute, with the offer and the stock, so one PUT sends all facets.
    func putBody(for listing: DesiredListing) -> JSONValue {
        .object([
            ("productType", .string(productType(of: listing))),
            ("requirements", .string(requirements(of: listing))),
            ("attributes", attributes(for: listing)),
        ])
    }

    /// The attribute names the `PRODUCT` definition requires of `listing` that its body cannot fill
    /// (empty when it can fill all): what the catalog or the channel must add before Amazon would accept it.
    func missingAttributes(for listing: DesiredListing) -> [String] {
        attributeSet(for: listing).missingRequired
    }

    /// `ListingsItemPatchRequest` for `facets` of `listing`, or `nil` when `facets` names nothing to send.
    func patchBody(for listing: DesiredListing, facets: Set<Facet>) -> JSONValue? {
        let patches = self.patches(for: listing, facets: facets)
        guard !patches.isEmpty else { return nil }
        return .object([("productType", .string(productType(of: listing))), ("patches", .array(patches))])
    }

    /// The JSON Patch operations for `facets`: content replaces each attribute CatalogSync owns (one
    /// `replace` per attribute, so attributes set elsewhere stay); the price merges our `our_price` into the
    /// offer of this marketplace and currency (Amazon's "Manage purchasable offer": other audiences such as
    /// B2B and other sub-attributes such as a sale price or min/max prices stay); the stock merges into
    /// the `DEFAULT` fulfillment entry.
    func patches(for listing: DesiredListing, facets: Set<Facet>) -> [JSONValue] {
        var patches: [JSONValue] = []
        if facets.contains(.content) {
            for (name, value) in attributeSet(for: listing).contentAttributes() {
                patches.append(
                    .object([("op", "replace"), ("path", .string("/attributes/\(name)")), ("value", value)])
                )
            }
        }
        if facets.contains(.price) {
            patches.append(
                .object([
                    ("op", "merge"), ("path", "/attributes/purchasable_offer"),
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

    /// The full attribute set of `listing` on this marketplace (offer and stock included).
    func attributes(for listing: DesiredListing) -> JSONValue {
        .object(attributeSet(for: listing).allAttributes())
    }

    /// `purchasable_offer`: marketplace, currency and the price with tax. No `audience`: the PRODUCT
    /// definition has none, and an offer without one is the default audience (`ALL`).
    func purchasableOffer(_ price: Money) -> JSONValue {
        let amount = JSONValue.number(price.amountString) ?? .rawNumber("0")
        let schedule: JSONValue = [.object([("value_with_tax", amount)])]
        return [
            .object([
                ("marketplace_id", .string(marketplace.id)),
                ("currency", .string(price.currency.code)),
                ("our_price", [.object([("schedule", schedule)])]),
            ])
        ]
    }

    /// `fulfillment_availability` for merchant-fulfilled stock.
    func fulfillmentAvailability(_ quantity: Int) -> JSONValue {
        [.object([("fulfillment_channel_code", "DEFAULT"), ("quantity", .integer(max(0, quantity)))])]
    }

    /// The `language_tag` of text taken from translation `key` (`de`, `de_DE`), or of the catalog's plain
    /// (English) text when `key` is `nil`.
    func tag(forTranslation key: String?) -> String {
        key == nil ? englishTag : languageTag
    }
}
