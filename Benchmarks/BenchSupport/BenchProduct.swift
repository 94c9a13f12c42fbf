import Catalog

extension Product {
    /// A benchmark product that Amazon's PRODUCT definition accepts as a new listing (the adapter checks
    /// every body against it before sending, and holds what fails): a description, an identifier
    /// exemption, bullet points, a colour and an item type keyword beside the given fields.
    public static func bench(sku: String, title: String, paise: Int64, quantity: Int, hsCode: String) -> Product {
        var product = Product(
            sku: SKU(trusted: sku),
            title: title,
            price: Money(minorUnits: paise, currency: .inr),
            quantity: quantity,
            description: "Hand-made by One District One Product artisans in India.",
            brand: "ODOP Crafts",
            productType: "HOME",
            hsCode: hsCode
        )
        product.details = ProductDetails(
            identifierExemption: true,
            bulletPoints: ["Hand-made by One District One Product artisans", "Packed for export"],
            color: "Multicolour",
            platformAttributes: ["amazon.item_type_keyword": "home-decor"]
        )
        return product
    }
}
