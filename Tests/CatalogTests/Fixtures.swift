import Catalog
import Foundation

/// Shared test data: an INR-based FX table and a product builder.
enum Fixtures {
    /// INR base, with the rates of DESIGN §4.1 plus GBP and AED.
    static let fx = try! FXTable(
        base: .inr,
        parsing: ["USD": "0.01185", "EUR": "0.01090", "GBP": "0.00935", "JPY": "1.78", "AED": "0.04352"]
    )

    static func decimal(_ text: String) -> Decimal {
        Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
    }

    static func product(
        sku: String = "PETHA-AGRA-500G",
        priceINR: String = "1000",
        quantity: Int = 10,
        translations: [String: Product.LocalizedText] = [:],
        channelPrices: [String: Decimal] = [:],
        attributes: [String: String] = ["weight": "500g", "flavour": "kesar"]
    ) -> Product {
        Product(
            sku: try! SKU(validating: sku),
            title: "Agra Petha",
            price: Money(parsing: priceINR, currency: .inr)!,
            quantity: quantity,
            description: "Soft ash-gourd sweet from Agra.",
            brand: "Panchhi",
            productType: "FOOD",
            hsCode: "170490",
            district: "Agra",
            weightGrams: 500,
            imageURLs: ["https://img.example/petha-1.jpg", "https://img.example/petha-2.jpg"],
            attributes: attributes,
            translations: translations,
            channelPrices: channelPrices
        )
    }

    static func projector(
        _ name: String = "amazon-us",
        currency: Currency = .usd,
        language: String = "en_US",
        pricing: [String: String] = [:],
        inventory: [String: Int] = [:]
    ) throws -> ChannelProjector {
        try ChannelProjector(
            channel: ChannelRules(
                name: name,
                currency: currency,
                language: language,
                pricing: PricingRule(fields: pricing),
                inventory: InventoryRule(fields: inventory)
            ),
            fx: fx
        )
    }
}
