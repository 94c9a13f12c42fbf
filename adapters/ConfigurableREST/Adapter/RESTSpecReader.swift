import Catalog
import Foundation
import Sync
import TOMLKit

/// Typed reads of a spec's tables; every error is `<file>: <key>: <message>`.
struct Reader {
    let file: String

    func error(_ key: String, _ message: String) -> AdapterError {
        .configuration(key: "\(file): \(key)", message: message)
    }

    private func keyPath(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func unknownKeys(_ table: TOMLTable, path: String, accepted: [String]) throws(AdapterError) {
        for key in table.keys.sorted() where !accepted.contains(key) {
            throw error(keyPath(path, key), "unknown key (accepted here: \(accepted.joined(separator: ", ")))")
        }
    }

    func string(_ table: TOMLTable, _ key: String, path: String = "", required: Bool = false) throws(AdapterError)
        -> String?
    {
        guard let value = table[key] else {
            if required { throw error(keyPath(path, key), "is required (a string)") }
            return nil
        }
        guard let text = value.string else {
            throw error(keyPath(path, key), "must be a string, found \(value.type)")
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw error(keyPath(path, key), "must not be empty")
        }
        return text
    }

    func table(_ table: TOMLTable, _ key: String, path: String = "", required: Bool = false) throws(AdapterError)
        -> TOMLTable?
    {
        guard let value = table[key] else {
            if required { throw error(keyPath(path, key), "is required (a table)") }
            return nil
        }
        guard let result = value.table else { throw error(keyPath(path, key), "must be a table, found \(value.type)") }
        return result
    }

    func positiveNumber(_ table: TOMLTable, _ key: String, path: String) throws(AdapterError) -> Double {
        guard let value = table[key] else { throw error(keyPath(path, key), "is required (a positive number)") }
        let number: Double? = value.type == .int ? value.int.map(Double.init) : value.double
        guard let number, number > 0 else { throw error(keyPath(path, key), "must be a positive number") }
        return number
    }

    func positiveInteger(_ table: TOMLTable, _ key: String, path: String) throws(AdapterError) -> Int {
        guard let value = table[key] else { throw error(keyPath(path, key), "is required (a positive integer)") }
        guard value.type == .int, let number = value.int, number > 0 else {
            throw error(keyPath(path, key), "must be a positive integer, found \(value.type)")
        }
        return number
    }

    func method(_ table: TOMLTable, path: String) throws(AdapterError) -> String {
        let method = try string(table, "method", path: path, required: true)!.uppercased()
        guard RESTAdapterMethods.all.contains(method) else {
            throw error(
                "\(path).method",
                "\"\(method)\" is not one of \(RESTAdapterMethods.all.joined(separator: ", "))"
            )
        }
        return method
    }

    func requestPath(_ table: TOMLTable, path: String) throws(AdapterError) -> String {
        let value = try string(table, "path", path: path, required: true)!
        guard value.hasPrefix("/") else { throw error("\(path).path", "\"\(value)\" must start with /") }
        return value
    }

    func template(_ text: String, key: String) throws(AdapterError) -> RequestTemplate {
        do {
            return try RequestTemplate(text)
        } catch {
            throw self.error(key, error.message)
        }
    }

    func auth(_ table: TOMLTable) throws(AdapterError) -> RESTSpec.Auth {
        let type = try string(table, "type", path: "auth", required: true)!
        if type == "oauth_client_credentials" { return .oauthClientCredentials(try oauthClient(table)) }
        try unknownKeys(table, path: "auth", accepted: ["header", "type"])
        switch type {
        case "bearer": return .bearer
        case "basic": return .basic
        case "api_key":
            let header = try string(table, "header", path: "auth") ?? "X-Api-Key"
            guard header.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw error("auth.header", "\"\(header)\" is not an HTTP header name")
            }
            return .apiKey(header: header)
        default:
            throw error("auth.type", "\"\(type)\" is not one of bearer, basic, api_key, oauth_client_credentials")
        }
    }

    func facet(_ table: TOMLTable, path: String, accepted: [String] = RESTSpecLoader.facetKeys) throws(AdapterError)
        -> RESTSpec.FacetRequest
    {
        try unknownKeys(table, path: path, accepted: accepted.sorted())
        let method = try method(table, path: path)
        let requestPath = try requestPath(table, path: path)
        guard requestPath.contains("{sku}") else {
            throw error("\(path).path", "\"\(requestPath)\" must contain {sku}")
        }
        let body = try string(table, "body", path: path).map { text throws(AdapterError) in
            try template(text, key: "\(path).body")
        }
        return RESTSpec.FacetRequest(method: method, path: requestPath, body: body)
    }

    func batch(_ table: TOMLTable) throws(AdapterError) -> RESTSpec.Batch {
        try unknownKeys(table, path: "batch", accepted: RESTSpecLoader.batchKeys)
        let method = try method(table, path: "batch")
        let path = try requestPath(table, path: "batch")
        let size = try positiveInteger(table, "size", path: "batch")
        let item = try template(try string(table, "item", path: "batch", required: true)!, key: "batch.item")
        let wrapper = try string(table, "wrapper", path: "batch") ?? #"{"items": [{{items}}]}"#
        let filled = wrapper.replacingOccurrences(of: "{{items}}", with: #"{"a":1},{"a":2}"#)
        guard wrapper.components(separatedBy: "{{items}}").count == 2, !filled.contains("{{"),
            (try? JSONSerialization.jsonObject(with: Data(filled.utf8))) != nil
        else {
            throw error("batch.wrapper", "must be JSON with {{items}} exactly once where the items go: \(wrapper)")
        }
        return RESTSpec.Batch(method: method, path: path, size: size, item: item, wrapper: wrapper)
    }

    func rateLimit(_ table: TOMLTable) throws(AdapterError) -> OperationQuota {
        try unknownKeys(table, path: "rate_limit", accepted: ["burst", "requests_per_second"])
        let rate = try positiveNumber(table, "requests_per_second", path: "rate_limit")
        let burst = try positiveInteger(table, "burst", path: "rate_limit")
        return OperationQuota(operation: RESTAdapterMethods.operation, requestsPerSecond: rate, burst: burst)
    }

    func statusRanges(_ table: TOMLTable?, _ key: String, path: String, default text: String) throws(AdapterError)
        -> StatusRanges
    {
        let value = try table.flatMap { table throws(AdapterError) in try string(table, key, path: path) } ?? text
        guard let ranges = StatusRanges(parsing: value) else {
            throw error("\(path).\(key)", "\"\(value)\" is not a list of statuses or ranges (\"200-299,304\")")
        }
        return ranges
    }

    func jsonPath(_ table: TOMLTable, _ key: String, path: String, required: Bool = false) throws(AdapterError)
        -> JSONPath?
    {
        guard let text = try string(table, key, path: path, required: required) else { return nil }
        guard let parsed = JSONPath(text) else {
            throw error("\(path).\(key)", "\"\(text)\" is not a dot-separated JSON path (\"error.message\")")
        }
        return parsed
    }

    func response(_ table: TOMLTable?, hasBatch: Bool) throws(AdapterError) -> RESTSpec.ResponseRules {
        let path = "response"
        if let table {
            try unknownKeys(
                table,
                path: path,
                accepted: [
                    "batch", "error_code", "error_message", "retry_status", "status", "success_field", "success_status",
                    "success_value",
                ]
            )
        }
        let success = try statusRanges(table, "success_status", path: path, default: "200-299")
        let retry = try statusRanges(table, "retry_status", path: path, default: "408,429,500-599")
        var message: JSONPath?
        var code: JSONPath?
        var batchTable: TOMLTable?
        if let table {
            message = try jsonPath(table, "error_message", path: path)
            code = try jsonPath(table, "error_code", path: path)
            batchTable = try self.table(table, "batch", path: path)
        }
        var batch: RESTSpec.BatchRules?
        if let batchTable {
            let batchPath = "response.batch"
            try unknownKeys(
                batchTable,
                path: batchPath,
                accepted: ["error_code", "error_message", "items", "sku", "success_field", "success_value"]
            )
            batch = RESTSpec.BatchRules(
                items: try jsonPath(batchTable, "items", path: batchPath, required: true)!,
                sku: try jsonPath(batchTable, "sku", path: batchPath, required: true)!,
                successField: try jsonPath(batchTable, "success_field", path: batchPath, required: true)!,
                successValue: try string(batchTable, "success_value", path: batchPath, required: true)!,
                errorMessage: try jsonPath(batchTable, "error_message", path: batchPath),
                errorCode: try jsonPath(batchTable, "error_code", path: batchPath)
            )
        } else if hasBatch {
            throw error("response.batch", "is required with [batch]: how to read each item's result")
        }
        let (successField, successValue) =
            try table.map { table throws(AdapterError) in
                try bodySuccess(table)
            } ?? (nil, nil)
        return RESTSpec.ResponseRules(
            success: success,
            retry: retry,
            errorMessage: message,
            errorCode: code,
            batch: batch,
            successField: successField,
            successValue: successValue,
            statusRules: try table.map { table throws(AdapterError) in try statusRules(table) } ?? []
        )
    }
}

/// The HTTP methods a spec may use, and the rate limiter's operation name.
enum RESTAdapterMethods {
    static let all = ["DELETE", "PATCH", "POST", "PUT"]
    /// Every request of a configurable platform spends one bucket.
    static let operation = "request"
}
