import AmazonModel
import Foundation
import TwinSupport

/// One listing the twin holds for (seller, marketplace, SKU): what was last accepted for it.
struct ListingRecord: Sendable, Hashable {
    var sku: String
    var marketplace: AmazonMarketplace
    var productType: String
    var attributes: [String: TwinJSON]
    var createdDate: Date
    var lastUpdatedDate: Date
    /// Every price accepted for the listing, oldest first, one entry per change.
    var priceHistory: [String] = []
    /// A status set behind the seller's back (`POST /_sandbox/tamper`); a later submission clears it.
    var tamperedStatus: ListingTamper.Status? = nil

    /// The title (`item_name[0].value`).
    var title: String? { attributes["item_name"]?[0]?["value"]?.string }

    /// The offer for every buyer: the `purchasable_offer` entry without an `audience` or with `ALL`
    /// (others, such as a `B2B` entry set in Seller Central, are kept but are not the listing's price).
    var standardOffer: TwinJSON? {
        attributes["purchasable_offer"]?.array?.first { ($0["audience"]?.string ?? "ALL") == "ALL" }
    }

    /// The offer price as an exact decimal string (`"24.99"`), from the JSON number's own text.
    var price: String? {
        guard
            let text = standardOffer?["our_price"]?[0]?["schedule"]?[0]?["value_with_tax"]?
                .numberText,
            let amount = Decimal(string: text, locale: nil)
        else { return nil }
        return amount.description
    }

    var currency: String? { standardOffer?["currency"]?.string }

    var quantity: Int? { attributes["fulfillment_availability"]?[0]?["quantity"]?.integer }

    /// The platform-neutral view for `/_sandbox/listings` (marketplace as the channel code, `DE`).
    var twinListing: TwinListing {
        TwinListing(
            sku: sku,
            marketplace: marketplace.code,
            title: title,
            price: price,
            currency: currency,
            quantity: quantity,
            priceHistory: priceHistory
        )
    }

    /// The Listings Items `Item` object with the `includedData` sets asked for (`summaries`,
    /// `attributes`, `issues`, `offers`, `fulfillmentAvailability`, `productTypes`).
    func item(includedData: Set<String>) -> TwinJSON {
        var members: [String: TwinJSON] = ["sku": .string(sku)]
        if includedData.contains("summaries") {
            var summary: [String: TwinJSON] = [
                "marketplaceId": .string(marketplace.id), "productType": .string(productType),
                "conditionType": "new_new", "status": .strings(status),
                "createdDate": .string(Self.timestamp(createdDate)),
                "lastUpdatedDate": .string(Self.timestamp(lastUpdatedDate)),
            ]
            if let title { summary["itemName"] = .string(title) }
            members["summaries"] = [.object(summary)]
        }
        if includedData.contains("attributes") { members["attributes"] = .object(attributes) }
        if includedData.contains("issues") { members["issues"] = .array(tamperedIssues) }
        if includedData.contains("offers") {
            var offers: [TwinJSON] = []
            if let price, let currency {
                offers.append([
                    "marketplaceId": .string(marketplace.id), "offerType": "B2C",
                    "price": ["currencyCode": .string(currency), "amount": .string(price)],
                ])
            }
            members["offers"] = .array(offers)
        }
        if includedData.contains("fulfillmentAvailability") {
            let availability = (attributes["fulfillment_availability"]?.array ?? []).compactMap { value -> TwinJSON? in
                guard let code = value["fulfillment_channel_code"]?.string else { return nil }
                var entry: [String: TwinJSON] = ["fulfillmentChannelCode": .string(code)]
                if let quantity = value["quantity"]?.integer { entry["quantity"] = .int(quantity) }
                return .object(entry)
            }
            members["fulfillmentAvailability"] = .array(availability)
        }
        if includedData.contains("productTypes") {
            members["productTypes"] = [["marketplaceId": .string(marketplace.id), "productType": .string(productType)]]
        }
        return .object(members)
    }

    /// `BUYABLE` once the listing has a price and stock, always `DISCOVERABLE`; a tampered status
    /// overrides it (inactive: `DISCOVERABLE` only; suppressed: none).
    private var status: [String] {
        switch tamperedStatus {
        case .inactive: return ["DISCOVERABLE"]
        case .suppressed: return []
        case .active, nil:
            return (price != nil && (quantity ?? 0) > 0) ? ["BUYABLE", "DISCOVERABLE"] : ["DISCOVERABLE"]
        }
    }

    /// A suppressed listing's `Issue`: an ERROR with Amazon's `LISTING_SUPPRESSED` enforcement
    /// (`IssueEnforcementAction` of the model), not exempt.
    private var tamperedIssues: [TwinJSON] {
        guard tamperedStatus == .suppressed else { return [] }
        return [
            [
                "code": "18027", "severity": "ERROR", "categories": ["INVALID_PRICE"],
                "message": "The listing was suppressed: its price is outside the expected range.",
                "attributeNames": ["purchasable_offer"], "marketplaceIds": [.string(marketplace.id)],
                "enforcements": ["actions": [["action": "LISTING_SUPPRESSED"]], "exemption": ["status": "NOT_EXEMPT"]],
            ]
        ]
    }

    /// ISO 8601 with fractional seconds, UTC (`2024-05-01T10:00:00.000Z`).
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
