import Foundation

/// The JSON bodies of the Shopclues merchant API as the adapter writes and reads them.
///
/// The token request and answer are documented (marketplace-apis.md §6 [SC-LOGIN]). Every other shape
/// here is UNCONFIRMED — Shopclues publishes no catalog payloads — and follows the contract in this
/// folder's README, which the twin serves; the paths and limits are in ``ShopcluesContract``.
enum ShopcluesWire {
    /// Documented: `POST /oauth/loginToken.php` body of the password grant.
    struct TokenRequest: Encodable {
        var grantType: String
        var clientID: String
        var clientSecret: String
        var username: String
        /// The MD5 hex digest of the password.
        var password: String

        enum CodingKeys: String, CodingKey {
            case username, password
            case grantType = "grant_type"
            case clientID = "client_id"
            case clientSecret = "client_secret"
        }
    }

    /// Documented: the token answer.
    struct TokenResponse: Decodable {
        var accessToken: String
        var expiresIn: Int?

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case expiresIn = "expires_in"
        }
    }

    /// UNCONFIRMED: one product of the price update (``ShopcluesContract/updatePricePath``).
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

    /// UNCONFIRMED: one product of the stock update (``ShopcluesContract/updateStockPath``).
    struct StockLine: Encodable {
        var productSKU: String
        var quantity: Int

        enum CodingKeys: String, CodingKey {
            case productSKU = "product_sku"
            case quantity
        }
    }

    /// UNCONFIRMED: the body of both update calls, `{"products": [...]}`.
    struct Batch<Line: Encodable>: Encodable {
        var products: [Line]
    }

    /// UNCONFIRMED: an error, `{"code", "message"}`.
    struct ErrorDetail: Decodable {
        var code: String?
        var message: String?
    }

    /// UNCONFIRMED: the answer of both update calls, a result per product.
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
