import Foundation

extension SchemaEvaluation {
    /// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`.
    mutating func checkNumber(_ schema: JSONValue, _ value: Double, path: String, title: String?) {
        if let minimum = schema["minimum"]?.number, value < minimum {
            fail(path, "minimum", "must be at least \(Self.text(minimum)), found \(Self.text(value))", title: title)
        }
        if let maximum = schema["maximum"]?.number, value > maximum {
            fail(path, "maximum", "must be at most \(Self.text(maximum)), found \(Self.text(value))", title: title)
        }
        if let bound = schema["exclusiveMinimum"]?.number, value <= bound {
            fail(
                path,
                "exclusiveMinimum",
                "must be more than \(Self.text(bound)), found \(Self.text(value))",
                title: title
            )
        }
        if let bound = schema["exclusiveMaximum"]?.number, value >= bound {
            fail(
                path,
                "exclusiveMaximum",
                "must be less than \(Self.text(bound)), found \(Self.text(value))",
                title: title
            )
        }
        if let divisor = schema["multipleOf"]?.number, divisor > 0 {
            let quotient = value / divisor
            let whole = quotient.isFinite && abs(quotient - quotient.rounded()) <= 1e-9 * max(1, abs(quotient))
            if !whole {
                fail(
                    path,
                    "multipleOf",
                    "must be a multiple of \(Self.text(divisor)), found \(Self.text(value))",
                    title: title
                )
            }
        }
    }

    /// `minLength`, `maxLength` (in code points), `pattern`, and Amazon's UTF-8 byte lengths.
    mutating func checkString(_ schema: JSONValue, _ text: String, path: String, title: String?) {
        let length = text.unicodeScalars.count
        if let minimum = schema["minLength"]?.number, Double(length) < minimum {
            fail(path, "minLength", "must be at least \(Self.text(minimum)) characters, found \(length)", title: title)
        }
        if let maximum = schema["maxLength"]?.number, Double(length) > maximum {
            fail(path, "maxLength", "must be at most \(Self.text(maximum)) characters, found \(length)", title: title)
        }
        let bytes = text.utf8.count
        if let minimum = schema["minUtf8ByteLength"]?.number, Double(bytes) < minimum {
            fail(
                path,
                "minUtf8ByteLength",
                "must be at least \(Self.text(minimum)) bytes in UTF-8, found \(bytes)",
                title: title
            )
        }
        if let maximum = schema["maxUtf8ByteLength"]?.number, Double(bytes) > maximum {
            fail(
                path,
                "maxUtf8ByteLength",
                "must be at most \(Self.text(maximum)) bytes in UTF-8, found \(bytes)",
                title: title
            )
        }
        if let pattern = schema["pattern"]?.string {
            if let expression = try? NSRegularExpression(pattern: pattern) {
                let range = NSRange(text.startIndex..., in: text)
                if expression.firstMatch(in: text, range: range) == nil {
                    fail(path, "pattern", "must match the pattern \(pattern)", title: title)
                }
            } else {
                fail(path, "pattern", "the schema's pattern \(pattern) is not a regular expression", title: title)
            }
        }
    }

    /// `items`, `additionalItems`, `minItems`, `maxItems`, `uniqueItems`, `contains`, `minContains`,
    /// `maxContains`, and Amazon's `maxUniqueItems` over `selectors`.
    mutating func checkArray(_ schema: JSONValue, _ elements: [JSONValue], path: String, title: String?, depth: Int) {
        switch schema["items"] {
        case .array(let positional)?:
            for (index, element) in elements.enumerated() {
                let subschema = index < positional.count ? positional[index] : schema["additionalItems"]
                if let subschema {
                    check(subschema, element, path: Self.child(path, "\(index)"), title: title, depth: depth + 1)
                }
            }
        case let single?:
            for (index, element) in elements.enumerated() {
                check(single, element, path: Self.child(path, "\(index)"), title: title, depth: depth + 1)
            }
        case nil:
            break
        }
        if let minimum = schema["minItems"]?.number, Double(elements.count) < minimum {
            fail(
                path,
                "minItems",
                "must have at least \(Self.text(minimum)) items, found \(elements.count)",
                title: title
            )
        }
        if let maximum = schema["maxItems"]?.number, Double(elements.count) > maximum {
            fail(
                path,
                "maxItems",
                "must have at most \(Self.text(maximum)) items, found \(elements.count)",
                title: title
            )
        }
        if schema["uniqueItems"] == .bool(true), Set(elements).count != elements.count {
            fail(path, "uniqueItems", "must not repeat an item", title: title)
        }
        if let contains = schema["contains"] {
            let matches = elements.indices.filter { passes(contains, elements[$0], path: path, depth: depth + 1) }.count
            let minimum = schema["minContains"]?.number ?? 1
            if Double(matches) < minimum {
                fail(
                    path,
                    "contains",
                    "must contain at least \(Self.text(minimum)) matching items, found \(matches)",
                    title: title
                )
            }
            if let maximum = schema["maxContains"]?.number, Double(matches) > maximum {
                fail(
                    path,
                    "maxContains",
                    "must contain at most \(Self.text(maximum)) matching items, found \(matches)",
                    title: title
                )
            }
        }
        if let maximum = schema["maxUniqueItems"]?.number,
            let selectors = schema["selectors"]?.array?.compactMap(\.string)
        {
            var counts: [[JSONValue?]: Int] = [:]
            for element in elements { counts[selectors.map { element[$0] }, default: 0] += 1 }
            if let (combination, count) = counts.first(where: { Double($0.value) > maximum }) {
                let shown = zip(selectors, combination).map { "\($0)=\($1?.description ?? "absent")" }.joined(
                    separator: ", "
                )
                fail(
                    path,
                    "maxUniqueItems",
                    "each combination of \(selectors.joined(separator: ", ")) may occur \(Self.text(maximum)) times; \(shown) occurs \(count)",
                    title: title
                )
            }
        }
    }

    /// `properties`, `patternProperties`, `additionalProperties`, `required`, `dependentRequired`,
    /// `dependentSchemas`, `propertyNames`, `minProperties`, `maxProperties`.
    mutating func checkObject(
        _ schema: JSONValue,
        _ members: [String: JSONValue],
        path: String,
        title: String?,
        depth: Int
    ) {
        let properties = schema["properties"]?.object ?? [:]
        let patterns = (schema["patternProperties"]?.object ?? [:]).compactMap { pattern, subschema in
            (try? NSRegularExpression(pattern: pattern)).map { ($0, subschema) }
        }
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            let keyPath = Self.child(path, key)
            var described = false
            if let subschema = properties[key] {
                described = true
                check(subschema, value, path: keyPath, title: subschema["title"]?.string, depth: depth + 1)
            }
            for (expression, subschema) in patterns
            where expression.firstMatch(in: key, range: NSRange(key.startIndex..., in: key)) != nil {
                described = true
                check(subschema, value, path: keyPath, title: title, depth: depth + 1)
            }
            if !described, let additional = schema["additionalProperties"] {
                if additional == .bool(false) {
                    fail(keyPath, "additionalProperties", "\(key) is not a property this schema allows", title: title)
                } else {
                    check(additional, value, path: keyPath, title: title, depth: depth + 1)
                }
            }
            if let names = schema["propertyNames"], !passes(names, .string(key), path: keyPath, depth: depth + 1) {
                fail(keyPath, "propertyNames", "\(key) is not an allowed property name", title: title)
            }
        }
        for case .string(let key) in schema["required"]?.array ?? [] where members[key] == nil {
            let required = properties[key]?["title"]?.string
            fail(Self.child(path, key), "required", "\(key) is required", title: required ?? title)
        }
        for (key, needed) in schema["dependentRequired"]?.object ?? [:] where members[key] != nil {
            for case .string(let other) in needed.array ?? [] where members[other] == nil {
                fail(
                    Self.child(path, other),
                    "dependentRequired",
                    "\(other) is required when \(key) is given",
                    title: title
                )
            }
        }
        for (key, subschema) in schema["dependentSchemas"]?.object ?? [:] where members[key] != nil {
            check(subschema, .object(members), path: path, title: title, depth: depth + 1)
        }
        if let minimum = schema["minProperties"]?.number, Double(members.count) < minimum {
            fail(
                path,
                "minProperties",
                "must have at least \(Self.text(minimum)) properties, found \(members.count)",
                title: title
            )
        }
        if let maximum = schema["maxProperties"]?.number, Double(members.count) > maximum {
            fail(
                path,
                "maxProperties",
                "must have at most \(Self.text(maximum)) properties, found \(members.count)",
                title: title
            )
        }
    }

    /// A number as JSON writes it (`5`, not `5.0`).
    static func text(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
