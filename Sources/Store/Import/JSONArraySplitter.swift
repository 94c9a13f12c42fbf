import Foundation

/// Splits a top-level JSON array into its elements' bytes without parsing them, reading the
/// stream in chunks, so a million-object file never sits in memory whole. Each element comes
/// with the line its first byte is on (line 1 is the first line of the file).
struct JSONArraySplitter {
    /// The array is malformed at `line`.
    struct SyntaxError: Error {
        let line: Int
        let message: String
    }

    private enum State {
        case beforeArray
        case beforeElement
        case inElement
        case afterElement
        case done
    }

    let chunkSize: Int

    init(chunkSize: Int = 1 << 20) {
        self.chunkSize = chunkSize
    }

    /// Calls `body` with each element's bytes and start line, in order.
    func split(_ stream: InputStream, _ body: (_ element: [UInt8], _ line: Int) throws -> Void) throws {
        stream.open()
        defer { stream.close() }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var state = State.beforeArray
        var line = 1
        var element: [UInt8] = []
        var elementLine = 1
        var depth = 0
        var inString = false
        var escaped = false
        var isFirstChunk = true

        while true {
            let count = stream.read(&buffer, maxLength: chunkSize)
            if count < 0 { throw SyntaxError(line: line, message: "the file could not be read") }
            if count == 0 { break }
            var start = 0
            if isFirstChunk {
                isFirstChunk = false
                if count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { start = 3 }
            }
            for index in start..<count {
                let byte = buffer[index]
                switch state {
                case .beforeArray:
                    if Self.isWhitespace(byte) {
                        break
                    } else if byte == UInt8(ascii: "[") {
                        state = .beforeElement
                    } else {
                        throw SyntaxError(line: line, message: "a JSON catalog must be an array of objects")
                    }
                case .beforeElement, .afterElement:
                    if Self.isWhitespace(byte) {
                        break
                    } else if byte == UInt8(ascii: "]") {
                        state = .done
                    } else if state == .afterElement && byte == UInt8(ascii: ",") {
                        state = .beforeElement
                    } else if state == .beforeElement {
                        guard byte == UInt8(ascii: "{") else {
                            throw SyntaxError(line: line, message: "every element of the array must be an object")
                        }
                        state = .inElement
                        elementLine = line
                        element.removeAll(keepingCapacity: true)
                        element.append(byte)
                        depth = 1
                        inString = false
                        escaped = false
                    } else {
                        throw SyntaxError(line: line, message: "expected \",\" or \"]\" between elements")
                    }
                case .inElement:
                    element.append(byte)
                    if inString {
                        if escaped {
                            escaped = false
                        } else if byte == UInt8(ascii: "\\") {
                            escaped = true
                        } else if byte == UInt8(ascii: "\"") {
                            inString = false
                        }
                    } else if byte == UInt8(ascii: "\"") {
                        inString = true
                    } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                        depth += 1
                    } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                        depth -= 1
                        if depth == 0 {
                            try body(element, elementLine)
                            state = .afterElement
                        }
                    }
                case .done:
                    if !Self.isWhitespace(byte) {
                        throw SyntaxError(line: line, message: "unexpected text after the closing \"]\"")
                    }
                }
                if byte == UInt8(ascii: "\n") { line += 1 }
            }
        }
        guard state == .done else {
            throw SyntaxError(line: line, message: "the JSON array is not closed (unexpected end of file)")
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
