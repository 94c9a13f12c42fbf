import Catalog
import Foundation
import Sync

/// A `JSON_LISTINGS_FEED` processing report (`listings-feed-processing-report-schema-v2.json`), read per
/// message: its issues become each SKU's outcome.
///
/// A message with an `ERROR` issue is rejected with Amazon's issues verbatim (warnings included); a
/// message with only warnings or no issue at all is accepted. Issues without a `messageId` concern the
/// whole feed (formatting): messages without their own issues are then retried, not acknowledged.
struct ProcessingReport: Sendable {
    /// Why a report could not be read.
    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    /// The report's numbers, when it has them.
    struct Summary: Decodable, Sendable, Hashable {
        var errors: Int?
        var warnings: Int?
        var messagesProcessed: Int?
        var messagesAccepted: Int?
        var messagesInvalid: Int?
    }

    /// The issues of each message, by `messageId`.
    var issuesByMessage: [Int: [MarketplaceIssue]]
    /// Issues about the feed as a whole.
    var feedIssues: [MarketplaceIssue]
    var summary: Summary?

    /// Parses a report document.
    /// - Throws: ``FormatError`` when the bytes are not a processing report.
    init(parsing bytes: [UInt8]) throws {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch {
            throw FormatError(description: "processing report is not readable JSON: \(error)")
        }
        var byMessage: [Int: [MarketplaceIssue]] = [:]
        var feedIssues: [MarketplaceIssue] = []
        for issue in document.issues ?? [] {
            let converted = MarketplaceIssue(
                code: issue.code ?? "",
                message: issue.message ?? "",
                severity: issue.severity ?? "ERROR",
                attributeNames: issue.attributeName.map { [$0] } ?? issue.attributeNames ?? []
            )
            if let messageID = issue.messageId {
                byMessage[messageID, default: []].append(converted)
            } else {
                feedIssues.append(converted)
            }
        }
        issuesByMessage = byMessage
        self.feedIssues = feedIssues
        summary = document.summary
    }

    /// The outcome of every message of a feed whose messages were `changes` (by `messageId`).
    ///
    /// `acceptance` gives the acknowledgement of a message that went through.
    func outcomes(
        for changes: [Int: ListingChange],
        feedID: String,
        retryAfter: Duration,
        acceptance: (ListingChange) -> ListingOutcome
    ) -> [SKU: ListingOutcome] {
        let feedErrors = feedIssues.filter(Self.isError)
        var outcomes: [SKU: ListingOutcome] = [:]
        for (messageID, change) in changes {
            let issues = issuesByMessage[messageID] ?? []
            if issues.contains(where: Self.isError) {
                outcomes[change.sku] = .rejected(issues: issues)
            } else if let first = feedErrors.first {
                outcomes[change.sku] = .retry(
                    reason: "feed \(feedID) failed as a whole: \(first.code) \(first.message)",
                    after: retryAfter
                )
            } else {
                outcomes[change.sku] = acceptance(change)
            }
        }
        return outcomes
    }

    private static func isError(_ issue: MarketplaceIssue) -> Bool {
        issue.severity.uppercased() == "ERROR"
    }

    /// The report as decoded; every field optional so a partial report still yields what it has.
    private struct Document: Decodable {
        struct Issue: Decodable {
            var messageId: Int?
            var sku: String?
            var code: String?
            var severity: String?
            var message: String?
            var attributeName: String?
            var attributeNames: [String]?
        }

        var issues: [Issue]?
        var summary: Summary?
    }
}
