import Foundation

/// A parsed JSON document that keeps every number's literal text, so a twin can tell `1099` from
/// `1099.00` and `"1099"` — what `JSONDecoder` and `JSONSerialization` blur.
///
/// Twins parse request bodies with it before checking them against a platform's contract
/// (``JSONSchemaValidator``); an `int32` field sent as `1099.00` or `"1099"` is then refused as the
/// platform refuses it.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number, as its literal text (`1099`, `-0.5`, `1e3`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses `bytes` (UTF-8 JSON text), or throws ``JSONValueError`` naming the offset of the fault.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONValueError) -> JSONValue {
        var parser = JSONValueParser(bytes: Array(bytes))
        return try parser.document()
    }

    /// Parses `text`.
    public static func parse(_ text: String) throws(JSONValueError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    /// The member `key` of an object, `nil` otherwise.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The elements of an array, `nil` otherwise.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The members of an object, `nil` otherwise.
    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The text of a string, `nil` otherwise.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A number written as an integer literal (no fraction, no exponent) that fits `Int64`.
    public var integerValue: Int64? {
        guard case .number(let literal) = self, !literal.contains(where: { ".eE".contains($0) }) else { return nil }
        return Int64(literal)
    }

    /// Any number, exactly, as a `Decimal`.
    public var decimalValue: Decimal? {
        guard case .number(let literal) = self else { return nil }
        return Decimal(string: literal, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// This value with the member at `path` (object keys, outermost first) set to `replacement`;
    /// missing objects on the way are created. A contract whose text contradicts its own schema (eBay
    /// types `Product.aspects` as a string but documents an object) is patched this way, in one place.
    public func replacing(at path: ArraySlice<String>, with replacement: JSONValue) -> JSONValue {
        guard let key = path.first else { return replacement }
        var members = objectValue ?? [:]
        members[key] = (members[key] ?? .object([:])).replacing(at: path.dropFirst(), with: replacement)
        return .object(members)
    }

    /// The JSON Schema type name of the value (`integer` only for integer literals).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: integerValue == nil ? "number" : "integer"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// Why a JSON text did not parse: what was wrong, at which byte offset.
public struct JSONValueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was expected or found.
    public var reason: String
    /// The byte offset of the fault.
    public var offset: Int

    /// `reason at byte offset`.
    public var description: String { "\(reason) at byte \(offset)" }
}

/// A recursive-descent parser over UTF-8 bytes (RFC 8259), nesting limited to 512 levels.
struct JSONValueParser {
    let bytes: [UInt8]
    var index = 0
    var depth = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func document() throws(JSONValueError) -> JSONValue {
        let value = try self.value()
        skipSpace()
        guard index == bytes.count else { throw fault("trailing characters") }
        return value
    }

    func fault(_ reason: String) -> JSONValueError {
        JSONValueError(reason: reason, offset: index)
    }

    mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    mutating func value() throws(JSONValueError) -> JSONValue {
        skipSpace()
        guard index < bytes.count else { throw fault("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return try number()
        }
    }

    mutating func literal(_ word: String, _ value: JSONValue) throws(JSONValueError) -> JSONValue {
        let utf8 = Array(word.utf8)
        guard index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
            throw fault("invalid literal")
        }
        index += utf8.count
        return value
    }

    mutating func object() throws(JSONValueError) -> JSONValue {
        depth += 1
        guard depth <= 512 else { throw fault("nesting too deep") }
        defer { depth -= 1 }
        index += 1
        var members: [String: JSONValue] = [:]
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fault("expected a key") }
            let key = try string()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fault("expected ':'") }
            index += 1
            members[key] = try value()
            skipSpace()
            guard index < bytes.count else { throw fault("unexpected end") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw fault("expected ',' or '}'") }
            index += 1
            return .object(members)
        }
    }

    mutating func array() throws(JSONValueError) -> JSONValue {
        depth += 1
        guard depth <= 512 else { throw fault("nesting too deep") }
        defer { depth -= 1 }
        index += 1
        var elements: [JSONValue] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try value())
            skipSpace()
            guard index < bytes.count else { throw fault("unexpected end") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { throw fault("expected ',' or ']'") }
            index += 1
            return .array(elements)
        }
    }

    mutating func number() throws(JSONValueError) -> JSONValue {
        let start = index
        func digits(_ parser: inout JSONValueParser) -> Int {
            let from = parser.index
            while parser.index < parser.bytes.count, (0x30...0x39).contains(parser.bytes[parser.index]) {
                parser.index += 1
            }
            return parser.index - from
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let whole = digits(&self)
        guard whole > 0 else { throw fault("invalid value") }
        if whole > 1, bytes[index - whole] == UInt8(ascii: "0") { throw fault("leading zero") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw fault("expected digits after '.'") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits(&self) > 0 else { throw fault("expected exponent digits") }
        }
        return .number(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    mutating func string() throws(JSONValueError) -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var run: [UInt8] = []
        func flush(_ run: inout [UInt8], _ scalars: inout String.UnicodeScalarView) {
            scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
            run.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                flush(&run, &scalars)
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush(&run, &scalars)
                guard index < bytes.count else { throw fault("unterminated escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"): scalars.append(try unicodeEscape())
                default: throw fault("invalid escape")
                }
            case 0x00..<0x20:
                throw fault("control character in string")
            default:
                run.append(byte)
            }
        }
        throw fault("unterminated string")
    }

    mutating func hex4() throws(JSONValueError) -> UInt32 {
        guard index + 4 <= bytes.count,
            let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
        else { throw fault("invalid \\u escape") }
        index += 4
        return value
    }

    mutating func unicodeEscape() throws(JSONValueError) -> Unicode.Scalar {
        let high = try hex4()
        if (0xD800..<0xDC00).contains(high), index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
            bytes[index + 1] == UInt8(ascii: "u")
        {
            index += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw fault("invalid surrogate pair") }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}"
        }
        return Unicode.Scalar(high) ?? "\u{FFFD}"
    }
}
