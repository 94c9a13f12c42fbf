import Catalog
import Foundation

/// A JSON body template with `{{placeholder}}`s for every projected field of a listing.
///
/// String placeholders expand to the JSON-escaped text *without* quotes (write `"{{title}}"`);
/// `{{price}}`, `{{quantity}}` and `{{weight_grams}}` expand to bare JSON numbers (price exactly, from
/// integer minor units); `{{image_urls}}` to a JSON array of strings.
/// `{{attr.NAME}}` expands to the product's attribute `NAME` (text, like `{{brand}}`). A value the
/// product does not have (description, brand, HS code, weight, an attribute) is *left out*: the JSON
/// member or array element holding it is removed from the body, never sent as `""` or `null`.
public struct RequestTemplate: Sendable, Hashable {
    /// Every placeholder a template may use, besides `attr.NAME`.
    public static let placeholders: Set<String> = [
        "sku", "title", "description", "brand", "price", "currency", "quantity", "hs_code", "origin_country",
        "weight_grams", "image_urls", "marketplace",
    ]
    /// The prefix of attribute placeholders (`{{attr.material}}`).
    public static let attributePrefix = "attr."
    /// The placeholders that carry each facet; a template sends a facet when it uses one of them.
    static let facetPlaceholders: [Facet: Set<String>] = [
        .content: ["title", "description", "brand", "hs_code", "origin_country", "weight_grams", "image_urls"],
        .price: ["price", "currency"],
        .quantity: ["quantity"],
    ]

    private enum Part: Sendable, Hashable {
        case text(String)
        case placeholder(String)
    }

    /// The template as written.
    public let source: String
    private let parts: [Part]

    /// Parses `source`.
    /// - Throws: a message naming an unknown or unterminated placeholder, or the template not being
    ///   JSON once filled with sample values.
    public init(_ source: String, allowing extra: Set<String> = []) throws(TemplateError) {
        self.source = source
        var parts: [Part] = []
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            parts.append(.text(String(rest[..<open.lowerBound])))
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw TemplateError("unterminated placeholder after \"\(rest[open.lowerBound...].prefix(20))\"")
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            let isAttribute = name.hasPrefix(Self.attributePrefix) && name.count > Self.attributePrefix.count
            guard Self.placeholders.contains(name) || extra.contains(name) || isAttribute else {
                throw TemplateError(
                    "unknown placeholder {{\(name)}} (known: \(Self.placeholders.sorted().joined(separator: ", ")), attr.NAME)"
                )
            }
            parts.append(.placeholder(name))
            rest = rest[close.upperBound...]
        }
        parts.append(.text(String(rest)))
        self.parts = parts
        guard extra.isEmpty else { return }
        let sample = fill { Self.sampleValues[$0] ?? "A" }
        guard (try? JSONSerialization.jsonObject(with: Data(sample.utf8), options: [.fragmentsAllowed])) != nil else {
            throw TemplateError("is not valid JSON once its placeholders are filled: \(sample.prefix(200))")
        }
    }

    /// Why a template is unusable.
    public struct TemplateError: Error, Sendable, Hashable {
        public var message: String
        init(_ message: String) { self.message = message }
    }

    /// The facets this template carries: those with at least one placeholder in it (attributes are content).
    public var facets: Set<Facet> {
        let names = Set(
            parts.compactMap { part -> String? in
                if case .placeholder(let name) = part { return name }
                return nil
            }
        )
        var facets = Set(Self.facetPlaceholders.filter { !$0.value.isDisjoint(with: names) }.keys)
        if names.contains(where: { $0.hasPrefix(Self.attributePrefix) }) { facets.insert(.content) }
        return facets
    }

    /// The body for `listing` on `marketplace`, without the members whose value the listing lacks.
    public func render(_ listing: DesiredListing, marketplace: String) -> String {
        let filled = fill { Self.value(of: $0, listing: listing, marketplace: marketplace) ?? JSONPruner.missing }
        return filled.contains(JSONPruner.missing) ? JSONPruner.prune(filled) : filled
    }

    /// The template with each placeholder replaced by `value(name)`.
    func fill(_ value: (String) -> String) -> String {
        var output = ""
        for part in parts {
            switch part {
            case .text(let text): output += text
            case .placeholder(let name): output += value(name)
            }
        }
        return output
    }

    /// The expansion of placeholder `name` for `listing`; `nil` when the listing has no such value.
    static func value(of name: String, listing: DesiredListing, marketplace: String) -> String? {
        let content = listing.content
        func text(_ value: String?) -> String? {
            guard let value, !value.isEmpty else { return nil }
            return escaped(value)
        }
        switch name {
        case "sku": return escaped(listing.sku.rawValue)
        case "title": return escaped(content.title)
        case "description": return text(content.description)
        case "brand": return text(content.brand)
        case "price": return listing.price.amountString
        case "currency": return listing.price.currency.code
        case "quantity": return String(listing.quantity)
        case "hs_code": return text(content.hsCode)
        case "origin_country": return escaped(content.originCountry)
        case "weight_grams": return content.weightGrams.map(String.init)
        case "image_urls": return "[" + content.imageURLs.map { "\"\(escaped($0))\"" }.joined(separator: ",") + "]"
        case "marketplace": return escaped(marketplace)
        default:
            guard name.hasPrefix(attributePrefix) else { return nil }
            let attribute = String(name.dropFirst(attributePrefix.count))
            return text(content.attributes.first { $0.name == attribute }?.value)
        }
    }

    /// Sample expansions used to check a template is JSON at load.
    static let sampleValues: [String: String] = [
        "sku": "SKU-1", "title": "T", "description": "D", "brand": "B", "price": "1.50", "currency": "USD",
        "quantity": "3", "hs_code": "0910.99", "origin_country": "IN", "weight_grams": "500",
        "image_urls": "[\"https://x/1.jpg\"]", "marketplace": "GLOBAL", "items": "{\"a\":1},{\"a\":2}",
    ]

    /// `text` escaped for the inside of a JSON string (no surrounding quotes).
    public static func escaped(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{2028}": output += "\\u2028"
            case "\u{2029}": output += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    output += String(format: "\\u%04x", scalar.value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }
}
