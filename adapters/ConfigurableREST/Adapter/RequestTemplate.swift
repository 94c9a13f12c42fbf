import Catalog
import Foundation

/// A JSON body template with `{{placeholder}}`s for every projected field of a listing.
///
/// String placeholders expand to the JSON-escaped text *without* quotes (write `"{{title}}"`);
/// `{{price}}`, `{{quantity}}` and `{{weight_grams}}` expand to bare JSON numbers (price exactly, from
/// integer minor units; weight `null` when unknown); `{{image_urls}}` to a JSON array of strings.
/// Missing optional text (description, brand, HS code) expands to an empty string.
public struct RequestTemplate: Sendable, Hashable {
    /// Every placeholder a template may use.
    public static let placeholders: Set<String> = [
        "sku", "title", "description", "brand", "price", "currency", "quantity", "hs_code", "origin_country",
        "weight_grams", "image_urls", "marketplace",
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
            guard Self.placeholders.contains(name) || extra.contains(name) else {
                throw TemplateError(
                    "unknown placeholder {{\(name)}} (known: \(Self.placeholders.sorted().joined(separator: ", ")))"
                )
            }
            parts.append(.placeholder(name))
            rest = rest[close.upperBound...]
        }
        parts.append(.text(String(rest)))
        self.parts = parts
        guard extra.isEmpty else { return }
        let sample = fill { Self.sampleValues[$0] ?? "" }
        guard (try? JSONSerialization.jsonObject(with: Data(sample.utf8), options: [.fragmentsAllowed])) != nil else {
            throw TemplateError("is not valid JSON once its placeholders are filled: \(sample.prefix(200))")
        }
    }

    /// Why a template is unusable.
    public struct TemplateError: Error, Sendable, Hashable {
        public var message: String
        init(_ message: String) { self.message = message }
    }

    /// The body for `listing` on `marketplace`.
    public func render(_ listing: DesiredListing, marketplace: String) -> String {
        fill { Self.value(of: $0, listing: listing, marketplace: marketplace) }
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

    /// The expansion of placeholder `name` for `listing`.
    static func value(of name: String, listing: DesiredListing, marketplace: String) -> String {
        let content = listing.content
        switch name {
        case "sku": return escaped(listing.sku.rawValue)
        case "title": return escaped(content.title)
        case "description": return escaped(content.description ?? "")
        case "brand": return escaped(content.brand ?? "")
        case "price": return listing.price.amountString
        case "currency": return listing.price.currency.code
        case "quantity": return String(listing.quantity)
        case "hs_code": return escaped(content.hsCode ?? "")
        case "origin_country": return escaped(content.originCountry)
        case "weight_grams": return content.weightGrams.map(String.init) ?? "null"
        case "image_urls": return "[" + content.imageURLs.map { "\"\(escaped($0))\"" }.joined(separator: ",") + "]"
        case "marketplace": return escaped(marketplace)
        default: return ""
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
