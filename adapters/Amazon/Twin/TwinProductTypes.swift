import Foundation
import JSONSchema
import Synchronization

/// The product type definitions the Amazon twin serves (`getDefinitionsProductType` and the schema
/// link) and checks listings against, all built from Amazon's official `PRODUCT` definition
/// (`../shared/specs/amazon-sp-api/product-type-PRODUCT.json`, amazon.com, `LISTING`).
///
/// Derived, and not confirmed by any public source (one place to change: ``schemaText(_:)``): another
/// product type is the same schema with its name in `$id`; another marketplace the same schema with
/// that marketplace's id as the `marketplace_id` default (the official one accepts any string there);
/// `LISTING_OFFER_ONLY` the same schema whose top-level `required` is only `merchant_suggested_asin`
/// and `condition_type` (an offer on an existing detail page supplies no product facts).
///
/// The version starts at `twin-1` and changes only through ``publishNewVersion()`` (the sandbox's
/// `POST /amazon/_sandbox/product-types/version`), so tests can show an adapter re-downloading.
final class TwinProductTypes: Sendable {
    /// The official definition's text, `nil` when the specs folder cannot be found (the twin then serves
    /// ``permissiveSchema``: it cannot hold bodies to a contract it does not have, and the sandbox must
    /// still list the sample catalog wherever it runs).
    let official: String?

    /// What the twin serves without the official file: any object passes. Not Amazon's; only so the
    /// sandbox keeps working on a machine without `../shared/specs` (README).
    static let permissiveSchema = """
        {"$schema":"https://json-schema.org/draft/2019-09/schema","type":"object",\
        "description":"CatalogSync sandbox: the official PRODUCT definition was not found; nothing is checked"}
        """

    private struct State {
        var revision = 1
        var definitionRequests = 0
        var schemaDownloads = 0
        var parsed: [String: JSONSchema] = [:]
    }

    private let state = Mutex(State())

    /// The definitions from `officialText` (the official file's contents).
    init(officialText: String?) {
        official = officialText
    }

    /// The version Amazon would report now (`productTypeVersion.version`).
    var version: String { "twin-\(state.withLock { $0.revision })" }

    /// Pretends Amazon published a new version of every definition.
    func publishNewVersion() {
        state.withLock { $0.revision += 1 }
    }

    /// How many `getDefinitionsProductType` calls were answered and schemas downloaded.
    var counts: (definitionRequests: Int, schemaDownloads: Int) {
        state.withLock { ($0.definitionRequests, $0.schemaDownloads) }
    }

    func countDefinitionRequest() { state.withLock { $0.definitionRequests += 1 } }
    func countSchemaDownload() { state.withLock { $0.schemaDownloads += 1 } }

    /// Which schema.
    struct Variant: Sendable, Hashable {
        var productType: String
        var marketplaceID: String
        var requirements: String
    }

    /// The schema document of `variant`, derived from the official one (see the type's notes).
    func schemaText(_ variant: Variant) -> String? {
        guard var text = official else { return Self.permissiveSchema }
        text = text.replacingOccurrences(of: "/schema/v1/PRODUCT\"", with: "/schema/v1/\(variant.productType)\"")
        text = text.replacingOccurrences(of: "\"ATVPDKIKX0DER\"", with: "\"\(variant.marketplaceID)\"")
        guard variant.requirements == "LISTING_OFFER_ONLY" else { return text }
        guard
            var document = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        else { return text }
        document["required"] = ["merchant_suggested_asin", "condition_type"]
        guard let data = try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]) else {
            return text
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The parsed schema of `variant`, kept once parsed.
    func schema(_ variant: Variant) -> JSONSchema? {
        let key = "\(variant.productType)|\(variant.marketplaceID)|\(variant.requirements)"
        if let schema = state.withLock({ $0.parsed[key] }) { return schema }
        guard let text = schemaText(variant), let schema = try? JSONSchema(parsing: Data(text.utf8)) else {
            return nil
        }
        state.withLock { $0.parsed[key] = schema }
        return schema
    }

    /// What the definition of `variant` refuses in `attributes` (the JSON text of the `attributes`
    /// object), as Amazon's issues: a missing attribute is `90220` "'X' is required but not supplied."
    /// (category `MISSING_ATTRIBUTE`), too few values `99022` (both codes from Amazon's published
    /// examples), anything else the twin's stand-in ``ListingIssue/Code/definitionViolation``.
    func issues(inAttributes attributes: String, _ variant: Variant) -> [ListingIssue] {
        guard let schema = schema(variant) else { return [] }
        let violations: [SchemaViolation]
        do {
            violations = schema.validate(try .init(parsing: Data(attributes.utf8)))
        } catch {
            return []
        }
        var issues: [ListingIssue] = []
        for violation in violations {
            let issue = Self.issue(violation, schema: schema, productType: variant.productType)
            if !issues.contains(issue) { issues.append(issue) }
        }
        return issues
    }

    /// One violation in Amazon's issue shape.
    static func issue(_ violation: SchemaViolation, schema: JSONSchema, productType: String) -> ListingIssue {
        let segments = violation.instancePath.split(separator: "/").map(String.init)
        let attribute = segments.first ?? ""
        // Amazon names nested fields with dots (`purchasable_offer.our_price`), skipping array indexes.
        let dotted = segments.filter { Int($0) == nil }.joined(separator: ".")
        switch violation.keyword {
        case "required":
            return .missing(dotted)
        case "minItems":
            let minimum = schema.root["properties"]?[attribute]?["minItems"]?.number.map { Int($0) } ?? 1
            return ListingIssue(
                code: ListingIssue.Code.tooFewValues,
                message: "The field '\"\(segments.last ?? attribute)\"' for the attribute '\(dotted)' does not have "
                    + "enough values. The required minimum is '\(minimum)' value(s).",
                attributeNames: [attribute],
                categories: ["MISSING_ATTRIBUTE"]
            )
        case "additionalProperties" where segments.count == 1:
            return .invalid(
                ListingIssue.Code.definitionViolation,
                "The attribute '\(attribute)' is not valid for product type '\(productType)'.",
                attribute: attribute
            )
        default:
            let title = schema.root["properties"]?[attribute]?["title"]?.string
            let named = title.map { "'\($0)' (\(dotted.isEmpty ? "listing" : dotted))" } ?? "'\(dotted)'"
            return ListingIssue(
                code: ListingIssue.Code.definitionViolation,
                message: "The value of \(named) is not valid: \(violation.message).",
                attributeNames: attribute.isEmpty ? [] : [attribute],
                categories: ["INVALID_ATTRIBUTE"]
            )
        }
    }
}
