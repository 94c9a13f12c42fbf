import Catalog
import Foundation
import Sync
import TOMLKit

/// Reads and checks a spec file; every error names the file and the key (`config/rivexa.toml:
/// facets.price.method`).
public enum RESTSpecLoader {
    /// The keys each table accepts.
    static let rootKeys = [
        "auth", "base_url", "batch", "facets", "headers", "query", "rate_limit", "removal", "response",
    ]
    static let facetKeys = ["body", "method", "path"]
    static let batchKeys = ["item", "method", "path", "size", "wrapper"]
    static let methods = ["DELETE", "PATCH", "POST", "PUT"]

    /// The spec at `path` (relative paths resolve against the current directory).
    /// - Throws: ``Sync/AdapterError/configuration(key:message:)`` whose key is `<file>: <key>`.
    public static func load(path: String) throws(AdapterError) -> RESTSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration(
                key: "\(path)",
                message:
                    "cannot read the spec file (relative paths resolve against \(FileManager.default.currentDirectoryPath))"
            )
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// The spec in `text`, read from `file`.
    public static func parse(_ text: String, file: String) throws(AdapterError) -> RESTSpec {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .configuration(
                key: file,
                message: "not valid TOML at line \(error.source.begin.line), column \(error.source.begin.column)"
            )
        } catch {
            throw .configuration(key: file, message: "not valid TOML")
        }
        let reader = Reader(file: file)
        try reader.unknownKeys(root, path: "", accepted: rootKeys)
        var baseURL = try reader.string(root, "base_url", required: true)!
        guard baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://") else {
            throw reader.error("base_url", "\"\(baseURL)\" is not an http:// or https:// URL")
        }
        while baseURL.hasSuffix("/") { baseURL.removeLast() }
        let auth = try reader.auth(try reader.table(root, "auth", required: true)!)
        var facets: [Facet: RESTSpec.FacetRequest] = [:]
        if let table = try reader.table(root, "facets") {
            try reader.unknownKeys(table, path: "facets", accepted: Facet.allCases.map(\.rawValue))
            for facet in Facet.allCases {
                guard let facetTable = try reader.table(table, facet.rawValue, path: "facets") else { continue }
                facets[facet] = try reader.facet(facetTable, path: "facets.\(facet.rawValue)")
            }
        }
        let batch = try reader.table(root, "batch").map { table throws(AdapterError) in try reader.batch(table) }
        guard !facets.isEmpty || batch != nil else {
            throw reader.error(
                "facets",
                "the spec sends nothing: give at least one of [facets.content], [facets.price], [facets.quantity] or [batch]"
            )
        }
        let rateLimit = try reader.table(root, "rate_limit").map { table throws(AdapterError) in
            try reader.rateLimit(table)
        }
        let response = try reader.response(try reader.table(root, "response"), hasBatch: batch != nil)
        let removal = try reader.table(root, "removal").map { table throws(AdapterError) in
            try reader.removal(table)
        }
        return RESTSpec(
            file: file,
            baseURL: baseURL,
            auth: auth,
            facets: facets,
            removal: removal,
            batch: batch,
            headers: try reader.nameValues(try reader.table(root, "headers"), path: "headers"),
            query: try reader.nameValues(try reader.table(root, "query"), path: "query"),
            rateLimit: rateLimit,
            response: response
        )
    }
}
