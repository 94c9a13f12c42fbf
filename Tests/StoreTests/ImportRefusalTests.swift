import Catalog
import Foundation
import GRDB
import Store
import Testing

/// Bad input refused by name: every bad JSON element or CSV row is a row error saying where and why,
/// and the good rows after it still land.
@Suite("Catalog import: bad input refused by name")
struct ImportRefusalTests {
    /// Imports `text` as `format` into a store with channels amazon-de and ebay-us.
    static func importing(_ text: String, _ format: CatalogImporter.Format) throws -> (ImportReport, TemporaryStore) {
        try importing(Array(text.utf8), format)
    }

    static func importing(_ bytes: [UInt8], _ format: CatalogImporter.Format) throws -> (ImportReport, TemporaryStore) {
        let fixture = try TemporaryStore()
        let report = try CatalogImporter(store: fixture.store).importData(Data(bytes), format: format, now: epoch)
        return (report, fixture)
    }

    /// The SKUs in the store, sorted.
    static func stored(_ fixture: TemporaryStore) throws -> [String] {
        try DatabaseQueue(path: fixture.path).read {
            try String.fetchAll($0, sql: "SELECT sku FROM product ORDER BY sku")
        }
    }

    static func row(_ sku: String) -> String { #"{"sku": "\#(sku)", "title": "Petha", "price": "10", "quantity": 1}"# }

    @Test("a JSON element that is no object is a row error with its position, and later elements land")
    func aNonObjectElementIsARowErrorAndLaterElementsLand() throws {
        let text = "[\n\(Self.row("A-1")),\n5,\n\"text\",\nnull,\n[1, 2],\n\(Self.row("A-2"))\n]\n"
        let (report, fixture) = try Self.importing(text, .json)
        #expect(report.inserted == 2)
        #expect(report.errors.map(\.line) == [3, 4, 5, 6])
        #expect(report.errors.map(\.message).allSatisfy { $0.contains("is not a JSON object") }, "\(report.errors)")
        #expect(report.errors.first?.message.contains("element 2 of the array") == true)
        #expect(try Self.stored(fixture) == ["A-1", "A-2"])
    }

    @Test("a malformed JSON object is a row error naming its SKU, and the next element lands")
    func aMalformedObjectIsARowErrorAndTheNextElementLands() throws {
        let text = """
            [
            {"sku": "BAD-1", "title": "Petha", "price": 10 "quantity": 1},
            {"sku": "BAD-2", "title": "Petha", "attributes": {"a": [1}, "quantity": 1},
            \(Self.row("GOOD-1"))
            \(Self.row("BAD-3")),
            {"sku": "BAD-4", "title": "Petha
            \(Self.row("GOOD-2"))
            ]
            """
        let (report, fixture) = try Self.importing(text, .json)
        #expect(try Self.stored(fixture) == ["GOOD-1", "GOOD-2"], "\(report.errors)")
        #expect(report.errors.map(\.line) == [2, 3, 5, 6], "\(report.errors)")
        #expect(report.errors.map(\.sku) == ["BAD-1", "BAD-2", "BAD-3", "BAD-4"], "\(report.errors)")
        #expect(report.errors[0].message.contains("element 1 of the array"), "\(report.errors[0])")
        #expect(report.errors[1].message.contains("brackets do not match"), "\(report.errors[1])")
        #expect(report.errors[2].message.contains("\",\" is missing"), "\(report.errors[2])")
        #expect(report.errors[3].message.contains("string is not closed"), "\(report.errors[3])")
    }

    @Test("a title over 500 characters is a row error naming the field and both lengths")
    func anOverlongTitleIsARowError() throws {
        let long = String(repeating: "é", count: 501)
        let exact = String(repeating: "é", count: 500)
        let csv = "sku,title,price,quantity\nLONG-1,\(long),10,1\nEXACT-1,\(exact),10,1\n"
        let (report, fixture) = try Self.importing(csv, .csv)
        #expect(try Self.stored(fixture) == ["EXACT-1"])
        #expect(report.errors.map { "\($0.line):\($0.column ?? "-")" } == ["2:title"])
        #expect(report.errors.first?.message == "title has 501 characters, at most 500 are allowed")
    }

    @Test("descriptions, translations, attribute values and image URLs are capped too")
    func everyCappedFieldIsNamed() throws {
        let description = String(repeating: "d", count: 10_001)
        let attribute = String(repeating: "a", count: 2_001)
        let url = "https://img.example/" + String(repeating: "u", count: 1_981)
        let text = """
            [
            {"sku": "D-1", "title": "x", "price": "1", "quantity": 1, "description": "\(description)"},
            {"sku": "T-1", "title": "x", "price": "1", "quantity": 1, "translations": {"de": {"title": "\(String(repeating: "t", count: 501))"}}},
            {"sku": "A-1", "title": "x", "price": "1", "quantity": 1, "attributes": {"material": "\(attribute)"}},
            {"sku": "I-1", "title": "x", "price": "1", "quantity": 1, "image_urls": ["https://img.example/ok.jpg", "\(url)"]}
            ]
            """
        let (report, fixture) = try Self.importing(text, .json)
        #expect(try Self.stored(fixture).isEmpty)
        #expect(
            report.errors.map(\.message) == [
                "description has 10001 characters, at most 10000 are allowed",
                "title@de has 501 characters, at most 500 are allowed",
                "attribute material has 2001 characters, at most 2000 are allowed",
                "image URL 2 has 2001 characters, at most 2000 are allowed",
            ]
        )
        #expect(report.errors.map(\.column) == ["description", "translations", "attributes", "image_urls"])
    }

    @Test("a channels or price@ value naming no configured channel is a row error naming the row")
    func anUnknownChannelIsARowError() throws {
        let csv = """
            sku,title,price,quantity,channels,price@amazon-fr
            OK-1,Petha,10,1,amazon-de|ebay-us,
            TYPO-1,Petha,10,1,amazon-de|ebay-usa,
            PRICE-1,Petha,10,1,,4.99

            """
        let (report, fixture) = try Self.importing(csv, .csv)
        #expect(try Self.stored(fixture) == ["OK-1"])
        #expect(
            report.errors.map { "\($0.line):\($0.column ?? "-"):\($0.sku ?? "-")" } == [
                "3:channels:TYPO-1", "4:price@amazon-fr:PRICE-1",
            ]
        )
        #expect(report.errors[0].message.contains("\"ebay-usa\""))
        #expect(report.errors[0].message.contains("configured: amazon-de, ebay-us"))
    }

    @Test("the SKUs . and .. are refused", arguments: [".", ".."])
    func dotSKUsAreRefused(sku: String) throws {
        let (report, fixture) = try Self.importing("sku,title,price,quantity\n\(sku),Petha,10,1\n", .csv)
        #expect(try Self.stored(fixture).isEmpty)
        #expect(report.errors.map(\.column) == ["sku"])
    }

    @Test("text with a NUL character is a row error, in CSV and in JSON")
    func aNulCharacterIsARowError() throws {
        let (csv, csvFixture) = try Self.importing(
            "sku,title,price,quantity\nNUL-1,Pe\u{0}tha,10,1\nOK-1,Petha,10,1\n",
            .csv
        )
        #expect(try Self.stored(csvFixture) == ["OK-1"])
        #expect(csv.errors.map(\.message) == ["title contains a NUL character"])
        let json = #"[{"sku": "NUL-1", "title": "x", "price": "1", "quantity": 1, "brand": "a\u0000b"}]"#
        let (report, _) = try Self.importing(json, .json)
        #expect(report.errors.map(\.message) == ["brand contains a NUL character"])
    }

    @Test("a CSV field that is not valid UTF-8 is a row error, not silently replaced")
    func invalidUTF8InCSVIsARowError() throws {
        let bytes =
            Array("sku,title,price,quantity\nBAD-1,Pe".utf8) + [0xFF, 0xFE] + Array("tha,10,1\nOK-1,Petha,10,1\n".utf8)
        let (report, fixture) = try Self.importing(bytes, .csv)
        #expect(try Self.stored(fixture) == ["OK-1"])
        #expect(report.errors.map { "\($0.line):\($0.column ?? "-")" } == ["2:title"])
        #expect(report.errors.first?.message == "title is not valid UTF-8 text")
    }

    @Test("a JSON element that is not valid UTF-8 is a row error, and the next element lands")
    func invalidUTF8InJSONIsARowError() throws {
        let bytes =
            Array("[\n{\"sku\": \"BAD-1\", \"title\": \"Pe".utf8) + [0xFF]
            + Array("tha\", \"price\": \"1\", \"quantity\": 1},\n".utf8)
            + Array("\(Self.row("OK-1"))\n]".utf8)
        let (report, fixture) = try Self.importing(bytes, .json)
        #expect(try Self.stored(fixture) == ["OK-1"])
        #expect(report.errors.map(\.line) == [2], "\(report.errors)")
    }
}
