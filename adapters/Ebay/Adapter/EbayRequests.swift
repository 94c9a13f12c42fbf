import Catalog
import Foundation
import Sync

/// Builds the Sell Inventory API request bodies from desired listings. Every body is the full object
/// eBay replaces (inventory items and `updateOffer` are full replacements).
enum EbayRequests {
    /// The `InventoryItem` of `change`: product, condition, stock and package weight. The stock is
    /// `itemQuantity`, the item's quantity across every site (``EbayListingRecords``), not this
    /// site's share.
    static func inventoryItem(_ change: ListingChange, configuration: EbayAdapter.Configuration, itemQuantity: Int)
        -> EbayWire.InventoryItem
    {
        let desired = change.desired
        return EbayWire.InventoryItem(
            availability: EbayWire.Availability(shipToLocationAvailability: .init(quantity: itemQuantity)),
            condition: configuration.condition,
            packageWeightAndSize: packageWeight(desired.content),
            product: product(desired.content)
        )
    }

    /// The same item as one entry of `bulkCreateOrReplaceInventoryItem`.
    static func itemWithSKU(
        _ change: ListingChange,
        configuration: EbayAdapter.Configuration,
        itemQuantity: Int
    ) -> EbayWire.InventoryItemWithSkuLocale {
        let item = inventoryItem(change, configuration: configuration, itemQuantity: itemQuantity)
        return EbayWire.InventoryItemWithSkuLocale(
            sku: change.sku.rawValue,
            locale: configuration.contentLanguage.replacingOccurrences(of: "-", with: "_"),
            availability: item.availability,
            condition: item.condition,
            packageWeightAndSize: item.packageWeightAndSize,
            product: item.product
        )
    }

    /// The `createOffer` body: a fixed-price (`GTC`) offer in `categoryID` with the seller's location
    /// and the site's policies.
    static func offerWithKeys(_ change: ListingChange, configuration: EbayAdapter.Configuration, categoryID: String)
        -> EbayWire.OfferWithKeys
    {
        let offer = offerWithID(change, configuration: configuration, categoryID: categoryID)
        return EbayWire.OfferWithKeys(
            sku: change.sku.rawValue,
            marketplaceId: configuration.marketplace.id,
            format: "FIXED_PRICE",
            availableQuantity: offer.availableQuantity,
            categoryId: offer.categoryId,
            listingDescription: offer.listingDescription,
            listingDuration: offer.listingDuration,
            listingPolicies: offer.listingPolicies,
            merchantLocationKey: offer.merchantLocationKey,
            pricingSummary: offer.pricingSummary
        )
    }

    /// The `updateOffer` body: the whole offer again.
    static func offerWithID(_ change: ListingChange, configuration: EbayAdapter.Configuration, categoryID: String)
        -> EbayWire.OfferWithID
    {
        let desired = change.desired
        return EbayWire.OfferWithID(
            availableQuantity: desired.quantity,
            categoryId: categoryID,
            // No listingDescription: eBay then shows the inventory item's description, which content
            // updates keep current (an offer-level copy would go stale).
            listingDescription: nil,
            listingDuration: EbayAdapter.Configuration.listingDuration,
            listingPolicies: EbayWire.ListingPolicies(
                fulfillmentPolicyId: configuration.fulfillmentPolicyID,
                paymentPolicyId: configuration.paymentPolicyID,
                returnPolicyId: configuration.returnPolicyID
            ),
            merchantLocationKey: configuration.merchantLocationKey,
            pricingSummary: EbayWire.PricingSummary(price: EbayWire.Amount(desired.price))
        )
    }

    /// One `PriceQuantity` entry: the item's stock across every site (`itemQuantity`) and this site's
    /// offer price and available quantity.
    static func priceQuantity(_ change: ListingChange, offerID: String, itemQuantity: Int) -> EbayWire.PriceQuantity {
        let desired = change.desired
        return EbayWire.PriceQuantity(
            sku: change.sku.rawValue,
            shipToLocationAvailability: EbayWire.ShipToLocationAvailability(quantity: itemQuantity),
            offers: [
                EbayWire.OfferPriceQuantity(
                    offerId: offerID,
                    availableQuantity: desired.quantity,
                    price: EbayWire.Amount(desired.price)
                )
            ]
        )
    }

    /// `Product`: the title, the description (the title when the catalog has none, as publishing needs
    /// one), the brand, aspects from the catalog attributes (and its color, material, manufacturer), the
    /// GTIN as `ean` (8 or 13 digits) or `upc` (12), the part number as `mpn`, and images.
    static func product(_ content: ListingContent) -> EbayWire.Product {
        var aspects: [String: [String]] = [:]
        for attribute in content.attributes { aspects[attribute.name, default: []].append(attribute.value) }
        let details = content.details
        for (name, value) in [
            ("Color", details.color), ("Material", details.material), ("Manufacturer", details.manufacturer),
        ] {
            if let value { aspects[name] = [value] }
        }
        if let brand = content.brand { aspects["Brand"] = [brand] }
        aspects["Country/Region of Manufacture"] = [content.originCountry]
        let gtin = details.gtin
        return EbayWire.Product(
            title: content.title,
            description: content.description ?? content.title,
            brand: content.brand,
            aspects: aspects,
            imageUrls: content.imageURLs.isEmpty ? nil : content.imageURLs,
            ean: gtin.flatMap { [8, 13].contains($0.count) ? [$0] : nil },
            upc: gtin.flatMap { $0.count == 12 ? [$0] : nil },
            mpn: details.partNumber
        )
    }

    static func packageWeight(_ content: ListingContent) -> EbayWire.PackageWeightAndSize? {
        content.weightGrams.map { EbayWire.PackageWeightAndSize(weight: .init(unit: "GRAM", value: $0)) }
    }

    /// JSON bytes of `value`, keys sorted so equal bodies are equal bytes.
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // The wire types hold only strings, integers and arrays of them: encoding cannot fail.
        return (try? Array(encoder.encode(value))) ?? Array("{}".utf8)
    }
}
