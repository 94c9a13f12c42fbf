import TwinSupport

/// The Amazon twin's JSON: TwinSupport's ``JSONValue``, which keeps numbers as their literal text so
/// prices round-trip exactly (SP-API prices are JSON numbers, `24.99`; through `Double`, `0.1` would become
/// `0.1000000000000000055…`). Parsed with `JSONValue.parse`, written with `serialized`.
typealias TwinJSON = JSONValue

extension JSONValue {
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

    /// Element `index` of an array, `nil` when out of range or not an array.
    subscript(index: Int) -> TwinJSON? {
        guard let elements = array, elements.indices.contains(index) else { return nil }
        return elements[index]
    }
}
