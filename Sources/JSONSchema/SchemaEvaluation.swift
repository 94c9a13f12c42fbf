import Foundation

/// One validation run: walks a schema and an instance together and collects violations.
struct SchemaEvaluation {
    let root: JSONValue
    let maximumDepth: Int
    var violations: [SchemaViolation] = []

    init(root: JSONValue, maximumDepth: Int) {
        self.root = root
        self.maximumDepth = maximumDepth
    }

    /// Whether `instance` passes `schema`, without recording anything.
    func passes(_ schema: JSONValue, _ instance: JSONValue, path: String, depth: Int) -> Bool {
        var trial = SchemaEvaluation(root: root, maximumDepth: maximumDepth)
        trial.check(schema, instance, path: path, title: nil, depth: depth)
        return trial.violations.isEmpty
    }

    mutating func fail(_ path: String, _ keyword: String, _ message: String, title: String?) {
        violations.append(SchemaViolation(instancePath: path, keyword: keyword, message: message, title: title))
    }

    /// Checks `instance` (at `path`) against `schema`, recording violations.
    mutating func check(_ schema: JSONValue, _ instance: JSONValue, path: String, title inherited: String?, depth: Int)
    {
        guard depth <= maximumDepth else {
            fail(path, "$ref", "the schema nests deeper than \(maximumDepth) levels here", title: inherited)
            return
        }
        switch schema {
        case .bool(true): return
        case .bool(false):
            fail(path, "false", "no value is allowed here", title: inherited)
            return
        case .object: break
        default: return  // not a schema: nothing to check
        }
        let title = schema["title"]?.string ?? inherited
        if let reference = schema["$ref"]?.string {
            if let target = JSONSchema.resolve(reference, in: root) {
                check(target, instance, path: path, title: title, depth: depth + 1)
            } else {
                fail(path, "$ref", "the schema refers to \(reference), which it does not hold", title: title)
            }
        }
        checkGeneric(schema, instance, path: path, title: title)
        checkCombinators(schema, instance, path: path, title: title, depth: depth)
        switch instance {
        case .number(let value): checkNumber(schema, value, path: path, title: title)
        case .string(let text): checkString(schema, text, path: path, title: title)
        case .array(let elements): checkArray(schema, elements, path: path, title: title, depth: depth)
        case .object(let members): checkObject(schema, members, path: path, title: title, depth: depth)
        default: break
        }
    }

    /// `type`, `enum`, `const`.
    private mutating func checkGeneric(_ schema: JSONValue, _ instance: JSONValue, path: String, title: String?) {
        if let type = schema["type"] {
            let allowed = type.array?.compactMap(\.string) ?? type.string.map { [$0] } ?? []
            if !allowed.isEmpty, instance.typeNames.isDisjoint(with: allowed) {
                let kind = instance.typeNames.contains("integer") ? "integer" : instance.typeNames.first ?? "?"
                fail(path, "type", "must be \(allowed.joined(separator: " or ")), found \(kind)", title: title)
            }
        }
        if let options = schema["enum"]?.array, !options.contains(instance) {
            let shown = options.prefix(8).map(\.description).joined(separator: ", ")
            fail(
                path,
                "enum",
                "must be one of \(shown)\(options.count > 8 ? ", ..." : ""), found \(instance)",
                title: title
            )
        }
        if let constant = schema["const"], constant != instance {
            fail(path, "const", "must be \(constant), found \(instance)", title: title)
        }
    }

    /// `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`.
    private mutating func checkCombinators(
        _ schema: JSONValue,
        _ instance: JSONValue,
        path: String,
        title: String?,
        depth: Int
    ) {
        if let all = schema["allOf"]?.array {
            for subschema in all { check(subschema, instance, path: path, title: title, depth: depth + 1) }
        }
        if let any = schema["anyOf"]?.array,
            !any.contains(where: { passes($0, instance, path: path, depth: depth + 1) })
        {
            // The closest alternative's own reasons say more than "none matched".
            let reasons =
                any.map { subschema -> [SchemaViolation] in
                    var trial = SchemaEvaluation(root: root, maximumDepth: maximumDepth)
                    trial.check(subschema, instance, path: path, title: title, depth: depth + 1)
                    return trial.violations
                }.min { $0.count < $1.count } ?? []
            fail(path, "anyOf", "matches none of the \(any.count) allowed forms", title: title)
            violations += reasons
        }
        if let one = schema["oneOf"]?.array {
            let matching = one.filter { passes($0, instance, path: path, depth: depth + 1) }.count
            if matching != 1 {
                fail(path, "oneOf", "must match exactly one of \(one.count) forms, matches \(matching)", title: title)
            }
        }
        if let negated = schema["not"], passes(negated, instance, path: path, depth: depth + 1) {
            fail(path, "not", "matches a form that is not allowed here", title: title)
        }
        if let condition = schema["if"] {
            if passes(condition, instance, path: path, depth: depth + 1) {
                if let then = schema["then"] { check(then, instance, path: path, title: title, depth: depth + 1) }
            } else if let otherwise = schema["else"] {
                check(otherwise, instance, path: path, title: title, depth: depth + 1)
            }
        }
    }

    /// `path` extended by one JSON Pointer token.
    static func child(_ path: String, _ token: String) -> String {
        path + "/" + token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
