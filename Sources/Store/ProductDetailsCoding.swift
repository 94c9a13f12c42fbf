import Catalog

/// The `details` column of the `product` table: a product's ``ProductDetails`` as one
/// ``CompactCoding`` dictionary keyed by import column name, only non-default fields written, so a
/// product without details stores `''` (the column's default for rows written before it existed).
///
/// Keys: `gtin`, `identifier_exemption` (`1`), `asin`, `asin@<channel>`, `bullet_points` and
/// `bullet_points@<lang>` (each a nested compact list), `color`, `material`, `manufacturer`,
/// `part_number`, `condition`, `dangerous_goods`, and per-platform attributes under their column
/// name (`amazon.item_type_keyword`, `amazon.color@amazon-de`).
enum ProductDetailsCoding {
    static func encode(_ details: ProductDetails) -> String {
        guard !details.isEmpty else { return "" }
        var fields: [String: String] = details.platformAttributes
        fields["gtin"] = details.gtin
        if details.identifierExemption { fields["identifier_exemption"] = "1" }
        fields["asin"] = details.asin
        for (channel, asin) in details.asinsByChannel { fields["asin@\(channel)"] = asin }
        if !details.bulletPoints.isEmpty { fields["bullet_points"] = CompactCoding.encode(details.bulletPoints) }
        for (language, bullets) in details.translatedBulletPoints {
            fields["bullet_points@\(language)"] = CompactCoding.encode(bullets)
        }
        fields["color"] = details.color
        fields["material"] = details.material
        fields["manufacturer"] = details.manufacturer
        fields["part_number"] = details.partNumber
        if details.condition != .newNew { fields["condition"] = details.condition.rawValue }
        if details.dangerousGoods != .notApplicable { fields["dangerous_goods"] = details.dangerousGoods.rawValue }
        return CompactCoding.encode(fields)
    }

    static func decode(_ fields: [String: String], sku: String) throws -> ProductDetails {
        var details = ProductDetails()
        for (key, value) in fields {
            switch key {
            case "gtin": details.gtin = value
            case "identifier_exemption": details.identifierExemption = value == "1"
            case "asin": details.asin = value
            case "bullet_points": details.bulletPoints = try CompactCoding.decodeStrings(value)
            case "color": details.color = value
            case "material": details.material = value
            case "manufacturer": details.manufacturer = value
            case "part_number": details.partNumber = value
            case "condition":
                guard let condition = ProductDetails.Condition(rawValue: value) else {
                    throw StoreError.corruptRow(table: "product", key: sku, reason: "condition \(value)")
                }
                details.condition = condition
            case "dangerous_goods":
                guard let goods = ProductDetails.DangerousGoods(rawValue: value) else {
                    throw StoreError.corruptRow(table: "product", key: sku, reason: "dangerous_goods \(value)")
                }
                details.dangerousGoods = goods
            default:
                if key.hasPrefix("asin@") {
                    details.asinsByChannel[String(key.dropFirst(5))] = value
                } else if key.hasPrefix("bullet_points@") {
                    details.translatedBulletPoints[String(key.dropFirst(14))] = try CompactCoding.decodeStrings(value)
                } else {
                    details.platformAttributes[key] = value
                }
            }
        }
        return details
    }

    /// Decodes the column's text (`''` for no details).
    static func decode(_ encoded: String, sku: String) throws -> ProductDetails {
        encoded.isEmpty ? ProductDetails() : try decode(CompactCoding.decodeDictionary(encoded), sku: sku)
    }

    /// Decodes the column's bytes (empty for no details).
    static func decode(bytes: UnsafeBufferPointer<UInt8>, sku: String) throws -> ProductDetails {
        bytes.count == 0 ? ProductDetails() : try decode(CompactCoding.decodeDictionary(bytes: bytes), sku: sku)
    }
}
