import Catalog
import CurlHTTP
import Foundation
import Logging
import Sync

/// The `JSON_LISTINGS_FEED` workflow for one channel: build, upload, submit, watch, read the report.
///
/// createFeedDocument → PUT the document to the presigned URL (same Content-Type, no SP-API headers) →
/// createFeed (paced by `createFeed` and by the separate `createFeed:JSON_LISTINGS_FEED` quota) → poll
/// getFeed every ``AmazonAdapter/Configuration/pollInterval`` until DONE, FATAL or CANCELLED or the feed
/// timeout → getFeedDocument → download → ``ProcessingReport`` → one outcome per SKU. A feed that does not
/// finish in time sends its urgent SKUs as single calls at once and asks for a retry of the others.
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

    /// Sends `changes` in as many feeds as the limits need and reports every SKU's outcome.
    func push(_ changes: [ListingChange]) async -> [SKU: ListingOutcome] {
        let (feeds, oversized) = feedBuilder.feeds(for: changes)
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
            for await result in group {
                outcomes.merge(result) { _, new in new }
            }
        }
        return outcomes
    }

    /// One feed from upload to outcomes.
    func run(_ feed: ListingsFeedBuilder.Feed) async -> [SKU: ListingOutcome] {
        let changes = Array(feed.changes.values)
        let feedID: String
        switch await submit(feed) {
        case .failure(let failure):
            return Self.all(changes, failure.outcome)
        case .success(let id):
            feedID = id
        }
        logger.debug("feed submitted", metadata: ["feed": "\(feedID)", "messages": "\(changes.count)"])
        let deadline = ContinuousClock.now + configuration.feedTimeout
        var lastStatus = "IN_QUEUE"
        while ContinuousClock.now < deadline {
            do {
                try await Task.sleep(for: configuration.pollInterval)
            } catch {
                return Self.all(changes, .retry(reason: "cancelled while watching feed \(feedID)", after: nil))
            }
            let reply = await connection.send(
                .get,
                path: "/feeds/2021-06-30/feeds/\(SPAPIConnection.pathSegment(feedID))",
                operations: [Operation.getFeed]
            )
            guard case .response(let response) = reply, response.isSuccess,
                let status = SPAPIWire.decode(SPAPIWire.Feed.self, from: response.body)
            else { continue }
            lastStatus = status.processingStatus
            switch status.processingStatus {
            case "DONE":
                return await report(of: status, feed: feed)
            case "FATAL", "CANCELLED":
                logger.error(
                    "feed ended without processing",
                    metadata: ["feed": "\(feedID)", "status": "\(lastStatus)"]
                )
                return Self.all(changes, .retry(reason: "feed \(feedID) ended \(lastStatus)", after: nil))
            default:
                continue
            }
        }
        return await timedOut(feedID: feedID, status: lastStatus, changes: changes)
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

    /// getFeedDocument and the download of a finished feed's report, turned into outcomes.
    private func report(of status: SPAPIWire.Feed, feed: ListingsFeedBuilder.Feed) async -> [SKU: ListingOutcome] {
        let changes = Array(feed.changes.values)
        guard let resultID = status.resultFeedDocumentId else {
            return Self.all(changes, .retry(reason: "feed \(status.feedId) is DONE without a report", after: nil))
        }
        let reply = await connection.send(
            .get,
            path: "/feeds/2021-06-30/documents/\(SPAPIConnection.pathSegment(resultID))",
            operations: [Operation.getFeedDocument]
        )
        let document: SPAPIWire.FeedDocument
        switch Self.decoded(SPAPIWire.FeedDocument.self, reply, operation: Operation.getFeedDocument) {
        case .failure(let failure): return Self.all(changes, failure.outcome)
        case .success(let value): document = value
        }
        let body: [UInt8]
        do {
            let response = try await connection.http.execute(
                HTTPRequest(method: .get, url: document.url, timeout: connection.timeout),
                platform: connection.platform,
                operation: "downloadReportDocument"
            )
            guard response.isSuccess else {
                return Self.all(changes, .retry(reason: "report download answered \(response.status)", after: nil))
            }
            body = response.body
        } catch {
            return Self.all(changes, .retry(reason: "report download failed: \(error)", after: nil))
        }
        // CurlHTTP decodes `Content-Encoding: gzip`. A GZIP document served without that header arrives
        // compressed; there is no gunzip here (no zlib binding), so such a report is retried, loudly.
        if body.starts(with: [0x1F, 0x8B]) {
            logger.error("feed report is GZIP without Content-Encoding", metadata: ["feed": "\(status.feedId)"])
            return Self.all(
                changes,
                .retry(reason: "feed \(status.feedId) report is GZIP-compressed without Content-Encoding", after: nil)
            )
        }
        do {
            let report = try ProcessingReport(parsing: body)
            return report.outcomes(
                for: feed.changes,
                feedID: status.feedId,
                retryAfter: configuration.timedOutFeedRetryDelay,
                acceptance: Self.acceptance
            )
        } catch {
            return Self.all(changes, .retry(reason: "feed \(status.feedId): \(error)", after: nil))
        }
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
    private static func decoded<T: Decodable>(
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
