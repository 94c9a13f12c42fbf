import Catalog
import Foundation
import GRDB
import Store

/// A store in a fresh temporary directory, removed when the value is deinitialised.
final class TemporaryStore {
    let directory: URL
    let store: CatalogStore

    init(channels: [String] = ["amazon-de", "ebay-us"], leaseDuration: Duration = .seconds(60)) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("catalogsync-store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try CatalogStore(
            configuration: .init(
                path: directory.appendingPathComponent("catalog.sqlite").path,
                channels: channels,
                leaseDuration: leaseDuration
            )
        )
    }

    var path: String { store.configuration.path }

    /// Writes `text` to a file in the temporary directory and returns its URL.
    func file(named name: String, bytes: [UInt8]) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A plain product for tests: `price` in INR major units as text.
func makeProduct(
    _ sku: String,
    title: String = "Agra petha 500 g",
    price: String = "149.00",
    quantity: Int = 10,
    channels: [String]? = nil
) throws -> Product {
    Product(
        sku: try SKU(validating: sku),
        title: title,
        price: Money(parsing: price, currency: .inr)!,
        quantity: quantity,
        attributes: ["flavour": "kesar"],
        channels: channels
    )
}

let epoch = Date(timeIntervalSince1970: 1_800_000_000)
