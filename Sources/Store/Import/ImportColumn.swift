/// A column of the import contract (DESIGN §4.2), parsed from a CSV header or a JSON key.
enum ImportColumn: Hashable, Sendable {
    case sku
    case title
    case price
    case quantity
    case description
    case brand
    case productType
    case hsCode
    case originCountry
    case district
    case weightGrams
    case imageURLs
    case attributes
    case channels
    /// `title@<lang>`.
    case translatedTitle(language: String)
    /// `description@<lang>`.
    case translatedDescription(language: String)
    /// `price@<channel>`.
    case channelPrice(channel: String)
    /// JSON only: `{"de": {"title": …, "description": …}}`.
    case translations
    case gtin
    case identifierExemption
    /// `asin`, or `asin@<channel>` with a channel.
    case asin(channel: String?)
    /// `bullet_points`, or `bullet_points@<lang>` with a language.
    case bulletPoints(language: String?)
    case color
    case material
    case manufacturer
    case partNumber
    case condition
    case dangerousGoods
    /// `<platform>.<attribute>` or `<platform>.<attribute>@<channel>` (`amazon.item_type_keyword`), by
    /// its whole name.
    case platformAttribute(name: String, channel: String?)

    /// Columns every import must have.
    static let required: [ImportColumn] = [.sku, .title, .price, .quantity]

    private static let plain: [String: ImportColumn] = [
        "sku": .sku, "title": .title, "price": .price, "quantity": .quantity, "description": .description,
        "brand": .brand, "product_type": .productType, "hs_code": .hsCode, "origin_country": .originCountry,
        "district": .district, "weight_grams": .weightGrams, "image_urls": .imageURLs, "attributes": .attributes,
        "channels": .channels, "gtin": .gtin, "identifier_exemption": .identifierExemption, "asin": .asin(channel: nil),
        "bullet_points": .bulletPoints(language: nil), "color": .color, "material": .material,
        "manufacturer": .manufacturer, "part_number": .partNumber, "condition": .condition,
        "dangerous_goods": .dangerousGoods,
    ]

    /// The column named `name`, or a message saying why there is none.
    static func parse(_ name: String, allowingTranslationsObject: Bool = false) -> Result<ImportColumn, HeaderProblem> {
        if let column = plain[name] { return .success(column) }
        if allowingTranslationsObject && name == "translations" { return .success(.translations) }
        if let platform = parsePlatformAttribute(name) { return platform }
        guard let at = name.firstIndex(of: "@") else {
            return .failure(HeaderProblem(message: "unknown column \"\(name)\""))
        }
        let base = name[..<at]
        let qualifier = String(name[name.index(after: at)...])
        switch base {
        case "title", "description", "bullet_points":
            guard isLanguage(qualifier) else {
                return .failure(
                    HeaderProblem(
                        message:
                            "\"\(qualifier)\" in \"\(name)\" is not a language (ISO 639-1 like de, or a locale like fr_CA)"
                    )
                )
            }
            switch base {
            case "title": return .success(.translatedTitle(language: qualifier))
            case "description": return .success(.translatedDescription(language: qualifier))
            default: return .success(.bulletPoints(language: qualifier))
            }
        case "asin":
            guard !qualifier.isEmpty else { return .failure(HeaderProblem(message: "\"\(name)\" names no channel")) }
            return .success(.asin(channel: qualifier))
        case "price":
            guard !qualifier.isEmpty else { return .failure(HeaderProblem(message: "\"\(name)\" names no channel")) }
            return .success(.channelPrice(channel: qualifier))
        default:
            return .failure(HeaderProblem(message: "unknown column \"\(name)\""))
        }
    }

    /// `amazon.item_type_keyword` or `amazon.color@amazon-de`: a platform name (lower-case letters), a
    /// dot, an attribute name (lower-case letters, digits, `_`), optionally `@` and a channel. `nil` when
    /// `name` has no dot before any `@` (not meant as a platform attribute).
    static func parsePlatformAttribute(_ name: String) -> Result<ImportColumn, HeaderProblem>? {
        let at = name.firstIndex(of: "@")
        let key = at.map { name[..<$0] } ?? name[...]
        guard let dot = key.firstIndex(of: ".") else { return nil }
        let platform = key[..<dot]
        let attribute = key[key.index(after: dot)...]
        let channel = at.map { String(name[name.index(after: $0)...]) }
        guard !platform.isEmpty, platform.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) }),
            !attribute.isEmpty,
            attribute.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        else {
            return .failure(
                HeaderProblem(
                    message:
                        "\"\(name)\" is not a platform attribute column (<platform>.<attribute> in lower case, like amazon.item_type_keyword, optionally @<channel>)"
                )
            )
        }
        if let channel, channel.isEmpty {
            return .failure(HeaderProblem(message: "\"\(name)\" names no channel"))
        }
        return .success(.platformAttribute(name: name, channel: channel))
    }

    /// `de`, `hi`, `fr_CA`, `de-DE`: two or three lower-case letters, optionally `_`/`-` and a region.
    static func isLanguage(_ text: String) -> Bool {
        let parts = text.split(separator: "_", maxSplits: 1, omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false) }
        guard let language = parts.first, (2...3).contains(language.count),
            language.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) })
        else { return false }
        guard parts.count == 2 else { return parts.count == 1 }
        let region = parts[1]
        return (2...3).contains(region.count)
            && region.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}

/// Why a header column cannot be used.
struct HeaderProblem: Error, Hashable {
    let message: String
}
