import Catalog
import Testing

struct ContentTests {
    static let translations: [String: Product.LocalizedText] = [
        "fr_CA": Product.LocalizedText(title: "Petha d'Agra (Québec)"),
        "fr": Product.LocalizedText(title: "Petha d'Agra", description: "Confiserie de courge cendrée."),
        "de": Product.LocalizedText(title: "Agra-Petha", description: "Weiche Süßigkeit aus Agra."),
        "hi": Product.LocalizedText(title: "आगरा पेठा"),
    ]

    @Test(
        arguments: [
            // (channel language, expected title, expected description, expected translation key)
            ("fr_CA", "Petha d'Agra (Québec)", "Confiserie de courge cendrée.", "fr_CA"),
            ("fr_FR", "Petha d'Agra", "Confiserie de courge cendrée.", "fr"),
            ("fr", "Petha d'Agra", "Confiserie de courge cendrée.", "fr"),
            ("de_DE", "Agra-Petha", "Weiche Süßigkeit aus Agra.", "de"),
            ("hi_IN", "आगरा पेठा", "Soft ash-gourd sweet from Agra.", "hi"),
            ("ja_JP", "Agra Petha", "Soft ash-gourd sweet from Agra.", nil),
            ("en_US", "Agra Petha", "Soft ash-gourd sweet from Agra.", nil),
        ] as [(String, String, String, String?)]
    )
    func titleFallsBackFromLocaleToLanguageToPlain(
        language: String,
        title: String,
        description: String,
        key: String?
    ) throws {
        let projector = try Fixtures.projector(language: language)
        let content = projector.content(for: Fixtures.product(translations: Self.translations))
        #expect(content.title == title)
        #expect(content.description == description)
        #expect(content.language == key)
    }

    @Test func contentCarriesEveryCatalogFieldWithAttributesSortedByName() throws {
        let projector = try Fixtures.projector()
        let product = Fixtures.product(attributes: ["weight": "500g", "flavour": "kesar", "box": "tin"])
        let content = projector.content(for: product)
        #expect(
            content
                == ListingContent(
                    sku: product.sku,
                    title: "Agra Petha",
                    description: "Soft ash-gourd sweet from Agra.",
                    brand: "Panchhi",
                    productType: "FOOD",
                    hsCode: "170490",
                    originCountry: "IN",
                    district: "Agra",
                    weightGrams: 500,
                    imageURLs: ["https://img.example/petha-1.jpg", "https://img.example/petha-2.jpg"],
                    attributes: [
                        .init(name: "box", value: "tin"),
                        .init(name: "flavour", value: "kesar"),
                        .init(name: "weight", value: "500g"),
                    ],
                    language: nil
                )
        )
    }

    @Test func projectGathersContentPriceQuantityAndTheirHashes() throws {
        let projector = try Fixtures.projector(
            "amazon-de",
            currency: .eur,
            language: "de_DE",
            pricing: ["markup_percent": "20"],
            inventory: ["buffer": 2]
        )
        let product = Fixtures.product(translations: Self.translations)
        let listing = projector.project(product)
        #expect(listing.sku == product.sku)
        #expect(listing.channel == "amazon-de")
        #expect(listing.content.title == "Agra-Petha")
        #expect(listing.price == Money(parsing: "13.08", currency: .eur))
        #expect(listing.quantity == 8)
        #expect(listing.hashes == projector.hashes(for: product))
        #expect(listing.hashes.content == FacetHash(content: listing.content))
        #expect(listing.hashes.price == FacetHash(price: listing.price))
        #expect(listing.hashes.quantity == FacetHash(quantity: 8))
    }
}
