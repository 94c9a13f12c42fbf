import Catalog
import ControlAPI
import Foundation

/// A stored product written back as the import contract's JSON object (DESIGN §4.2), for
/// `product set`: prices as decimal strings (never a binary float), `price@<channel>` keys.
enum ImportObject {
    /// The JSON of `product`; `price` (as typed by the user) replaces its price when given.
    static func json(_ product: Product, price: String?) throws -> [UInt8] {
        var object: [String: Any] = [
            "sku": product.sku.rawValue,
            "title": product.title,
            "price": price ?? product.price.amountString,
            "quantity": product.quantity,
            "origin_country": product.originCountry,
            "image_urls": product.imageURLs,
            "attributes": product.attributes,
        ]
        object["description"] = product.description
        object["brand"] = product.brand
        object["product_type"] = product.productType
        object["hs_code"] = product.hsCode
        object["district"] = product.district
        object["weight_grams"] = product.weightGrams
        object["channels"] = product.channels
        if !product.translations.isEmpty {
            object["translations"] = product.translations.mapValues { text in
                var fields: [String: Any] = [:]
                fields["title"] = text.title
                fields["description"] = text.description
                return fields
            }
        }
        for (channel, fixed) in product.channelPrices { object["price@\(channel)"] = "\(fixed)" }
        let details = product.details
        object["gtin"] = details.gtin
        if details.identifierExemption { object["identifier_exemption"] = true }
        object["asin"] = details.asin
        for (channel, asin) in details.asinsByChannel { object["asin@\(channel)"] = asin }
        if !details.bulletPoints.isEmpty { object["bullet_points"] = details.bulletPoints }
        for (language, bullets) in details.translatedBulletPoints { object["bullet_points@\(language)"] = bullets }
        object["color"] = details.color
        object["material"] = details.material
        object["manufacturer"] = details.manufacturer
        object["part_number"] = details.partNumber
        object["condition"] = details.condition.rawValue
        object["dangerous_goods"] = details.dangerousGoods.rawValue
        for (key, value) in details.platformAttributes { object[key] = value }
        return Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }
}
