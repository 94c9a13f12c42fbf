import Foundation

/// Removes from a rendered template the object members and array elements whose value is missing.
///
/// A placeholder without a value expands to ``missing`` (U+0001, which ``RequestTemplate/escaped(_:)``
/// never lets through from real text). A value — a string, or a bare token such as `{{weight_grams}}` —
/// containing it is dropped together with its key; everything else is re-emitted as written (numbers
/// keep their exact text), without insignificant whitespace.
enum JSONPruner {
    /// What a placeholder without a value expands to.
    static let missing = "\u{1}"

    private indirect enum Node {
        case object([(key: String, value: Node)])
        case array([Node])
        /// A string (with its quotes) or a bare token, exactly as written.
        case scalar(String)

        var isMissing: Bool {
            if case .scalar(let text) = self { return text.contains(JSONPruner.missing) }
            return false
        }

        var text: String {
            switch self {
            case .scalar(let text): text
            case .array(let elements): "[" + elements.map(\.text).joined(separator: ",") + "]"
            case .object(let members): "{" + members.map { "\($0.key):\($0.value.text)" }.joined(separator: ",") + "}"
            }
        }
    }

    /// `json` without its missing members; `json` unchanged when it cannot be read.
    static func prune(_ json: String) -> String {
        var scanner = Scanner(Array(json.unicodeScalars))
        guard let node = scanner.value(), scanner.atEnd else { return json }
        return prune(node).text
    }

    private static func prune(_ node: Node) -> Node {
        switch node {
        case .scalar: node
        case .array(let elements): .array(elements.filter { !$0.isMissing }.map(prune))
        case .object(let members): .object(members.filter { !$0.value.isMissing }.map { ($0.key, prune($0.value)) })
        }
    }

    /// A minimal JSON reader that keeps each scalar's text.
    private struct Scanner {
        let scalars: [Unicode.Scalar]
        var index = 0

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var atEnd: Bool {
            var copy = self
            copy.skipSpace()
            return copy.index == scalars.count
        }

        mutating func skipSpace() {
            while index < scalars.count, [" ", "\n", "\r", "\t"].contains(scalars[index]) { index += 1 }
        }

        mutating func value() -> Node? {
            skipSpace()
            guard index < scalars.count else { return nil }
            switch scalars[index] {
            case "{": return object()
            case "[": return array()
            case "\"": return string().map(Node.scalar)
            default:
                var text = ""
                while index < scalars.count,
                    !Set<Unicode.Scalar>([",", "}", "]", " ", "\n", "\r", "\t"]).contains(scalars[index])
                {
                    text.unicodeScalars.append(scalars[index])
                    index += 1
                }
                return text.isEmpty ? nil : .scalar(text)
            }
        }

        mutating func string() -> String? {
            var text = "\""
            index += 1
            while index < scalars.count {
                let scalar = scalars[index]
                text.unicodeScalars.append(scalar)
                index += 1
                if scalar == "\\", index < scalars.count {
                    text.unicodeScalars.append(scalars[index])
                    index += 1
                } else if scalar == "\"" {
                    return text
                }
            }
            return nil
        }

        mutating func object() -> Node? {
            index += 1
            var members: [(key: String, value: Node)] = []
            skipSpace()
            if index < scalars.count, scalars[index] == "}" {
                index += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard index < scalars.count, scalars[index] == "\"", let key = string() else { return nil }
                skipSpace()
                guard index < scalars.count, scalars[index] == ":" else { return nil }
                index += 1
                guard let value = value() else { return nil }
                members.append((key, value))
                skipSpace()
                guard index < scalars.count else { return nil }
                index += 1
                if scalars[index - 1] == "}" { return .object(members) }
                guard scalars[index - 1] == "," else { return nil }
            }
        }

        mutating func array() -> Node? {
            index += 1
            var elements: [Node] = []
            skipSpace()
            if index < scalars.count, scalars[index] == "]" {
                index += 1
                return .array(elements)
            }
            while true {
                guard let element = value() else { return nil }
                elements.append(element)
                skipSpace()
                guard index < scalars.count else { return nil }
                index += 1
                if scalars[index - 1] == "]" { return .array(elements) }
                guard scalars[index - 1] == "," else { return nil }
            }
        }
    }
}
