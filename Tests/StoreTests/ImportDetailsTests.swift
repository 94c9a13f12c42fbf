import Catalog
import Foundation
import Store
import Testing

/// The listing-creation columns (gtin, identifier_exemption, asin, bullet_points, condition, per-platform
/// attributes, ...): imported, stored and read back; bad values refused with the column and the row.
@Suite("Catalog import: identifiers, bullet points and per-platform attributes")
struct ImportDetailsTests {
    static let header =
        "sku,title,price,quantity,gtin,identifier_exemption,asin,asin@amazon-de,bullet_points,bullet_points@de,"
        + "color,material,manufacturer,part_number,condition,dangerous_goods,amazon.item_type_keyword,"
        + "amazon.color@amazon-de"

    static func importing(_ text: String, _ format: CatalogImporter.Format = .csv) throws -> (
        ImportReport, TemporaryStore
    ) {
        let fixture = try TemporaryStore()
        let report = try CatalogImporter(store: fixture.store).importData(Data(text.utf8), format: format, now: epoch)
        return (report, fixture)
    }

    @Test("every new column is stored and read back as imported, from CSV and from JSON")
    func columnsRoundTrip() throws {
        let csv = """
            \(Self.header)
            PETHA-1,Agra Petha,220,5,4006381333931,,,B0BZ5R9K1D,Soft|Sweet| ,Weich,White,ash gourd,Panchhi,P-1,new,,sweets,Weiß
            CRAFT-1,Brass Diya,450,2,,true,B07XJ8C8F5,,,,Gold,brass,,,used_good,ghs,,
            """
        let (report, fixture) = try Self.importing(csv)
        #expect(report.errors.isEmpty, "\(report.errors)")
        let petha = try #require(try fixture.store.product(sku: SKU(validating: "PETHA-1"))?.product.details)
        #expect(
            petha
                == ProductDetails(
                    gtin: "4006381333931",
                    asinsByChannel: ["amazon-de": "B0BZ5R9K1D"],
                    bulletPoints: ["Soft", "Sweet"],
                    translatedBulletPoints: ["de": ["Weich"]],
                    color: "White",
                    material: "ash gourd",
                    manufacturer: "Panchhi",
                    partNumber: "P-1",
                    platformAttributes: ["amazon.item_type_keyword": "sweets", "amazon.color@amazon-de": "Weiß"]
                )
        )
        let craft = try #require(try fixture.store.product(sku: SKU(validating: "CRAFT-1"))?.product.details)
        #expect(
            craft
                == ProductDetails(
                    identifierExemption: true,
                    asin: "B07XJ8C8F5",
                    color: "Gold",
                    material: "brass",
                    condition: .usedGood,
                    dangerousGoods: .ghs
                )
        )

        let json = """
            [{"sku": "J-1", "title": "Petha", "price": "10", "quantity": 1, "gtin": "036000291452",
              "identifier_exemption": false, "bullet_points": ["Soft", "Sweet"], "bullet_points@de": "Weich|Süß",
              "amazon.item_type_keyword": "sweets", "condition": "new_open_box"}]
            """
        let (jsonReport, jsonFixture) = try Self.importing(json, .json)
        #expect(jsonReport.errors.isEmpty, "\(jsonReport.errors)")
        let stored = try #require(try jsonFixture.store.product(sku: SKU(validating: "J-1"))?.product.details)
        #expect(stored.gtin == "036000291452" && stored.bulletPoints == ["Soft", "Sweet"])
        #expect(stored.translatedBulletPoints == ["de": ["Weich", "Süß"]] && stored.condition == .newOpenBox)
        #expect(stored.platformAttributes == ["amazon.item_type_keyword": "sweets"])
    }

    @Test("bad values are row errors naming the column and the line, and the good rows land")
    func badValuesAreRowErrors() throws {
        let eleven = (1...11).map { "b\($0)" }.joined(separator: "|")
        let csv = """
            \(Self.header)
            GOOD-1,Petha,220,5,4006381333931,,,,,,,,,,,,,
            BAD-GTIN,Petha,220,5,4006381333932,,,,,,,,,,,,,
            BAD-LEN,Petha,220,5,12345,,,,,,,,,,,,,
            BAD-ASIN,Petha,220,5,,,b0bz5r9k1d,,,,,,,,,,,
            BAD-EXEMPT,Petha,220,5,,maybe,,,,,,,,,,,,
            BAD-BULLETS,Petha,220,5,,,,,\(eleven),,,,,,,,,
            BAD-CONDITION,Petha,220,5,,,,,,,,,,,mint,,,
            BAD-DG,Petha,220,5,,,,,,,,,,,,flammable,,
            GOOD-2,Petha,220,5,,true,,,,,,,,,,,,
            """
        let (report, fixture) = try Self.importing(csv)
        #expect(report.inserted == 2)
        let errors = report.errors.map { "\($0.line) \($0.column ?? "-") \($0.sku ?? "-")" }
        #expect(
            errors == [
                "3 gtin BAD-GTIN", "4 gtin BAD-LEN", "5 asin BAD-ASIN", "6 identifier_exemption BAD-EXEMPT",
                "7 bullet_points BAD-BULLETS", "8 condition BAD-CONDITION", "9 dangerous_goods BAD-DG",
            ]
        )
        #expect(
            report.errors[0].message.contains("check digit is 2, the digits before it give 1"),
            "\(report.errors[0])"
        )
        #expect(report.errors[4].message.contains("11 bullet points, at most 10"), "\(report.errors[4])")
        #expect(try fixture.store.product(sku: SKU(validating: "GOOD-2"))?.product.details.identifierExemption == true)
    }

    @Test("a bullet point over 1,000 characters, a channel no one configured, a malformed platform column are refused")
    func limitsAndNames() throws {
        let long = String(repeating: "x", count: 1_001)
        let csv = """
            sku,title,price,quantity,bullet_points,asin@amazon-jp,amazon.color@ebay-uk
            A-1,Petha,10,1,ok|\(long),,
            A-2,Petha,10,1,,B0BZ5R9K1D,
            A-3,Petha,10,1,,,Red
            """
        let (report, _) = try Self.importing(csv)
        #expect(
            report.errors.map(\.column) == ["bullet_points", "asin@amazon-jp", "amazon.color@ebay-uk"],
            "\(report.errors)"
        )
        #expect(
            report.errors[0].message.contains("bullet point 2 has 1001 characters, at most 1000"),
            "\(report.errors[0])"
        )
        #expect(report.errors[1].message.contains("names no configured channel"))

        let (header, _) = try Self.importing("sku,title,price,quantity,Amazon.Color\nA-1,Petha,10,1,Red\n")
        #expect(header.inserted == 0)
        #expect(header.errors.first?.column == "Amazon.Color")
        #expect(header.errors.first?.message.contains("not a platform attribute column") == true)
    }

    @Test("a catalog without the new columns imports as before, with default details")
    func oldCatalogsImport() throws {
        let (report, fixture) = try Self.importing("sku,title,price,quantity\nOLD-1,Petha,10,1\n")
        #expect(report.errors.isEmpty && report.inserted == 1)
        let details = try #require(try fixture.store.product(sku: SKU(validating: "OLD-1"))?.product.details)
        #expect(details == ProductDetails())
        #expect(details.condition == .newNew && details.dangerousGoods == .notApplicable)
    }

    @Test("an edit to a detail alone is an update; the same row again is unchanged")
    func detailEditIsAChange() throws {
        let (first, fixture) = try Self.importing("sku,title,price,quantity,color\nC-1,Petha,10,1,White\n")
        #expect(first.inserted == 1)
        let again = try CatalogImporter(store: fixture.store).importData(
            Data("sku,title,price,quantity,color\nC-1,Petha,10,1,White\n".utf8),
            format: .csv,
            now: epoch
        )
        #expect(again.unchanged == 1)
        let edited = try CatalogImporter(store: fixture.store).importData(
            Data("sku,title,price,quantity,color\nC-1,Petha,10,1,Red\n".utf8),
            format: .csv,
            now: epoch
        )
        #expect(edited.updated == 1)
        #expect(try fixture.store.product(sku: SKU(validating: "C-1"))?.product.details.color == "Red")
    }
}
