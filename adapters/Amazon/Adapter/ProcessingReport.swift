import Catalog
import Foundation
import Sync

/// A `JSON_LISTINGS_FEED` processing report (`listings-feed-processing-report-schema-v2.json`), read per
/// message: its issues become each SKU's outcome.
///
/// A message with an `ERROR` issue is rejected with Amazon's issues verbatim (warnings included), in a
/// `DONE` feed and in a `FATAL` one alike. Otherwise, in a `DONE` feed, a message is accepted only when
/// the report accounts for it: the summary counts every message sent as processed, or the message is
/// named (an issue, or an item of the report's `items`, which the feed header asks for). A message the
/// report does not account for is retried with the reason "absent from processing report". Issues
/// without a `messageId` concern the whole feed: messages without their own errors are then retried. In
/// a `FATAL` feed nothing was applied: messages without their own errors are retried with the reason.
struct ProcessingReport: Sendable {
    /// The feed header's `report`: items with their issues only (the smallest item Amazon reports), so
    /// the report names every listing a message created or changed.
    static let reportRequest: JSONValue = .object([("includedData", .array(["issues"])), ("apiVersion", "2021-08-01")])

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
    /// The SKUs of the report's `items` (listings the feed created or changed), when it has them.
    var itemSKUs: Set<String>

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
        itemSKUs = Set((document.items ?? []).compactMap(\.sku))
    }

    /// The outcome of each message of `changes` (by `messageId`), in a feed that sent `messages`
    /// (every message of the feed, `messageId` to SKU) and ended `status` (`DONE` or `FATAL`).
    ///
    /// `acceptance` gives the acknowledgement of a message that went through.
    func outcomes(
        for changes: [Int: ListingChange],
        messages: [Int: String],
        feedID: String,
        status: String,
        retryAfter: Duration?,
        acceptance: (Int, ListingChange) -> ListingOutcome
    ) -> [SKU: ListingOutcome] {
        let feedError = feedIssues.first(where: Self.isError)
        let absent = status == "DONE" ? absentMessages(of: messages) : []
        var outcomes: [SKU: ListingOutcome] = [:]
        for (messageID, change) in changes {
            let issues = issuesByMessage[messageID] ?? []
            if issues.contains(where: Self.isError) {
                outcomes[change.sku] = .rejected(issues: issues)
            } else if let feedError {
                let how = status == "DONE" ? "failed as a whole" : "ended \(status)"
                outcomes[change.sku] = .retry(
                    reason: "feed \(feedID) \(how): \(feedError.code) \(feedError.message)",
                    after: retryAfter
                )
            } else if status != "DONE" {
                outcomes[change.sku] = .retry(
                    reason: "feed \(feedID) ended \(status); its report names no error for this message",
                    after: retryAfter
                )
            } else if absent.contains(messageID) {
                let counted = summary?.messagesProcessed.map { "\($0) of \(messages.count)" } ?? "no count"
                outcomes[change.sku] = .retry(
                    reason: "absent from processing report of feed \(feedID) (messages processed: \(counted))",
                    after: retryAfter
                )
            } else {
                outcomes[change.sku] = acceptance(messageID, change)
            }
        }
        return outcomes
    }

    /// The messages the report does not account for: none when the summary counts all of them as
    /// processed; otherwise every message neither named by an issue nor among the report's items.
    func absentMessages(of messages: [Int: String]) -> Set<Int> {
        if let processed = summary?.messagesProcessed, processed >= messages.count { return [] }
        return Set(
            messages.filter { id, sku in issuesByMessage[id] == nil && !itemSKUs.contains(sku) }.keys
        )
    }

    /// Where the summary contradicts itself or the feed: for the log (the outcomes do not rely on it).
    func summaryProblems(sent: Int) -> [String] {
        guard let summary else { return ["the report has no summary"] }
        var problems: [String] = []
        let invalid = issuesByMessage.values.filter { $0.contains(where: Self.isError) }.count
        if let processed = summary.messagesProcessed, processed != sent {
            problems.append("\(processed) messages processed of \(sent) sent")
        }
        if let reported = summary.messagesInvalid, reported != invalid {
            problems.append("messagesInvalid \(reported), but \(invalid) messages have errors")
        }
        if let processed = summary.messagesProcessed, let accepted = summary.messagesAccepted,
            let reported = summary.messagesInvalid, accepted + reported != processed
        {
            problems.append("messagesAccepted \(accepted) + messagesInvalid \(reported) ≠ processed \(processed)")
        }
        return problems
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

        /// An item of the report's `items`: only its SKU is read.
        struct Item: Decodable {
            var sku: String?
        }

        var issues: [Issue]?
        var summary: Summary?
        var items: [Item]?
    }
}
