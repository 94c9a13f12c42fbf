import Foundation

/// The Flipkart twin's wire types and helpers: listings v3 update bodies, per-SKU statuses, FSNs.
enum FlipkartTwinModel {
    /// What the title hook looks for: a listing whose title contains it is blocked.
    static let rejectMarker = "[REJECT]"

    struct Price: Decodable, Sendable {
        var mrp: Decimal?
        var sellingPrice: Decimal?
        var currency: String?

        enum CodingKeys: String, CodingKey {
            case mrp, currency
            case sellingPrice = "selling_price"
        }
    }

    /// One SKU of an `update/price` body.
    struct PriceEntry: Decodable, Sendable {
        var productID: String?
        var price: Price?

        enum CodingKeys: String, CodingKey {
            case price
            case productID = "product_id"
        }
    }

    struct Location: Decodable, Sendable {
        var id: String?
        var inventory: Int?
    }

    /// One SKU of an `update/inventory` body.
    struct InventoryEntry: Decodable, Sendable {
        var productID: String?
        var locations: [Location]?

        enum CodingKeys: String, CodingKey {
            case locations
            case productID = "product_id"
        }
    }

    /// Flipkart's error entry.
    struct ErrorEntry: Encodable, Sendable, Hashable {
        var severity: String
        var code: String
        var description: String
        var path: String?

        static func error(_ code: String, _ description: String, attribute: String? = nil) -> ErrorEntry {
            ErrorEntry(severity: "ERROR", code: code, description: description, path: attribute.map { "$.\($0)" })
        }
    }

    /// One SKU's status in an update answer.
    struct SKUStatus: Encodable, Sendable, Hashable {
        var status: String
        var errors: [ErrorEntry]
        var attributeErrors: [ErrorEntry] = []

        enum CodingKeys: String, CodingKey {
            case status, errors
            case attributeErrors = "attribute_errors"
        }

        static let success = SKUStatus(status: "SUCCESS", errors: [])

        static func failure(_ errors: [ErrorEntry]) -> SKUStatus {
            SKUStatus(status: "FAILURE", errors: errors)
        }
    }

    /// A call-level error answer.
    struct ErrorResponse: Encodable, Sendable {
        var errors: [ErrorEntry]
    }

    /// `amount` as a decimal string with exactly two fraction digits (`1499.50`), or `nil` when it has
    /// more than two or is not positive.
    static func amount(_ amount: Decimal?) -> String? {
        guard let amount, amount > 0 else { return nil }
        let text = NSDecimalNumber(decimal: amount).stringValue
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts[0].allSatisfy(\.isNumber) else { return nil }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= 2, fraction.allSatisfy(\.isNumber) else { return nil }
        return "\(parts[0]).\(fraction.padding(toLength: 2, withPad: "0", startingAt: 0))"
    }

    /// Whether `sku` is a SKU Flipkart accepts (1–40 of `A–Z a–z 0–9 . _ -`).
    static func isValidSKU(_ sku: String) -> Bool {
        !sku.isEmpty && sku.utf8.count <= 40
            && sku.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0))
            }
    }

    /// The FSN the twin gives `sku`: 16 upper-case letters and digits, stable for a seed.
    static func fsn(for sku: String, seed: UInt64) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for byte in sku.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var value = hash
        var out = ""
        for index in 0..<16 {
            if index == 8 { value = hash.byteSwapped &* 0x9E37_79B9_7F4A_7C15 }
            out.append(alphabet[Int(value % 36)])
            value /= 36
        }
        return out
    }
}
