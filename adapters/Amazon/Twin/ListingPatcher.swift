/// Applies Listings Items JSON Patch operations (`add`, `replace`, `merge`, `delete`) to a listing's
/// attributes. Only top-level attributes can be patched (`/attributes/<name>`), as on Amazon.
///
/// `replace` replaces the whole attribute: every entry, of every audience. `merge` ("Merge a listing",
/// "Manage purchasable offer") finds the entry with the same selector values — `purchasable_offer` by
/// `marketplace_id`, `currency` and `audience` (absent = `ALL`), `fulfillment_availability` by
/// `fulfillment_channel_code`, others by `marketplace_id` — and replaces only the sub-attributes the
/// patch names, keeping the entry's others (a sale price, minimum/maximum prices) and every other entry
/// (a B2B offer); an entry no existing one matches is added.
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
                guard let value, let entries = value.array, !entries.isEmpty else {
                    throw Failure(message: "patches[\(index)].value is required for 'merge'.")
                }
                var merged = result[name]?.array ?? []
                for entry in entries.compactMap(\.object) { merge(entry, into: &merged, attribute: name) }
                result[name] = .array(merged)
            case "delete":
                result[name] = nil
            default:
                throw Failure(message: "patches[\(index)].op '\(op)' is not one of add, replace, merge, delete.")
            }
        }
        return result
    }

    /// The selector sub-attributes of `attribute` and the value an absent one stands for.
    static func selectors(of attribute: String) -> [(name: String, absent: String?)] {
        switch attribute {
        case "purchasable_offer": [("marketplace_id", nil), ("currency", nil), ("audience", "ALL")]
        case "fulfillment_availability": [("fulfillment_channel_code", nil)]
        default: [("marketplace_id", nil)]
        }
    }

    /// Merges `incoming` into the entry of `entries` with the same selector values, or appends it.
    private static func merge(_ incoming: [String: TwinJSON], into entries: inout [TwinJSON], attribute: String) {
        let selectors = selectors(of: attribute)
        func key(_ entry: [String: TwinJSON]) -> [String?] {
            selectors.map { entry[$0.name]?.string ?? $0.absent }
        }
        let wanted = key(incoming)
        guard let index = entries.firstIndex(where: { $0.object.map(key) == wanted }),
            var existing = entries[index].object
        else {
            entries.append(.object(incoming))
            return
        }
        existing.merge(incoming) { _, new in new }
        entries[index] = .object(existing)
    }
}
