/// Builds a JSON listings feed processing report (`listings-feed-processing-report-schema-v2.json`):
/// header, issues per message, summary counts and, when the feed's header asked for them, items.
struct FeedReportBuilder: Sendable {
    private let sellerID: String
    private let feedID: String
    private let reportRequest: TwinJSON?
    private var issues: [TwinJSON] = []
    private var items: [TwinJSON] = []
    private var errors = 0
    private var warnings = 0
    private var processed = 0
    private var accepted = 0
    private var invalid = 0

    /// A report for `feedID`; `reportRequest` is the feed header's `report` object, if any.
    init(sellerID: String, feedID: String, reportRequest: TwinJSON?) {
        self.sellerID = sellerID
        self.feedID = feedID
        self.reportRequest = reportRequest
    }

    /// Counts one processed message and reports its issues; it is invalid when any is an error.
    mutating func add(messageID: Int, sku: String, issues messageIssues: [ListingIssue]) {
        processed += 1
        let isInvalid = messageIssues.contains { $0.severity == "ERROR" }
        if isInvalid { invalid += 1 } else { accepted += 1 }
        for issue in messageIssues {
            if issue.severity == "ERROR" { errors += 1 }
            if issue.severity == "WARNING" { warnings += 1 }
            issues.append(issue.reportJSON(messageId: max(1, messageID), sku: sku.isEmpty ? "-" : sku))
        }
    }

    /// Reports a problem of the whole document (no message id).
    mutating func addFeedIssue(_ message: String) {
        errors += 1
        issues.append(["code": "4000000", "severity": "ERROR", "message": .string(message)])
    }

    /// Adds the listing a message created or changed, when the feed asked for items.
    mutating func addItem(_ record: ListingRecord) {
        guard let included = reportRequest?["includedData"]?.array?.compactMap(\.string) else { return }
        items.append(record.item(includedData: Set(included)))
    }

    /// The report document.
    var json: TwinJSON {
        var header: [String: TwinJSON] = [
            "sellerId": .string(sellerID), "version": "2.0", "feedId": .string(feedID),
        ]
        var summary: [String: TwinJSON] = [
            "errors": .int(errors), "warnings": .int(warnings), "messagesProcessed": .int(processed),
            "messagesAccepted": .int(accepted), "messagesInvalid": .int(invalid),
        ]
        var report: [String: TwinJSON] = ["issues": .array(issues)]
        if let reportRequest, reportRequest["includedData"]?.array != nil {
            header["report"] = reportRequest
            summary["itemSummary"] = ["items": .int(items.count), "errors": .int(0), "warnings": .int(0)]
            report["items"] = .array(items)
        }
        report["header"] = .object(header)
        report["summary"] = .object(summary)
        return .object(report)
    }
}
