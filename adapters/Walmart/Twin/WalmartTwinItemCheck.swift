import Foundation

/// The twin's reading of an `MP_ITEM` feed file against item setup spec 5.0, as far as Walmart's public
/// pages describe it (the 5.0 JSON schema is not public: see adapters/Walmart/README.md): a header with
/// `businessUnit`, `locale`, `version` 5.0… and `subset`; per item an `Orderable` with `sku`,
/// `productIdentifiers` (type and a valid GS1 number) and `price`; and `Visible` with exactly one key, a
/// Walmart category the twin knows, holding `productName` and only attributes the twin knows.
enum WalmartTwinItemCheck {
    /// The attributes the twin accepts in `Orderable` (a subset of the spec's).
    static let orderableAttributes: Set<String> = [
        "sku", "productIdentifiers", "price", "ShippingWeight", "stateRestrictions", "specProductType",
        "startDate", "endDate", "fulfillmentLagTime", "MustShipAlone",
    ]
    /// The attributes the twin accepts in a `Visible` category (a subset of the spec's; images are
    /// `mainImageUrl` and `productSecondaryImageURL`).
    static let visibleAttributes: Set<String> = [
        "productName", "brand", "shortDescription", "keyFeatures", "mainImageUrl", "productSecondaryImageURL",
        "manufacturer", "color", "material", "countryOfOriginAssemblies",
    ]
    /// Identifier types and their lengths.
    static let identifierLengths: [String: Set<Int>] = ["GTIN": [14], "UPC": [12], "EAN": [13], "ISBN": [10, 13]]

    /// The header's problem, or `nil`.
    static func header(_ root: [String: Any]) -> String? {
        guard let header = root["MPItemFeedHeader"] as? [String: Any] else { return "MPItemFeedHeader is required" }
        let version = header["version"] as? String ?? ""
        guard version.hasPrefix("5.0") else {
            return "MPItemFeedHeader.version \(version) is not supported: use the 5.0 item spec"
        }
        for key in ["businessUnit", "locale", "subset"] where (header[key] as? String ?? "").isEmpty {
            return "MPItemFeedHeader.\(key) is required"
        }
        guard header["businessUnit"] as? String == "WALMART_US" else {
            return "MPItemFeedHeader.businessUnit must be WALMART_US"
        }
        return nil
    }

    /// Each item's line with its problems.
    static func items(_ root: [String: Any], categories: Set<String>) -> [WalmartTwinState.FeedItem]? {
        guard let items = root["MPItem"] as? [Any] else { return nil }
        return items.enumerated().map { index, element in
            let item = element as? [String: Any] ?? [:]
            let orderable = item["Orderable"] as? [String: Any] ?? [:]
            let sku = orderable["sku"] as? String ?? ""
            var errors = self.orderable(orderable)
            let (title, visibleErrors) = visible(item["Visible"], categories: categories)
            errors += visibleErrors
            let price = (orderable["price"] as? NSNumber).flatMap { Decimal(string: $0.stringValue) }
            let change: WalmartTwinState.Change? =
                errors.isEmpty ? .setup(sku: sku, title: title ?? "", price: price ?? 0) : nil
            return .init(index: index, sku: sku, change: change, errors: errors)
        }
    }

    private static func missing(_ field: String) -> WalmartTwinError {
        .init(code: "ERR_EXT_DATA_0101001", field: field, description: "Missing required attribute: \(field)")
    }

    private static func orderable(_ orderable: [String: Any]) -> [WalmartTwinError] {
        var errors: [WalmartTwinError] = []
        if (orderable["sku"] as? String ?? "").isEmpty { errors.append(missing("sku")) }
        for key in orderable.keys.sorted() where !orderableAttributes.contains(key) {
            errors.append(
                .init(code: "ERR_EXT_DATA_0101010", field: key, description: "Unknown attribute \(key) in Orderable")
            )
        }
        if let identifiers = orderable["productIdentifiers"] as? [String: Any] {
            let type = identifiers["productIdType"] as? String ?? ""
            let id = identifiers["productId"] as? String ?? ""
            if let lengths = identifierLengths[type] {
                if !lengths.contains(id.count) || !id.allSatisfy(\.isNumber) || !(type == "ISBN" || validCheckDigit(id))
                {
                    errors.append(
                        .init(
                            code: "ERR_EXT_DATA_0101005",
                            field: "productId",
                            description: "The value \(id) of productId is not a valid \(type)"
                        )
                    )
                }
            } else {
                errors.append(
                    .init(
                        code: "ERR_EXT_DATA_0101005",
                        field: "productIdType",
                        description: "productIdType must be one of EAN, GTIN, ISBN, UPC, found \(type)"
                    )
                )
            }
        } else {
            errors.append(missing("productIdentifiers"))
        }
        if let price = orderable["price"] as? NSNumber {
            if price.doubleValue <= 0 {
                errors.append(
                    .init(
                        code: "ERR_EXT_DATA_0101002",
                        field: "price",
                        description: "price must be greater than 0, found \(price)"
                    )
                )
            }
        } else {
            errors.append(missing("price"))
        }
        return errors
    }

    /// The product name and the problems of `Visible`.
    private static func visible(_ value: Any?, categories: Set<String>) -> (String?, [WalmartTwinError]) {
        guard let visible = value as? [String: Any], visible.count == 1, let (category, content) = visible.first,
            let attributes = content as? [String: Any]
        else {
            return (nil, [missing("Visible")])
        }
        var errors: [WalmartTwinError] = []
        if !categories.contains(category) {
            errors.append(
                .init(
                    code: "ERR_EXT_DATA_0301001",
                    field: "Visible",
                    description: "\(category) is not a Walmart product type"
                )
            )
        }
        for key in attributes.keys.sorted() where !visibleAttributes.contains(key) {
            errors.append(
                .init(
                    code: "ERR_EXT_DATA_0101010",
                    field: key,
                    description: "Unknown attribute \(key) for product type \(category)"
                )
            )
        }
        let name = attributes["productName"] as? String ?? ""
        if name.isEmpty {
            errors.append(missing("productName"))
        } else if name.contains("[REJECT]") {
            errors.append(
                .init(
                    code: "ERR_EXT_DATA_0101083",
                    field: "productName",
                    description: "The value of productName contains prohibited content: [REJECT]."
                )
            )
        }
        return (name, errors)
    }

    /// Whether `digits` ends in its GS1 mod-10 check digit.
    static func validCheckDigit(_ digits: String) -> Bool {
        let values = digits.compactMap(\.wholeNumberValue)
        guard values.count == digits.count, let check = values.last else { return false }
        let sum = values.dropLast().reversed().enumerated().reduce(0) {
            $0 + $1.element * ($1.offset % 2 == 0 ? 3 : 1)
        }
        return (10 - sum % 10) % 10 == check
    }
}
