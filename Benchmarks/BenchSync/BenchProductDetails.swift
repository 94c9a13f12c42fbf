import Catalog

extension ProductDetails {
    /// What Amazon's PRODUCT definition needs of a benchmark product's new listing (the adapter checks every
    /// body against it before sending): an identifier exemption, bullet points, a colour and an item type
    /// keyword.
    static let bench = ProductDetails(
        identifierExemption: true,
        bulletPoints: ["Hand-made by One District One Product artisans", "Packed for export"],
        color: "Multicolour",
        platformAttributes: ["amazon.item_type_keyword": "home-decor"]
    )
}
