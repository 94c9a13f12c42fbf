/// What marketplaces need to create a listing beyond title, price and stock (DESIGN §4.2): product
/// identifiers, an existing catalog page to sell on, bullet points, the attributes most product types
/// require, and per-platform attributes for everything else.
///
/// Part of ``Product`` (its fields sit flat beside the product's on the wire) and, resolved for one
/// channel, of ``ListingContent``: there ``asinsByChannel`` and ``translatedBulletPoints`` are folded
/// into ``asin`` and ``bulletPoints``, and ``platformAttributes`` holds only entries for every channel and
/// for that one.
public struct ProductDetails: Hashable, Sendable, Codable {
    /// The item's condition, as Amazon's `condition_type` names it (the widest set among the platforms).
    public enum Condition: String, Hashable, Sendable, Codable, CaseIterable {
        case clubClub = "club_club"
        case collectibleAcceptable = "collectible_acceptable"
        case collectibleGood = "collectible_good"
        case collectibleLikeNew = "collectible_like_new"
        case collectibleVeryGood = "collectible_very_good"
        case newNew = "new_new"
        case newOEM = "new_oem"
        case newOpenBox = "new_open_box"
        case refurbished = "refurbished_refurbished"
        case usedAcceptable = "used_acceptable"
        case usedGood = "used_good"
        case usedLikeNew = "used_like_new"
        case usedVeryGood = "used_very_good"

        /// The condition named `text`: one of the raw values, or `new` for `new_new`.
        public init?(text: String) {
            if text == "new" {
                self = .newNew
            } else {
                self.init(rawValue: text)
            }
        }

        /// Whether the item is new (any `new_*` condition).
        public var isNew: Bool { rawValue.hasPrefix("new_") }
    }

    /// Whether the product is a regulated dangerous good, as Amazon's `supplier_declared_dg_hz_regulation`
    /// names it.
    public enum DangerousGoods: String, Hashable, Sendable, Codable, CaseIterable {
        case notApplicable = "not_applicable"
        case ghs
        case storage
        case transportation
        case waste
        case other
        case unknown
    }

    /// The GTIN as imported (8, 12, 13 or 14 digits, check digit verified).
    public var gtin: String?
    /// The product has no GTIN and its brand is exempt from needing one.
    public var identifierExemption: Bool
    /// The ASIN of an existing Amazon detail page to sell on, on every Amazon channel, or `nil`.
    public var asin: String?
    /// ASINs per channel name (`asin@amazon-de`), overriding ``asin``.
    public var asinsByChannel: [String: String]
    /// Key features, in the order given.
    public var bulletPoints: [String]
    /// Bullet points per language (`bullet_points@de`), keyed like ``Product/translations``.
    public var translatedBulletPoints: [String: [String]]
    public var color: String?
    public var material: String?
    public var manufacturer: String?
    /// The manufacturer's part number (MPN).
    public var partNumber: String?
    public var condition: Condition
    public var dangerousGoods: DangerousGoods
    /// Per-platform attributes by column name: `amazon.item_type_keyword`, and
    /// `amazon.item_type_keyword@amazon-de` for one channel. In a ``ListingContent`` only those for every
    /// channel and for its own (the adapter prefers `@<channel>`, whose text is in the channel's language).
    public var platformAttributes: [String: String]

    public init(
        gtin: String? = nil,
        identifierExemption: Bool = false,
        asin: String? = nil,
        asinsByChannel: [String: String] = [:],
        bulletPoints: [String] = [],
        translatedBulletPoints: [String: [String]] = [:],
        color: String? = nil,
        material: String? = nil,
        manufacturer: String? = nil,
        partNumber: String? = nil,
        condition: Condition = .newNew,
        dangerousGoods: DangerousGoods = .notApplicable,
        platformAttributes: [String: String] = [:]
    ) {
        self.gtin = gtin
        self.identifierExemption = identifierExemption
        self.asin = asin
        self.asinsByChannel = asinsByChannel
        self.bulletPoints = bulletPoints
        self.translatedBulletPoints = translatedBulletPoints
        self.color = color
        self.material = material
        self.manufacturer = manufacturer
        self.partNumber = partNumber
        self.condition = condition
        self.dangerousGoods = dangerousGoods
        self.platformAttributes = platformAttributes
    }

    /// Whether every field has its default (a catalog written before these columns existed).
    public var isEmpty: Bool { self == ProductDetails() }

    /// These details as one channel sees them: its ASIN, its bullet points (from the first of
    /// `translationKeys` that has some, else the plain ones) and its platform attributes.
    /// - Returns: the resolved details and the translation key whose bullet points are used, if any.
    func resolved(channel: String, translationKeys: [String]) -> (details: ProductDetails, bulletLanguage: String?) {
        var resolved = self
        resolved.asin = asinsByChannel[channel] ?? asin
        resolved.asinsByChannel = [:]
        var language: String?
        for key in translationKeys {
            if let bullets = translatedBulletPoints[key], !bullets.isEmpty {
                resolved.bulletPoints = bullets
                language = key
                break
            }
        }
        resolved.translatedBulletPoints = [:]
        var attributes: [String: String] = [:]
        let suffix = "@" + channel
        for (key, value) in platformAttributes where !key.contains("@") || key.hasSuffix(suffix) {
            attributes[key] = value
        }
        resolved.platformAttributes = attributes
        return (resolved, language)
    }

    private enum CodingKeys: String, CodingKey {
        case gtin, asin, color, material, manufacturer, condition
        case identifierExemption = "identifier_exemption"
        case asinsByChannel = "asin_by_channel"
        case bulletPoints = "bullet_points"
        case translatedBulletPoints = "bullet_points_by_language"
        case partNumber = "part_number"
        case dangerousGoods = "dangerous_goods"
        case platformAttributes = "platform_attributes"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        gtin = try container.decodeIfPresent(String.self, forKey: .gtin)
        identifierExemption = try container.decodeIfPresent(Bool.self, forKey: .identifierExemption) ?? false
        asin = try container.decodeIfPresent(String.self, forKey: .asin)
        asinsByChannel = try container.decodeIfPresent([String: String].self, forKey: .asinsByChannel) ?? [:]
        bulletPoints = try container.decodeIfPresent([String].self, forKey: .bulletPoints) ?? []
        translatedBulletPoints =
            try container.decodeIfPresent([String: [String]].self, forKey: .translatedBulletPoints) ?? [:]
        color = try container.decodeIfPresent(String.self, forKey: .color)
        material = try container.decodeIfPresent(String.self, forKey: .material)
        manufacturer = try container.decodeIfPresent(String.self, forKey: .manufacturer)
        partNumber = try container.decodeIfPresent(String.self, forKey: .partNumber)
        condition = try container.decodeIfPresent(Condition.self, forKey: .condition) ?? .newNew
        dangerousGoods = try container.decodeIfPresent(DangerousGoods.self, forKey: .dangerousGoods) ?? .notApplicable
        platformAttributes = try container.decodeIfPresent([String: String].self, forKey: .platformAttributes) ?? [:]
    }
}
