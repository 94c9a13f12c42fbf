/// Parses one response header line as libcurl hands it to the header callback (`Name: value\r\n`).
enum HeaderLine {
    /// The field on this line, or `nil` for the blank line that ends the header block.
    static func parse(_ line: UnsafeRawBufferPointer) -> HTTPHeaders.Field? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { return nil }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: line[..<colon]), as: UTF8.self)
        var start = colon + 1
        var end = line.count
        while start < end, isWhitespace(line[start]) { start += 1 }
        while end > start, isWhitespace(line[end - 1]) { end -= 1 }
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
        return HTTPHeaders.Field(name: name, value: value)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
            || byte == UInt8(ascii: "\n")
    }
}

/// Rejects request header fields that would corrupt the request (RFC 9110 §5.1, §5.5).
enum HeaderValidation {
    /// Throws ``HTTPClientError/Kind/invalidRequest`` naming the offending field.
    static func validate(_ field: HTTPHeaders.Field, url: String) throws(HTTPClientError) {
        guard !field.name.isEmpty, field.name.utf8.allSatisfy(isTokenCharacter) else {
            throw HTTPClientError(
                kind: .invalidRequest,
                message: "header name \(String(reflecting: field.name)) is not an HTTP token",
                url: url
            )
        }
        guard !field.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) else {
            throw HTTPClientError(
                kind: .invalidRequest,
                message: "header \(field.name) has a value containing CR, LF or NUL",
                url: url
            )
        }
    }

    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
