import Catalog
import Foundation
import Sync

/// Whether a SKU's export data is complete enough for a DHL Express customs declaration.
///
/// DHL's landed-cost and shipment calls need, per line item: an HS code (6–10 digits, dots allowed),
/// the manufacturing country (ISO 3166 alpha-2), a net weight and a customs description. A SKU missing
/// any of them is "not ready to ship": the adapter rejects it with one issue per missing field, so it
/// shows in `catalogctl dead-letters` and is retried by itself once the product is fixed (a product
/// change re-dirties it).
public enum CustomsReadiness {
    /// The issue code of every readiness problem.
    public static let issueCode = "NOT_READY_TO_SHIP"

    /// The problems with `content`, one issue per missing or malformed field; empty when ready.
    public static func issues(_ content: ListingContent) -> [MarketplaceIssue] {
        var issues: [MarketplaceIssue] = []
        func report(_ message: String, _ attribute: String) {
            issues.append(
                MarketplaceIssue(code: issueCode, message: "not ready to ship: \(message)", attributeNames: [attribute])
            )
        }
        let hsCode = content.hsCode?.trimmingCharacters(in: .whitespaces) ?? ""
        if hsCode.isEmpty {
            report("HS code missing", "hs_code")
        } else if normalizedHSCode(hsCode) == nil {
            report("HS code \"\(hsCode)\" is not 6 to 10 digits (dots allowed)", "hs_code")
        }
        let origin = content.originCountry.trimmingCharacters(in: .whitespaces)
        if origin.isEmpty {
            report("origin country missing", "origin_country")
        } else if !isCountryCode(origin) {
            report("origin country \"\(origin)\" is not an ISO 3166 alpha-2 code", "origin_country")
        }
        if (content.weightGrams ?? 0) <= 0 {
            report("net weight missing (weight_grams must be above 0)", "weight_grams")
        }
        if customsDescription(content).isEmpty {
            report("customs description missing (title and description are empty)", "description")
        }
        return issues
    }

    /// The HS code's digits (`0910.99.10` → `09109910`), or `nil` unless it has 6–10 digits and dots only.
    public static func normalizedHSCode(_ text: String) -> String? {
        var digits = ""
        for character in text.trimmingCharacters(in: .whitespaces) {
            if character == "." { continue }
            guard character.isASCII, character.isNumber else { return nil }
            digits.append(character)
        }
        return (6...10).contains(digits.count) ? digits : nil
    }

    /// Whether `text` is two ASCII letters (an ISO 3166 alpha-2 code such as `IN`).
    public static func isCountryCode(_ text: String) -> Bool {
        text.count == 2 && text.allSatisfy { $0.isASCII && $0.isLetter }
    }

    /// The text declared to customs: the description, else the title; trimmed.
    public static func customsDescription(_ content: ListingContent) -> String {
        let description = content.description?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return description.isEmpty ? content.title.trimmingCharacters(in: .whitespacesAndNewlines) : description
    }
}
