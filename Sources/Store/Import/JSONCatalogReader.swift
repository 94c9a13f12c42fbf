import Catalog
import Foundation

/// Reads a catalog JSON file (an array of objects with the CSV's keys; `translations` and
/// `attributes` as objects, `image_urls` and `channels` as arrays or `|` strings) into an
/// ``ImportSession``, one object at a time.
struct JSONCatalogReader {
    let baseCurrency: Currency

    func read(_ stream: InputStream, into session: ImportSession) throws {
        let decoder = JSONDecoder()
        do {
            try JSONArraySplitter().split(stream) { element in
                let position = "element \(element.index + 1) of the array"
                guard element.bytes.first == UInt8(ascii: "{") else {
                    let what = element.bytes.isEmpty ? "empty" : "not a JSON object"
                    session.reject(
                        ImportError(line: element.line, column: nil, sku: nil, message: "\(position) is \(what)")
                    )
                    return
                }
                var reason = element.problem
                var object: [String: JSONValue]?
                if reason == nil {
                    do {
                        object = try decoder.decode([String: JSONValue].self, from: Data(element.bytes))
                    } catch {
                        reason = Self.reason(error)
                    }
                }
                guard let object else {
                    session.reject(
                        ImportError(
                            line: element.line,
                            column: nil,
                            sku: Self.sku(in: element.bytes),
                            message: "\(position) is a malformed JSON object: \(reason ?? "not valid JSON")"
                        )
                    )
                    return
                }
                try session.add(draft(from: object, line: element.line))
            }
        } catch let error as JSONArraySplitter.SyntaxError {
            session.reject(ImportError(line: error.line, column: nil, sku: nil, message: error.message))
        }
    }

    /// Why `error` (from decoding one element) happened, in plain words.
    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch, DecodingError.valueNotFound, DecodingError.keyNotFound:
            return "not an object of keys and values"
        case DecodingError.dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            if let underlying, underlying.localizedCaseInsensitiveContains("utf") {
                return "its text is not valid UTF-8"
            }
            return "not valid JSON"
        default:
            return "not valid JSON"
        }
    }

    /// The `"sku"` of a malformed element when it can still be seen, to name the row.
    private static func sku(in bytes: [UInt8]) -> String? {
        guard let key = bytes.firstRange(of: Array(#""sku""#.utf8)) else { return nil }
        var rest = bytes[key.upperBound...].drop { $0 == 0x20 || $0 == 0x09 }
        guard rest.first == UInt8(ascii: ":") else { return nil }
        rest = rest.dropFirst().drop { $0 == 0x20 || $0 == 0x09 }
        guard rest.first == UInt8(ascii: "\"") else { return nil }
        let value = rest.dropFirst().prefix { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        guard value.count <= 40, let text = String(validating: value, as: UTF8.self) else { return nil }
        return (try? SKU(validating: text))?.rawValue
    }

    private func draft(from object: [String: JSONValue], line: Int) -> ProductDraft {
        var draft = ProductDraft(line: line, baseCurrency: baseCurrency)
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            guard case .success(let column) = ImportColumn.parse(key, allowingTranslationsObject: true) else {
                draft.fail(key, "unknown key \"\(key)\"")
                continue
            }
            switch (column, value) {
            case (_, .null):
                continue
            case (.translations, .object(let languages)):
                for (language, text) in languages.sorted(by: { $0.key < $1.key }) {
                    guard case .object(let fields) = text, let title = Self.optionalText(fields["title"]),
                        let description = Self.optionalText(fields["description"])
                    else {
                        draft.fail(
                            key,
                            "translations.\(language) must be {\"title\": …, \"description\": …} with strings"
                        )
                        continue
                    }
                    draft.setTranslation(language: language, title: title, description: description, name: key)
                }
            case (.attributes, .object(let pairs)):
                var attributes: [String: String] = [:]
                for (name, value) in pairs {
                    guard case .string(let text) = value else {
                        draft.fail(key, "attribute \"\(name)\" must be a string")
                        continue
                    }
                    attributes[name] = text
                }
                draft.setAttributes(attributes, name: key)
            case (.imageURLs, .array(let items)), (.channels, .array(let items)):
                let strings = items.compactMap(\.text)
                guard strings.count == items.count else {
                    draft.fail(key, "\(key) must be an array of strings")
                    continue
                }
                if column == .channels { draft.setChannels(strings) } else { draft.setImageURLs(strings, name: key) }
            case (.bulletPoints(let language), .array(let items)):
                let strings = items.compactMap(\.text)
                guard strings.count == items.count else {
                    draft.fail(key, "\(key) must be an array of strings")
                    continue
                }
                draft.setBulletPoints(strings.filter { !$0.isEmpty }, language: language, name: key)
            case (.identifierExemption, .bool(let flag)):
                draft.set(column, name: key, text: flag ? "true" : "false")
            case (.price, .number(let text)), (.quantity, .number(let text)), (.weightGrams, .number(let text)),
                (.channelPrice, .number(let text)):
                draft.set(column, name: key, text: text)
            case (_, .string(let text)):
                draft.set(column, name: key, text: text)
            default:
                draft.fail(key, "\(key) has the wrong JSON type")
            }
        }
        return draft
    }

    /// `.some(nil)` when absent or null, `.some(text)` for a string, `nil` (invalid) otherwise.
    private static func optionalText(_ value: JSONValue?) -> String?? {
        guard let value else { return .some(nil) }
        return value.optionalText
    }
}

/// Any JSON value; numbers keep their exact decimal text (money never passes through `Double`).
enum JSONValue: Decodable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Decimal.self) {
            self = .number("\(number)")
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The string, if this is one.
    var text: String? {
        if case .string(let text) = self { text } else { nil }
    }

    /// `.some(nil)` for null, `.some(text)` for a string, `nil` for anything else.
    var optionalText: String?? {
        switch self {
        case .null: .some(nil)
        case .string(let text): .some(text)
        default: nil
        }
    }
}
