import Foundation

/// Splits a top-level JSON array into its elements' bytes without parsing them, reading the
/// stream in chunks, so a million-object file never sits in memory whole. Each element comes
/// with the line its first byte is on (line 1 is the first line of the file) and its index.
///
/// A bad element does not end the import: a non-object (`5`, `"x"`, `null`), an element whose
/// brackets do not match, or one with a line break inside a string is handed over whole (or as far
/// as it goes) and the split resynchronises at the next element — after the matching closing bracket,
/// at the next `,` of the array, or for a broken string at the next line that starts an object.
struct JSONArraySplitter {
    /// The array itself is malformed at `line` (not an array, not closed).
    struct SyntaxError: Error {
        let line: Int
        let message: String
    }

    /// One element of the array.
    struct Element {
        /// Its bytes, as far as it goes.
        var bytes: [UInt8]
        /// The line its first byte is on.
        var line: Int
        /// Its position in the array, from 0.
        var index: Int
        /// Why it is malformed beyond what parsing its bytes shows, or `nil`.
        var problem: String?
    }

    private enum State {
        case beforeArray
        case beforeElement
        case inElement
        case afterElement
        /// After a broken string: skipping to the next line that starts an element.
        case recovering
        case done
    }

    let chunkSize: Int

    init(chunkSize: Int = 1 << 20) {
        self.chunkSize = chunkSize
    }

    /// Calls `body` with each element, in order.
    func split(_ stream: InputStream, _ body: (Element) throws -> Void) throws {
        stream.open()
        defer { stream.close() }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var state = State.beforeArray
        var line = 1
        var element = Element(bytes: [], line: 1, index: 0)
        var index = 0
        var openers: [UInt8] = []
        var inString = false
        var escaped = false
        var atLineStart = false
        var isFirstChunk = true

        func emit(_ problem: String? = nil) throws {
            element.problem = element.problem ?? problem
            try body(element)
            index += 1
        }
        func begin() {
            element = Element(bytes: [], line: line, index: index)
            openers.removeAll(keepingCapacity: true)
            inString = false
            escaped = false
            state = .inElement
        }

        while true {
            let count = stream.read(&buffer, maxLength: chunkSize)
            if count < 0 { throw SyntaxError(line: line, message: "the file could not be read") }
            if count == 0 { break }
            var start = 0
            if isFirstChunk {
                isFirstChunk = false
                if count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { start = 3 }
            }
            for position in start..<count {
                let byte = buffer[position]
                var reprocess = true
                while reprocess {
                    reprocess = false
                    switch state {
                    case .beforeArray:
                        if Self.isWhitespace(byte) { break }
                        guard byte == UInt8(ascii: "[") else {
                            throw SyntaxError(line: line, message: "a JSON catalog must be an array of objects")
                        }
                        state = .beforeElement
                    case .beforeElement, .afterElement:
                        if Self.isWhitespace(byte) { break }
                        if byte == UInt8(ascii: "]") {
                            state = .done
                        } else if state == .afterElement && byte == UInt8(ascii: ",") {
                            state = .beforeElement
                        } else {
                            let missingComma = state == .afterElement
                            begin()
                            if missingComma { element.problem = "a \",\" is missing before this element" }
                            reprocess = true
                        }
                    case .inElement:
                        if inString {
                            if byte == UInt8(ascii: "\n") {
                                // JSON strings never hold a raw line break: the string is not closed.
                                try emit("a string is not closed before the end of its line")
                                state = .recovering
                                atLineStart = true
                                break
                            }
                            element.bytes.append(byte)
                            if escaped {
                                escaped = false
                            } else if byte == UInt8(ascii: "\\") {
                                escaped = true
                            } else if byte == UInt8(ascii: "\"") {
                                inString = false
                            }
                            break
                        }
                        switch byte {
                        case UInt8(ascii: "\""):
                            element.bytes.append(byte)
                            inString = true
                        case UInt8(ascii: "{"), UInt8(ascii: "["):
                            element.bytes.append(byte)
                            openers.append(byte)
                        case UInt8(ascii: "}"), UInt8(ascii: "]"):
                            let opener = byte == UInt8(ascii: "}") ? UInt8(ascii: "{") : UInt8(ascii: "[")
                            guard let match = openers.lastIndex(of: opener) else {
                                // Closes nothing of this element: it ends here; `]` closes the array.
                                try emit(openers.isEmpty ? nil : "its brackets do not match")
                                state = .afterElement
                                reprocess = true
                                break
                            }
                            element.bytes.append(byte)
                            if match != openers.count - 1 { element.problem = "its brackets do not match" }
                            openers.removeSubrange(match...)
                            if openers.isEmpty {
                                try emit()
                                state = .afterElement
                            }
                        case UInt8(ascii: ",") where openers.isEmpty:
                            try emit()
                            state = .beforeElement
                        default:
                            element.bytes.append(byte)
                        }
                    case .recovering:
                        if byte == UInt8(ascii: "\n") {
                            atLineStart = true
                        } else if atLineStart && !Self.isWhitespace(byte) {
                            if byte == UInt8(ascii: "{") {
                                begin()
                                reprocess = true
                            } else if byte == UInt8(ascii: "]") {
                                state = .done
                            } else if byte != UInt8(ascii: ",") {
                                atLineStart = false
                            }
                        }
                    case .done:
                        if !Self.isWhitespace(byte) {
                            throw SyntaxError(line: line, message: "unexpected text after the closing \"]\"")
                        }
                    }
                }
                if byte == UInt8(ascii: "\n") { line += 1 }
            }
        }
        if state == .inElement { try emit("the file ends inside this element") }
        guard state == .done else {
            throw SyntaxError(line: line, message: "the JSON array is not closed (unexpected end of file)")
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
