import Catalog
import CurlHTTP
import Foundation
import Logging
import Sync

/// The `JSON_LISTINGS_FEED` workflow for one channel: build, upload, submit, watch, read the report.
///
/// createFeedDocument → PUT the document to the presigned URL (same Content-Type, no SP-API headers) →
/// createFeed (paced by `createFeed` and by the separate `createFeed:JSON_LISTINGS_FEED` quota) → the
/// feed is recorded as in flight (``InFlightFeeds``) → ``FeedWatcher`` polls it to DONE, FATAL or
/// CANCELLED and reads its (gzip) report → ``ProcessingReport`` → one outcome per SKU → the record is
/// removed. SKUs of a recorded feed are never sent in a second one while it runs: a later push (after
/// a timeout, or after a restart) watches the recorded feed instead. A feed that does not finish in time
/// sends its urgent SKUs as single calls at once and asks for a retry of the others.
struct FeedSubmission: Sendable {
    /// The Feeds API operations and the rate limiter's buckets.
    enum Operation {
        static let createFeedDocument = "createFeedDocument"
        static let createFeed = "createFeed"
        /// JSON_LISTINGS_FEED submissions have their own, stricter quota (5 per 5 minutes).
        static let createListingsFeed = "createFeed:JSON_LISTINGS_FEED"
        static let getFeed = "getFeed"
        static let getFeedDocument = "getFeedDocument"
    }

    /// The content type of the feed document, on createFeedDocument and on the upload alike.
    static let documentContentType = "application/json; charset=UTF-8"

    let connection: SPAPIConnection
    let feedBuilder: ListingsFeedBuilder
    let items: ListingsItemsClient
    let configuration: AmazonAdapter.Configuration
    let logger: Logger
    /// The feeds submitted and not yet read, across restarts.
    let inFlight: InFlightFeeds

    private var watcher: FeedWatcher {
        FeedWatcher(connection: connection, configuration: configuration, logger: logger)
    }

    /// Sends `changes` in as many feeds as the limits need and reports every SKU's outcome; SKUs of a
    /// feed still in flight are not sent again: that feed is watched for them instead.
    func push(_ changes: [ListingChange]) async -> [SKU: ListingOutcome] {
        let records = await inFlight.load()
        var waiting: [String: (record: Int, message: Int)] = [:]
        for (index, record) in records.enumerated() {
            for message in record.messages { waiting[message.sku] = (index, message.messageId) }
        }
        var resumed: [Int: [Int: ListingChange]] = [:]
        var fresh: [ListingChange] = []
        for change in changes {
            if let (record, message) = waiting[change.sku.rawValue] {
                resumed[record, default: [:]][message] = change
            } else {
                fresh.append(change)
            }
        }
        let (feeds, oversized) = feedBuilder.feeds(for: fresh)
        var outcomes: [SKU: ListingOutcome] = [:]
        for entry in oversized {
            let issue = MarketplaceIssue(
                code: "FEED_MESSAGE_TOO_LARGE",
                message: "the listing's feed message has \(entry.bytes) bytes, more than a feed may carry "
                    + "(\(configuration.maximumFeedBytes))"
            )
            outcomes[entry.change.sku] = .rejected(issues: [issue])
        }
        await withTaskGroup(of: [SKU: ListingOutcome].self) { group in
            for feed in feeds {
                group.addTask { await run(feed) }
            }
            for (index, changes) in resumed {
                let record = records[index]
                logger.info(
                    "watching a feed submitted earlier instead of sending its SKUs again",
                    metadata: ["feed": "\(record.feedId)", "skus": "\(changes.count)"]
                )
                group.addTask { await follow(record, changes: changes) }
            }
            for await result in group {
                outcomes.merge(result) { _, new in new }
            }
        }
        return outcomes
    }

    /// One feed from upload to outcomes.
    func run(_ feed: ListingsFeedBuilder.Feed) async -> [SKU: ListingOutcome] {
        let feedID: String
        switch await submit(feed) {
        case .failure(let failure):
            return Self.all(Array(feed.changes.values), failure.outcome)
        case .success(let id):
            feedID = id
        }
        logger.debug("feed submitted", metadata: ["feed": "\(feedID)", "messages": "\(feed.changes.count)"])
        let record = await inFlight.record(feedID: feedID, feed: feed, acceptance: Self.acceptance)
        return await follow(record, changes: feed.changes)
    }

    /// Watches recorded feed `record` and turns its end into the outcomes of `changes` (by `messageId`).
    func follow(_ record: InFlightFeeds.Record, changes: [Int: ListingChange]) async -> [SKU: ListingOutcome] {
        let feedID = record.feedId
        let list = Array(changes.values)
        let feed: SPAPIWire.Feed
        switch await watcher.watch(feedID) {
        case .cancelled:
            return Self.all(list, .retry(reason: "cancelled while watching feed \(feedID)", after: nil))
        case .timedOut(let lastStatus):
            return await timedOut(feedID: feedID, status: lastStatus, changes: list)
        case .finished(let value):
            feed = value
        }
        let status = feed.processingStatus
        let report: ProcessingReport?
        switch await watcher.report(of: feed) {
        case .failure(let failure):
            // The record stays: the next attempt reads this feed's report again instead of resending.
            return Self.all(list, failure.outcome)
        case .success(let value):
            report = value
        }
        await inFlight.finished(record)
        guard let report else {
            if status != "DONE" {
                logger.error("feed ended without a report", metadata: ["feed": "\(feedID)", "status": "\(status)"])
            }
            let reason =
                status == "DONE"
                ? "feed \(feedID) is DONE without a report"
                : "feed \(feedID) ended \(status) without a processing report"
            return Self.all(list, .retry(reason: reason, after: nil))
        }
        let problems = report.summaryProblems(sent: record.messages.count)
        if !problems.isEmpty {
            logger.warning(
                "feed report summary does not add up",
                metadata: ["feed": "\(feedID)", "problems": "\(problems.joined(separator: "; "))"]
            )
        }
        let messages = Dictionary(record.messages.map { ($0.messageId, $0) }, uniquingKeysWith: { a, _ in a })
        return report.outcomes(
            for: changes,
            messages: messages.mapValues(\.sku),
            feedID: feedID,
            status: status,
            retryAfter: status == "DONE" ? configuration.timedOutFeedRetryDelay : nil,
            acceptance: { id, change in
                messages[id].map { record.accepted($0, remoteID: change.remoteID) } ?? Self.acceptance(change)
            }
        )
    }

    /// createFeedDocument, upload, createFeed: the feed's id, or why it could not be submitted.
    private func submit(_ feed: ListingsFeedBuilder.Feed) async -> Result<String, Failure> {
        let documentReply = await connection.send(
            .post,
            path: "/feeds/2021-06-30/documents",
            body: .object([("contentType", .string(Self.documentContentType))]),
            operations: [Operation.createFeedDocument]
        )
        let document: SPAPIWire.FeedDocument
        switch Self.decoded(SPAPIWire.FeedDocument.self, documentReply, operation: Operation.createFeedDocument) {
        case .failure(let failure): return .failure(failure)
        case .success(let value): document = value
        }
        let upload = HTTPRequest(
            method: .put,
            url: document.url,
            headers: ["Content-Type": Self.documentContentType],
            body: feed.document,
            timeout: connection.timeout
        )
        do {
            let response = try await connection.http.execute(
                upload,
                platform: connection.platform,
                operation: "uploadFeedDocument"
            )
            guard response.isSuccess else {
                return .failure(Failure(reason: "feed document upload answered \(response.status)", after: nil))
            }
        } catch {
            return .failure(Failure(reason: "feed document upload failed: \(error)", after: nil))
        }
        let feedReply = await connection.send(
            .post,
            path: "/feeds/2021-06-30/feeds",
            body: .object([
                ("feedType", "JSON_LISTINGS_FEED"),
                ("marketplaceIds", [.string(items.marketplace.id)]),
                ("inputFeedDocumentId", .string(document.feedDocumentId)),
            ]),
            operations: [Operation.createFeed, Operation.createListingsFeed]
        )
        return Self.decoded(SPAPIWire.CreateFeedResponse.self, feedReply, operation: Operation.createFeed)
            .map(\.feedId)
    }

    /// The feed is still running: urgent SKUs go single now, the others are retried later.
    private func timedOut(feedID: String, status: String, changes: [ListingChange]) async -> [SKU: ListingOutcome] {
        let (seconds, attoseconds) = configuration.feedTimeout.components
        let waited = seconds > 0 ? "\(seconds) s" : "\(attoseconds / 1_000_000_000_000_000) ms"
        logger.warning("feed not finished in time", metadata: ["feed": "\(feedID)", "status": "\(status)"])
        var outcomes: [SKU: ListingOutcome] = [:]
        for change in changes where !change.isUrgent {
            outcomes[change.sku] = .retry(
                reason: "feed \(feedID) still \(status) after \(waited)",
                after: configuration.timedOutFeedRetryDelay
            )
        }
        await withTaskGroup(of: (SKU, ListingOutcome).self) { group in
            for change in changes where change.isUrgent {
                group.addTask { (change.sku, await items.push(change)) }
            }
            for await (sku, outcome) in group { outcomes[sku] = outcome }
        }
        return outcomes
    }

    /// How an accepted message is acknowledged: an UPDATE sent all facets, a PATCH or DELETE its own.
    static func acceptance(_ change: ListingChange) -> ListingOutcome {
        ListingsFeedBuilder.sendsAllFacets(change) ? ListingsItemsClient.acceptedAllFacets(change) : .accepted(change)
    }

    /// Why a step of the workflow failed, and when to try again.
    struct Failure: Error {
        var reason: String
        var after: Duration?
        /// Amazon refused the account (a fresh token refused): the channel needs attention.
        var refused = false

        /// What the failure means for each SKU of the feed.
        var outcome: ListingOutcome {
            refused ? .needsAttention(reason: reason) : .retry(reason: reason, after: after)
        }
    }

    /// The decoded 2xx body of `reply`, or a failure naming `operation`.
    static func decoded<T: Decodable>(
        _ type: T.Type,
        _ reply: SPAPIConnection.Reply,
        operation: String
    ) -> Result<T, Failure> {
        switch reply {
        case .transient(let reason, let after):
            return .failure(Failure(reason: reason, after: after))
        case .refused(let reason):
            return .failure(Failure(reason: reason, after: nil, refused: true))
        case .response(let response):
            if response.isSuccess, let value = SPAPIWire.decode(type, from: response.body) { return .success(value) }
            let code = SPAPIWire.decode(SPAPIWire.ErrorList.self, from: response.body)?.firstCode ?? "no error code"
            return .failure(Failure(reason: "\(operation) answered \(response.status) (\(code))", after: .seconds(60)))
        }
    }

    private static func all(_ changes: [ListingChange], _ outcome: ListingOutcome) -> [SKU: ListingOutcome] {
        Dictionary(changes.map { ($0.sku, outcome) }, uniquingKeysWith: { first, _ in first })
    }
}
