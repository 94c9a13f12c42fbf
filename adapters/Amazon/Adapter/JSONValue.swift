import Foundation

/// A JSON value the adapter writes on the wire: keys keep their order and numbers keep their digits.
///
/// Numbers are stored as the decimal text they are written with (`24.99`, `1780`), so a price goes from
/// `Money.amountString` to the wire without ever passing through `Double`.
enum JSONValue: Sendable, Hashable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    /// A number as its exact decimal text; only ``number(_:)-swift.type.method`` and ``integer(_:)`` make one.
    case rawNumber(String)
    case bool(Bool)
    case null

    /// A number from a plain decimal string (`"24.99"`), or `nil` when the text is not one.
    static func number(_ decimalText: String) -> JSONValue? {
        var sawDigit = false
        var sawPoint = false
        for (offset, byte) in decimalText.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "-") where offset == 0: continue
            case UInt8(ascii: ".") where !sawPoint && sawDigit: sawPoint = true
            default: return nil
            }
        }
        guard sawDigit, decimalText.utf8.last != UInt8(ascii: ".") else { return nil }
        return .rawNumber(decimalText)
    }

    /// A whole number.
    static func integer(_ value: Int) -> JSONValue { .rawNumber(String(value)) }

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.serialized() == rhs.serialized()
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(serialized())
    }

    /// The compact UTF-8 JSON text of the value.
    func serialized() -> [UInt8] {
        var output: [UInt8] = []
        write(to: &output)
        return output
    }

    /// Appends the compact UTF-8 JSON text of the value to `output`.
    func write(to output: inout [UInt8]) {
        switch self {
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(member.0, to: &output)
                output.append(UInt8(ascii: ":"))
                member.1.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .string(let text): Self.writeString(text, to: &output)
        case .rawNumber(let text): output.append(contentsOf: text.utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null: output.append(contentsOf: "null".utf8)
        }
    }

    /// Writes `text` as a JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8.
    static func writeString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    init(integerLiteral value: Int) { self = .integer(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
}

extension JSONValue {
    /// Whether this is an array without elements.
    var isEmptyArray: Bool {
        if case .array(let elements) = self { elements.isEmpty } else { false }
    }

    /// The value of JSON `text` (an `amazon.<attribute>` column written as JSON), or `nil` when it is not
    /// JSON. Object keys come out sorted.
    static func parse(_ text: String) -> JSONValue? {
        (try? JSONDecoder().decode(Parsed.self, from: Data(text.utf8)))?.value
    }

    /// Decodes any JSON value (numbers through `Decimal`, keeping their digits).
    private struct Parsed: Decodable {
        let value: JSONValue

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                value = .null
            } else if let text = try? container.decode(String.self) {
                value = .string(text)
            } else if let flag = try? container.decode(Bool.self) {
                value = .bool(flag)
            } else if let number = try? container.decode(Decimal.self) {
                value = .rawNumber(number.description)
            } else if let array = try? container.decode([Parsed].self) {
                value = .array(array.map(\.value))
            } else {
                let members = try container.decode([String: Parsed].self)
                value = .object(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value.value) })
            }
        }
    }
}
