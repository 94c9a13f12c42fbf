import Catalog
import Foundation
import Testing

struct FacetHashTests {
    /// An independent FNV-1a 64 over bytes, to check the documented encoding.
    static func fnv1a(_ bytes: [UInt8]) -> Int64 {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { state = (state ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int64(bitPattern: state)
    }

    static func int(_ value: Int64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: value) >> (8 * $0)) }
    }

    static func string(_ value: String) -> [UInt8] {
        int(Int64(value.utf8.count)) + Array(value.utf8)
    }

    @Test func priceHashIsFNV1aOfTheDocumentedEncoding() {
        let price = Money(minorUnits: 2599, currency: .usd)
        #expect(FacetHash(price: price).rawValue == Self.fnv1a([1, 2] + Self.int(2599) + Self.string("USD")))
    }

    @Test func quantityHashIsFNV1aOfTheDocumentedEncoding() {
        #expect(FacetHash(quantity: 42).rawValue == Self.fnv1a([1, 3] + Self.int(42)))
    }

    @Test func contentHashIsFNV1aOfTheDocumentedEncoding() throws {
        let content = ListingContent(
            sku: try SKU(validating: "A-1"),
            title: "पेठा",
            imageURLs: ["u"],
            attributes: [.init(name: "k", value: "v")],
            language: "hi"
        )
        var bytes: [UInt8] = [1, 1] + Self.string("A-1") + Self.string("पेठा")
        bytes += [0, 0, 0, 0] + Self.string("IN") + [0, 0]  // description, brand, type, hs; origin; district, weight
        bytes += Self.int(1) + Self.string("u") + Self.int(1) + Self.string("k") + Self.string("v")
        bytes += [1] + Self.string("hi")
        #expect(FacetHash(content: content).rawValue == Self.fnv1a(bytes))
    }

    /// Pinned values: if one of these changes, the encoding changed and every acked hash in every store
    /// would mismatch. Change the version byte instead, deliberately.
    @Test func hashesArePinnedAcrossRunsAndMachines() throws {
        #expect(FacetHash(price: Money(minorUnits: 2599, currency: .usd)).description == "875573de1ff7c474")
        #expect(FacetHash(quantity: 0).description == "0b6ce6e15b77af7d")
        #expect(FacetHash(quantity: 500).description == "7dc678fb5963bd6e")
        let projector = try Fixtures.projector("amazon-de", currency: .eur, language: "de_DE")
        #expect(projector.hashes(for: Fixtures.product()).content.description == "9070051ebf1aeaf8")
    }

    @Test func facetHashRoundTripsThroughCodableAsAnInteger() throws {
        let hash = FacetHash(quantity: 7)
        let data = try JSONEncoder().encode(hash)
        #expect(String(decoding: data, as: UTF8.self) == String(hash.rawValue))
        #expect(try JSONDecoder().decode(FacetHash.self, from: data) == hash)
    }

    @Test func subscriptReturnsEachFacet() {
        let hashes = FacetHashes(
            content: FacetHash(rawValue: 1),
            price: FacetHash(rawValue: 2),
            quantity: FacetHash(rawValue: 3)
        )
        #expect(Facet.allCases.map { hashes[$0].rawValue } == [1, 2, 3])
    }

    // MARK: - Exactly the changed facet changes

    struct Edit: CustomTestStringConvertible, Sendable {
        let name: String
        let changed: Set<Facet>
        let apply: @Sendable (inout Product) -> Void

        var testDescription: String { name }
    }

    static let edits: [Edit] = [
        Edit(name: "price edit", changed: [.price]) { $0.price = Money(minorUnits: 150_000, currency: .inr) },
        Edit(name: "tiny price edit that rounds the same", changed: []) {
            $0.price = Money(minorUnits: 100_001, currency: .inr)
        },
        Edit(name: "quantity edit", changed: [.quantity]) { $0.quantity = 11 },
        Edit(name: "quantity edit hidden by the cap", changed: []) { $0.quantity = 900 },
        Edit(name: "title edit", changed: [.content]) { $0.title = "Agra Petha, 500 g" },
        Edit(name: "description edit", changed: [.content]) { $0.description = nil },
        Edit(name: "attribute edit", changed: [.content]) { $0.attributes["flavour"] = "plain" },
        Edit(name: "image reorder", changed: [.content]) { $0.imageURLs.reverse() },
        Edit(name: "weight edit", changed: [.content]) { $0.weightGrams = 501 },
        Edit(name: "brand removed", changed: [.content]) { $0.brand = nil },
        Edit(name: "translation for another language", changed: []) {
            $0.translations["ja"] = Product.LocalizedText(title: "アグラ・ペタ")
        },
        Edit(name: "translation for this channel's language", changed: [.content]) {
            $0.translations["de"] = Product.LocalizedText(title: "Agra-Petha")
        },
        Edit(name: "translation for this channel's exact locale", changed: [.content]) {
            $0.translations["de_DE"] = Product.LocalizedText(description: "Süß.")
        },
        Edit(name: "override for this channel", changed: [.price]) { $0.channelPrices["amazon-de"] = 9 },
        Edit(name: "override for another channel", changed: []) { $0.channelPrices["amazon-us"] = 9 },
    ]

    @Test(arguments: edits)
    func onlyTheEditedFacetsHashChanges(_ edit: Edit) throws {
        let projector = try Fixtures.projector(
            "amazon-de",
            currency: .eur,
            language: "de_DE",
            inventory: ["max": 500]
        )
        var product = Fixtures.product(quantity: 600)
        let before = projector.hashes(for: product)
        edit.apply(&product)
        let after = projector.hashes(for: product)
        let changed = Set(Facet.allCases.filter { before[$0] != after[$0] })
        #expect(changed == edit.changed)
        #expect(after == projector.project(product).hashes)
    }

    @Test func attributeInsertionOrderDoesNotMatter() throws {
        let projector = try Fixtures.projector()
        var forward: [String: String] = [:]
        var backward: [String: String] = [:]
        let pairs = (0..<20).map { ("key\($0)", "value\($0)") }
        for (key, value) in pairs { forward[key] = value }
        for (key, value) in pairs.reversed() { backward[key] = value }
        #expect(
            projector.hashes(for: Fixtures.product(attributes: forward))
                == projector.hashes(for: Fixtures.product(attributes: backward))
        )
    }

    @Test func sameContentOnTwoChannelsOfOneLanguageHashesTheSame() throws {
        let us = try Fixtures.projector("amazon-us", currency: .usd, language: "en_US")
        let uk = try Fixtures.projector("ebay-uk", currency: .gbp, language: "en_GB")
        let product = Fixtures.product()
        #expect(us.hashes(for: product).content == uk.hashes(for: product).content)
        #expect(us.hashes(for: product).price != uk.hashes(for: product).price)
    }

    @Test func fieldBoundariesAreLengthPrefixed() throws {
        let projector = try Fixtures.projector()
        var first = Fixtures.product()
        first.brand = "ab"
        first.productType = "c"
        var second = Fixtures.product()
        second.brand = "a"
        second.productType = "bc"
        #expect(projector.hashes(for: first).content != projector.hashes(for: second).content)
    }
}
