import Catalog
import CurlHTTP
import Foundation
import Sync

/// Submits one Walmart feed within the local feed budget and watches it to its per-item statuses.
///
/// The budget is the account's `feed:<feedType>` bucket (10 feeds per hour per feed type by default);
/// a feed is only submitted when a token is there, never waited for. Status is polled at growing
/// intervals (`GET /v3/feeds/{feedId}?includeDetails=true`) until the feed is `PROCESSED` or `ERROR` or
/// the configured wait is over.
struct WalmartFeedRunner: Sendable {
    /// How a feed ended, as far as this push is concerned.
    enum Result: Sendable {
        /// The local budget for the feed type is spent; a token is back after `after`.
        case budgetSpent(after: Duration)
        /// The feed could not be submitted or watched; every SKU gets this outcome.
        case failed(ListingOutcome)
        /// The feed did not finish within the configured wait.
        case unfinished(feedID: String, status: String)
        /// The feed finished: `nil` for an SKU that was ingested, else its outcome.
        case finished([SKU: ListingOutcome?])
    }

    let client: WalmartClient
    let configuration: WalmartAdapter.Configuration

    /// The rate limiter key of a feed type's budget (`feed:inventory`).
    static func budgetKey(_ feedType: String) -> String { "feed:\(feedType)" }

    /// Submits `body` as a `feedType` feed for `skus` and waits for its item statuses.
    func run(feedType: String, skus: [SKU], body: [UInt8]) async -> Result {
        let limiter = client.context.rateLimiter
        let budget = Self.budgetKey(feedType)
        guard await limiter.tryAcquire(budget) else {
            return .budgetSpent(after: await Self.timeUntilToken(budget, limiter: limiter))
        }
        let upload = Upload(file: body)
        let submitted = await client.send(
            "submitFeed",
            .post,
            "/v3/feeds?feedType=\(feedType)",
            body: upload.body,
            contentType: upload.contentType
        )
        let feedID: String
        switch submitted {
        case .failed(let outcome):
            if case .retry(_, let after) = outcome, after != nil {
                await limiter.throttled(budget, retryAfter: after)
            }
            return .failed(outcome)
        case .response(let response):
            guard response.isSuccess else { return .failed(WalmartClient.rejection(response)) }
            guard let accepted = try? JSONDecoder().decode(WalmartWire.FeedAccepted.self, from: Data(response.body))
            else {
                return .failed(
                    .retry(reason: "Walmart feed answer without feedId: \(response.bodyText.prefix(200))", after: nil)
                )
            }
            feedID = accepted.feedId
        }
        return await watch(feedID: feedID, skus: skus)
    }

    /// Polls `feedID` until it is done or the wait is over.
    private func watch(feedID: String, skus: [SKU]) async -> Result {
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.feedWait
        var interval = configuration.firstPoll
        var lastStatus = "RECEIVED"
        while clock.now + interval <= deadline {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return .unfinished(feedID: feedID, status: lastStatus)
            }
            interval = min(interval * 2, configuration.longestPoll)
            switch await status(feedID: feedID) {
            case .processed(let status): return .finished(Self.itemOutcomes(status, skus: skus))
            case .failed:
                let reason = "Walmart feed \(feedID) ended in ERROR"
                return .finished(
                    Dictionary(uniqueKeysWithValues: skus.map { ($0, .retry(reason: reason, after: nil)) })
                )
            case .inProgress(let status): lastStatus = status
            case .unknown, .unavailable: continue
            }
        }
        return .unfinished(feedID: feedID, status: lastStatus)
    }

    /// Where a submitted feed stands, as one status call found it.
    enum FeedState: Sendable {
        /// `RECEIVED` or `INPROGRESS`.
        case inProgress(String)
        /// `PROCESSED`, with its per-item statuses.
        case processed(WalmartWire.FeedStatus)
        /// `ERROR`: the feed as a whole failed and applied nothing.
        case failed
        /// Walmart does not know the feed (404).
        case unknown
        /// The call failed or the answer was unreadable; ask again later.
        case unavailable(String)
    }

    /// Where `feedID` stands: one status call, and once it is `PROCESSED` as many more as it takes to
    /// read every item's status (`offset`/`limit` pages of ``WalmartAdapter/Configuration/statusPageSize``,
    /// `getFeedItemStatus` in Walmart's feeds model: 50 items per page unless asked, at most 1000).
    func status(feedID: String) async -> FeedState {
        let limit = max(1, min(1_000, configuration.statusPageSize))
        var first: WalmartWire.FeedStatus?
        var items: [WalmartWire.FeedStatus.ItemStatus] = []
        while true {
            let page: WalmartWire.FeedStatus
            switch await statusPage(feedID: feedID, offset: items.count, limit: limit) {
            case .page(let status): page = status
            case .done(let state): return state
            }
            if first == nil {
                first = page
                switch page.feedStatus {
                case "PROCESSED": break
                case "ERROR": return .failed
                default: return .inProgress(page.feedStatus)
                }
            }
            let received = page.itemDetails?.itemIngestionStatus ?? []
            items += received
            if received.count < limit || first?.itemsReceived.map({ items.count >= $0 }) == true { break }
        }
        var status = first!
        status.itemDetails = .init(itemIngestionStatus: items)
        status.offset = 0
        status.limit = items.count
        return .processed(status)
    }

    private enum Page {
        case page(WalmartWire.FeedStatus)
        case done(FeedState)
    }

    /// `GET /v3/feeds/{feedId}?includeDetails=true&offset=&limit=`.
    private func statusPage(feedID: String, offset: Int, limit: Int) async -> Page {
        let path = "/v3/feeds/\(feedID)?includeDetails=true&offset=\(offset)&limit=\(limit)"
        switch await client.send("feedStatus", .get, path) {
        case .failed(let outcome):
            if case .retry(let reason, _) = outcome { return .done(.unavailable(reason)) }
            return .done(.unavailable("Walmart feed \(feedID) status failed"))
        case .response(let response):
            if response.status == 404 { return .done(.unknown) }
            guard response.isSuccess,
                let status = try? JSONDecoder().decode(WalmartWire.FeedStatus.self, from: Data(response.body))
            else {
                return .done(.unavailable("Walmart feed \(feedID) status answered \(response.status)"))
            }
            return .page(status)
        }
    }

    /// Per SKU: `nil` for `SUCCESS`, rejected with the ingestion errors for `DATA_ERROR`, retry otherwise.
    static func itemOutcomes(_ status: WalmartWire.FeedStatus, skus: [SKU]) -> [SKU: ListingOutcome?] {
        var bySKU: [String: WalmartWire.FeedStatus.ItemStatus] = [:]
        for item in status.itemDetails?.itemIngestionStatus ?? [] {
            if let sku = item.sku { bySKU[sku] = item }
        }
        var outcomes: [SKU: ListingOutcome?] = [:]
        for sku in skus {
            guard let item = bySKU[sku.rawValue] else {
                outcomes[sku] = .retry(
                    reason: "Walmart feed \(status.feedId) reported no status for \(sku)",
                    after: nil
                )
                continue
            }
            let errors = item.ingestionErrors?.ingestionError ?? []
            switch item.ingestionStatus {
            case "SUCCESS":
                outcomes[sku] = .some(nil)
            case "DATA_ERROR":
                let issues = errors.map {
                    MarketplaceIssue(
                        code: $0.code ?? "DATA_ERROR",
                        message: $0.description ?? "",
                        severity: "ERROR",
                        attributeNames: $0.field.map { [$0] } ?? []
                    )
                }
                outcomes[sku] = .rejected(
                    issues: issues.isEmpty ? [MarketplaceIssue(code: "DATA_ERROR", message: "DATA_ERROR")] : issues
                )
            default:
                let text = errors.compactMap(\.description).joined(separator: "; ")
                outcomes[sku] = .retry(reason: "Walmart item status \(item.ingestionStatus) \(text)", after: nil)
            }
        }
        return outcomes
    }

    /// How long until the bucket `key` holds a whole token again.
    static func timeUntilToken(_ key: String, limiter: RateLimiter) async -> Duration {
        guard let state = await limiter.states().first(where: { $0.operation == key }), state.rate > 0 else {
            return .seconds(60)
        }
        let missing = max(0, 1 - state.tokens)
        return .milliseconds(max(1000, Int64((missing / state.rate * 1000).rounded(.up))))
    }

    /// A feed file as Walmart's feeds model takes it: `POST /v3/feeds?feedType=…` with a
    /// `multipart/form-data` body whose required part `file` is the feed (us-mp-price.json
    /// `priceBulkUploads`, us-mp-inventory.json `updateBulkInventory`, us-mp-items.json `itemBulkUploads`:
    /// `required: [file]`, `format: binary`).
    struct Upload: Sendable {
        /// The request body.
        let body: [UInt8]
        /// `multipart/form-data; boundary=…`.
        let contentType: String

        /// `file` (the feed's JSON) as the one part `file`, with a fresh boundary that cannot occur in it.
        init(file: [UInt8], boundary: String = "catalogsync-" + UUID().uuidString) {
            var body: [UInt8] = []
            body += Array("--\(boundary)\r\n".utf8)
            body += Array("Content-Disposition: form-data; name=\"file\"; filename=\"feed.json\"\r\n".utf8)
            body += Array("Content-Type: application/json\r\n\r\n".utf8)
            body += file
            body += Array("\r\n--\(boundary)--\r\n".utf8)
            self.body = body
            contentType = "multipart/form-data; boundary=\(boundary)"
        }
    }
}
