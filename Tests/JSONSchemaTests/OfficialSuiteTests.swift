import Foundation
import JSONSchema
import Testing

/// The official JSON Schema test suite (draft 2019-09, `../shared/specs/json-schema-test-suite`), file by
/// file for every keyword ``JSONSchema`` claims: each case's `valid` is the suite's, not ours.
struct OfficialSuiteTests {
    static let directory = "../shared/specs/json-schema-test-suite/draft2019-09"

    /// The suite's files for the supported keywords, whole but for ``unsupportedGroups``. (`defs.json`
    /// holds one group, which validates against the draft's meta-schema by URL: `$defs` is exercised by
    /// `ref.json`.)
    static let supported = [
        "additionalItems", "additionalProperties", "allOf", "anyOf", "boolean_schema", "const", "contains",
        "content", "default", "dependentRequired", "dependentSchemas", "enum", "exclusiveMaximum",
        "exclusiveMinimum", "format", "if-then-else", "infinite-loop-detection", "items", "maxContains",
        "maxItems", "maxLength", "maxProperties", "maximum", "minContains", "minItems", "minLength",
        "minProperties", "minimum", "multipleOf", "not", "oneOf", "pattern", "patternProperties", "properties",
        "propertyNames", "required", "type", "uniqueItems", "ref",
    ]

    /// Groups of the supported files that exercise what ``JSONSchema`` does not support (`$id`-based
    /// and remote references, `$anchor`, `$recursiveRef`, `unevaluated*`, `$vocabulary`), by the
    /// suite's own descriptions.
    static let unsupportedGroups: Set<String> = [
        // unevaluatedProperties.
        "not: collect annotations inside a 'not', even if collection is disabled",
        "ref: ref creates new scope when adjacent to keywords",
        // $id-based, URN, relative-URI and remote references; $anchor; $recursiveAnchor.
        "ref: $id must be resolved against nearest parent, not just immediate parent",
        "ref: $ref with $recursiveAnchor",
        "ref: Recursive references between schemas",
        "ref: URN base URI with URN and JSON pointer ref",
        "ref: URN base URI with URN and anchor ref",
        "ref: URN ref with nested pointer ref",
        "ref: simple URN base URI with $ref via the URN",
        "ref: order of evaluation: $id and $ref",
        "ref: order of evaluation: $id and $anchor and $ref",
        "ref: order of evaluation: $id and $ref on nested schema",
        "ref: ref to if",
        "ref: ref to then",
        "ref: ref to else",
        "ref: ref with absolute-path-reference",
        "ref: refs with relative uris and defs",
        "ref: relative refs with absolute uris and defs",
        "ref: remote ref, containing refs itself",
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let group: String
        let description: String
        let schema: JSONValue
        let data: JSONValue
        let valid: Bool
        var testDescription: String { "\(file): \(group): \(description)" }
    }

    static func cases(file: String) throws -> [Case] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(file).json"))
        guard case .array(let groups) = try JSONValue(parsing: data) else { return [] }
        return groups.flatMap { group -> [Case] in
            let name = group["description"]?.string ?? "?"
            guard !unsupportedGroups.contains("\(file): \(name)"), let schema = group["schema"] else { return [] }
            return (group["tests"]?.array ?? []).map { test in
                Case(
                    file: file,
                    group: name,
                    description: test["description"]?.string ?? "?",
                    schema: schema,
                    data: test["data"] ?? .null,
                    valid: test["valid"] == .bool(true)
                )
            }
        }
    }

    @Test("the groups left out are exactly groups of the suite (a renamed group would silently run no case)")
    func unsupportedGroupsExist() throws {
        var found: Set<String> = []
        for file in ["not", "ref"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(Self.directory)/\(file).json"))
            for group in try JSONValue(parsing: data).array ?? [] {
                if let name = group["description"]?.string { found.insert("\(file): \(name)") }
            }
        }
        #expect(Self.unsupportedGroups.subtracting(found).isEmpty)
    }

    @Test("every case of the official suite for a supported keyword gets the suite's verdict", arguments: supported)
    func suiteFileAgrees(file: String) throws {
        let cases = try Self.cases(file: file)
        #expect(!cases.isEmpty, "\(file).json has cases")
        for testCase in cases {
            let violations = JSONSchema(testCase.schema).validate(testCase.data)
            #expect(
                violations.isEmpty == testCase.valid,
                "\(testCase.testDescription): expected \(testCase.valid ? "valid" : "invalid"), got \(violations.prefix(3))"
            )
        }
    }
}
