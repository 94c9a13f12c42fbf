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
    static func errors(_ document: [UInt8], schema: String, definition: String? = nil) throws -> String? {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sp-api-\(UUID().uuidString).json")
        try Data(document).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["python3", script.path, "--schema", specs.appendingPathComponent(schema).path]
        if let definition { arguments += ["--definition", definition] }
        process.arguments = arguments + [file.path]
        let errorPipe = Pipe()
        process.standardError = errorPipe
        try process.run()
        let output = errorPipe.fileHandleForReading.readDataToEndOfFile()
        let status = process.waitForExit()
        if status == 0 { return nil }
        return "exit \(status): " + String(decoding: output, as: UTF8.self)
    }

    /// Expects `document` to be valid against the model.
    static func expectValid(
        _ document: [UInt8],
        schema: String,
        definition: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let problems = try errors(document, schema: schema, definition: definition)
        #expect(problems == nil, "\(definition ?? schema): \(problems ?? "")", sourceLocation: sourceLocation)
    }
}
