/// A small, fast text encoding for the collection columns of the `product` table.
///
/// Each string is written as `<utf8 byte count>:<bytes>`, an absent string as `~`, so any text
/// (commas, newlines, Hindi) round-trips without escaping, and decoding needs no `JSONDecoder`
/// per row: the dirty-set rebuild decodes a million products.
enum CompactCoding {
    /// Why stored text could not be decoded (a damaged database or a foreign writer).
    struct DecodingError: Error, CustomStringConvertible {
        let encoded: String
        var description: String { "malformed compact encoding in the store: \(encoded.prefix(80))" }
    }

    /// Encodes a list of optional strings.
    static func encode(_ values: [String?]) -> String {
        var out = ""
        for value in values {
            if let value {
                out += String(value.utf8.count)
                out += ":"
                out += value
            } else {
                out += "~"
            }
        }
        return out
    }

    /// Decodes what ``encode(_:)`` wrote.
    static func decode(_ encoded: String) throws -> [String?] {
        var values: [String?] = []
        var utf8 = Substring(encoded).utf8
        while let first = utf8.first {
            if first == UInt8(ascii: "~") {
                values.append(nil)
                utf8 = utf8.dropFirst()
                continue
            }
            var length = 0
            var index = utf8.startIndex
            while index < utf8.endIndex, let digit = Self.digit(utf8[index]) {
                length = length * 10 + digit
                index = utf8.index(after: index)
            }
            guard index < utf8.endIndex, utf8[index] == UInt8(ascii: ":") else { throw DecodingError(encoded: encoded) }
            let start = utf8.index(after: index)
            guard let end = utf8.index(start, offsetBy: length, limitedBy: utf8.endIndex) else {
                throw DecodingError(encoded: encoded)
            }
            values.append(String(decoding: utf8[start..<end], as: UTF8.self))
            utf8 = utf8[end...]
        }
        return values
    }

    /// Encodes a list of strings.
    static func encode(_ values: [String]) -> String {
        encode(values.map { Optional($0) })
    }

    /// Decodes a list of strings (no absent entries allowed).
    static func decodeStrings(_ encoded: String) throws -> [String] {
        try decode(encoded).map {
            guard let value = $0 else { throw DecodingError(encoded: encoded) }
            return value
        }
    }

    /// Encodes a dictionary as alternating keys and values, sorted by key so equal dictionaries
    /// encode to equal text (the upsert compares columns to detect real changes).
    static func encode(_ dictionary: [String: String]) -> String {
        encode(dictionary.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] })
    }

    /// Decodes what ``encode(_:)-([String:String])`` wrote.
    static func decodeDictionary(_ encoded: String) throws -> [String: String] {
        let flat = try decodeStrings(encoded)
        guard flat.count.isMultiple(of: 2) else { throw DecodingError(encoded: encoded) }
        var dictionary: [String: String] = [:]
        dictionary.reserveCapacity(flat.count / 2)
        var index = 0
        while index < flat.count {
            dictionary[flat[index]] = flat[index + 1]
            index += 2
        }
        return dictionary
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
