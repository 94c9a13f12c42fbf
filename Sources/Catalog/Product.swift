import Foundation

/// One product of the canonical catalog, with the fields of the import contract (DESIGN §4.2).
///
/// Prices are in the daemon's base currency (INR by default). `Product` is a plain value:
/// validation happens where text becomes a product (``ProductDecoder``), not here.
public struct Product: Hashable, Sendable, Codable {
    /// A title and description in one language.
    public struct LocalizedText: Hashable, Sendable, Codable {
        public var title: String?
        public var description: String?

        public init(title: String? = nil, description: String? = nil) {
            self.title = title
            self.description = description
        }
    }

    public var sku: SKU
    public var title: String
    /// Price in the base currency, before any channel's FX conversion and rules.
    public var price: Money
    /// Units on hand, before any channel's share, buffer and cap.
    public var quantity: Int
    public var description: String?
    public var brand: String?
    public var productType: String?
    /// Harmonized System code for customs (`"170490"`).
    public var hsCode: String?
    /// ISO 3166-1 alpha-2 country of origin; `IN` unless the import says otherwise.
    public var originCountry: String
    /// One District One Product district (`"Agra"`).
    public var district: String?
    public var weightGrams: Int?
    public var imageURLs: [String]
    /// Free-form attributes (`material=cotton`), sorted by key wherever they are hashed or sent.
    public var attributes: [String: String]
    /// Translations keyed by ISO 639-1 language (`de`) or full locale (`fr_CA`).
    public var translations: [String: LocalizedText]
    /// Fixed prices per channel name (`price@amazon-de`), in that channel's currency, as given.
    public var channelPrices: [String: Decimal]
    /// The channels this product is listed on; `nil` means every channel.
    public var channels: [String]?
    /// Identifiers, bullet points and the other fields marketplaces need to create a listing; on the
    /// wire its keys sit beside the product's own.
    public var details: ProductDetails

    public init(
        sku: SKU,
        title: String,
        price: Money,
        quantity: Int,
        description: String? = nil,
        brand: String? = nil,
        productType: String? = nil,
        hsCode: String? = nil,
        originCountry: String = "IN",
        district: String? = nil,
        weightGrams: Int? = nil,
        imageURLs: [String] = [],
        attributes: [String: String] = [:],
        translations: [String: LocalizedText] = [:],
        channelPrices: [String: Decimal] = [:],
        channels: [String]? = nil,
        details: ProductDetails = ProductDetails()
    ) {
        self.sku = sku
        self.title = title
        self.price = price
        self.quantity = quantity
        self.description = description
        self.brand = brand
        self.productType = productType
        self.hsCode = hsCode
        self.originCountry = originCountry
        self.district = district
        self.weightGrams = weightGrams
        self.imageURLs = imageURLs
        self.attributes = attributes
        self.translations = translations
        self.channelPrices = channelPrices
        self.channels = channels
        self.details = details
    }

    /// Wire names follow the import contract (DESIGN §4.2): snake_case, as scripts and the control API see them.
    private enum CodingKeys: String, CodingKey {
        case sku, title, price, quantity, description, brand, district, attributes, translations, channels
        case productType = "product_type"
        case hsCode = "hs_code"
        case originCountry = "origin_country"
        case weightGrams = "weight_grams"
        case imageURLs = "image_urls"
        case channelPrices = "channel_prices"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sku = try container.decode(SKU.self, forKey: .sku)
        title = try container.decode(String.self, forKey: .title)
        price = try container.decode(Money.self, forKey: .price)
        quantity = try container.decode(Int.self, forKey: .quantity)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        brand = try container.decodeIfPresent(String.self, forKey: .brand)
        productType = try container.decodeIfPresent(String.self, forKey: .productType)
        hsCode = try container.decodeIfPresent(String.self, forKey: .hsCode)
        originCountry = try container.decode(String.self, forKey: .originCountry)
        district = try container.decodeIfPresent(String.self, forKey: .district)
        weightGrams = try container.decodeIfPresent(Int.self, forKey: .weightGrams)
        imageURLs = try container.decode([String].self, forKey: .imageURLs)
        attributes = try container.decode([String: String].self, forKey: .attributes)
        translations = try container.decode([String: LocalizedText].self, forKey: .translations)
        channelPrices = try container.decode([String: Decimal].self, forKey: .channelPrices)
        channels = try container.decodeIfPresent([String].self, forKey: .channels)
        details = try ProductDetails(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sku, forKey: .sku)
        try container.encode(title, forKey: .title)
        try container.encode(price, forKey: .price)
        try container.encode(quantity, forKey: .quantity)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encodeIfPresent(brand, forKey: .brand)
        try container.encodeIfPresent(productType, forKey: .productType)
        try container.encodeIfPresent(hsCode, forKey: .hsCode)
        try container.encode(originCountry, forKey: .originCountry)
        try container.encodeIfPresent(district, forKey: .district)
        try container.encodeIfPresent(weightGrams, forKey: .weightGrams)
        try container.encode(imageURLs, forKey: .imageURLs)
        try container.encode(attributes, forKey: .attributes)
        try container.encode(translations, forKey: .translations)
        try container.encode(channelPrices, forKey: .channelPrices)
        try container.encodeIfPresent(channels, forKey: .channels)
        try details.encode(to: encoder)
    }

    /// Whether the product is listed on the channel named `channel`.
    public func isListed(on channel: String) -> Bool {
        channels?.contains(channel) ?? true
    }
}
