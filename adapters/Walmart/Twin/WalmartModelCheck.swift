import Foundation

/// Checks a JSON body against a schema of Walmart's OpenAPI models (`../shared/specs/walmart/*.json`):
/// the subset of OpenAPI 3 schema those models use — `$ref` to `#/components/schemas/…`, `type`,
/// `required`, `properties`, `additionalProperties: false`, `items`, `enum`. Kept local to the Walmart
/// twin; a shared validator in TwinSupport may replace it.
public struct WalmartModelCheck: Sendable {
    /// The parsed models by file name (`us-mp-price.json`), held as JSON text so the type is `Sendable`.
    private let documents: [String: Data]

    /// The models in `directory`; `nil` when a file is missing or not JSON.
    public init?(directory: URL, files: [String] = ["us-mp-price.json", "us-mp-inventory.json", "us-mp-feeds.json"]) {
        var documents: [String: Data] = [:]
        for file in files {
            guard let data = try? Data(contentsOf: directory.appendingPathComponent(file)),
                (try? JSONSerialization.jsonObject(with: data)) != nil
            else { return nil }
            documents[file] = data
        }
        self.documents = documents
    }

    /// The models from `CATALOGSYNC_SPECS_DIR/walmart`, else from `../shared/specs/walmart` beside the
    /// repository this file was built from; `nil` when neither holds them (the twin then checks only
    /// what it reads itself).
    public static func locate() -> WalmartModelCheck? {
        if let root = ProcessInfo.processInfo.environment["CATALOGSYNC_SPECS_DIR"] {
            return WalmartModelCheck(directory: URL(fileURLWithPath: root).appendingPathComponent("walmart"))
        }
        // This file is <repo>/adapters/Walmart/Twin/WalmartModelCheck.swift; the specs are <repo>/../shared.
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { url.deleteLastPathComponent() }
        return WalmartModelCheck(directory: url.appendingPathComponent("shared/specs/walmart"))
    }

    /// The problems of `body` against schema `schema` of `file`, each `path: message`; empty when valid.
    public func problems(_ body: [UInt8], file: String, schema: String) -> [String] {
        guard let data = documents[file], let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return ["\(file) is not loaded"] }
        guard let value = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else {
            return ["$: not JSON"]
        }
        var problems: [String] = []
        check(
            value,
            against: ["$ref": "#/components/schemas/\(schema)"],
            document: document,
            path: "$",
            into: &problems
        )
        return problems
    }

    private func resolve(_ schema: [String: Any], _ document: [String: Any]) -> [String: Any] {
        var current = schema
        var hops = 0
        while let ref = current["$ref"] as? String, ref.hasPrefix("#/"), hops < 32 {
            var node: Any = document
            for part in ref.dropFirst(2).split(separator: "/") {
                guard let next = (node as? [String: Any])?[String(part)] else { return [:] }
                node = next
            }
            current = node as? [String: Any] ?? [:]
            hops += 1
        }
        return current
    }

    private func check(
        _ value: Any,
        against raw: [String: Any],
        document: [String: Any],
        path: String,
        into problems: inout [String]
    ) {
        let schema = resolve(raw, document)
        if let type = schema["type"] as? String, !Self.matches(value, type) {
            problems.append("\(path): expected \(type)")
            return
        }
        if let options = schema["enum"] as? [Any] {
            let text = "\(value)"
            if !options.contains(where: { "\($0)" == text }) {
                problems.append("\(path): \(text) is not one of \(options.map { "\($0)" }.joined(separator: ", "))")
            }
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in (schema["required"] as? [String] ?? []) where object[name] == nil {
                problems.append("\(path).\(name): required")
            }
            for (name, member) in object.sorted(by: { $0.key < $1.key }) {
                if let property = properties[name] as? [String: Any] {
                    check(member, against: property, document: document, path: "\(path).\(name)", into: &problems)
                } else if schema["additionalProperties"] as? Bool == false {
                    problems.append("\(path).\(name): not allowed")
                }
            }
        } else if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() {
                check(element, against: items, document: document, path: "\(path)[\(index)]", into: &problems)
            }
        }
    }

    private static func matches(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return value is NSNumber
        case "integer":
            guard let number = value as? NSNumber, !(value is String) else { return false }
            return number.doubleValue.rounded() == number.doubleValue
        case "number": return value is NSNumber && !(value is String)
        default: return true
        }
    }
}
