import AmazonModel
import Catalog
import Foundation
import Sync
import Testing

@testable import AmazonAdapter

/// Splitting changes into feeds at 25,000 messages and at the byte limit, and reading processing reports.
@Suite("Amazon feed documents and processing reports")
struct AmazonAdapterFeedSplittingTests {
    static func feedBuilder(maximumMessages: Int = 25_000, maximumBytes: Int = 10 * 1024 * 1024) throws
        -> ListingsFeedBuilder
    {
        ListingsFeedBuilder(
            builder: ListingsPayloadBuilder(marketplace: try #require(AmazonMarketplace.named("UK")), language: nil),
            sellerID: "A2EUEXAMPLE02",
            maximumMessages: maximumMessages,
            maximumBytes: maximumBytes
        )
    }

    static func messageIDs(_ feed: ListingsFeedBuilder.Feed) throws -> [Int] {
        let document = try JSONSerialization.jsonObject(with: Data(feed.document)) as? [String: Any]
        let messages = try #require(document?["messages"] as? [[String: Any]])
        return messages.compactMap { $0["messageId"] as? Int }
    }

    @Test("25,001 changes make a feed of 25,000 messages and a feed of one, each numbered from 1")
    func splitsAtMessageLimit() throws {
        let template = try AmazonAdapterRig.change("SKU-0", [.quantity])
        let changes = (0..<25_001).map { index in
            var change = template
            change.desired.sku = SKU(trusted: "SKU-\(index)")
            return change
        }
        let (feeds, oversized) = try Self.feedBuilder().feeds(for: changes)
        #expect(oversized.isEmpty)
        #expect(feeds.map(\.changes.count) == [25_000, 1])
        #expect(try Self.messageIDs(feeds[0]) == Array(1...25_000))
        #expect(try Self.messageIDs(feeds[1]) == [1])
        #expect(feeds[1].changes[1]?.sku.rawValue == "SKU-25000")
        #expect(feeds.allSatisfy { $0.document.count <= 10 * 1024 * 1024 })
    }

    @Test("a byte limit splits feeds so that none is larger, and every change is in exactly one feed")
    func splitsAtByteLimit() throws {
        let changes = try (0..<300).map { try AmazonAdapterRig.change("BIG-\($0)", [.content], isNew: true) }
        let limit = 20_000
        let (feeds, oversized) = try Self.feedBuilder(maximumBytes: limit).feeds(for: changes)
        #expect(oversized.isEmpty)
        #expect(feeds.count > 1)
        for feed in feeds {
            #expect(feed.document.count <= limit)
            #expect(try Self.messageIDs(feed) == Array(1...feed.changes.count))
        }
        let skus = feeds.flatMap { $0.changes.values.map(\.sku.rawValue) }
        #expect(skus.count == 300)
        #expect(Set(skus).count == 300)
    }

    @Test("a change whose message alone exceeds the byte limit is reported, not sent")
    func oversizedMessage() throws {
        var change = try AmazonAdapterRig.change("HUGE-1", [.content])
        change.desired.content.description = String(repeating: "x", count: 5_000)
        let small = try AmazonAdapterRig.change("SMALL-2", [.quantity])
        let (feeds, oversized) = try Self.feedBuilder(maximumBytes: 2_000).feeds(for: [change, small])
        #expect(oversized.map(\.change.sku.rawValue) == ["HUGE-1"])
        #expect(feeds.map { $0.changes[1]?.sku.rawValue } == ["SMALL-2"])
    }

    @Test(
        "the official processing report example rejects messages with ERROR issues and accepts the rest; with a message more than it counts, the unnamed ones are retried as absent"
    )
    func officialReportExample() throws {
        let url = AmazonFixtures.specs.appendingPathComponent("listings-feed-processing-report-schema-v2.example.json")
        let report = try ProcessingReport(parsing: Array(try Data(contentsOf: url)))
        // The example counts 4 messages processed and names messages 4 and 5: a feed of messages 2…5.
        let changes = try Dictionary(
            uniqueKeysWithValues: (2...5).map { ($0, try AmazonAdapterRig.change("MSG-\($0)", [.price])) }
        )
        let outcomes = report.outcomes(
            for: changes,
            messages: changes.mapValues(\.sku.rawValue),
            feedID: "1234567890",
            status: "DONE",
            retryAfter: .seconds(60)
        ) { _, change in .accepted(change) }
        #expect(outcomes.count == 4)
        for id in [2, 3] { #expect(outcomes[changes[id]!.sku] == .accepted(changes[id]!)) }
        // Five messages sent, four counted, none of 1…3 named: the report does not say which was
        // processed, so none of them is taken as accepted.
        var five = changes
        five[1] = try AmazonAdapterRig.change("MSG-1", [.price])
        let unsure = report.outcomes(
            for: five,
            messages: five.mapValues(\.sku.rawValue),
            feedID: "1234567890",
            status: "DONE",
            retryAfter: .seconds(60)
        ) { _, change in .accepted(change) }
        for id in [1, 2, 3] {
            #expect(
                unsure[five[id]!.sku]
                    == .retry(
                        reason: "absent from processing report of feed 1234567890 (messages processed: 4 of 5)",
                        after: .seconds(60)
                    )
            )
        }
        guard case .rejected = unsure[five[4]!.sku] else {
            Issue.record("message 4 is not rejected")
            return
        }
        guard case .rejected(let issues4) = outcomes[changes[4]!.sku] else {
            Issue.record("message 4 is not rejected")
            return
        }
        #expect(issues4.map(\.code) == ["90220", "90220"])
        #expect(
            outcomes[changes[5]!.sku]
                == .rejected(issues: [
                    MarketplaceIssue(
                        code: "99022",
                        message:
                            "The field '\"prices\"' for the attribute 'purchasable_offer.our_price' does not have enough values. The required minimum is '1' value(s).",
                        severity: "ERROR",
                        attributeNames: ["purchasable_offer.our_price"]
                    )
                ])
        )
    }

    @Test("a feed-level ERROR issue retries the messages without their own errors; a broken report throws")
    func feedLevelIssues() throws {
        let json =
            #"{"header":{"sellerId":"A","version":"2.0","feedId":"9"},"issues":[{"code":"4000001","severity":"ERROR","message":"The feed is not valid JSON."}],"summary":{"errors":1,"warnings":0,"messagesProcessed":0,"messagesAccepted":0,"messagesInvalid":0}}"#
        let report = try ProcessingReport(parsing: Array(json.utf8))
        let change = try AmazonAdapterRig.change("A-1", [.price])
        let outcomes = report.outcomes(
            for: [1: change],
            messages: [1: "A-1"],
            feedID: "9",
            status: "DONE",
            retryAfter: .seconds(60)
        ) { _, change in .accepted(change) }
        #expect(
            outcomes[change.sku]
                == .retry(reason: "feed 9 failed as a whole: 4000001 The feed is not valid JSON.", after: .seconds(60))
        )
        #expect(throws: ProcessingReport.FormatError.self) { try ProcessingReport(parsing: Array("<html>".utf8)) }
    }
}
