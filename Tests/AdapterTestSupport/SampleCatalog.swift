import Catalog
import Foundation
import Store
import Sync

/// Catalog products, channel projectors and listing changes for the adapter tests.
public enum SampleCatalog {
    /// The repository root (this file is Tests/AdapterTestSupport/…).
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The channels config/sample-catalog.csv names in its columns (`asin@amazon-de`): an import must
    /// know them, as the daemon's configuration does.
    public static let sampleChannels = ["amazon-de"]

    /// config/sample-catalog.csv imported by Store's importer into a temporary SQLite file, as
    /// `channel` sees it, sorted by SKU.
    public static func products(channel: String) throws -> [Product] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(channel)-tests-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try CatalogStore(
            configuration: .init(
                path: directory.appendingPathComponent("catalog.sqlite").path,
                channels: Array(Set([channel] + sampleChannels)).sorted()
            )
        )
        let report = try CatalogImporter(store: store).importFile(
            at: repositoryRoot.appendingPathComponent("config/sample-catalog.csv")
        )
        precondition(report.errors.isEmpty, "sample catalog import failed: \(report.errors)")
        return try store.dirtyEntries(channel: channel).compactMap { try store.product(sku: $0.sku)?.product }
            .sorted { $0.sku < $1.sku }
    }

    /// `count` products with SKUs `<prefix>-001`…; `make` builds each from its index, SKU and whether
    /// the index is in `rejected` (the twins reject titles containing `[REJECT]`).
    public static func numbered(
        count: Int,
        prefix: String,
        rejected: Set<Int>,
        _ make: (_ index: Int, _ sku: SKU, _ isRejected: Bool) -> Product
    ) -> [Product] {
        (1...count).map { index in
            make(index, SKU(trusted: String(format: "%@-%03d", prefix, index)), rejected.contains(index))
        }
    }

    /// The projector of a channel as config/sandbox.toml declares it: `pricing` and `inventory` are
    /// the rule tables' fields, `fx` the rates per unit of INR.
    public static func projector(
        channel name: String,
        currency: Currency,
        language: String,
        pricing: [String: String],
        inventory: [String: Int],
        fx: [String: String] = [:]
    ) throws -> ChannelProjector {
        let rules = ChannelRules(
            name: name,
            currency: currency,
            language: language,
            pricing: try PricingRule(fields: pricing),
            inventory: try InventoryRule(fields: inventory)
        )
        return try ChannelProjector(channel: rules, fx: try FXTable(base: .inr, parsing: fx))
    }
}

/// New-listing changes of `products` on the channel of `projector` with `facets` (every facet unless told).
public func newChanges(
    _ products: [Product],
    _ projector: ChannelProjector,
    facets: Set<Facet> = Set(Facet.allCases)
) -> [ListingChange] {
    products.map { ListingChange(desired: projector.project($0), facets: facets, isNew: true) }
}
