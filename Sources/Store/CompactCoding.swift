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
        for value in values { append(value, to: &out) }
        return out
    }

    /// Appends one encoded entry (`<count>:<bytes>`, or `~` for `nil`) to `out`.
    @inline(__always)
    static func append(_ value: String?, to out: inout String) {
        guard let value else {
            out.append("~")
            return
        }
        out.append(String(value.utf8.count))
        out.append(":")
        out.append(value)
    }

    /// Decodes what ``encode(_:)`` wrote.
    static func decode(_ encoded: String) throws -> [String?] {
        var values: [String?] = []
        var copy = encoded
        try copy.withUTF8 { bytes in
            try forEach(bytes) { values.append($0.map { String(decoding: $0, as: UTF8.self) }) }
        }
        return values
    }

    /// Calls `body` with each encoded entry of `bytes` in order (`nil` for an absent one), as a
    /// slice of `bytes`: the hot read paths build only the strings they keep.
    static func forEach(
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>?) throws -> Void
    ) throws {
        var index = 0
        let end = bytes.count
        while index < end {
            if bytes[index] == UInt8(ascii: "~") {
                try body(nil)
                index += 1
                continue
            }
            var length = 0
            let digitsStart = index
            while index < end, let digit = Self.digit(bytes[index]) {
                length = length &* 10 &+ digit
                index += 1
            }
            guard index < end, index > digitsStart, index - digitsStart <= 9, bytes[index] == UInt8(ascii: ":"),
                length <= end - index - 1
            else { throw DecodingError(encoded: String(decoding: bytes, as: UTF8.self)) }
            let start = index + 1
            try body(UnsafeBufferPointer(rebasing: bytes[start..<start + length]))
            index = start + length
        }
    }

    /// Decodes a list of strings (no absent entries allowed) from raw bytes.
    static func decodeStrings(bytes: UnsafeBufferPointer<UInt8>) throws -> [String] {
        var values: [String] = []
        try forEach(bytes) { entry in
            guard let entry else { throw DecodingError(encoded: String(decoding: bytes, as: UTF8.self)) }
            values.append(String(decoding: entry, as: UTF8.self))
        }
        return values
    }

    /// Decodes a dictionary written by ``encode(_:)-([String:String])`` from raw bytes.
    static func decodeDictionary(bytes: UnsafeBufferPointer<UInt8>) throws -> [String: String] {
        var dictionary: [String: String] = [:]
        var key: String?
        try forEach(bytes) { entry in
            guard let entry else { throw DecodingError(encoded: String(decoding: bytes, as: UTF8.self)) }
            let text = String(decoding: entry, as: UTF8.self)
            if let pending = key {
                dictionary[pending] = text
                key = nil
            } else {
                key = text
            }
        }
        guard key == nil else { throw DecodingError(encoded: String(decoding: bytes, as: UTF8.self)) }
        return dictionary
    }

    /// Encodes a list of strings.
    static func encode(_ values: [String]) -> String {
        var out = ""
        for value in values { append(value, to: &out) }
        return out
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
        var out = ""
        if dictionary.count == 1, let only = dictionary.first {
            append(only.key, to: &out)
            append(only.value, to: &out)
        } else {
            for (key, value) in dictionary.sorted(by: { $0.key < $1.key }) {
                append(key, to: &out)
                append(value, to: &out)
            }
        }
        return out
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
