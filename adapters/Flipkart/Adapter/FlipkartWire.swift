import Catalog
import Foundation

/// Flipkart's listings v3 request and response bodies. Requests are written by hand so prices go out
/// as exact JSON numbers (`1099.00`) with no floating point on the way.
enum FlipkartWire {
    /// The token endpoint's answer.
    struct TokenResponse: Decodable {
        var accessToken: String
        var expiresIn: Int?

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case expiresIn = "expires_in"
        }
    }

    /// One entry of `errors` in a per-SKU status.
    struct ErrorEntry: Decodable, Hashable {
        var severity: String?
        var code: String?
        var description: String?
        var attribute: String?
    }

    /// One SKU's status in an update answer: `SUCCESS`, `FAILURE` or `WARNING`.
    struct SKUStatus: Decodable, Hashable {
        var status: String?
        var errors: [ErrorEntry]?
        var attributeErrors: [ErrorEntry]?

        enum CodingKeys: String, CodingKey {
            case status, errors
            case attributeErrors = "attribute_errors"
        }
    }

    /// A call-level error answer (`{"errors": [...]}`).
    struct ErrorResponse: Decodable {
        var errors: [ErrorEntry]?
    }

    /// One listing of `GET /listings/v3/{skuIds}`.
    struct ListingSummary: Decodable {
        var productID: String?

        enum CodingKeys: String, CodingKey {
            case productID = "product_id"
        }
    }

    /// The answer of `GET /listings/v3/{skuIds}`.
    struct ListingsResponse: Decodable {
        var available: [String: ListingSummary]?
        var unavailable: [String]?
        var invalid: [String]?
    }

    /// The `update/price` body: `{SKU: {product_id, price: {mrp, selling_price, currency}}}`.
    static func priceBody(_ entries: [(sku: String, productID: String, mrp: Money, sellingPrice: Money)]) -> [UInt8] {
        let members = entries.map { entry in
            "\(string(entry.sku)):{\"product_id\":\(string(entry.productID)),\"price\":{"
                + "\"mrp\":\(entry.mrp.amountString),\"selling_price\":\(entry.sellingPrice.amountString),"
                + "\"currency\":\(string(entry.sellingPrice.currency.code))}}"
        }
        return Array(("{" + members.joined(separator: ",") + "}").utf8)
    }

    /// The `update/inventory` body: `{SKU: {product_id, locations: [{id, inventory}]}}`.
    static func inventoryBody(_ entries: [(sku: String, productID: String, locationID: String, quantity: Int)])
        -> [UInt8]
    {
        let members = entries.map { entry in
            "\(string(entry.sku)):{\"product_id\":\(string(entry.productID)),\"locations\":[{"
                + "\"id\":\(string(entry.locationID)),\"inventory\":\(entry.quantity)}]}"
        }
        return Array(("{" + members.joined(separator: ",") + "}").utf8)
    }

    /// `text` as a JSON string literal.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
