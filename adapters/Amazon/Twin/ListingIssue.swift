/// A Listings Items `Issue` as the twin reports it, in a submission response, an item's `issues` and
/// (flattened) a feed processing report.
///
/// The codes mimic Amazon's: `90220` missing attribute (verbatim from Amazon's examples), the others
/// are the twin's own stand-ins for Amazon's numeric codes, listed in ``Code``.
struct ListingIssue: Sendable, Hashable {
    /// The issue codes the twin reports.
    enum Code {
        /// A required attribute is missing (Amazon's code).
        static let missingAttribute = "90220"
        /// A value's currency differs from the marketplace's.
        static let currencyMismatch = "8560"
        /// A price that is not a positive number.
        static let invalidPrice = "8541"
        /// A quantity that is not a whole number ≥ 0.
        static let invalidQuantity = "8542"
        /// A value aimed at another marketplace than the request's.
        static let marketplaceMismatch = "8543"
        /// A malformed attribute value (not an array of objects).
        static let malformedAttribute = "99022"
        /// An attribute with fewer values than its definition's `minItems` (Amazon's code and wording,
        /// from the published feed processing report example).
        static let tooFewValues = "99022"
        /// Any other refusal by the product type definition: the twin's stand-in (no public source
        /// confirms Amazon's code for these; see the README's "Verified against").
        static let definitionViolation = "99010"
        /// The test hook: a title containing `[REJECT]`.
        static let prohibitedContent = "99001"
        /// A PATCH of a SKU the marketplace does not have.
        static let skuNotFound = "4000003"
    }

    var code: String
    var message: String
    var severity = "ERROR"
    var attributeNames: [String] = []
    var categories: [String] = []

    /// The `Issue` object of the Listings Items model.
    var json: TwinJSON {
        var members: [String: TwinJSON] = [
            "code": .string(code), "message": .string(message), "severity": .string(severity),
            "categories": .strings(categories),
        ]
        if !attributeNames.isEmpty { members["attributeNames"] = .strings(attributeNames) }
        return .object(members)
    }

    /// The processing report's issue object for feed message `messageId`.
    func reportJSON(messageId: Int, sku: String) -> TwinJSON {
        var members: [String: TwinJSON] = [
            "messageId": .int(messageId), "sku": .string(sku), "code": .string(code),
            "severity": .string(severity), "message": .string(message),
        ]
        if let name = attributeNames.first { members["attributeName"] = .string(name) }
        return .object(members)
    }

    static func missing(_ attribute: String) -> ListingIssue {
        ListingIssue(
            code: Code.missingAttribute,
            message: "'\(attribute)' is required but not supplied.",
            attributeNames: [attribute],
            categories: ["MISSING_ATTRIBUTE"]
        )
    }

    static func invalid(_ code: String, _ message: String, attribute: String, category: String = "INVALID_ATTRIBUTE")
        -> ListingIssue
    {
        ListingIssue(code: code, message: message, attributeNames: [attribute], categories: [category])
    }

    static func skuNotFound(sku: String, marketplaceID: String) -> ListingIssue {
        ListingIssue(
            code: Code.skuNotFound,
            message:
                "The SKU '\(sku)' does not exist in marketplace '\(marketplaceID)'. Submit the complete listing "
                + "(putListingsItem or an UPDATE message) before patching it.",
            categories: ["INVALID_ATTRIBUTE"]
        )
    }
}
