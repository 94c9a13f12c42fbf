import Foundation

/// One place a JSON value breaks its schema: the JSON path (`$.items[0].quantityType`) and why.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// Where, as a JSON path from the document's root (`$`).
    public var path: String
    /// What the schema asks that the value does not give.
    public var message: String

    /// A violation at `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}

/// Checks JSON values against the schemas of a platform's published contract (OpenAPI 3 component
/// schemas, JSON Schema), so a twin refuses what the platform refuses.
///
/// Deliberately small. Checked: `type` (one name or a list; `integer` means an integer literal, so
/// `1099.00` is not an `int32`), `nullable`, `required`, `enum`, `properties`,
/// `additionalProperties: false`, `items`, `minItems`/`maxItems`, `minLength`/`maxLength` (in
/// characters), `minimum`/`maximum` (inclusive), `allOf`, and local `$ref` (`#/components/schemas/X`).
/// Everything else (`oneOf`, `anyOf`, `pattern`, `format`, `multipleOf`, remote references) is
/// ignored: a value it passes may still break those rules.
public struct JSONSchemaValidator: Sendable {
    /// The whole contract document, against which `$ref`s resolve.
    public let document: JSONValue

    /// A validator resolving references in `document`.
    public init(document: JSONValue) {
        self.document = document
    }

    /// The violations of `value` against the component schema `name` (`#/components/schemas/name`),
    /// or one violation when the document has no such schema.
    public func violations(of value: JSONValue, schemaNamed name: String) -> [SchemaViolation] {
        guard let schema = document["components"]?["schemas"]?[name] else {
            return [SchemaViolation(path: "$", message: "the contract has no schema \(name)")]
        }
        return violations(of: value, against: schema)
    }

    /// The violations of `value` against `schema`, at most 50, in document order.
    public func violations(of value: JSONValue, against schema: JSONValue, path: String = "$") -> [SchemaViolation] {
        var found: [SchemaViolation] = []
        check(value, schema, path, &found, depth: 0)
        return Array(found.prefix(50))
    }

    /// The schema `reference` points at (`#/a/b`), `nil` when it is not local or not found.
    public func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = document
        for part in reference.dropFirst(2).split(separator: "/") {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = node?[key]
        }
        return node
    }

    private func check(
        _ value: JSONValue,
        _ schema: JSONValue,
        _ path: String,
        _ found: inout [SchemaViolation],
        depth: Int
    ) {
        guard depth < 64, found.count < 50 else { return }
        if schema == .bool(false) {
            found.append(SchemaViolation(path: path, message: "no value is allowed here"))
            return
        }
        if let reference = schema["$ref"]?.stringValue {
            guard let target = resolve(reference) else {
                found.append(SchemaViolation(path: path, message: "unresolvable reference \(reference)"))
                return
            }
            check(value, target, path, &found, depth: depth + 1)
            return
        }
        for part in schema["allOf"]?.arrayValue ?? [] { check(value, part, path, &found, depth: depth + 1) }
        if case .null = value, schema["nullable"] == .bool(true) { return }
        if let expected = Self.typeNames(schema["type"]), !expected.isEmpty {
            let actual = value.typeName
            let matches = expected.contains(actual) || (actual == "integer" && expected.contains("number"))
            guard matches else {
                found.append(
                    SchemaViolation(
                        path: path,
                        message: "expected \(expected.joined(separator: " or ")), got \(actual)"
                    )
                )
                return
            }
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(where: { Self.equal($0, value) }) {
            found.append(
                SchemaViolation(
                    path: path,
                    message: "\(Self.render(value)) is not one of [\(allowed.map(Self.render).joined(separator: ", "))]"
                )
            )
        }
        switch value {
        case .object(let members): checkObject(members, schema, path, &found, depth: depth)
        case .array(let elements): checkArray(elements, schema, path, &found, depth: depth)
        case .string(let text): checkString(text, schema, path, &found)
        case .number: checkNumber(value, schema, path, &found)
        default: break
        }
    }

    private func checkObject(
        _ members: [String: JSONValue],
        _ schema: JSONValue,
        _ path: String,
        _ found: inout [SchemaViolation],
        depth: Int
    ) {
        for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
            found.append(SchemaViolation(path: path, message: "required property \(name) is missing"))
        }
        let properties = schema["properties"]?.objectValue ?? [:]
        for (name, member) in members.sorted(by: { $0.key < $1.key }) {
            if let property = properties[name] {
                check(member, property, "\(path).\(name)", &found, depth: depth + 1)
            } else if schema["additionalProperties"] == .bool(false) {
                found.append(SchemaViolation(path: path, message: "property \(name) is not allowed"))
            } else if let extra = schema["additionalProperties"], extra.objectValue != nil {
                check(member, extra, "\(path).\(name)", &found, depth: depth + 1)
            }
        }
    }

    private func checkArray(
        _ elements: [JSONValue],
        _ schema: JSONValue,
        _ path: String,
        _ found: inout [SchemaViolation],
        depth: Int
    ) {
        if let minimum = schema["minItems"]?.decimalValue, Decimal(elements.count) < minimum {
            found.append(
                SchemaViolation(path: path, message: "at least \(minimum) items required, got \(elements.count)")
            )
        }
        if let maximum = schema["maxItems"]?.decimalValue, Decimal(elements.count) > maximum {
            found.append(
                SchemaViolation(path: path, message: "at most \(maximum) items allowed, got \(elements.count)")
            )
        }
        guard let items = schema["items"] else { return }
        for (offset, element) in elements.enumerated() {
            check(element, items, "\(path)[\(offset)]", &found, depth: depth + 1)
        }
    }

    private func checkString(_ text: String, _ schema: JSONValue, _ path: String, _ found: inout [SchemaViolation]) {
        if let minimum = schema["minLength"]?.decimalValue, Decimal(text.count) < minimum {
            found.append(SchemaViolation(path: path, message: "shorter than \(minimum) characters"))
        }
        if let maximum = schema["maxLength"]?.decimalValue, Decimal(text.count) > maximum {
            found.append(SchemaViolation(path: path, message: "longer than \(maximum) characters"))
        }
    }

    private func checkNumber(_ value: JSONValue, _ schema: JSONValue, _ path: String, _ found: inout [SchemaViolation])
    {
        guard let number = value.decimalValue else { return }
        if let minimum = schema["minimum"]?.decimalValue, number < minimum {
            found.append(SchemaViolation(path: path, message: "below the minimum \(minimum)"))
        }
        if let maximum = schema["maximum"]?.decimalValue, number > maximum {
            found.append(SchemaViolation(path: path, message: "above the maximum \(maximum)"))
        }
        if schema["format"]?.stringValue == "int32", let integer = value.integerValue,
            integer < Int64(Int32.min) || integer > Int64(Int32.max)
        {
            found.append(SchemaViolation(path: path, message: "outside int32"))
        }
    }

    /// JSON equality: numbers by value (`1` = `1.0`), arrays in order, objects by members.
    static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.number, .number): return lhs.decimalValue == rhs.decimalValue
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { equal($0, $1) }
        case (.object(let left), .object(let right)):
            return left.count == right.count
                && left.allSatisfy { key, value in right[key].map { equal(value, $0) } ?? false }
        default: return lhs == rhs
        }
    }

    private static func typeNames(_ type: JSONValue?) -> [String]? {
        switch type {
        case .string(let name): [name]
        case .array(let names): names.compactMap(\.stringValue)
        default: nil
        }
    }

    private static func render(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): "\"\(text)\""
        case .number(let literal): literal
        case .bool(let flag): String(flag)
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
