import Catalog
import Foundation
import ListingOracle

/// A generated export catalog: deterministic products, as CSV for import and as `Product` values for
/// computing what every channel should show.
struct TestCatalog {
    private(set) var products: [Product]

    /// `count` products `E2E-00001`…, with prices from 49.00 to about 5,000 INR, stock from 0 to 400,
    /// Hindi and German titles on some; SKUs listed in `rejected` get a title the twins refuse, those in
    /// `withoutHSCode` no HS code (not ready to ship with DHL Express).
    init(count: Int, rejected: Set<Int> = [], withoutHSCode: Set<Int> = []) {
        products = (1...count).map { index in
            let paise = 4_900 + (index * 7_919) % 495_000
            var product = Product(
                sku: SKU(trusted: String(format: "E2E-%05d", index)),
                title: rejected.contains(index) ? "Brass lamp [REJECT] \(index)" : "Moradabad brass lamp \(index)",
                price: Money(minorUnits: Int64(paise), currency: .inr),
                quantity: (index * 37) % 401,
                description: "Hand-made in Moradabad, item \(index).",
                brand: "ODOP Crafts",
                productType: "HOME",
                hsCode: withoutHSCode.contains(index) ? nil : "74199990",
                district: "Moradabad",
                weightGrams: 250 + index % 900
            )
            // What Amazon's PRODUCT definition needs of a new listing: an EAN-13 (even) or an identifier
            // exemption (odd), bullet points, a colour and an item type keyword.
            product.details = ProductDetails(
                gtin: index.isMultiple(of: 2) ? Self.ean13(index) : nil,
                identifierExemption: !index.isMultiple(of: 2),
                bulletPoints: ["Hand-made in Moradabad", "Solid brass, item \(index)"],
                color: "Gold",
                material: "brass",
                platformAttributes: ["amazon.item_type_keyword": "lamps"]
            )
            if rejected.contains(index) {
                // Refused everywhere: the twins reject "[REJECT]" titles, and Flipkart (whose updates
                // carry no title) refuses a selling price above the MRP. No translations, so every
                // channel shows the refused title.
                product.attributes["mrp"] = "1.00"
                return product
            }
            if index % 3 == 0 { product.translations["hi"] = .init(title: "मुरादाबाद पीतल दीपक \(index)") }
            if index % 4 == 0 { product.translations["de"] = .init(title: "Messinglampe aus Moradabad \(index)") }
            return product
        }
    }

    /// An EAN-13 in GS1 India's prefix 890 for product `index`: GS1 check digit (weights 3, 1, 3, … from
    /// the right).
    static func ean13(_ index: Int) -> String {
        let body = "8901234" + String(format: "%05d", index)
        let digits = body.compactMap(\.wholeNumberValue)
        let sum = digits.reversed().enumerated().reduce(0) { $0 + $1.element * ($1.offset.isMultiple(of: 2) ? 3 : 1) }
        return body + String((10 - sum % 10) % 10)
    }

    /// The products as the test oracle takes them: plain values.
    var oracleProducts: [ListingOracle.Product] {
        products.map { product in
            ListingOracle.Product(
                sku: product.sku.rawValue,
                title: product.title,
                basePriceMinorUnits: product.price.minorUnits,
                quantity: product.quantity,
                titleTranslations: product.translations.compactMapValues(\.title),
                channelPrices: product.channelPrices
            )
        }
    }

    /// Changes the price of the products at `indices` (0-based) by `deltaPaise`.
    mutating func changePrices(of indices: Range<Int>, by deltaPaise: Int64) {
        for index in indices { products[index].price.minorUnits += deltaPaise }
    }

    /// Sets the stock of the products at `indices` (0-based).
    mutating func setQuantity(of indices: Range<Int>, to quantity: Int) {
        for index in indices { products[index].quantity = quantity }
    }

    /// The products at `indices` as an import CSV (DESIGN §4.2).
    func csv(_ indices: Range<Int>? = nil) -> String {
        var lines = [
            "sku,title,price,quantity,description,brand,product_type,hs_code,district,weight_grams,title@hi,title@de,attributes,"
                + "gtin,identifier_exemption,bullet_points,color,material,amazon.item_type_keyword"
        ]
        for product in products[indices ?? products.indices] {
            let fields: [String] = [
                product.sku.rawValue, product.title, product.price.amountString, "\(product.quantity)",
                product.description ?? "", product.brand ?? "", product.productType ?? "", product.hsCode ?? "",
                product.district ?? "", product.weightGrams.map(String.init) ?? "",
                product.translations["hi"]?.title ?? "", product.translations["de"]?.title ?? "",
                product.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";"),
                product.details.gtin ?? "", product.details.identifierExemption ? "true" : "",
                product.details.bulletPoints.joined(separator: "|"), product.details.color ?? "",
                product.details.material ?? "", product.details.platformAttributes["amazon.item_type_keyword"] ?? "",
            ]
            lines.append(fields.map(Self.quoted).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
