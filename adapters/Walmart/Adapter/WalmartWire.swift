import Foundation

/// The JSON bodies the Walmart Marketplace API takes and returns, as the adapter writes and reads them.
///
/// Prices are `Decimal` built from `Money.amountString`, so they reach the wire as exact JSON numbers
/// (`24.97`), never through `Double`. Sources: marketplace-apis.md §4 ([WM-PRICEDOC], [WM-INVSPEC],
/// [WM-HSL], [WM-FEEDS]).
enum WalmartWire {
    /// `POST /v3/token` answer.
    struct TokenResponse: Decodable {
        var accessToken: String
        var expiresIn: Int?

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case expiresIn = "expires_in"
        }
    }

    /// An amount in a currency.
    struct Amount: Codable, Hashable {
        var currency: String
        var amount: Decimal
    }

    /// One price entry (`BASE` is the selling price).
    struct Pricing: Codable, Hashable {
        var currentPriceType: String
        var currentPrice: Amount
    }

    /// `PUT /v3/price` body and one element of a price feed.
    struct PriceUpdate: Codable, Hashable {
        var sku: String
        var pricing: [Pricing]
    }

    /// A quantity in units.
    struct Quantity: Codable, Hashable {
        var unit: String
        var amount: Int
    }

    /// `PUT /v3/inventory?sku=` body and one element of an inventory feed.
    struct InventoryUpdate: Codable, Hashable {
        var sku: String
        var quantity: Quantity
    }

    /// `POST /v3/feeds?feedType=price` body (JSON price feed, header version 1.7).
    struct PriceFeed: Codable {
        struct Header: Codable { var version: String }
        var priceHeader: Header
        var price: [PriceUpdate]

        enum CodingKeys: String, CodingKey {
            case priceHeader = "PriceHeader"
            case price = "Price"
        }
    }

    /// `POST /v3/feeds?feedType=inventory` body (JSON inventory feed, header version 1.4).
    struct InventoryFeed: Codable {
        struct Header: Codable { var version: String }
        var inventoryHeader: Header
        var inventory: [InventoryUpdate]

        enum CodingKeys: String, CodingKey {
            case inventoryHeader = "InventoryHeader"
            case inventory = "Inventory"
        }
    }

    /// The `MP_ITEM` feed file (item setup spec 5.0; ``WalmartItemSpec``): the header and, per item,
    /// `Orderable` (sku, product identifier, price, shipping weight) and `Visible` keyed by the Walmart
    /// product type (category) with the item's content attributes.
    struct ItemFeed: Codable {
        struct Header: Codable {
            var businessUnit: String
            var locale: String
            var version: String
            var subset: String
        }

        /// `productIdentifiers`: `GTIN` (14 digits) or `UPC` (12 digits).
        struct ProductIdentifier: Codable, Hashable {
            var productIdType: String
            var productId: String
        }

        struct Orderable: Codable, Hashable {
            var sku: String
            var productIdentifiers: ProductIdentifier
            var price: Decimal
            /// Pounds, three decimals.
            var shippingWeight: Decimal?

            enum CodingKeys: String, CodingKey {
                case sku, productIdentifiers, price
                case shippingWeight = "ShippingWeight"
            }
        }

        /// The category's attributes; `productSecondaryImageURL` is the spec's name for further images.
        struct Visible: Codable, Hashable {
            var productName: String
            var brand: String?
            var shortDescription: String?
            var mainImageUrl: String?
            var productSecondaryImageURL: [String]?
        }

        struct Item: Codable, Hashable {
            var orderable: Orderable
            /// One entry, keyed by the Walmart category (`Home Decor`).
            var visible: [String: Visible]

            enum CodingKeys: String, CodingKey {
                case orderable = "Orderable"
                case visible = "Visible"
            }
        }

        var header: Header
        var items: [Item]

        enum CodingKeys: String, CodingKey {
            case header = "MPItemFeedHeader"
            case items = "MPItem"
        }
    }

    /// `POST /v3/feeds` answer.
    struct FeedAccepted: Decodable {
        var feedId: String
    }

    /// `GET /v3/feeds/{feedId}?includeDetails=true` answer.
    struct FeedStatus: Codable {
        struct IngestionError: Codable, Hashable {
            var type: String?
            var code: String?
            var field: String?
            var description: String?
        }

        struct IngestionErrors: Codable, Hashable {
            var ingestionError: [IngestionError]?
        }

        struct ItemStatus: Codable, Hashable {
            var sku: String?
            var index: Int?
            var ingestionStatus: String
            var ingestionErrors: IngestionErrors?
        }

        struct ItemDetails: Codable {
            var itemIngestionStatus: [ItemStatus]
        }

        var feedId: String
        var feedStatus: String
        var itemsReceived: Int?
        var itemsSucceeded: Int?
        var itemsFailed: Int?
        var itemsProcessing: Int?
        /// The page this answer holds (`getFeedItemStatus` `offset` and `limit`).
        var offset: Int?
        var limit: Int?
        var itemDetails: ItemDetails?
    }

    /// Walmart's error body `{"errors":[{code, field, description, info, severity, category}]}` (some
    /// gateways answer `{"error":[…]}`; both are read).
    struct ErrorBody: Codable {
        struct Entry: Codable, Hashable {
            var code: String?
            var field: String?
            var description: String?
            var info: String?
            var severity: String?
            var category: String?
        }

        var errors: [Entry]?
        var error: [Entry]?

        var entries: [Entry] { (errors ?? []) + (error ?? []) }
    }

    /// `GET /v3/orders` answer (`PurchaseOrderTypeV3`), only the members the order source reads, with
    /// the model's names.
    struct Orders: Decodable {
        struct List: Decodable {
            var meta: Meta?
            var elements: Elements?
        }

        struct Meta: Decodable {
            var totalCount: Int?
            var limit: Int?
            var nextCursor: String?
        }

        struct Elements: Decodable {
            var order: [Order]?
        }

        /// `GetOrderResponseRecord`.
        struct Order: Decodable {
            var purchaseOrderId: String
            var orderLines: Lines?
        }

        struct Lines: Decodable {
            var orderLine: [Line]?
        }

        /// `OrderLineType`.
        struct Line: Decodable {
            struct Item: Decodable { var sku: String? }
            /// `QuantityType`: the amount is a string in the model.
            struct Quantity: Decodable { var amount: String? }
            struct Status: Decodable { var status: String? }
            struct Statuses: Decodable { var orderLineStatus: [Status]? }

            var lineNumber: String?
            var item: Item?
            var orderLineQuantity: Quantity?
            /// Epoch milliseconds.
            var statusDate: Int64?
            var orderLineStatuses: Statuses?
        }

        var list: List
    }
}
