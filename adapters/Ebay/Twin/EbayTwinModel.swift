/// The eBay twin's view of eBay's data and error texts: marketplaces, stored items and offers, and the
/// `{"errors": [...]}` shape every Sell Inventory API error uses.
enum EbayTwinModel {
    /// Currency per marketplace id (Inventory `MarketplaceEnum`, `Amount.currency`).
    static let currencies: [String: String] = [
        "EBAY_US": "USD", "EBAY_MOTORS": "USD", "EBAY_CA": "CAD", "EBAY_GB": "GBP", "EBAY_AU": "AUD",
        "EBAY_AT": "EUR", "EBAY_BE": "EUR", "EBAY_FR": "EUR", "EBAY_DE": "EUR", "EBAY_IT": "EUR",
        "EBAY_NL": "EUR", "EBAY_ES": "EUR", "EBAY_IE": "EUR", "EBAY_CH": "CHF", "EBAY_PL": "PLN",
        "EBAY_HK": "HKD", "EBAY_SG": "SGD",
    ]

    /// What the title hook looks for: a product whose title contains it is refused like a policy violation.
    static let rejectMarker = "[REJECT]"

    struct Amount: Codable, Sendable, Hashable {
        var value: String?
        var currency: String?
    }

    struct Product: Codable, Sendable, Hashable {
        var title: String?
        var description: String?
        var brand: String?
        var aspects: [String: [String]]?
        var imageUrls: [String]?
    }

    struct ShipToLocationAvailability: Codable, Sendable, Hashable {
        var quantity: Int?
    }

    struct Availability: Codable, Sendable, Hashable {
        var shipToLocationAvailability: ShipToLocationAvailability?
    }

    /// An inventory item as stored (from `InventoryItem` or `InventoryItemWithSkuLocale`).
    struct InventoryItem: Codable, Sendable, Hashable {
        var sku: String?
        var locale: String?
        var availability: Availability?
        var condition: String?
        var product: Product?
    }

    struct ListingPolicies: Codable, Sendable, Hashable {
        var fulfillmentPolicyId: String?
        var paymentPolicyId: String?
        var returnPolicyId: String?
    }

    struct PricingSummary: Codable, Sendable, Hashable {
        var price: Amount?
    }

    /// An offer as stored (`createOffer` / `updateOffer` bodies), with its id, status and listing id.
    struct Offer: Codable, Sendable, Hashable {
        var offerId: String?
        var sku: String?
        var marketplaceId: String?
        var format: String?
        var availableQuantity: Int?
        var categoryId: String?
        var listingDescription: String?
        var listingDuration: String?
        var listingPolicies: ListingPolicies?
        var merchantLocationKey: String?
        var pricingSummary: PricingSummary?
        var status: String?
        var listing: Listing?
    }

    struct Listing: Codable, Sendable, Hashable {
        var listingId: String?
        /// `ListingDetails.listingOnHold`: set when eBay put the listing on hold (a tampered suppression).
        var listingOnHold: Bool?
    }

    struct OfferPriceQuantity: Codable, Sendable, Hashable {
        var offerId: String?
        var availableQuantity: Int?
        var price: Amount?
    }

    struct PriceQuantity: Codable, Sendable, Hashable {
        var sku: String?
        var shipToLocationAvailability: ShipToLocationAvailability?
        var offers: [OfferPriceQuantity]?
    }

    struct BulkPriceQuantity: Codable, Sendable, Hashable {
        var requests: [PriceQuantity]?
    }

    struct BulkInventoryItem: Codable, Sendable, Hashable {
        var requests: [InventoryItem]?
    }

    struct ErrorParameter: Codable, Sendable, Hashable {
        var name: String
        var value: String
    }

    /// eBay's `Error`.
    struct ErrorDetail: Codable, Sendable, Hashable {
        var errorId: Int
        var domain: String
        var category: String
        var message: String
        var longMessage: String
        var parameters: [ErrorParameter]

        /// A Sell Inventory API user error (`API_INVENTORY`, `REQUEST`).
        static func inventory(_ id: Int, _ message: String, parameters: [String: String] = [:]) -> ErrorDetail {
            ErrorDetail(
                errorId: id,
                domain: "API_INVENTORY",
                category: "REQUEST",
                message: message,
                longMessage: message,
                parameters: parameters.sorted { $0.key < $1.key }.map { ErrorParameter(name: $0.key, value: $0.value) }
            )
        }

        /// eBay's 25002 "A user error has occurred." with the reason.
        static func userError(_ reason: String, field: String) -> ErrorDetail {
            var detail = inventory(25002, "A user error has occurred. \(reason)", parameters: ["0": field])
            detail.longMessage = "A user error has occurred. \(reason)"
            return detail
        }
    }

    struct ErrorResponse: Codable, Sendable, Hashable {
        var errors: [ErrorDetail]
    }

    /// One item of a 207 multi-status answer.
    struct ItemStatus: Codable, Sendable, Hashable {
        var sku: String
        var offerId: String?
        var locale: String?
        var statusCode: Int
        var errors: [ErrorDetail]?
    }

    struct BulkResponse: Codable, Sendable, Hashable {
        var responses: [ItemStatus]
    }
}
