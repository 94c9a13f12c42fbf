import Catalog
import Foundation
import Sync

/// The Walmart category (the `Visible` key of an `MP_ITEM` item: a Walmart product type such as `Home
/// Decor`) of each catalog product type, per channel.
///
/// Written in the channel's `categories` key as `PRODUCT_TYPE=Walmart category` pairs separated by `;`,
/// with `*` for every product type not listed: `categories = "HOME_DECOR=Home Decor;FOOD=Food;*=Home
/// Decor"`. A product type with no entry and no `*` is refused with a reason naming the key, never sent
/// under the catalog's own product type name.
public struct WalmartCategoryMap: Sendable, Hashable {
    /// Catalog product type (as written, case-insensitive) to Walmart category.
    public var categories: [String: String]
    /// The category of product types not listed (`*`), if any.
    public var fallback: String?

    /// An empty map: every product is refused until the channel maps its product type.
    public init(categories: [String: String] = [:], fallback: String? = nil) {
        self.categories = Dictionary(categories.map { ($0.key.uppercased(), $0.value) }, uniquingKeysWith: { $1 })
        self.fallback = fallback
    }

    /// Parses the channel key's text; `nil` (with the reason) when an entry is not `TYPE=Category`.
    public static func parse(_ text: String) -> Result<WalmartCategoryMap, AdapterError> {
        var map = WalmartCategoryMap()
        for entry in text.split(separator: ";") {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                return .failure(
                    .configuration(
                        key: "categories",
                        message: "\"\(entry)\" is not PRODUCT_TYPE=Walmart category (entries separated by ;)"
                    )
                )
            }
            if parts[0] == "*" {
                map.fallback = parts[1]
            } else {
                map.categories[parts[0].uppercased()] = parts[1]
            }
        }
        return .success(map)
    }

    /// The Walmart category of `productType`, or `nil` when the channel maps none.
    public func category(for productType: String?) -> String? {
        productType.flatMap { categories[$0.uppercased()] } ?? fallback
    }

    /// The category of `listing`, or the refusal naming what to configure.
    func category(of listing: DesiredListing) -> Result<String, ListingOutcomeBox> {
        if let category = category(for: listing.content.productType) { return .success(category) }
        let type = listing.content.productType ?? "(none)"
        return .failure(
            ListingOutcomeBox(
                outcome: WalmartItemSpec.refusal(
                    "NO_WALMART_CATEGORY",
                    "no Walmart category for product type \(type) of \(listing.sku) on channel \(listing.channel): add \(type)=<Walmart category> (or *=<category>) to the channel's categories",
                    field: "Visible"
                )
            )
        )
    }
}
