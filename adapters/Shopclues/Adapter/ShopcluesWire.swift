import Foundation

/// The JSON bodies of the Shopclues merchant API as the adapter writes and reads them.
///
/// The token request is documented (marketplace-apis.md §6 [SC-LOGIN]); the catalog update paths and
/// payloads are not (UNCONFIRMED) and follow the contract in this folder's README, which the twin serves.
enum ShopcluesWire {
    /// `POST /oauth/loginToken.php` body (password grant; the client-credentials grant leaves the user out).
    struct TokenRequest: Encodable {
        var grantType: String
        var clientID: String
        var clientSecret: String
        var username: String?
        /// The MD5 hex digest of the password.
        var password: String?

        enum CodingKeys: String, CodingKey {
            case username, password
            case grantType = "grant_type"
            case clientID = "client_id"
            case clientSecret = "client_secret"
        }
    }

    /// The token answer.
    struct TokenResponse: Decodable {
        var accessToken: String
        var expiresIn: Int?

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case expiresIn = "expires_in"
        }
    }

    /// One product of `POST /api/v1/product/update_price`.
    struct PriceLine: Encodable {
        var productSKU: String
        var productName: String
        var mrp: Decimal
        var sellingPrice: Decimal

        enum CodingKeys: String, CodingKey {
            case productSKU = "product_sku"
            case productName = "product_name"
            case mrp
            case sellingPrice = "selling_price"
        }
    }

    /// One product of `POST /api/v1/product/update_stock`.
    struct StockLine: Encodable {
        var productSKU: String
        var quantity: Int

        enum CodingKeys: String, CodingKey {
            case productSKU = "product_sku"
            case quantity
        }
    }

    /// The body of both update calls: `{"products": [...]}`.
    struct Batch<Line: Encodable>: Encodable {
        var products: [Line]
    }

    /// `{"code", "message"}`.
    struct ErrorDetail: Decodable {
        var code: String?
        var message: String?
    }

    /// The answer of both update calls: a result per product.
    struct BatchResult: Decodable {
        struct Line: Decodable {
            var productSKU: String
            var status: String
            var error: ErrorDetail?

            enum CodingKeys: String, CodingKey {
                case status, error
                case productSKU = "product_sku"
            }
        }

        var status: String
        var results: [Line]?
        var error: ErrorDetail?
    }
}
