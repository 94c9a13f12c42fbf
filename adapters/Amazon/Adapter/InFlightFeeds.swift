import Catalog
import Foundation
import Logging
import Sync

/// The feeds a channel has submitted and not yet read the outcome of, kept in the account's adapter
/// data (the state database), so a daemon killed between createFeed and the report polls the feed it
/// already submitted instead of sending its SKUs in a second feed.
///
/// Also keeps the account's feed turnaround (submission to final status) as a moving average, which the
/// engine's path choice reads through ``AmazonAdapter/bulkTurnaround()``.
///
/// Keys: `amazon/feeds-in-flight/<marketplaceId>/<feedId>` (one JSON ``Record`` each) and
/// `amazon/feed-turnaround-seconds`. A record older than ``maximumAge`` is dropped (its SKUs go out
/// again) so a feed Amazon never finishes cannot hold them forever.
struct InFlightFeeds: Sendable {
    /// One submitted feed: when, and what each message would acknowledge when accepted.
    struct Record: Codable, Sendable, Hashable {
        /// One message of the feed.
        struct Message: Codable, Sendable, Hashable {
            var messageId: Int
            var sku: String
            /// The hashes an acceptance acknowledges, by facet name (`content`, `price`, `quantity`).
            var sentHashes: [String: Int64]
        }

        var feedId: String
        /// Seconds since 1970 when createFeed answered.
        var submittedAt: Double
        var messages: [Message]

        /// The acceptance of `message`: exactly the hashes that were sent in the feed.
        func accepted(_ message: Message, remoteID: String?) -> ListingOutcome {
            var hashes: [Facet: FacetHash] = [:]
            for (name, raw) in message.sentHashes {
                if let facet = Facet(rawValue: name) { hashes[facet] = FacetHash(rawValue: raw) }
            }
            return .accepted(sentHashes: hashes, remoteID: remoteID)
        }
    }

    /// The key of the account's turnaround average.
    static let turnaroundKey = "amazon/feed-turnaround-seconds"
    /// The weight of the newest turnaround in the moving average.
    static let turnaroundWeight = 0.3

    let data: any AdapterDataStore
    let marketplaceID: String
    /// How long a submitted feed is waited for across restarts before its SKUs are sent again.
    let maximumAge: Duration
    let logger: Logger

    private var prefix: String { "amazon/feeds-in-flight/\(marketplaceID)/" }

    /// Records feed `feedID` carrying `feed`'s messages, acknowledged as `acceptance` says; returns the
    /// record (kept in memory too, should the store fail).
    @discardableResult
    func record(
        feedID: String,
        feed: ListingsFeedBuilder.Feed,
        acceptance: (ListingChange) -> ListingOutcome,
        at date: Date = Date()
    ) async -> Record {
        let messages = feed.changes.keys.sorted().map { id -> Record.Message in
            let change = feed.changes[id]!
            var hashes: [String: Int64] = [:]
            if case .accepted(let sent, _) = acceptance(change) {
                for (facet, hash) in sent { hashes[facet.rawValue] = hash.rawValue }
            }
            return Record.Message(messageId: id, sku: change.sku.rawValue, sentHashes: hashes)
        }
        let record = Record(feedId: feedID, submittedAt: date.timeIntervalSince1970, messages: messages)
        do {
            let text = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
            try await data.setValue(text, for: prefix + feedID)
        } catch {
            logger.error("could not record a submitted feed", metadata: ["feed": "\(feedID)", "error": "\(error)"])
        }
        return record
    }

    /// The feeds still waited for, oldest first; records older than ``maximumAge`` are removed.
    func load(now: Date = Date()) async -> [Record] {
        let stored: [String: String]
        do {
            stored = try await data.values(withPrefix: prefix)
        } catch {
            logger.error("could not read submitted feeds", metadata: ["error": "\(error)"])
            return []
        }
        var records: [Record] = []
        for (key, text) in stored {
            guard let record = try? JSONDecoder().decode(Record.self, from: Data(text.utf8)) else {
                logger.error("dropping an unreadable submitted-feed record", metadata: ["key": "\(key)"])
                try? await data.setValue(nil, for: key)
                continue
            }
            if now.timeIntervalSince1970 - record.submittedAt > Self.seconds(maximumAge) {
                logger.warning(
                    "giving up on a feed submitted too long ago; its SKUs go out again",
                    metadata: ["feed": "\(record.feedId)"]
                )
                try? await data.setValue(nil, for: key)
                continue
            }
            records.append(record)
        }
        return records.sorted { ($0.submittedAt, $0.feedId) < ($1.submittedAt, $1.feedId) }
    }

    /// Forgets feed `feedID` (its outcomes are read) and folds its turnaround into the average.
    func finished(_ record: Record, at date: Date = Date()) async {
        try? await data.setValue(nil, for: prefix + record.feedId)
        let turnaround = max(0, date.timeIntervalSince1970 - record.submittedAt)
        let previous = await averageTurnaround().map(Self.seconds)
        let average = previous.map { $0 + Self.turnaroundWeight * (turnaround - $0) } ?? turnaround
        try? await data.setValue(String(format: "%.3f", average), for: Self.turnaroundKey)
    }

    /// `duration` in seconds.
    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The account's moving average of feed turnaround, `nil` before a feed finished.
    func averageTurnaround() async -> Duration? {
        guard let text = try? await data.value(for: Self.turnaroundKey), let seconds = Double(text), seconds >= 0
        else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }
}
