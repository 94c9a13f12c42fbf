import Catalog
import Foundation
import Sync
import TOMLKit
import Testing

/// The repository's config files and the rivexa channel of config/sandbox.toml.
enum RivexaFixture {
    /// The repository root (this file is adapters/ConfigurableREST/Tests/RivexaFixture.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `config/rivexa.toml`, by absolute path.
    static var specPath: String { root.appendingPathComponent("config/rivexa.toml").path }

    /// The rivexa channel's projector, with the rules and FX table of config/sandbox.toml.
    static func projector() throws -> (ChannelProjector, ChannelSettings) {
        let text = try String(contentsOf: root.appendingPathComponent("config/sandbox.toml"), encoding: .utf8)
        let config = try TOMLTable(string: text)
        let channels = try #require(config["channels"]?.array)
        let table = try #require(channels.compactMap(\.table).first { $0["name"]?.string == "rivexa" })
        let currencyCode = try #require(table["currency"]?.string)
        let currency = try #require(Currency(code: currencyCode))
        let pricingTable = try #require(table["pricing"]?.table)
        let pricing = try PricingRule(
            fields: Dictionary(uniqueKeysWithValues: pricingTable.keys.map { ($0, pricingTable[$0]?.string ?? "") })
        )
        let inventoryTable = try #require(table["inventory"]?.table)
        let inventory = try InventoryRule(
            fields: Dictionary(uniqueKeysWithValues: inventoryTable.keys.map { ($0, inventoryTable[$0]?.int ?? -1) })
        )
        let fxTable = try #require(config["fx"]?.table)
        let fx = try FXTable(
            base: .inr,
            parsing: Dictionary(uniqueKeysWithValues: fxTable.keys.map { ($0, fxTable[$0]?.string ?? "") })
        )
        let language = try #require(table["language"]?.string)
        let rules = ChannelRules(
            name: "rivexa",
            currency: currency,
            language: language,
            pricing: pricing,
            inventory: inventory
        )
        let marketplace = try #require(table["marketplace"]?.string)
        let settings = ChannelSettings(name: "rivexa", marketplace: marketplace, currency: currency, language: language)
        return (try ChannelProjector(channel: rules, fx: fx), settings)
    }

    /// Products `PRD-001`… with varied prices and stock; `rejectIndexes` get a `[REJECT]` title.
    static func products(_ count: Int, rejectIndexes: Set<Int> = []) throws -> [Product] {
        try (1...count).map { index in
            Product(
                sku: try SKU(validating: String(format: "PRD-%03d", index)),
                title: rejectIndexes.contains(index) ? "Brass Diya [REJECT]" : "Brass Diya \"Deepam\" No. \(index)",
                price: Money(minorUnits: Int64(25_000 + index * 1_337), currency: .inr),
                quantity: index * 60,
                description: "Hand-cast brass lamp\nfrom Moradabad",
                brand: "Moradabad Crafts",
                hsCode: "7419.80",
                weightGrams: 300 + index,
                imageURLs: ["https://img.example/\(index).jpg"]
            )
        }
    }

    /// New-listing changes of `products` (every facet).
    static func changes(_ products: [Product], projector: ChannelProjector) -> [ListingChange] {
        products.map { ListingChange(desired: projector.project($0), facets: Set(Facet.allCases), isNew: true) }
    }
}
