/// The content facet of a listing: what a marketplace shows, in the channel's language.
///
/// Built by ``ChannelProjector/content(for:)``; its ``FacetHash`` covers every field.
public struct ListingContent: Hashable, Sendable, Codable {
    /// One product attribute (`material` = `cotton`).
    public struct Attribute: Hashable, Sendable, Codable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var sku: SKU
    /// The title in the channel's language, or the plain title when there is no translation.
    public var title: String
    /// The description in the channel's language, or the plain description.
    public var description: String?
    public var brand: String?
    public var productType: String?
    /// Harmonized System code for customs.
    public var hsCode: String?
    /// ISO 3166-1 alpha-2 country of origin.
    public var originCountry: String
    /// One District One Product district.
    public var district: String?
    public var weightGrams: Int?
    public var imageURLs: [String]
    /// The product's attributes, sorted by name.
    public var attributes: [Attribute]
    /// The translation key whose title is used (`fr_CA` or `fr`), or `nil` for the plain title.
    public var language: String?
    /// Identifiers, bullet points and the rest, resolved for the channel (``ProductDetails``).
    public var details: ProductDetails
    /// The translation key whose bullet points are used, or `nil` for the plain ones.
    public var bulletLanguage: String?
    /// The translation key whose description is used, or `nil` for the plain one.
    public var descriptionLanguage: String?

    /// Whether the content has anything beyond the fields hashed before details existed (``FacetHasher``
    /// adds details to the hash only then). ``descriptionLanguage`` is not hashed: it only changes with
    /// the description's text, which is.
    var hasDetails: Bool { !details.isEmpty || bulletLanguage != nil }

    public init(
        sku: SKU,
        title: String,
        description: String? = nil,
        brand: String? = nil,
        productType: String? = nil,
        hsCode: String? = nil,
        originCountry: String = "IN",
        district: String? = nil,
        weightGrams: Int? = nil,
        imageURLs: [String] = [],
        attributes: [Attribute] = [],
        language: String? = nil,
        details: ProductDetails = ProductDetails(),
        bulletLanguage: String? = nil,
        descriptionLanguage: String? = nil
    ) {
        self.sku = sku
        self.title = title
        self.description = description
        self.brand = brand
        self.productType = productType
        self.hsCode = hsCode
        self.originCountry = originCountry
        self.district = district
        self.weightGrams = weightGrams
        self.imageURLs = imageURLs
        self.attributes = attributes
        self.language = language
        self.details = details
        self.bulletLanguage = bulletLanguage
        self.descriptionLanguage = descriptionLanguage
    }
}

/// Everything one channel should show for one SKU, with the hash of each facet.
public struct DesiredListing: Hashable, Sendable, Codable {
    public var sku: SKU
    /// The channel's name (`amazon-de`).
    public var channel: String
    public var content: ListingContent
    /// The price in the channel's currency.
    public var price: Money
    /// The quantity offered on the channel.
    public var quantity: Int
    public var hashes: FacetHashes

    public init(
        sku: SKU,
        channel: String,
        content: ListingContent,
        price: Money,
        quantity: Int,
        hashes: FacetHashes
    ) {
        self.sku = sku
        self.channel = channel
        self.content = content
        self.price = price
        self.quantity = quantity
        self.hashes = hashes
    }
}
