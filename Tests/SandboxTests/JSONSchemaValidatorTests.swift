import Foundation
import Testing
import TwinSupport

/// The twins' schema validator against the official JSON Schema test suite
/// (`../shared/specs/json-schema-test-suite/draft2019-09`), for the keywords it claims to check.
@Suite("TwinSupport JSON Schema validator")
struct JSONSchemaValidatorTests {
    /// The keywords ``JSONSchemaValidator`` checks, plus annotations it may ignore.
    static let supported: Set<String> = [
        "type", "required", "enum", "properties", "items", "minItems", "maxItems", "minLength", "maxLength",
        "minimum", "maximum", "allOf", "$ref", "$defs", "definitions", "$schema", "description", "title",
        "additionalProperties",
    ]
    /// The suite's files for those keywords.
    static let files = [
        "type", "required", "enum", "properties", "items", "minItems", "maxItems", "minLength", "maxLength",
        "minimum", "maximum", "allOf",
    ]
    /// A deliberate difference: an OpenAPI `integer` (`int32`) is an integer literal, so `1.0` is a
    /// number here, where draft 2019-09 calls it an integer.
    static let deliberateDifferences = ["float with zero fractional part"]

    static let suite = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("../shared/specs/json-schema-test-suite/draft2019-09")
        .standardizedFileURL

    /// Whether `schema` uses only supported keywords (object-valued `items` only).
    static func usesOnlySupported(_ schema: JSONValue) -> Bool {
        guard case .object(let members) = schema else { return true }
        for (key, value) in members {
            guard supported.contains(key) else { return false }
            switch key {
            case "properties", "$defs", "definitions":
                guard value.objectValue?.values.allSatisfy(usesOnlySupported) ?? false else { return false }
            case "items":
                guard value.objectValue != nil || value == .bool(true), usesOnlySupported(value) else { return false }
            case "allOf":
                guard value.arrayValue?.allSatisfy(usesOnlySupported) ?? false else { return false }
            case "additionalProperties":
                guard value == .bool(false) || (value.objectValue != nil && usesOnlySupported(value)) else {
                    return false
                }
            case "$ref":
                guard value.stringValue?.hasPrefix("#") == true else { return false }
            default: continue
            }
        }
        return true
    }

    @Test(
        "the official test suite's cases for the supported keywords give the suite's verdict",
        .enabled(if: FileManager.default.fileExists(atPath: suite.path), "needs ../shared/specs")
    )
    func officialSuite() throws {
        var checked = 0
        for file in Self.files {
            let groups = try JSONValue.parse(Data(contentsOf: Self.suite.appendingPathComponent("\(file).json")))
            for group in groups.arrayValue ?? [] {
                guard let schema = group["schema"], schema.objectValue != nil, Self.usesOnlySupported(schema) else {
                    continue
                }
                let validator = JSONSchemaValidator(document: schema)
                for test in group["tests"]?.arrayValue ?? [] {
                    let description = test["description"]?.stringValue ?? ""
                    if Self.deliberateDifferences.contains(where: description.contains) { continue }
                    guard let data = test["data"], case .bool(let valid) = test["valid"] else { continue }
                    let violations = validator.violations(of: data, against: schema)
                    #expect(
                        violations.isEmpty == valid,
                        "\(file): \(group["description"]?.stringValue ?? "") / \(description): \(violations)"
                    )
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
    }

    @Test("an int32 field is an integer literal: 1099 passes, 1099.00 and \"1099\" do not")
    func integerMeansAnIntegerLiteral() throws {
        let schema = try JSONValue.parse(#"{"type":"integer","format":"int32","minimum":1}"#)
        let validator = JSONSchemaValidator(document: schema)
        #expect(validator.violations(of: try JSONValue.parse("1099"), against: schema).isEmpty)
        #expect(
            validator.violations(of: try JSONValue.parse("1099.00"), against: schema).map(\.message)
                == ["expected integer, got number"]
        )
        #expect(
            validator.violations(of: try JSONValue.parse(#""1099""#), against: schema).map(\.message)
                == ["expected integer, got string"]
        )
        #expect(
            validator.violations(of: try JSONValue.parse("2147483648"), against: schema).map(\.message)
                == ["outside int32"]
        )
    }

    @Test("JSONValue parses RFC 8259 text and refuses what is not JSON")
    func parser() throws {
        let value = try JSONValue.parse(#" {"a":[1,-2.5e3,true,null,"\u00e9\ud83d\ude00\n"]} "#)
        #expect(value["a"]?.arrayValue?.count == 5)
        #expect(value["a"]?.arrayValue?[1] == .number("-2.5e3"))
        #expect(value["a"]?.arrayValue?[4] == .string("é😀\n"))
        for bad in ["{", "[1,]", "01", "\"a", "{\"a\" 1}", "1 2", "nul"] {
            #expect(throws: JSONValueError.self, "\(bad)") { try JSONValue.parse(bad) }
        }
    }
}
