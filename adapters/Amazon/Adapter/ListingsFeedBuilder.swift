import Catalog
import Sync

/// Builds `JSON_LISTINGS_FEED` documents (`listings-feed-schema-v2.json`) for one channel, split so that no
/// feed has more than the message limit (25,000) or the byte limit (10 MiB).
///
/// Messages are numbered 1…n in each feed: `UPDATE` (full listing, all facets) for new listings, `PATCH`
/// for everything that changes on a listing Amazon has (content as one `replace` per attribute CatalogSync
/// owns, with price and stock, so attributes set elsewhere stay), `DELETE` for removals.
struct ListingsFeedBuilder: Sendable {
    /// One feed document and the change behind each of its messages.
    struct Feed: Sendable {
        /// The document's UTF-8 JSON bytes.
        var document: [UInt8]
        /// The change of each message, by `messageId`.
        var changes: [Int: ListingChange]
    }

    /// A change that fits in no feed (its message alone is larger than the byte limit).
    struct Oversized: Sendable {
        var change: ListingChange
        var bytes: Int
    }

    let builder: ListingsPayloadBuilder
    let sellerID: String
    let maximumMessages: Int
    let maximumBytes: Int

    /// The feeds carrying `changes`, in order, and the changes too large for any feed.
    func feeds(for changes: [ListingChange]) -> (feeds: [Feed], oversized: [Oversized]) {
        let headerBytes = header().serialized()
        // `{"header":` H `,"messages":[` messages joined by `,` `]}`
        let envelopeBytes = 10 + headerBytes.count + 13 + 2
        var feeds: [Feed] = []
        var oversized: [Oversized] = []
        var pending: [(ListingChange, JSONValue, Int)] = []
        var pendingBytes = envelopeBytes

        func flush() {
            guard !pending.isEmpty else { return }
            feeds.append(assemble(pending.map { ($0.0, $0.1) }, header: headerBytes))
            pending = []
            pendingBytes = envelopeBytes
        }

        for change in changes {
            let messageID = pending.count + 1
            let message = self.message(for: change, messageID: messageID)
            // The id's digits differ once renumbered in a later feed; allow for the widest id.
            let size = message.serialized().count + String(maximumMessages).count - String(messageID).count + 1
            if envelopeBytes + size > maximumBytes {
                oversized.append(Oversized(change: change, bytes: size))
                continue
            }
            if pending.count == maximumMessages || pendingBytes + size > maximumBytes { flush() }
            pending.append((change, message, size))
            pendingBytes += size
        }
        flush()
        return (feeds, oversized)
    }

    /// The feed message of `change`, numbered `messageID`.
    func message(for change: ListingChange, messageID: Int) -> JSONValue {
        let sku = JSONValue.string(change.sku.rawValue)
        if change.isRemoval {
            return .object([("messageId", .integer(messageID)), ("sku", sku), ("operationType", "DELETE")])
        }
        let productType = JSONValue.string(builder.productType(of: change.desired))
        if change.isNew {
            return .object([
                ("messageId", .integer(messageID)), ("sku", sku), ("operationType", "UPDATE"),
                ("productType", productType), ("requirements", .string(builder.requirements(of: change.desired))),
                ("attributes", builder.attributes(for: change.desired)),
            ])
        }
        // A content change sends every facet, as an UPDATE did, so its acceptance acknowledges all three.
        let facets: Set<Facet> = change.facets.contains(.content) ? Set(Facet.allCases) : change.facets
        var patches = builder.patches(for: change.desired, facets: facets)
        if patches.isEmpty {
            // Nothing differs: re-assert the stock, which is idempotent and keeps the message valid.
            patches = builder.patches(for: change.desired, facets: [.quantity])
        }
        return .object([
            ("messageId", .integer(messageID)), ("sku", sku), ("operationType", "PATCH"),
            ("productType", productType), ("patches", .array(patches)),
        ])
    }

    /// The feed header: seller, version 2.0, the locale issues are reported in, and the report's items
    /// (``ProcessingReport/reportRequest``: each accepted listing named, so an absent message shows).
    func header() -> JSONValue {
        .object([
            ("sellerId", .string(sellerID)), ("version", "2.0"), ("issueLocale", .string(builder.languageTag)),
            ("report", ProcessingReport.reportRequest),
        ])
    }

    /// Whether a message sends all three facets (an `UPDATE`), so an acceptance acknowledges them all.
    static func sendsAllFacets(_ change: ListingChange) -> Bool {
        !change.isRemoval && (change.isNew || change.facets.contains(.content))
    }

    /// One document of `messages`, renumbered 1…n.
    private func assemble(_ messages: [(ListingChange, JSONValue)], header: [UInt8]) -> Feed {
        var document: [UInt8] = []
        document.reserveCapacity(messages.count * 512)
        document.append(contentsOf: Array(#"{"header":"#.utf8))
        document.append(contentsOf: header)
        document.append(contentsOf: Array(#","messages":["#.utf8))
        var changes: [Int: ListingChange] = [:]
        for (index, entry) in messages.enumerated() {
            let messageID = index + 1
            if index > 0 { document.append(UInt8(ascii: ",")) }
            message(for: entry.0, messageID: messageID).write(to: &document)
            changes[messageID] = entry.0
        }
        document.append(contentsOf: Array("]}".utf8))
        return Feed(document: document, changes: changes)
    }
}
