import ControlAPI
import Foundation

/// A control request body whose keys are all known: any other key is refused by name (a `chanel`
/// that would otherwise be ignored, syncing every channel instead of one).
protocol StrictRequestKeys {
    /// The keys the request's JSON object may have.
    static var wireKeys: [String] { get }
}

extension SyncRequest: StrictRequestKeys {
    static let wireKeys = ["channel", "skus", "full"]
}

extension RetryRequest: StrictRequestKeys {
    static let wireKeys = ["channel", "skus"]
}

extension FXSetRequest: StrictRequestKeys {
    static let wireKeys = ["currency", "rate", "force"]
}

extension ValidateRequest: StrictRequestKeys {
    static let wireKeys = ["sku", "channel"]
}

/// Decodes control request bodies and says what is wrong with a bad one in plain words, naming the
/// field (`field skus[1] must be a string`), never in `DecodingError`'s own text.
enum RequestDecoding {
    /// `data` as `T`, or a ``ControlError`` (400) naming the field at fault; for a
    /// ``StrictRequestKeys`` type also any key it does not know.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, what: String) throws(ControlError) -> T {
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw ControlError(.badRequest, code: "bad_request", "\(what): \(plain(error))")
        }
        if let strict = T.self as? any StrictRequestKeys.Type,
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        {
            let known = Set(strict.wireKeys)
            if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
                throw ControlError(
                    .badRequest,
                    code: "bad_request",
                    "\(what): unknown key \"\(unknown)\" (known: \(strict.wireKeys.joined(separator: ", ")))"
                )
            }
        }
        return value
    }

    /// What is wrong, in words: `field channel must be a string`, `field sku is required`,
    /// `the body is not valid JSON`.
    static func plain(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "the body is not valid JSON" }
        switch error {
        case .typeMismatch(let type, let context):
            guard !context.codingPath.isEmpty else { return "the body must be a JSON object" }
            return "field \(path(context.codingPath)) must be \(describe(type))"
        case .valueNotFound(let type, let context):
            guard !context.codingPath.isEmpty else { return "the body must be a JSON object" }
            return "field \(path(context.codingPath)) must be \(describe(type)), not null"
        case .keyNotFound(let key, let context):
            return "field \(path(context.codingPath + [key])) is required"
        case .dataCorrupted(let context):
            guard !context.codingPath.isEmpty else { return "the body is not valid JSON" }
            return "field \(path(context.codingPath)) has a value that cannot be read"
        @unknown default:
            return "the body is not valid JSON"
        }
    }

    /// `skus[1]`, `translations.de.title`.
    private static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    /// `a string`, `true or false`, `a whole number`, `a list`, `an object`.
    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is String?.Type: "a string"
        case is Bool.Type, is Bool?.Type: "true or false"
        case is Int.Type, is Int?.Type, is Int64.Type: "a whole number"
        case is Double.Type, is Decimal.Type: "a number"
        case is [String].Type, is [String]?.Type: "a list of strings"
        case is [Any].Type: "a list"
        case is [String: Any].Type: "an object"
        default:
            String(describing: type).hasPrefix("Array") ? "a list" : "an object"
        }
    }
}
