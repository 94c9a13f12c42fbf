import Foundation

/// A JSON Schema (draft 2019-09) that validates instances, with Amazon's product type vocabulary.
///
/// Supported keywords — each run against the official JSON Schema test suite (`JSONSchemaTests`):
/// boolean schemas, `type`, `enum`, `const`, `properties`, `patternProperties`, `additionalProperties`,
/// `required`, `dependentRequired`, `dependentSchemas`, `propertyNames`, `minProperties`,
/// `maxProperties`, `items` (schema and array forms), `additionalItems`, `minItems`, `maxItems`,
/// `uniqueItems`, `contains`, `minContains`, `maxContains`, `minLength`, `maxLength`, `pattern`,
/// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, `allOf`, `anyOf`,
/// `oneOf`, `not`, `if`/`then`/`else`, `$ref` to a JSON Pointer within the same document (`#`,
/// `#/$defs/...`), `$defs`/`definitions`; `format` and the meta-data keywords are annotations. Amazon's
/// meta-schema adds `maxUniqueItems` (each combination of the `selectors` values may occur at most
/// that many times, as Amazon's sample validators implement it), `maxUtf8ByteLength` and
/// `minUtf8ByteLength`; `minUniqueItems`, `editable`, `hidden` and `enumNames` are annotations (Amazon's
/// samples do not validate them).
///
/// Not supported: `$id`-based and remote references, `$anchor`, `$recursiveRef`, `unevaluatedItems`,
/// `unevaluatedProperties`, `$vocabulary` processing.
public struct JSONSchema: Sendable {
    /// The schema document.
    public let root: JSONValue
    /// How deep `$ref`s and subschemas may nest before validation stops with a violation (a schema that
    /// refers to itself without consuming the instance would otherwise never end).
    public var maximumDepth = 256

    public init(_ root: JSONValue) {
        self.root = root
    }

    /// Parses a schema document.
    public init(parsing data: Data) throws {
        self.init(try JSONValue(parsing: data))
    }

    /// Every violation of the schema by `instance`; empty when it is valid.
    public func validate(_ instance: JSONValue) -> [SchemaViolation] {
        var evaluation = SchemaEvaluation(root: root, maximumDepth: maximumDepth)
        evaluation.check(root, instance, path: "", title: nil, depth: 0)
        return evaluation.violations
    }

    /// Whether `instance` is valid.
    public func isValid(_ instance: JSONValue) -> Bool {
        validate(instance).isEmpty
    }

    /// The value a JSON Pointer fragment (`#/$defs/marketplace_id`) names in `document`.
    static func resolve(_ reference: String, in document: JSONValue) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        let pointer = String(reference.dropFirst()).removingPercentEncoding ?? String(reference.dropFirst())
        var current = document
        for token in pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .object(let members):
                guard let next = members[key] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Int(key), elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }
}
