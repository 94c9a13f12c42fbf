import Catalog

/// The Sell Inventory API's request and response bodies the adapter uses, named as in eBay's contract
/// (`sell_inventory_v1_oas3.json`, components/schemas). Optional fields are left out when `nil`.
enum EbayWire {
    /// `Amount`: a decimal string and an ISO currency.
    struct Amount: Codable, Hashable {
        var value: String
        var currency: String

        init(_ money: Money) {
            value = money.amountString
            currency = money.currency.code
        }
    }

    /// `Product`: title, description, aspects (item specifics) and images.
    struct Product: Codable, Hashable {
        var title: String
        var description: String?
        var brand: String?
        var aspects: [String: [String]]?
        var imageUrls: [String]?
        /// EAN-8/EAN-13 (`ean`) or UPC-A (`upc`) from the catalog's `gtin`; the manufacturer part number.
        var ean: [String]? = nil
        var upc: [String]? = nil
        var mpn: String? = nil
    }

    /// `ShipToLocationAvailability`.
    struct ShipToLocationAvailability: Codable, Hashable {
        var quantity: Int
    }

    /// `Availability`.
    struct Availability: Codable, Hashable {
        var shipToLocationAvailability: ShipToLocationAvailability
    }

    /// `Weight`: `value` is a JSON number; grams are whole numbers, so no floating point is involved.
    struct Weight: Codable, Hashable {
        var unit: String
        var value: Int
    }

    /// `PackageWeightAndSize`.
    struct PackageWeightAndSize: Codable, Hashable {
        var weight: Weight
    }

    /// `InventoryItem`: the full object `createOrReplaceInventoryItem` replaces.
    struct InventoryItem: Codable, Hashable {
        var availability: Availability
        var condition: String
        var packageWeightAndSize: PackageWeightAndSize?
        var product: Product
    }

    /// `InventoryItemWithSkuLocale`: one entry of `bulkCreateOrReplaceInventoryItem`.
    struct InventoryItemWithSkuLocale: Codable, Hashable {
        var sku: String
        var locale: String
        var availability: Availability
        var condition: String
        var packageWeightAndSize: PackageWeightAndSize?
        var product: Product
    }

    /// `BulkInventoryItem`.
    struct BulkInventoryItem: Codable, Hashable {
        var requests: [InventoryItemWithSkuLocale]
    }

    /// `ListingPolicies`.
    struct ListingPolicies: Codable, Hashable {
        var fulfillmentPolicyId: String
        var paymentPolicyId: String
        var returnPolicyId: String
    }

    /// `PricingSummary`.
    struct PricingSummary: Codable, Hashable {
        var price: Amount
    }

    /// `EbayOfferDetailsWithKeys`: the body of `createOffer`.
    struct OfferWithKeys: Codable, Hashable {
        var sku: String
        var marketplaceId: String
        var format: String
        var availableQuantity: Int
        var categoryId: String
        var listingDescription: String?
        var listingDuration: String
        var listingPolicies: ListingPolicies
        var merchantLocationKey: String
        var pricingSummary: PricingSummary
    }

    /// `EbayOfferDetailsWithId`: the body of `updateOffer` (a full replacement without sku/marketplace).
    struct OfferWithID: Codable, Hashable {
        var availableQuantity: Int
        var categoryId: String
        var listingDescription: String?
        var listingDuration: String
        var listingPolicies: ListingPolicies
        var merchantLocationKey: String
        var pricingSummary: PricingSummary
    }

    /// `OfferPriceQuantity`.
    struct OfferPriceQuantity: Codable, Hashable {
        var offerId: String
        var availableQuantity: Int
        var price: Amount
    }

    /// `PriceQuantity`: one SKU of `bulkUpdatePriceQuantity`.
    struct PriceQuantity: Codable, Hashable {
        var sku: String
        var shipToLocationAvailability: ShipToLocationAvailability
        var offers: [OfferPriceQuantity]
    }

    /// `BulkPriceQuantity`.
    struct BulkPriceQuantity: Codable, Hashable {
        var requests: [PriceQuantity]
    }

    /// `ErrorParameter`.
    struct ErrorParameter: Codable, Hashable {
        var name: String?
        var value: String?
    }

    /// `Error`: eBay's error entry.
    struct ErrorDetail: Codable, Hashable {
        var errorId: Int?
        var domain: String?
        var category: String?
        var message: String?
        var longMessage: String?
        var parameters: [ErrorParameter]?
    }

    /// `{"errors": [...], "warnings": [...]}`.
    struct ErrorResponse: Codable, Hashable {
        var errors: [ErrorDetail]?
    }

    /// One item of a 207 multi-status answer (`InventoryItemResponse`, `PriceQuantityResponse`).
    struct ItemStatus: Codable, Hashable {
        var sku: String?
        var offerId: String?
        var statusCode: Int?
        var errors: [ErrorDetail]?
    }

    /// `BulkInventoryItemResponse` and `BulkPriceQuantityResponse`.
    struct BulkResponse: Codable, Hashable {
        var responses: [ItemStatus]?
    }

    /// `OfferResponse`.
    struct OfferResponse: Codable, Hashable {
        var offerId: String?
    }

    /// `PublishResponse`.
    struct PublishResponse: Codable, Hashable {
        var listingId: String?
    }

    /// One offer of `Offers`.
    struct OfferSummary: Codable, Hashable {
        var offerId: String?
        var marketplaceId: String?
        var status: String?
    }

    /// `Offers`: the answer of `getOffers`.
    struct Offers: Codable, Hashable {
        var offers: [OfferSummary]?
    }

    /// The token endpoint's answer.
    struct TokenResponse: Codable, Hashable {
        var accessToken: String
        var expiresIn: Int?

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case expiresIn = "expires_in"
        }
    }
}
