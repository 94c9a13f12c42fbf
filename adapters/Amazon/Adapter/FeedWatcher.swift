import CurlHTTP
import Foundation
import Gzip
import Logging
import Sync

/// Watches a submitted feed to its end and reads its processing report: getFeed every
/// ``AmazonAdapter/Configuration/pollInterval`` until `DONE`, `FATAL` or `CANCELLED` (or the feed
/// timeout), then getFeedDocument and the download, decompressed when Amazon says
/// `compressionAlgorithm: GZIP` (as it does for processing reports).
struct FeedWatcher: Sendable {
    /// How watching a feed ended.
    enum Ending: Sendable {
        /// The feed reached a final status.
        case finished(SPAPIWire.Feed)
        /// Still not final when the feed timeout passed; its last status.
        case timedOut(lastStatus: String)
        /// The task was cancelled (the daemon stops).
        case cancelled
    }

    let connection: SPAPIConnection
    let configuration: AmazonAdapter.Configuration
    let logger: Logger

    /// Polls feed `feedID` until it ends or the feed timeout passes.
    func watch(_ feedID: String) async -> Ending {
        let deadline = ContinuousClock.now + configuration.feedTimeout
        var lastStatus = "IN_QUEUE"
        while ContinuousClock.now < deadline {
            do {
                try await Task.sleep(for: configuration.pollInterval)
            } catch {
                return .cancelled
            }
            let reply = await connection.send(
                .get,
                path: "/feeds/2021-06-30/feeds/\(SPAPIConnection.pathSegment(feedID))",
                operations: [FeedSubmission.Operation.getFeed]
            )
            guard case .response(let response) = reply, response.isSuccess,
                let status = SPAPIWire.decode(SPAPIWire.Feed.self, from: response.body)
            else { continue }
            lastStatus = status.processingStatus
            if ["DONE", "FATAL", "CANCELLED"].contains(status.processingStatus) { return .finished(status) }
        }
        return .timedOut(lastStatus: lastStatus)
    }

    /// The processing report of a finished feed: `nil` when the feed has none (a FATAL or CANCELLED
    /// feed may end without one), or why it could not be read.
    func report(of feed: SPAPIWire.Feed) async -> Result<ProcessingReport?, FeedSubmission.Failure> {
        guard let resultID = feed.resultFeedDocumentId else { return .success(nil) }
        let reply = await connection.send(
            .get,
            path: "/feeds/2021-06-30/documents/\(SPAPIConnection.pathSegment(resultID))",
            operations: [FeedSubmission.Operation.getFeedDocument]
        )
        let document: SPAPIWire.FeedDocument
        switch FeedSubmission.decoded(
            SPAPIWire.FeedDocument.self,
            reply,
            operation: FeedSubmission.Operation.getFeedDocument
        ) {
        case .failure(let failure): return .failure(failure)
        case .success(let value): document = value
        }
        var body: [UInt8]
        do {
            let response = try await connection.http.execute(
                HTTPRequest(method: .get, url: document.url, timeout: connection.timeout),
                platform: connection.platform,
                operation: "downloadReportDocument"
            )
            guard response.isSuccess else {
                return .failure(.init(reason: "report download answered \(response.status)", after: nil))
            }
            body = response.body
        } catch {
            return .failure(.init(reason: "report download failed: \(error)", after: nil))
        }
        switch document.compressionAlgorithm?.uppercased() {
        case nil:
            break
        case "GZIP":
            // Served by S3 as stored: the bytes are gzip without a Content-Encoding header. (Should a
            // server decode it on the way, CurlHTTP hands over plain JSON: nothing to undo then.)
            if Gzip.isCompressed(body) {
                do {
                    body = try Gzip.decompress(body)
                } catch {
                    return .failure(.init(reason: "feed \(feed.feedId) report: \(error)", after: nil))
                }
            }
        case let other?:
            return .failure(
                .init(
                    reason: "feed \(feed.feedId) report uses compression \(other), which is not supported",
                    after: nil
                )
            )
        }
        do {
            return .success(try ProcessingReport(parsing: body))
        } catch {
            return .failure(.init(reason: "feed \(feed.feedId): \(error)", after: nil))
        }
    }
}
