import Foundation

/// The JSON bodies of Shiprocket's external API as the adapter writes and reads them
/// (marketplace-apis.md §5; payloads from the Postman docs as mirrored by third parties, UNCONFIRMED).
enum ShiprocketWire {
    /// `POST /v1/external/auth/login` body.
    struct Login: Encodable {
        var email: String
        var password: String
    }

    /// `POST /v1/external/auth/login` answer.
    struct LoginResponse: Decodable {
        var token: String
    }

    /// `POST /v1/external/products` ("Add New Products") body: creates a product; the SKU must be new.
    struct Product: Codable, Hashable {
        var sku: String
        var name: String
        var type: String
        var qty: Int
        var categoryCode: String
        var hsn: String?
        /// Kilograms.
        var weight: Decimal?
        var mrp: Decimal
        var sellingPrice: Decimal
        var brand: String?
        var description: String?
        var imageURL: String?

        enum CodingKeys: String, CodingKey {
            case sku, name, type, qty, hsn, weight, mrp, brand, description
            case categoryCode = "category_code"
            case sellingPrice = "selling_price"
            case imageURL = "image_url"
        }
    }

    /// A product as Shiprocket lists it (only the fields the adapter reads).
    struct ListedProduct: Decodable {
        var id: Int
        var sku: String
    }

    /// `GET /v1/external/products?filter_by=sku&filter=&page=&per_page=` ("Get All Products") answer:
    /// one page of products and `meta.pagination` (`current_page`, `total_pages`).
    struct ProductList: Decodable {
        struct Pagination: Decodable {
            var currentPage: Int?
            var totalPages: Int?

            enum CodingKeys: String, CodingKey {
                case currentPage = "current_page"
                case totalPages = "total_pages"
            }
        }

        struct Meta: Decodable {
            var pagination: Pagination?
        }

        var data: [ListedProduct]
        var meta: Meta?
    }

    /// `POST /v1/external/products/import` ("Bulk Import Products") answer: the import's id.
    struct ImportAccepted: Decodable {
        var id: Int
    }

    /// `POST /v1/external/products` answer.
    struct ProductSaved: Decodable {
        var data: ListedProduct
    }

    /// `PUT /v1/external/inventory/{product_id}/update` body. `action` is always `replace`.
    struct InventoryUpdate: Encodable {
        var quantity: Int
        var action: String
    }

    /// Shiprocket's error body `{"message", "status_code", "errors": {field: [text]}}`.
    struct ErrorBody: Decodable {
        var message: String?
        var errors: [String: [String]]?
    }
}
