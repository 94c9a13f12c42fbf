import Catalog
import Foundation
import JSONSchema
import Sync

/// Checks every listing body against its product type definition before any listing quota is spent.
///
/// The instance checked is the body's `attributes` (a product type schema describes the attributes
/// object), against the `ENFORCED` definition of the body's `productType` and `requirements` on the
/// channel's marketplace, in the channel's locale (``ProductTypeDefinitions``). A new listing or a
/// content change is checked as the whole listing the catalog describes; a price or stock patch of an
/// existing listing only for the attributes it patches (Amazon keeps the listing's other attributes,
/// which CatalogSync may not know). A listing that fails is ``ListingOutcome/held(issues:)``: nothing is
/// sent, and each issue names the attribute and Amazon's `title` for it.
struct ListingChecker: Sendable {
    let definitions: ProductTypeDefinitions
    let builder: ListingsPayloadBuilder

    /// The outcome for `change` when it must not be sent (held, or its definition unavailable), `nil`
    /// to send it.
    func check(_ change: ListingChange) async -> ListingOutcome? {
        if change.isRemoval { return nil }
        let body = builder.putBody(for: change.desired)
        var patched: Set<String>?
        if !change.isNew, !change.facets.contains(.content) {
            let names = builder.patches(for: change.desired, facets: change.facets).compactMap(Self.patchedAttribute)
            guard !names.isEmpty else { return nil }
            patched = Set(names)
        }
        do throws(ProductTypeDefinitions.Failure) {
            let (_, issues) = try await issues(in: body, patched: patched)
            return issues.isEmpty ? nil : .held(issues: issues)
        } catch {
            return Self.outcome(error)
        }
    }

    /// The body `listing` would be sent as and what the check finds in it.
    func preview(_ listing: DesiredListing) async throws -> ListingPreview {
        let body = builder.putBody(for: listing)
        let text = String(decoding: body.serialized(), as: UTF8.self)
        do throws(ProductTypeDefinitions.Failure) {
            let (checked, issues) = try await issues(in: body, patched: nil)
            return ListingPreview(body: text, checkedAgainst: checked, issues: issues)
        } catch {
            switch error {
            case .transient(let reason, _), .accountRefused(let reason):
                throw AdapterError.platform("no product type definition to check against: \(reason)")
            case .refused(let issues):
                return ListingPreview(
                    body: text,
                    checkedAgainst: "Amazon's refusal of the product type",
                    issues: issues
                )
            }
        }
    }

    /// The definition checked (for the operator) and the issues of `body`; with `patched`, only those
    /// of these attributes.
    private func issues(in body: JSONValue, patched: Set<String>?) async throws(ProductTypeDefinitions.Failure)
        -> (String, [MarketplaceIssue])
    {
        try await issues(
            attributes: (body.member("attributes") ?? .object([])).serialized(),
            productType: body.member("productType")?.text ?? ListingsPayloadBuilder.defaultProductType,
            requirements: body.member("requirements")?.text ?? "LISTING",
            patched: patched
        )
    }

    /// The definition checked and the issues of `attributes` (JSON text of a body's `attributes`) as
    /// `productType` with `requirements` on this channel's marketplace and locale.
    func issues(attributes: [UInt8], productType: String, requirements: String, patched: Set<String>? = nil)
        async throws(ProductTypeDefinitions.Failure) -> (String, [MarketplaceIssue])
    {
        let key = ProductTypeDefinitions.Key(
            productType: productType,
            marketplaceID: builder.marketplace.id,
            requirements: requirements,
            locale: builder.languageTag
        )
        let definition = try await definitions.definition(key)
        var violations = Self.violations(of: attributes, against: definition.schema)
        if let patched { violations = violations.filter { $0.topLevelProperty.map(patched.contains) ?? false } }
        let checked =
            "\(key.productType) definition version \(definition.version) (\(key.requirements), "
            + "\(key.marketplaceID), \(key.locale))"
        return (checked, violations.map { Self.issue($0, schema: definition.schema) })
    }

    /// The violations of `attributes` (JSON text) against `schema`.
    static func violations(of attributes: [UInt8], against schema: JSONSchema) -> [SchemaViolation] {
        do {
            return schema.validate(try .init(parsing: Data(attributes)))
        } catch {
            return [SchemaViolation(instancePath: "", keyword: "json", message: "the body is not JSON: \(error)")]
        }
    }

    /// One violation as an issue naming the attribute and its title in the definition:
    /// `missing required attribute bullet_point ("Bullet Point")`.
    static func issue(_ violation: SchemaViolation, schema: JSONSchema) -> MarketplaceIssue {
        guard let name = violation.topLevelProperty else {
            return MarketplaceIssue(
                code: violation.keyword,
                message: "the listing as a whole: \(violation.message) [\(violation.keyword)]"
            )
        }
        let title = schema.root["properties"]?[name]?["title"]?.string ?? violation.title
        let named = name + (title.map { " (\"\($0)\")" } ?? "")
        let depth = violation.instancePath.split(separator: "/").count
        if violation.keyword == "required", depth == 1 {
            return MarketplaceIssue(
                code: "required",
                message: "missing required attribute \(named)",
                attributeNames: [name]
            )
        }
        if violation.keyword == "additionalProperties", depth == 1 {
            return MarketplaceIssue(
                code: "additionalProperties",
                message: "attribute \(name) is not in the product type definition",
                attributeNames: [name]
            )
        }
        return MarketplaceIssue(
            code: violation.keyword,
            message:
                "invalid attribute \(named) at \(violation.instancePath): \(violation.message) [\(violation.keyword)]",
            attributeNames: [name]
        )
    }

    /// The outcome of a listing whose definition could not be had.
    static func outcome(_ failure: ProductTypeDefinitions.Failure) -> ListingOutcome {
        switch failure {
        case .transient(let reason, let after):
            .retry(reason: "product type definition unavailable: \(reason)", after: after)
        case .refused(let issues):
            .rejected(issues: issues)
        case .accountRefused(let reason):
            .needsAttention(reason: reason)
        }
    }

    /// `purchasable_offer` for a patch of `/attributes/purchasable_offer`.
    static func patchedAttribute(_ patch: JSONValue) -> String? {
        guard let path = patch.member("path")?.text, path.hasPrefix("/attributes/") else { return nil }
        return path.dropFirst("/attributes/".count).split(separator: "/").first.map(String.init)
    }
}

extension JSONValue {
    /// The member `name` of an object, `nil` otherwise.
    func member(_ name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == name }?.1
    }

    /// The string, `nil` when this is not one.
    var text: String? {
        if case .string(let value) = self { return value }
        return nil
    }
}
