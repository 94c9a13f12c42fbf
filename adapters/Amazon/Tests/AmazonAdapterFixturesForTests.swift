import Catalog
import Foundation
import Logging
import ProcessTestSupport
import Store
import Synchronization
import Testing

/// Paths, the sample catalog projected onto the sandbox's Amazon channels, the schema validator and a
/// log capture, shared by the Amazon adapter tests.
enum AmazonFixtures {
    /// The repository root (this file is `adapters/Amazon/Tests/…`).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// The official SP-API models, kept next to the repository and never copied into it.
    static let specs = repositoryRoot.appendingPathComponent("../shared/specs/amazon-sp-api").standardizedFileURL
    static let listingsModel = specs.appendingPathComponent("listingsItems_2021-08-01.json")
    static let feedSchema = specs.appendingPathComponent("listings-feed-schema-v2.json")
    static let feedsModel = specs.appendingPathComponent("feeds_2021-06-30.json")
    static let validator = repositoryRoot.appendingPathComponent("adapters/Amazon/Tests/validate_sp_api.py")

    /// One Amazon channel of `config/sandbox.toml`: its rules and its marketplace code.
    struct Channel: Sendable {
        var rules: ChannelRules
        var marketplace: String
    }

    /// The Amazon channels and FX table of `config/sandbox.toml`, read with a minimal reader of the
    /// `[fx]` table and the `[[channels]]` blocks (inline tables of one line, as that file writes them).
    static func sandboxChannels() throws -> (channels: [Channel], fx: FXTable) {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("config/sandbox.toml"), encoding: .utf8)
        var section = ""
        var fxRates: [String: String] = [:]
        var blocks: [[String: String]] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = stripComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                section = line
                if line == "[[channels]]" { blocks.append([:]) }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if section == "[fx]" { fxRates[key] = unquoted(value) }
            if section == "[[channels]]" { blocks[blocks.count - 1][key] = value }
        }
        let fx = try FXTable(base: .inr, parsing: fxRates)
        var channels: [Channel] = []
        for block in blocks where (block["name"].map(unquoted) ?? "").hasPrefix("amazon-") {
            let pricing = try PricingRule(fields: inlineTable(block["pricing"] ?? "{}").mapValues(unquoted))
            let inventory = try InventoryRule(
                fields: inlineTable(block["inventory"] ?? "{}").compactMapValues { Int($0) }
            )
            let rules = ChannelRules(
                name: unquoted(block["name"]!),
                currency: try #require(Currency(code: unquoted(block["currency"]!))),
                language: unquoted(block["language"]!),
                pricing: pricing,
                inventory: inventory
            )
            channels.append(Channel(rules: rules, marketplace: unquoted(block["marketplace"]!)))
        }
        return (channels, fx)
    }

    /// The products of `config/sample-catalog.csv`, imported into a temporary SQLite store and read back.
    static func sampleProducts() throws -> [Product] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("amazon-contract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try CatalogStore(
            configuration: .init(
                path: directory.appendingPathComponent("catalog.sqlite").path,
                channels: ["all", "amazon-de"]
            )
        )
        let report = try CatalogImporter(store: store)
            .importFile(at: repositoryRoot.appendingPathComponent("config/sample-catalog.csv"))
        #expect(report.errors.isEmpty, "sample catalog imports cleanly: \(report.errors)")
        let skus = Set(try store.dirtyEntries(channel: "all").map(\.sku))
        return try skus.sorted().compactMap { try store.product(sku: $0)?.product }
    }

    /// Runs the schema validator on `documents` (files or directories); the exit status and output.
    static func validate(schema: URL, definition: String? = nil, documents: [URL]) async throws -> (Int32, String) {
        var arguments = ["python3", validator.path, "--schema", schema.path]
        if let definition { arguments += ["--definition", definition] }
        let result = try await ChildRun.run(arguments + documents.map(\.path))
        return (result.status, result.output + result.errors)
    }

    /// A fresh temporary directory.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static func stripComment(_ line: String) -> String {
        var inString = false
        for (offset, character) in line.enumerated() {
            if character == "\"" { inString.toggle() }
            if character == "#", !inString { return String(line.prefix(offset)) }
        }
        return line
    }

    private static func unquoted(_ value: String) -> String {
        value.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    /// `{ a = "1", b = 2 }` → `["a": "\"1\"", "b": "2"]`.
    private static func inlineTable(_ text: String) -> [String: String] {
        let inner = text.trimmingCharacters(in: CharacterSet(charactersIn: "{} "))
        var result: [String: String] = [:]
        for pair in inner.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { result[parts[0]] = parts[1] }
        }
        return result
    }
}

/// A log handler keeping every message and its metadata as text, to check that secrets never appear.
struct CapturingLogHandler: LogHandler {
    /// The captured lines, shared by copies of the handler.
    final class Sink: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    let sink: Sink
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        sink.lines.withLock { $0.append("\(event.level) \(event.message) \(merged)") }
    }
}
