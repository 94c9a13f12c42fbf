/// A JSON value that keeps numbers as their literal text, so prices round-trip exactly.
///
/// SP-API prices are JSON numbers (`24.99`); parsing them into `Double` would turn `0.1` into
/// `0.1000000000000000055…`. The twin parses with ``parse(_:)`` and writes with ``serialized``,
/// never through `Double`.
enum TwinJSON: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number as it was written (validated against the JSON grammar).
    case number(String)
    case string(String)
    case array([TwinJSON])
    case object([String: TwinJSON])

    /// The object's members, or `nil` when this is not an object.
    var object: [String: TwinJSON]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The array's elements, or `nil` when this is not an array.
    var array: [TwinJSON]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The string, or `nil` when this is not a string.
    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The number's literal text, or `nil` when this is not a number.
    var numberText: String? {
        if case .number(let text) = self { return text }
        return nil
    }

    /// The number as an integer when it is one (`10`, not `10.5`).
    var integer: Int? {
        guard let text = numberText else { return nil }
        return Int(text)
    }

    /// Member `key` of an object, `nil` otherwise.
    subscript(key: String) -> TwinJSON? {
        object?[key]
    }

    /// Element `index` of an array, `nil` when out of range or not an array.
    subscript(index: Int) -> TwinJSON? {
        guard let elements = array, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// Compact JSON text with object keys sorted, numbers as written.
    var serialized: String {
        var out = ""
        write(to: &out)
        return out
    }

    /// The UTF-8 bytes of ``serialized``.
    var bytes: [UInt8] { Array(serialized.utf8) }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let text): out += text
        case .string(let text): Self.writeString(text, to: &out)
        case .array(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                element.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                Self.writeString(key, to: &out)
                out += ":"
                members[key]!.write(to: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension TwinJSON: ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    init(stringLiteral value: String) { self = .string(value) }
    init(arrayLiteral elements: TwinJSON...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, TwinJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// An integer number.
    static func int(_ value: Int) -> TwinJSON { .number(String(value)) }

    /// An array of strings.
    static func strings(_ values: [String]) -> TwinJSON { .array(values.map(TwinJSON.string)) }
}
