import Catalog
import Foundation
import Store
import Testing

@Suite("Catalog import: CSV and JSON")
struct ImportTests {
    /// A CSV with a BOM, quoted commas and quotes, newlines (LF and CRLF) inside fields, Hindi
    /// text, and one malformed record of each kind. Record start lines are in the comments.
    static let messyCSV: [UInt8] = {
        let records: [String] = [
            // line 1
            "sku,title,price,quantity,description,title@hi,price@amazon-de,channels,attributes,image_urls\n",
            // line 2
            "PETHA-1,\"Agra petha, kesar\",149.00,10,\"Soft, sweet\",पेठा,4.99,amazon-de|ebay-us,"
                + "flavour=kesar;weight=500g,https://img.example/a.jpg|https://img.example/b.jpg\n",
            // line 3-4
            "PETHA-2,Angoori petha,199.50,5,\"line one\nline two\",,,,,\n",
            // line 5
            "BAD-PRICE,Petha,12.345,5,,,,,,\n",
            // line 6
            "NEG-QTY,Petha,10,-3,,,,,,\n",
            // line 7
            "PETHA-1,Duplicate petha,10,1,,,,,,\n",
            // line 8-9
            "\"BAD SKU!\",Petha,10,1,\"multi\r\nline\",,,,,\n",
            // line 10
            "ROSE-1,\"Ajmer rose \"\"gulkand\"\"\",250,0,,,,,,\n",
            // line 11
            "ZERO-PRICE,Petha,0,1,,,,,,\n",
            // line 12
            "SHORT,Petha,1\n",
        ]
        return [0xEF, 0xBB, 0xBF] + Array(records.joined().utf8)
    }()

    @Test("a messy CSV imports its good rows intact and reports each bad row with line and column")
    func messyCSVImportsGoodRowsAndReportsBadOnes() throws {
        let fixture = try TemporaryStore()
        let url = try fixture.file(named: "catalog.csv", bytes: Self.messyCSV)
        let report = try CatalogImporter(store: fixture.store).importFile(at: url, now: epoch)

        #expect(report.inserted == 3)
        #expect(report.updated == 0)
        #expect(
            report.errors.map { "\($0.line):\($0.column ?? "-")" } == [
                "5:price", "6:quantity", "7:sku", "8:sku", "11:price", "12:-",
            ]
        )
        #expect(report.errors[0].sku == "BAD-PRICE")
        #expect(report.errors[0].message.contains("12.345"))
        #expect(report.errors[1].message.contains("negative"))
        #expect(report.errors[2].message.contains("line 2"))
        #expect(report.errors[3].message.contains("\" \""))

        let petha = try #require(try fixture.store.product(sku: SKU(validating: "PETHA-1"))).product
        #expect(petha.title == "Agra petha, kesar")
        #expect(petha.description == "Soft, sweet")
        #expect(petha.translations["hi"]?.title == "पेठा")
        #expect(petha.price == Money(minorUnits: 14_900, currency: .inr))
        #expect(petha.channelPrices == ["amazon-de": Decimal(string: "4.99")!])
        #expect(petha.channels == ["amazon-de", "ebay-us"])
        #expect(petha.attributes == ["flavour": "kesar", "weight": "500g"])
        #expect(petha.imageURLs == ["https://img.example/a.jpg", "https://img.example/b.jpg"])
        #expect(petha.originCountry == "IN")
        let angoori = try #require(try fixture.store.product(sku: SKU(validating: "PETHA-2"))).product
        #expect(angoori.description == "line one\nline two")
        #expect(angoori.channels == nil)
        let rose = try #require(try fixture.store.product(sku: SKU(validating: "ROSE-1"))).product
        #expect(rose.title == "Ajmer rose \"gulkand\"")
        #expect(rose.quantity == 0)
        #expect(try fixture.store.productCount() == 3)
        #expect(try fixture.store.dirtyEntries().count == 6)
    }

    @Test("re-importing identical rows reports them unchanged and marks nothing dirty")
    func reimportIsUnchanged() throws {
        let fixture = try TemporaryStore()
        let url = try fixture.file(named: "catalog.csv", bytes: Self.messyCSV)
        let importer = CatalogImporter(store: fixture.store)
        _ = try importer.importFile(at: url, now: epoch)
        for channel in fixture.store.configuration.channels {
            let claimed = try fixture.store.claimDue(channel: channel, limit: 100, now: epoch)
            try fixture.store.complete(
                channel: channel,
                acks: claimed.map { ListingAck(sku: $0.sku, generation: $0.generation, sent: AckedHashes(content: 1)) },
                now: epoch
            )
        }
        #expect(try fixture.store.dirtyEntries().isEmpty)

        let again = try importer.importFile(at: url, now: epoch.addingTimeInterval(60))
        #expect(again.unchanged == 3)
        #expect(again.inserted == 0 && again.updated == 0)
        #expect(try fixture.store.dirtyEntries().isEmpty)
        #expect(try fixture.store.product(sku: SKU(validating: "PETHA-1"))?.revision == 1)
    }

    @Test("an unknown or missing column is a header error and imports nothing")
    func headerErrorsStopTheImport() throws {
        let fixture = try TemporaryStore()
        let importer = CatalogImporter(store: fixture.store)
        let unknown = try importer.importData(Data("sku,title,price,quantity,colour\nA,T,1,1,red\n".utf8), format: .csv)
        #expect(unknown.errors.map { "\($0.line):\($0.column ?? "-")" } == ["1:colour"])
        #expect(unknown.errors.first?.message.contains("unknown column") == true)
        let missing = try importer.importData(Data("sku,title,quantity\nA,T,1\n".utf8), format: .csv)
        #expect(missing.errors.map { "\($0.line):\($0.column ?? "-")" } == ["1:price"])
        let badLanguage = try importer.importData(Data("sku,title,price,quantity,title@German\n".utf8), format: .csv)
        #expect(badLanguage.errors.map(\.column) == ["title@German"])
        #expect(try fixture.store.productCount() == 0)
    }

    @Test("a JSON catalog imports good objects and reports bad ones with the line of their opening brace")
    func jsonImport() throws {
        let fixture = try TemporaryStore()
        let json = """
            [
              {"sku": "PETHA-1", "title": "Agra petha", "price": "149.00", "quantity": 10,
               "translations": {"hi": {"title": "पेठा"}, "de": {"title": "Petha", "description": "Süß"}},
               "attributes": {"flavour": "kesar", "note": "a;b=c"},
               "image_urls": ["https://img.example/a.jpg"], "channels": ["ebay-us"], "price@amazon-de": 4.99},
              {"sku": "PETHA-2", "title": "Angoori", "price": 12.345, "quantity": 1},
              {"sku": "PETHA-3", "title": "Dry petha", "price": "99", "quantity": -1},
              {"sku": "PETHA-1", "title": "Again", "price": "1", "quantity": 1},
              {"sku": "PETHA 4", "title": "Space", "price": "1", "quantity": 1},
              {"sku": "ROSE-1", "title": "Ajmer rose", "price": 250.5, "quantity": "7", "colour": "red"},
              {"sku": "ROSE-2", "title": "Gulkand\\njar", "price": 120, "quantity": 3}
            ]
            """
        let report = try CatalogImporter(store: fixture.store).importData(Data(json.utf8), format: .json, now: epoch)
        #expect(report.inserted == 2)
        #expect(
            report.errors.map { "\($0.line):\($0.column ?? "-")" } == [
                "6:price", "7:quantity", "8:sku", "9:sku", "10:colour",
            ]
        )
        let petha = try #require(try fixture.store.product(sku: SKU(validating: "PETHA-1"))).product
        #expect(petha.translations["hi"] == Product.LocalizedText(title: "पेठा"))
        #expect(petha.translations["de"] == Product.LocalizedText(title: "Petha", description: "Süß"))
        #expect(petha.attributes == ["flavour": "kesar", "note": "a;b=c"])
        #expect(petha.channels == ["ebay-us"])
        #expect(petha.channelPrices["amazon-de"] == Decimal(string: "4.99"))
        let jar = try #require(try fixture.store.product(sku: SKU(validating: "ROSE-2"))).product
        #expect(jar.title == "Gulkand\njar")
        #expect(jar.price == Money(minorUnits: 12_000, currency: .inr))
    }

    @Test("a JSON file that is not an array of objects is reported, not crashed on")
    func malformedJSON() throws {
        let fixture = try TemporaryStore()
        let importer = CatalogImporter(store: fixture.store)
        let notArray = try importer.importData(Data("{\"sku\": \"A\"}".utf8), format: .json)
        #expect(notArray.errors.map(\.line) == [1])
        let unclosed = try importer.importData(
            Data("[\n{\"sku\": \"A\", \"title\": \"T\", \"price\": \"1\", \"quantity\": 1},\n".utf8),
            format: .json
        )
        #expect(unclosed.inserted == 1)
        #expect(unclosed.errors.first?.message.contains("not closed") == true)
    }

    @Test("CRLF and CR line ends count as one line each; an unclosed quote is reported at its record")
    func lineEndingsAndUnclosedQuotes() throws {
        let fixture = try TemporaryStore()
        let csv = "sku,title,price,quantity\r\nA-1,\"two\r\nlines\",1,1\rB-1,T,x,1\r\nC-1,\"never closed,1,1\n"
        let report = try CatalogImporter(store: fixture.store).importData(Data(csv.utf8), format: .csv)
        #expect(report.inserted == 1)
        #expect(report.errors.map { "\($0.line):\($0.column ?? "-")" } == ["4:price", "5:-"])
        #expect(report.errors.last?.message.contains("never closed") == true)
        #expect(try fixture.store.product(sku: SKU(validating: "A-1"))?.product.title == "two\r\nlines")
    }
}
