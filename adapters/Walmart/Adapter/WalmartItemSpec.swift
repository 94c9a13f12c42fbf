import Catalog
import Foundation
import Sync

/// What Walmart's item setup spec (`MP_ITEM`, 5.0) needs that the catalog does not say directly: the
/// spec version and header, the product identifier, and the Walmart category of a product type.
///
/// Sources: Walmart's "Item spec: versioning and diff reporting" (MP_ITEM recommended version
/// 5.0.20250828-17_32_59) and "Item setup schema key points" (MPItemFeedHeader; MPItem with `Orderable`,
/// carrying the primary identifier, and `Visible` per product type). The 5.0 JSON schema itself is a
/// download no public repository holds (`../shared/specs/README.md`); the attribute names used here are
/// UNCONFIRMED against it (see the README's "Verified against").
public enum WalmartItemSpec {
    /// The `MPItemFeedHeader.version` sent (Walmart's recommended 5.0 release).
    public static let version = "5.0.20250828-17_32_59"
    /// The header of every item feed: Walmart US, English, spec 5.0, external (seller) subset.
    static let header = WalmartWire.ItemFeed.Header(
        businessUnit: "WALMART_US",
        locale: "en",
        version: version,
        subset: "EXTERNAL"
    )

    // MARK: - Product identifier

    /// Why an item cannot be set up, in words for the dead-letter list.
    static func refusal(_ code: String, _ message: String, field: String) -> ListingOutcome {
        .rejected(issues: [MarketplaceIssue(code: code, message: message, attributeNames: [field])])
    }

    /// The product's own identifier: the catalog's `gtin` column (check digit verified at import), else
    /// — for catalogs written before that column — the attribute `gtin` (8, 12, 13 or 14 digits) or,
    /// failing that, `upc` (12 digits).
    static func catalogIdentifier(of content: ListingContent) -> (kind: String, digits: String)? {
        if let gtin = content.details.gtin { return ("GTIN", gtin) }
        for (name, kind) in [("gtin", "GTIN"), ("upc", "UPC")] {
            if let value = content.attributes.first(where: { $0.name == name })?.value, !value.isEmpty {
                return (kind, value.trimmingCharacters(in: .whitespaces))
            }
        }
        return nil
    }

    /// The `productIdentifiers` of `listing`: a GTIN as GTIN-14 (zero-padded), a UPC as 12 digits, each
    /// with a valid check digit. `derivedFromSKU` (sandbox accounts only, see the factory) makes a
    /// deterministic GTIN-14 from the SKU when the product has none.
    static func identifier(for listing: DesiredListing, derivedFromSKU: Bool) -> Result<
        WalmartWire.ItemFeed.ProductIdentifier, ListingOutcomeBox
    > {
        guard let (kind, digits) = catalogIdentifier(of: listing.content) else {
            if derivedFromSKU {
                return .success(.init(productIdType: "GTIN", productId: derivedGTIN(listing.sku.rawValue)))
            }
            return .failure(
                ListingOutcomeBox(
                    outcome: refusal(
                        "MISSING_PRODUCT_ID",
                        "Walmart needs a product identifier (GTIN or UPC) to set up an item: give \(listing.sku) a gtin (or upc) attribute",
                        field: "productIdentifiers"
                    )
                )
            )
        }
        let lengths = kind == "UPC" ? [12] : [8, 12, 13, 14]
        guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), lengths.contains(digits.count),
            hasValidCheckDigit(digits)
        else {
            return .failure(
                ListingOutcomeBox(
                    outcome: refusal(
                        "INVALID_PRODUCT_ID",
                        "\(kind.lowercased()) \"\(digits)\" of \(listing.sku) is not a valid \(kind) (\(lengths.map(String.init).joined(separator: ", ")) digits with its check digit)",
                        field: "productIdentifiers"
                    )
                )
            )
        }
        let id = kind == "GTIN" ? String(repeating: "0", count: 14 - digits.count) + digits : digits
        return .success(.init(productIdType: kind, productId: id))
    }

    /// Whether the last digit of `digits` is the GS1 mod-10 check digit of the others.
    public static func hasValidCheckDigit(_ digits: String) -> Bool {
        let values = digits.compactMap(\.wholeNumberValue)
        guard values.count == digits.count, let check = values.last else { return false }
        return checkDigit(Array(values.dropLast())) == check
    }

    /// The GS1 check digit of `body` (weights 3, 1, 3, … from the right).
    static func checkDigit(_ body: [Int]) -> Int {
        let sum = body.reversed().enumerated().reduce(0) { $0 + $1.element * ($1.offset % 2 == 0 ? 3 : 1) }
        return (10 - sum % 10) % 10
    }

    /// A stable GTIN-14 for `sku` (prefix `0890`, India's GS1 range, then 9 digits of an FNV-1a hash):
    /// for sandbox catalogs without identifiers; never valid at Walmart.
    static func derivedGTIN(_ sku: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sku.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let body = "0890" + String(format: "%09llu", hash % 1_000_000_000)
        return body + String(checkDigit(body.compactMap(\.wholeNumberValue)))
    }
}

/// A refusal carried through `Result` (``Sync/ListingOutcome`` is not an `Error`).
struct ListingOutcomeBox: Error {
    var outcome: ListingOutcome
}
