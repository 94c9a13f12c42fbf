import AdapterTestSupport
import Catalog
import Foundation
import ProcessTestSupport
import Sync
import Testing

@testable import EbayAdapter

@Suite("eBay request bodies against eBay's official Sell Inventory contract")
struct EbayContractTests {
    /// eBay's contract declares `Product.aspects` as a string, but documents (in the same field) and
    /// accepts an object of string arrays (`"aspects": {"Brand": ["GoPro"]}`); the documented shape is
    /// what eBay needs to publish, so the validator checks that shape instead.
    static let aspectsOverride =
        #"Product.aspects={"type":"object","additionalProperties":{"type":"array","items":{"type":"string","maxLength":65}}}"#

    @Test("every body built for the sample catalog validates against the contract's request schemas")
    func sampleCatalogBodiesValidate() async throws {
        let spec = SampleCatalog.repositoryRoot.appendingPathComponent(
            "../shared/specs/ebay/sell_inventory_v1_oas3.json"
        )
        .standardized
        try #require(FileManager.default.fileExists(atPath: spec.path), "eBay's contract is missing at \(spec.path)")
        let projector = try EbayFixtures.usProjector()
        let products = try EbayFixtures.sampleProducts()
        #expect(products.count >= 50)
        let configuration = EbayAdapter.Configuration(
            marketplace: EbayMarketplace.named("EBAY_US")!,
            merchantLocationKey: "AGRA-WH1",
            fulfillmentPolicyID: "6196934000",
            paymentPolicyID: "6196937000",
            returnPolicyID: "6196939000",
            categories: try #require(EbayAdapterFactory.categories(EbayFixtures.categories))
        )
        let changes = newChanges(products, projector)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ebay-contract-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var documents: [String: [URL]] = [:]
        func write(_ schema: String, _ name: String, _ body: [UInt8]) throws {
            let url = directory.appendingPathComponent("\(schema)-\(name).json")
            try Data(body).write(to: url)
            documents[schema, default: []].append(url)
        }
        for change in changes {
            let sku = change.sku.rawValue
            try write(
                "InventoryItem",
                sku,
                EbayRequests.encode(EbayRequests.inventoryItem(change, configuration: configuration, itemQuantity: 9))
            )
            try write(
                "EbayOfferDetailsWithKeys",
                sku,
                EbayRequests.encode(
                    EbayRequests.offerWithKeys(
                        change,
                        configuration: configuration,
                        categoryID: try #require(
                            configuration.categoryID(productType: change.desired.content.productType)
                        )
                    )
                )
            )
            try write(
                "EbayOfferDetailsWithId",
                sku,
                EbayRequests.encode(
                    EbayRequests.offerWithID(change, configuration: configuration, categoryID: "14308")
                )
            )
        }
        var start = 0
        while start < changes.count {
            let batch = Array(changes[start..<min(start + 25, changes.count)])
            let priceQuantity = EbayWire.BulkPriceQuantity(
                requests: batch.map { EbayRequests.priceQuantity($0, offerID: "5000000001", itemQuantity: 9) }
            )
            try write("BulkPriceQuantity", "\(start)", EbayRequests.encode(priceQuantity))
            let items = EbayWire.BulkInventoryItem(
                requests: batch.map { EbayRequests.itemWithSKU($0, configuration: configuration, itemQuantity: 9) }
            )
            try write("BulkInventoryItem", "\(start)", EbayRequests.encode(items))
            start += batch.count
        }

        let script = SampleCatalog.repositoryRoot.appendingPathComponent("adapters/Ebay/Tests/validate_openapi.py")
        for (schema, files) in documents.sorted(by: { $0.key < $1.key }) {
            let (status, output) = try await Self.run(
                ["python3", script.path, spec.path, schema] + files.map(\.path) + ["--override", Self.aspectsOverride]
            )
            #expect(status == 0, "\(schema): \(output)")
            #expect(output.contains("\(files.count) of \(files.count) documents valid against \(schema)"), "\(output)")
        }
    }

    @Test("the validator catches a body that breaks the contract (an undeclared key, a wrong type)")
    func validatorRejectsBadBodies() async throws {
        let spec = SampleCatalog.repositoryRoot.appendingPathComponent(
            "../shared/specs/ebay/sell_inventory_v1_oas3.json"
        )
        .standardized
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ebay-bad-\(UUID()).json")
        try Data(
            #"{"requests":[{"sku":"A","offers":[{"offerId":"1","availableQuantity":"3","priceValue":"2"}]}]}"#.utf8
        )
        .write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = SampleCatalog.repositoryRoot.appendingPathComponent("adapters/Ebay/Tests/validate_openapi.py")
        let (status, output) = try await Self.run(["python3", script.path, spec.path, "BulkPriceQuantity", file.path])
        #expect(status == 1)
        #expect(output.contains("'priceValue' was unexpected"))
        #expect(output.contains("is not of type 'integer'"))
    }

    /// Runs `arguments` (through `env`, so `python3` is found on PATH); the exit status and the output.
    static func run(_ arguments: [String]) async throws -> (Int32, String) {
        let result = try await ChildRun.run(arguments)
        return (result.status, result.output + result.errors)
    }
}
