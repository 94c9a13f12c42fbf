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
            try JSONArraySplitter().split(stream) { bytes, line in
                let object: [String: JSONValue]
                do {
                    object = try decoder.decode([String: JSONValue].self, from: Data(bytes))
                } catch {
                    session.reject(ImportError(line: line, column: nil, sku: nil, message: "malformed JSON object"))
                    return
                }
                try session.add(draft(from: object, line: line))
            }
        } catch let error as JSONArraySplitter.SyntaxError {
            session.reject(ImportError(line: error.line, column: nil, sku: nil, message: error.message))
        }
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
                draft.setAttributes(attributes)
            case (.imageURLs, .array(let items)), (.channels, .array(let items)):
                let strings = items.compactMap(\.text)
                guard strings.count == items.count else {
                    draft.fail(key, "\(key) must be an array of strings")
                    continue
                }
                if column == .channels { draft.setChannels(strings) } else { draft.setImageURLs(strings, name: key) }
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
