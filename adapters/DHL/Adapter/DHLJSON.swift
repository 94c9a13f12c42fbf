/// A JSON value the DHL adapter writes on the wire: keys keep their order and numbers keep their digits.
///
/// Numbers are the exact decimal text they are written with (`24.99`, `0.5`), so a declared value goes
/// from `Money.amountString` to the wire without ever passing through `Double`.
enum DHLJSON: Sendable, Hashable {
    case object([Member])
    case array([DHLJSON])
    case string(String)
    /// A number as its exact decimal text (from `Money.amountString` or an integer).
    case number(String)
    case bool(Bool)

    /// One member of an object.
    struct Member: Sendable, Hashable {
        var key: String
        var value: DHLJSON
    }

    /// An object from ordered `(key, value)` pairs.
    static func object(_ pairs: KeyValuePairs<String, DHLJSON>) -> DHLJSON {
        .object(pairs.map { Member(key: $0.key, value: $0.value) })
    }

    /// A whole number.
    static func integer(_ value: Int) -> DHLJSON { .number(String(value)) }

    /// The compact UTF-8 JSON text of the value.
    func serialized() -> [UInt8] {
        var output: [UInt8] = []
        write(to: &output)
        return output
    }

    private func write(to output: inout [UInt8]) {
        switch self {
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                member.value.write(to: &output)
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
        case .number(let text): output.append(contentsOf: text.utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        }
    }

    /// Writes `text` as a JSON string: quotes, backslashes and control characters escaped.
    static func writeString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: Array(#"\""#.utf8))
            case UInt8(ascii: "\\"): output.append(contentsOf: Array(#"\\"#.utf8))
            case 0x0A: output.append(contentsOf: Array(#"\n"#.utf8))
            case 0x0D: output.append(contentsOf: Array(#"\r"#.utf8))
            case 0x09: output.append(contentsOf: Array(#"\t"#.utf8))
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: Array(#"\u00"#.utf8))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
