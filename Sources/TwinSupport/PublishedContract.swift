import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A platform's published machine-readable contract (an OpenAPI document), loaded from the specs
/// folder beside the repository (`../shared/specs`) when a twin starts, and used to validate request
/// bodies with ``JSONSchemaValidator``.
///
/// The specs are third-party files that are not committed with the project, so a twin must run
/// without them: ``load(_:)`` answers `nil` when the file (or, for YAML, `python3` with PyYAML, which
/// `make setup` installs) is missing, and the twin then checks only what it checks by hand.
public struct PublishedContract: Sendable {
    /// The file it was loaded from.
    public let path: String
    /// Validates values against the document's schemas.
    public let validator: JSONSchemaValidator

    /// A contract from an already parsed document (tests).
    public init(path: String, document: JSONValue) {
        self.path = path
        validator = JSONSchemaValidator(document: document)
    }

    /// The contract with the schema at `path` (`["components", "schemas", "Product", "properties",
    /// "aspects"]`) replaced by `schema`.
    public func overriding(_ path: [String], with schema: JSONValue) -> PublishedContract {
        PublishedContract(path: self.path, document: validator.document.replacing(at: path[...], with: schema))
    }

    /// The violations of `value` against the component schema `name`.
    public func violations(of value: JSONValue, schemaNamed name: String) -> [SchemaViolation] {
        validator.violations(of: value, schemaNamed: name)
    }

    /// This file's path when it was compiled (`<checkout>/Sources/TwinSupport/PublishedContract.swift`).
    /// Kept here, not as a default argument: `#filePath` there would name each caller's file instead.
    static let compiledPath = #filePath

    /// The specs folder: `$CATALOGSYNC_SPECS_DIR`, else `../shared/specs` from the current directory,
    /// else `../shared/specs` beside the checkout this file was compiled in (`sourceFile`, by default
    /// this file); `nil` when none exists.
    public static func specsDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        sourceFile: String? = nil
    ) -> URL? {
        let sourceFile = sourceFile ?? compiledPath
        var candidates: [URL] = []
        if let configured = environment["CATALOGSYNC_SPECS_DIR"], !configured.isEmpty {
            candidates.append(URL(fileURLWithPath: configured))
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/../shared/specs"))
        // Sources/TwinSupport/PublishedContract.swift → the checkout → ../shared/specs
        let checkout = URL(fileURLWithPath: sourceFile).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(checkout.appendingPathComponent("../shared/specs"))
        var isDirectory: ObjCBool = false
        return candidates.map(\.standardizedFileURL).first {
            FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }

    /// The contract at `relativePath` inside ``specsDirectory(environment:sourceFile:)``
    /// (`dhl-express/mydhl-api-2.7.0.yaml`), or `nil` when it cannot be found or read.
    public static func load(_ relativePath: String) -> PublishedContract? {
        guard let directory = specsDirectory() else { return nil }
        return load(file: directory.appendingPathComponent(relativePath))
    }

    /// The contract in `file`: JSON parsed directly, YAML converted to JSON by `python3 -c 'import
    /// yaml, json'` first; `nil` when that fails.
    public static func load(file: URL) -> PublishedContract? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let bytes: Data?
        if ["yaml", "yml"].contains(file.pathExtension.lowercased()) {
            bytes = yamlAsJSON(file)
        } else {
            bytes = try? Data(contentsOf: file)
        }
        guard let bytes, let document = try? JSONValue.parse(bytes) else { return nil }
        return PublishedContract(path: file.path, document: document)
    }

    /// `file` converted from YAML to JSON by python3 and PyYAML, `nil` when either is missing.
    static func yamlAsJSON(_ file: URL) -> Data? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import sys, json, yaml; json.dump(yaml.safe_load(open(sys.argv[1], encoding='utf-8')), sys.stdout, default=str)",
            file.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        // Waits in the kernel, not with `waitUntilExit()`: that spins a run loop until Foundation's exit
        // monitor runs, which needs a dispatch worker a busy 2-core machine may not have (see
        // Tests/ProcessTestSupport). `WNOWAIT` leaves the child for Foundation to reap.
        var info = siginfo_t()
        while waitid(P_PID, id_t(process.processIdentifier), &info, WEXITED | WNOWAIT) != 0 {
            guard errno == EINTR else { return nil }
        }
        guard info._sifields._sigchld.si_status == 0 else { return nil }
        return data
    }
}
