import Catalog
import Foundation
import Testing

struct FacetHashTests {
    /// An independent implementation of the documented hash: MurmurHash64A word steps over 64-bit words,
    /// the word count mixed in at the end, then the final avalanche.
    static func reference(_ words: [UInt64]) -> Int64 {
        let m: UInt64 = 0xc6a4_a793_5bd1_e995
        var h: UInt64 = 0
        for word in words {
            var k = word &* m
            k ^= k >> 47
            k = k &* m
            h ^= k
            h = h &* m
        }
        h ^= UInt64(words.count) &* m
        h = h &* m
        h ^= h >> 47
        h = h &* m
        h ^= h >> 47
        return Int64(bitPattern: h)
    }

    static func int(_ value: Int64) -> [UInt64] { [UInt64(bitPattern: value)] }

    /// Byte count, then the UTF-8 bytes packed little-endian into zero-padded words.
    static func string(_ value: String) -> [UInt64] {
        let bytes = Array(value.utf8)
        var words: [UInt64] = [UInt64(bytes.count)]
        for start in stride(from: 0, to: bytes.count, by: 8) {
            var word: UInt64 = 0
            for (offset, byte) in bytes[start..<min(start + 8, bytes.count)].enumerated() {
                word |= UInt64(byte) << (8 * UInt64(offset))
            }
            words.append(word)
        }
        return words
    }

    @Test func priceHashFollowsTheDocumentedEncoding() {
        let price = Money(minorUnits: 2599, currency: .usd)
        #expect(FacetHash(price: price).rawValue == Self.reference([0x102] + Self.int(2599) + Self.string("USD")))
    }

    @Test func quantityHashFollowsTheDocumentedEncoding() {
        #expect(FacetHash(quantity: 42).rawValue == Self.reference([0x103] + Self.int(42)))
    }

    @Test func contentHashFollowsTheDocumentedEncoding() throws {
        let content = ListingContent(
            sku: try SKU(validating: "A-1"),
            title: "पेठा और दालमोठ",  // 38 UTF-8 bytes: several words and a padded tail
            imageURLs: ["u"],
            attributes: [.init(name: "k", value: "v")],
            language: "hi"
        )
        var words: [UInt64] = [0x101] + Self.string("A-1") + Self.string("पेठा और दालमोठ")
        words += [0, 0, 0, 0] + Self.string("IN") + [0, 0]  // description, brand, type, hs; origin; district, weight
        words += Self.int(1) + Self.string("u") + Self.int(1) + Self.string("k") + Self.string("v")
        words += [1] + Self.string("hi")
        #expect(FacetHash(content: content).rawValue == Self.reference(words))
    }

    /// Pinned values: if one of these changes, the encoding changed and every acked hash in every store
    /// would mismatch. Change the version byte instead, deliberately.
    @Test func hashesArePinnedAcrossRunsAndMachines() throws {
        #expect(FacetHash(price: Money(minorUnits: 2599, currency: .usd)).description == "f6dcaa506655bb27")
        #expect(FacetHash(quantity: 0).description == "7f24b8feb73d81de")
        #expect(FacetHash(quantity: 500).description == "8cf107486ab85498")
        let projector = try Fixtures.projector("amazon-de", currency: .eur, language: "de_DE")
        #expect(projector.hashes(for: Fixtures.product()).content.description == "14556c7f6dc0746d")
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

    @Test(arguments: 0...12)
    func fastContentHashEqualsTheHashOfTheBuiltContent(attributeCount: Int) throws {
        let projector = try Fixtures.projector("amazon-de", currency: .eur, language: "de_DE")
        var attributes: [String: String] = [:]
        for index in 0..<attributeCount { attributes["k\((index * 7) % 13)-\(index)"] = "v\(index)" }
        let product = Fixtures.product(
            translations: ["de": Product.LocalizedText(title: "Agra-Petha")],
            attributes: attributes
        )
        let content = projector.content(for: product)
        #expect(content.attributes.map(\.name) == attributes.keys.sorted())
        #expect(projector.hashes(for: product).content == FacetHash(content: content))
    }

    @Test func listingSettingsChangeEveryContentHashOfTheChannelAndNoSettingsKeepTheHashes() throws {
        let plain = try Fixtures.projector("dhl-express", currency: .inr, language: "en_IN")
        func projector(settings: String) throws -> ChannelProjector {
            var rules = plain.channel
            rules.listingSettings = settings
            return try ChannelProjector(channel: rules, fx: plain.fx)
        }
        let product = Fixtures.product()
        let content = plain.content(for: product)
        let none = try projector(settings: "")
        let three = try projector(settings: "destinations=US,GB,DE")
        let four = try projector(settings: "destinations=US,GB,DE,JP")
        #expect(none.hashes(for: product) == plain.hashes(for: product))
        #expect(plain.hashes(for: product).content == FacetHash(content: content))
        #expect(three.hashes(for: product).content != plain.hashes(for: product).content)
        #expect(four.hashes(for: product).content != three.hashes(for: product).content)
        #expect(three.hashes(for: product).price == plain.hashes(for: product).price)
        // The fast path and the built listing agree with settings too.
        #expect(three.project(product).hashes.content == three.contentHash(for: product))
        #expect(
            three.contentHash(for: product) == FacetHash(content: content, listingSettings: "destinations=US,GB,DE")
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
