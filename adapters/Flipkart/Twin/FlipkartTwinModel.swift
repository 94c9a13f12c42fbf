import Foundation
import TwinSupport

/// The Flipkart twin's wire types and helpers: listings v3 update bodies, per-SKU statuses, FSNs.
enum FlipkartTwinModel {
    /// What the title hook looks for: a listing whose title contains it is blocked.
    static let rejectMarker = "[REJECT]"

    /// The error codes the twin answers with. Flipkart documents `code` as an `int32` but publishes no
    /// table of values, so these numbers are the twin's own (unconfirmed); what matters is their type.
    enum Code {
        static let invalidRequest: Int32 = 400_100
        static let missingAttribute: Int32 = 400_101
        static let invalidType: Int32 = 400_102
        static let invalidPrice: Int32 = 400_103
        static let invalidCurrency: Int32 = 400_104
        static let invalidLocation: Int32 = 400_105
        static let invalidInventory: Int32 = 400_106
        static let skuNotFound: Int32 = 404_101
        static let invalidProductID: Int32 = 400_107
        static let listingBlocked: Int32 = 403_101
        static let rateLimited: Int32 = 429_100
        /// A shipments search Flipkart would refuse (unknown type, missing states, bad dates, page size).
        static let invalidFilter: Int32 = 400_110
    }

    /// One SKU of an `update/price` body, read strictly from the raw JSON: `mrp` and `selling_price`
    /// must be JSON integer literals that fit an `int32` (Flipkart's type), so `1099.00` and `"1099"`
    /// are refused.
    struct PriceEntry: Sendable {
        var productID: String?
        var hasPrice: Bool
        var mrp: Int32?
        var sellingPrice: Int32?
        var currency: String?
        /// Fields present with the wrong type, refused with ``Code/invalidType``.
        var typeErrors: [ErrorEntry]

        init(_ json: JSONValue) {
            productID = json["product_id"]?.stringValue
            let price = json["price"]
            hasPrice = price?.objectValue != nil
            var errors: [ErrorEntry] = []
            func int32(_ name: String) -> Int32? {
                guard let value = price?[name] else { return nil }
                guard let number = value.integerValue.flatMap(Int32.init(exactly:)) else {
                    errors.append(
                        .error(
                            Code.invalidType,
                            "\(name) must be an int32 (whole rupees), got \(value.typeName)",
                            attribute: name
                        )
                    )
                    return nil
                }
                return number
            }
            mrp = int32("mrp")
            sellingPrice = int32("selling_price")
            currency = price?["currency"]?.stringValue
            typeErrors = errors
        }
    }

    struct Location: Sendable {
        var id: String?
        var status: String?
        var inventory: JSONValue?
    }

    /// One SKU of an `update/inventory` body: each location needs `id` and `status` (ENABLED|DISABLED);
    /// `inventory` is an `int32`.
    struct InventoryEntry: Sendable {
        var productID: String?
        var locations: [Location]?

        init(_ json: JSONValue) {
            productID = json["product_id"]?.stringValue
            locations = json["locations"]?.arrayValue?.map {
                Location(id: $0["id"]?.stringValue, status: $0["status"]?.stringValue, inventory: $0["inventory"])
            }
        }
    }

    /// Flipkart's error entry: `code` is an `int32`, as the listings v3 pages document.
    struct ErrorEntry: Encodable, Sendable, Hashable {
        var severity: String
        var code: Int32
        var description: String
        var path: String?

        static func error(_ code: Int32, _ description: String, attribute: String? = nil) -> ErrorEntry {
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
