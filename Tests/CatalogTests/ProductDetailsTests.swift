import Catalog
import Foundation
import Testing

/// GTIN check digits against real barcodes, and how product details reach a channel's listing and hash.
@Suite("Product details: GTINs, channel resolution and the content hash")
struct ProductDetailsTests {
    @Test(
        "published example EAN-13, UPC-A, EAN-8, ISBN-13 and ITF-14 numbers are GTINs of their kind",
        // The example barcodes of the EAN-13, UPC, EAN-8, ISBN and ITF-14 articles of Wikipedia; each
        // check digit also worked by hand (weights 3,1,3,… from the right).
        arguments: [
            ("4006381333931", GTIN.Kind.ean13), ("5901234123457", .ean13), ("9780306406157", .ean13),
            ("036000291452", .upcA), ("73513537", .ean8), ("15400141288763", .gtin14),
        ]
    )
    func realNumbersAreGTINs(digits: String, kind: GTIN.Kind) throws {
        let gtin = try GTIN(validating: digits)
        #expect(gtin.kind == kind)
        #expect(gtin.digits == digits)
    }

    @Test(
        "a wrong check digit, a wrong length or a non-digit is refused with the reason",
        arguments: [
            ("4006381333932", "its check digit is 2, the digits before it give 1"),
            ("036000291453", "its check digit is 3, the digits before it give 2"),
            ("12345", "it has 5 digits"),
            ("40063813339X1", "only digits are allowed"),
            ("", "only digits are allowed"),
        ]
    )
    func badNumbersAreRefused(text: String, reason: String) {
        #expect(throws: GTIN.ValidationError.self) { try GTIN(validating: text) }
        do {
            _ = try GTIN(validating: text)
        } catch {
            #expect(error.description.contains(reason), "\(error.description)")
        }
    }

    static func product(_ details: ProductDetails) -> Product {
        var product = Fixtures.product(translations: ["de": .init(title: "Agra Petha (DE)")])
        product.details = details
        return product
    }

    @Test("a channel sees its own ASIN, bullet points in its language and its platform attributes only")
    func detailsResolvePerChannel() throws {
        let details = ProductDetails(
            asin: "B000000001",
            asinsByChannel: ["amazon-de": "B0000000DE"],
            bulletPoints: ["Soft", "Sweet"],
            translatedBulletPoints: ["de": ["Weich"]],
            platformAttributes: [
                "amazon.item_type_keyword": "sweets", "amazon.color@amazon-de": "Weiß",
                "amazon.color@amazon-fr": "Blanc",
            ]
        )
        let germany = try Fixtures.projector("amazon-de", currency: .eur, language: "de_DE").content(
            for: Self.product(details)
        )
        #expect(germany.details.asin == "B0000000DE")
        #expect(germany.details.bulletPoints == ["Weich"])
        #expect(germany.bulletLanguage == "de")
        #expect(
            germany.details.platformAttributes == [
                "amazon.item_type_keyword": "sweets", "amazon.color@amazon-de": "Weiß",
            ]
        )
        let usa = try Fixtures.projector().content(for: Self.product(details))
        #expect(usa.details.asin == "B000000001")
        #expect(usa.details.bulletPoints == ["Soft", "Sweet"])
        #expect(usa.bulletLanguage == nil)
        #expect(usa.details.platformAttributes == ["amazon.item_type_keyword": "sweets"])
    }

    @Test(
        "every detail is part of the content hash, on the fast path as on the full one; another channel's ASIN is not"
    )
    func detailsChangeTheContentHash() throws {
        let projector = try Fixtures.projector("amazon-de", currency: .eur, language: "de_DE")
        let base = ProductDetails(gtin: "4006381333931", bulletPoints: ["Soft"], color: "White")
        var edits: [ProductDetails] = []
        func edit(_ change: (inout ProductDetails) -> Void) {
            var copy = base
            change(&copy)
            edits.append(copy)
        }
        edit { $0.gtin = "5901234123457" }
        edit { $0.identifierExemption = true }
        edit { $0.asin = "B000000001" }
        edit { $0.asinsByChannel["amazon-de"] = "B0000000DE" }
        edit { $0.bulletPoints = ["Soft", "Sweet"] }
        edit { $0.translatedBulletPoints["de"] = ["Weich"] }
        edit { $0.color = "Red" }
        edit { $0.material = "ash gourd" }
        edit { $0.manufacturer = "Panchhi" }
        edit { $0.partNumber = "P-1" }
        edit { $0.condition = .newOpenBox }
        edit { $0.dangerousGoods = .ghs }
        edit { $0.platformAttributes["amazon.item_type_keyword"] = "sweets" }
        edit { $0.platformAttributes["amazon.item_type_keyword@amazon-de"] = "süßigkeiten" }
        let baseHash = projector.hashes(for: Self.product(base)).content
        var seen: Set<FacetHash> = [baseHash]
        for details in edits {
            let product = Self.product(details)
            let hash = projector.hashes(for: product).content
            #expect(hash == FacetHash(content: projector.content(for: product)), "fast path = full path: \(details)")
            #expect(seen.insert(hash).inserted, "\(details) changes the hash")
        }
        // Another channel's ASIN or attribute does not re-queue this channel.
        var other = base
        other.asinsByChannel["amazon-fr"] = "B0000000FR"
        other.platformAttributes["amazon.color@amazon-fr"] = "Blanc"
        #expect(projector.hashes(for: Self.product(other)).content == baseHash)
    }

    @Test("a product without details keeps the hash it had before details existed")
    func noDetailsKeepsTheHash() throws {
        let projector = try Fixtures.projector("amazon-de", currency: .eur, language: "de_DE")
        #expect(projector.hashes(for: Fixtures.product()).content.description == "14556c7f6dc0746d")
        #expect(FacetHash(content: projector.content(for: Fixtures.product())).description == "14556c7f6dc0746d")
    }

    @Test("product JSON carries the details beside the product's fields and reads back equal")
    func productJSONRoundTrips() throws {
        let product = Self.product(
            ProductDetails(
                gtin: "036000291452",
                identifierExemption: false,
                asinsByChannel: ["amazon-de": "B0000000DE"],
                bulletPoints: ["Soft"],
                condition: .usedGood,
                platformAttributes: ["amazon.item_type_keyword": "sweets"]
            )
        )
        let data = try JSONEncoder().encode(product)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["gtin"] as? String == "036000291452")
        #expect(object["condition"] as? String == "used_good")
        #expect(object["dangerous_goods"] as? String == "not_applicable")
        #expect((object["asin_by_channel"] as? [String: String]) == ["amazon-de": "B0000000DE"])
        #expect(try JSONDecoder().decode(Product.self, from: data) == product)
    }
}
