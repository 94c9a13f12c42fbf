import AmazonModel

/// Processes a `JSON_LISTINGS_FEED` the way Amazon does, asynchronously: the feed waits `IN_QUEUE`,
/// runs `IN_PROGRESS`, then ends `DONE` with a processing report (schema
/// `listings-feed-processing-report-schema-v2.json`) listing issues per `messageId` and SKU, or
/// `FATAL` with a report explaining why the document itself was refused (not JSON, header or
/// `messages` breaking the feed schema, more than 25,000 messages).
///
/// Each message applies with the Listings Items rules (``ListingsStore``): `UPDATE` as a PUT,
/// `PARTIAL_UPDATE` as a PATCH of `replace` operations, `PATCH`, `DELETE`, to every marketplace of
/// the feed. A message whose own fields break the message schema is reported as an invalid message.
///
/// **Test hooks** (by SKU prefix, so any operation can carry them; see ``Hook``): `TWIN-FATAL-NOREPORT-`
/// ends the feed `FATAL` with no report at all; `TWIN-FATAL-` ends it `FATAL` (nothing applied) with a
/// report naming an error for each such message; `TWIN-DROP-` leaves the message out of the report
/// (not applied, not counted), as a report that misses messages would.
struct FeedProcessor: Sendable {
    /// The SKU prefixes that make the twin misbehave on purpose.
    enum Hook {
        static let fatalWithoutReport = "TWIN-FATAL-NOREPORT-"
        static let fatal = "TWIN-FATAL-"
        static let drop = "TWIN-DROP-"
        /// The code of the error a `TWIN-FATAL-` message gets in its FATAL report.
        static let fatalCode = "4000002"
    }

    /// The feed schema's cap on messages.
    static let maximumMessages = 25_000

    let feeds: FeedStore
    let listings: ListingsStore
    /// The sandbox's processing delay; each message adds 0.2 ms.
    let delay: Duration

    /// Runs feed `feedID` to its end.
    func run(feedID: String) async {
        guard let feed = await feeds.feed(feedID) else { return }
        try? await Task.sleep(for: delay / 2)
        await feeds.start(feedID)
        let content = await feeds.document(feed.inputDocumentID)?.content ?? []
        let document: TwinJSON
        do {
            document = try TwinJSON.parse(content)
        } catch {
            return await fatal(feed, sellerID: nil, "The feed document is not valid JSON: \(error).")
        }
        let sellerID = document["header"]?["sellerId"]?.string
        guard let header = document["header"]?.object, let sellerID else {
            return await fatal(feed, sellerID: nil, "The feed header is missing or has no 'sellerId'.")
        }
        guard header["version"]?.string == "2.0" else {
            return await fatal(feed, sellerID: sellerID, "The feed header's 'version' must be \"2.0\".")
        }
        guard let messages = document["messages"]?.array, !messages.isEmpty else {
            return await fatal(feed, sellerID: sellerID, "The feed has no 'messages' (1 to 25000 are required).")
        }
        guard messages.count <= Self.maximumMessages else {
            return await fatal(
                feed,
                sellerID: sellerID,
                "The feed has \(messages.count) messages; at most \(Self.maximumMessages) are allowed."
            )
        }
        try? await Task.sleep(for: delay / 2 + .microseconds(200) * messages.count)
        let skus = messages.compactMap { $0["sku"]?.string }
        if skus.contains(where: { $0.hasPrefix(Hook.fatalWithoutReport) }) {
            return await feeds.finish(feedID, status: "FATAL", report: nil)
        }
        if skus.contains(where: { $0.hasPrefix(Hook.fatal) }) {
            return await fatalByHook(feed, sellerID: sellerID, messages: messages)
        }
        var report = FeedReportBuilder(sellerID: sellerID, feedID: feedID, reportRequest: header["report"])
        let marketplaces = feed.marketplaceIDs.compactMap(AmazonMarketplace.withID)
        var seenIDs: Set<Int> = []
        for message in messages {
            let messageID = message["messageId"]?.integer ?? 0
            let sku = message["sku"]?.string ?? ""
            if sku.hasPrefix(Hook.drop) { continue }
            if let problem = Self.schemaProblem(message, seenIDs: seenIDs) {
                report.add(messageID: messageID, sku: sku, issues: [problem])
                continue
            }
            seenIDs.insert(messageID)
            let targets = marketplaces.map {
                ListingsStore.Target(
                    sellerID: sellerID,
                    marketplace: $0,
                    sku: sku,
                    allowedMarketplaceIDs: Set(feed.marketplaceIDs)
                )
            }
            let issues = await apply(message, to: targets)
            report.add(messageID: messageID, sku: sku, issues: issues)
            if !issues.contains(where: { $0.severity == "ERROR" }), message["operationType"]?.string != "DELETE",
                let target = targets.first, let record = await listings.record(target)
            {
                report.addItem(record)
            }
        }
        await feeds.finish(feedID, status: "DONE", report: report.json)
    }

    /// Applies one message to every target, or to none when any target refuses it.
    private func apply(_ message: TwinJSON, to targets: [ListingsStore.Target]) async -> [ListingIssue] {
        let productType = message["productType"]?.string ?? ""
        let operation = message["operationType"]?.string ?? ""
        let attributes = message["attributes"]?.object ?? [:]
        var patches = message["patches"]?.array ?? []
        if operation == "PARTIAL_UPDATE" {
            patches = attributes.keys.sorted().map { name in
                ["op": "replace", "path": .string("/attributes/\(name)"), "value": attributes[name]!]
            }
        }
        do {
            for preview in [true, false] {
                var issues: [ListingIssue] = []
                for target in targets {
                    let submission: ListingsStore.Submission
                    switch operation {
                    case "DELETE":
                        submission = preview ? .init(status: "VALID", issues: []) : await listings.delete(target)
                    case "UPDATE":
                        submission = await listings.put(
                            target,
                            productType: productType,
                            requirements: message["requirements"]?.string ?? "LISTING",
                            attributes: attributes,
                            preview: preview
                        )
                    default:
                        submission = try await listings.patch(
                            target,
                            productType: productType,
                            patches: patches,
                            preview: preview
                        )
                    }
                    issues += submission.issues
                }
                if preview, issues.contains(where: { $0.severity == "ERROR" }) { return issues }
                if !preview { return issues }
            }
        } catch {
            return [ListingIssue(code: ListingIssue.Code.malformedAttribute, message: error.message)]
        }
        return []
    }

    /// What makes `message` break the feed's message schema, `nil` when nothing does.
    static func schemaProblem(_ message: TwinJSON, seenIDs: Set<Int>) -> ListingIssue? {
        func problem(_ text: String) -> ListingIssue {
            ListingIssue(code: "100001", message: text, categories: ["INVALID_ATTRIBUTE"])
        }
        guard message.object != nil else { return problem("The message is not a JSON object.") }
        guard let id = message["messageId"]?.integer, (1...2_147_483_647).contains(id) else {
            return problem("'messageId' is required and must be an integer from 1 to 2147483647.")
        }
        guard !seenIDs.contains(id) else { return problem("'messageId' \(id) is used by more than one message.") }
        guard let sku = message["sku"]?.string, !sku.isEmpty else { return problem("'sku' is required.") }
        let operation = message["operationType"]?.string ?? ""
        guard ["UPDATE", "PARTIAL_UPDATE", "PATCH", "DELETE"].contains(operation) else {
            return problem("'operationType' must be one of UPDATE, PARTIAL_UPDATE, PATCH, DELETE.")
        }
        if operation == "DELETE" { return nil }
        guard let productType = message["productType"]?.string, !productType.isEmpty else {
            return problem("'productType' is required for \(operation).")
        }
        if operation == "PATCH" {
            guard let patches = message["patches"]?.array, !patches.isEmpty else {
                return problem("'patches' (at least one operation) is required for PATCH.")
            }
        } else {
            guard let attributes = message["attributes"]?.object, !attributes.isEmpty else {
                return problem("'attributes' (at least one attribute) is required for \(operation).")
            }
        }
        return nil
    }

    /// The `TWIN-FATAL-` hook: nothing applied, an error for each hooked message, nothing for the others.
    private func fatalByHook(_ feed: FeedStore.Feed, sellerID: String, messages: [TwinJSON]) async {
        var report = FeedReportBuilder(sellerID: sellerID, feedID: feed.feedID, reportRequest: nil)
        for message in messages {
            guard let sku = message["sku"]?.string, sku.hasPrefix(Hook.fatal) else { continue }
            let issue = ListingIssue(
                code: Hook.fatalCode,
                message: "The feed could not be processed because of this message (sandbox test hook \(Hook.fatal)).",
                categories: ["INVALID_ATTRIBUTE"]
            )
            report.add(messageID: message["messageId"]?.integer ?? 0, sku: sku, issues: [issue])
        }
        await feeds.finish(feed.feedID, status: "FATAL", report: report.json)
    }

    private func fatal(_ feed: FeedStore.Feed, sellerID: String?, _ reason: String) async {
        var report = FeedReportBuilder(sellerID: sellerID ?? "", feedID: feed.feedID, reportRequest: nil)
        report.addFeedIssue(reason)
        await feeds.finish(feed.feedID, status: "FATAL", report: report.json)
    }
}
