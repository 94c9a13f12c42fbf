import Catalog
import Foundation

/// Flipkart's listings v3 request and response bodies (`../shared/specs/flipkart/update-price.md`,
/// `update-inventory.md`). Requests are written by hand: `mrp` and `selling_price` are `int32` whole
/// rupees (`1099`, never `1099.00` or `"1099"`), and every location carries its required `status`.
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

    /// One entry of `errors` (or `attribute_errors`) in a per-SKU status: Flipkart documents `code` as
    /// an `int32`. A string code (undocumented) is kept as text rather than failing the whole answer.
    struct ErrorEntry: Decodable, Hashable {
        var severity: String?
        var code: String?
        var description: String?
        var attribute: String?
        var path: String?

        enum CodingKeys: String, CodingKey {
            case severity, code, description, attribute, path
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            severity = try? container.decodeIfPresent(String.self, forKey: .severity)
            if let number = try? container.decodeIfPresent(Int32.self, forKey: .code) {
                code = String(number)
            } else {
                code = try? container.decodeIfPresent(String.self, forKey: .code)
            }
            description = try? container.decodeIfPresent(String.self, forKey: .description)
            attribute = try? container.decodeIfPresent(String.self, forKey: .attribute)
            path = try? container.decodeIfPresent(String.self, forKey: .path)
        }
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

    /// `money` as Flipkart's `int32` whole rupees, or `nil` when it is not INR, has paise, is not
    /// positive or does not fit an `int32`.
    static func wholeRupees(_ money: Money) -> Int32? {
        guard money.currency == .inr, money.minorUnits > 0, money.minorUnits % 100 == 0 else { return nil }
        return Int32(exactly: money.minorUnits / 100)
    }

    /// The `update/price` body: `{SKU: {product_id, price: {mrp, selling_price, currency: "INR"}}}`, prices
    /// as integer rupees.
    static func priceBody(_ entries: [(sku: String, productID: String, mrp: Int32, sellingPrice: Int32)]) -> [UInt8] {
        let members = entries.map { entry in
            "\(string(entry.sku)):{\"product_id\":\(string(entry.productID)),\"price\":{"
                + "\"mrp\":\(entry.mrp),\"selling_price\":\(entry.sellingPrice),\"currency\":\"INR\"}}"
        }
        return Array(("{" + members.joined(separator: ",") + "}").utf8)
    }

    /// The `update/inventory` body: `{SKU: {product_id, locations: [{id, status, inventory}]}}`;
    /// `status` is `ENABLED` or `DISABLED` (required by Flipkart).
    static func inventoryBody(
        _ entries: [(sku: String, productID: String, locationID: String, enabled: Bool, quantity: Int)]
    ) -> [UInt8] {
        let members = entries.map { entry in
            "\(string(entry.sku)):{\"product_id\":\(string(entry.productID)),\"locations\":[{"
                + "\"id\":\(string(entry.locationID)),\"status\":\"\(entry.enabled ? "ENABLED" : "DISABLED")\","
                + "\"inventory\":\(min(entry.quantity, Int(Int32.max)))}]}"
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
