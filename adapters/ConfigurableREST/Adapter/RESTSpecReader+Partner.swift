import Foundation
import Sync
import TOMLKit

/// Reads of the spec keys a real partner needs beyond facets and batches: the OAuth token endpoint,
/// static headers and query parameters, the removal request, body-judged success and per-status rules.
extension Reader {
    /// The keys `auth` accepts with `type = "oauth_client_credentials"`.
    static let oauthKeys = [
        "client_auth", "default_lifetime_seconds", "expires_field", "scope", "token_field", "token_url", "type",
    ]

    func oauthClient(_ table: TOMLTable) throws(AdapterError) -> RESTSpec.OAuthClient {
        try unknownKeys(table, path: "auth", accepted: Self.oauthKeys)
        let url = try string(table, "token_url", path: "auth", required: true)!
        guard url.hasPrefix("/") || url.hasPrefix("https://") || url.hasPrefix("http://") else {
            throw error("auth.token_url", "\"\(url)\" must be an http(s) URL or a path starting with /")
        }
        let clientAuthText = try string(table, "client_auth", path: "auth") ?? "basic"
        guard let clientAuth = RESTSpec.OAuthClient.ClientAuth(rawValue: clientAuthText) else {
            throw error("auth.client_auth", "\"\(clientAuthText)\" is not one of basic, body")
        }
        var lifetime = 3_600
        if table["default_lifetime_seconds"] != nil {
            lifetime = try positiveInteger(table, "default_lifetime_seconds", path: "auth")
        }
        return RESTSpec.OAuthClient(
            tokenURL: url,
            scope: try string(table, "scope", path: "auth"),
            clientAuth: clientAuth,
            tokenField: try jsonPath(table, "token_field", path: "auth") ?? JSONPath("access_token")!,
            expiresField: try jsonPath(table, "expires_field", path: "auth") ?? JSONPath("expires_in")!,
            defaultLifetimeSeconds: lifetime
        )
    }

    /// `[headers]` or `[query]`: string values only; header names must be tokens, and may not be
    /// `Authorization` (that is the auth's).
    func nameValues(_ table: TOMLTable?, path: String) throws(AdapterError) -> [RESTSpec.NameValue] {
        guard let table else { return [] }
        var result: [RESTSpec.NameValue] = []
        for name in table.keys.sorted() {
            let value = try string(table, name, path: path, required: true)!
            if path == "headers" {
                guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }),
                    name.lowercased() != "authorization"
                else {
                    throw error("headers.\(name)", "is not an HTTP header name the spec may set")
                }
            }
            result.append(RESTSpec.NameValue(name: name, value: value))
        }
        return result
    }

    /// `[removal]`: method, path with `{sku}`, optional body, `absent_status` (default `404,410`).
    func removal(_ table: TOMLTable) throws(AdapterError) -> RESTSpec.Removal {
        let request = try facet(table, path: "removal", accepted: RESTSpecLoader.facetKeys + ["absent_status"])
        return RESTSpec.Removal(
            request: request,
            absent: try statusRanges(table, "absent_status", path: "removal", default: "404,410")
        )
    }

    /// `response.success_field` and `response.success_value`: both or neither.
    func bodySuccess(_ table: TOMLTable) throws(AdapterError) -> (JSONPath?, String?) {
        let field = try jsonPath(table, "success_field", path: "response")
        let value: String?
        if let raw = table["success_value"], raw.type == .bool {
            value = raw.bool == true ? "true" : "false"
        } else {
            value = try string(table, "success_value", path: "response")
        }
        guard (field == nil) == (value == nil) else {
            throw error(
                field == nil ? "response.success_field" : "response.success_value",
                "success_field and success_value go together (the body field and the value meaning success)"
            )
        }
        return (field, value)
    }

    /// `[[response.status]]`: `status` (ranges), `action` (`success` | `retry` | `reject`),
    /// `retry_after_seconds` (with `retry` only).
    func statusRules(_ table: TOMLTable) throws(AdapterError) -> [RESTSpec.StatusRule] {
        guard let value = table["status"] else { return [] }
        guard let array = value.array else {
            throw error("response.status", "must be an array of tables ([[response.status]])")
        }
        var rules: [RESTSpec.StatusRule] = []
        for (index, element) in array.enumerated() {
            let path = "response.status[\(index)]"
            guard let rule = element.table else { throw error(path, "must be a table") }
            try unknownKeys(rule, path: path, accepted: ["action", "retry_after_seconds", "status"])
            let statuses = try statusRanges(rule, "status", path: path, default: "")
            let actionText = try string(rule, "action", path: path, required: true)!
            let action: RESTSpec.StatusRule.Action
            switch actionText {
            case "success": action = .success
            case "reject": action = .reject
            case "retry":
                let after = try rule["retry_after_seconds"].map { _ throws(AdapterError) in
                    Duration.seconds(try positiveInteger(rule, "retry_after_seconds", path: path))
                }
                action = .retry(after: after)
            default: throw error("\(path).action", "\"\(actionText)\" is not one of success, retry, reject")
            }
            if actionText != "retry", rule["retry_after_seconds"] != nil {
                throw error("\(path).retry_after_seconds", "goes with action = \"retry\" only")
            }
            rules.append(RESTSpec.StatusRule(statuses: statuses, action: action))
        }
        return rules
    }
}
