/// Applies Listings Items JSON Patch operations (`add`, `replace`, `merge`, `delete`) to a listing's
/// attributes. Only top-level attributes can be patched (`/attributes/<name>`), as on Amazon.
enum ListingPatcher {
    /// A patch that cannot be applied: the request is malformed (HTTP 400 for the API, a message issue
    /// in a feed).
    struct Failure: Error, Sendable {
        var message: String
    }

    /// `attributes` after every operation of `patches` (the `patches` array of the request), in order.
    static func apply(_ patches: [TwinJSON], to attributes: [String: TwinJSON]) throws(Failure) -> [String: TwinJSON] {
        var result = attributes
        for (index, patch) in patches.enumerated() {
            guard let op = patch["op"]?.string else { throw Failure(message: "patches[\(index)].op is required.") }
            guard let path = patch["path"]?.string else {
                throw Failure(message: "patches[\(index)].path is required.")
            }
            let prefix = "/attributes/"
            guard path.hasPrefix(prefix), path.count > prefix.count, !path.dropFirst(prefix.count).contains("/")
            else {
                throw Failure(
                    message: "patches[\(index)].path '\(path)' is not a top-level attribute path (/attributes/<name>)."
                )
            }
            let name = String(path.dropFirst(prefix.count))
            let value = patch["value"]
            if let value, value.array?.allSatisfy({ $0.object != nil }) != true {
                throw Failure(message: "patches[\(index)].value must be an array of objects.")
            }
            switch op {
            case "add", "replace":
                guard let value else { throw Failure(message: "patches[\(index)].value is required for '\(op)'.") }
                result[name] = value
            case "merge":
                guard let value, let incoming = value[0]?.object else {
                    throw Failure(message: "patches[\(index)].value is required for 'merge'.")
                }
                result[name] = merged(result[name], with: incoming, rest: Array(value.array!.dropFirst()))
            case "delete":
                result[name] = nil
            default:
                throw Failure(message: "patches[\(index)].op '\(op)' is not one of add, replace, merge, delete.")
            }
        }
        return result
    }

    /// Merges `incoming`'s fields into the first value object of `existing` (keeping its other fields);
    /// without an existing value the incoming values become the attribute.
    private static func merged(_ existing: TwinJSON?, with incoming: [String: TwinJSON], rest: [TwinJSON]) -> TwinJSON {
        guard var values = existing?.array, var first = values.first?.object else {
            return .array([.object(incoming)] + rest)
        }
        first.merge(incoming) { _, new in new }
        values[0] = .object(first)
        return .array(values)
    }
}
