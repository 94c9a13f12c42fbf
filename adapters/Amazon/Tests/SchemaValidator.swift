import Foundation
import ProcessTestSupport
import Testing

/// Checks documents against the official SP-API models in `../shared/specs/amazon-sp-api` with
/// `validate_sp_api.py` (Python `jsonschema`).
enum SchemaValidator {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let specs = repositoryRoot.appendingPathComponent("../shared/specs/amazon-sp-api").standardized
    static let script = repositoryRoot.appendingPathComponent("adapters/Amazon/Tests/validate_sp_api.py")

    /// The validation errors of `document` against `schema` (a file in the specs folder), optionally
    /// its `definition`; empty when valid.
    static func errors(_ document: [UInt8], schema: String, definition: String? = nil) async throws -> String? {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sp-api-\(UUID().uuidString).json")
        try Data(document).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        var arguments = ["python3", script.path, "--schema", specs.appendingPathComponent(schema).path]
        if let definition { arguments += ["--definition", definition] }
        let result = try await ChildRun.run(arguments + [file.path])
        if result.status == 0 { return nil }
        return "exit \(result.status): " + result.errors
    }

    /// Expects `document` to be valid against the model.
    static func expectValid(
        _ document: [UInt8],
        schema: String,
        definition: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let problems = try await errors(document, schema: schema, definition: definition)
        #expect(problems == nil, "\(definition ?? schema): \(problems ?? "")", sourceLocation: sourceLocation)
    }
}
