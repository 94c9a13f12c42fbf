import CurlHTTP
import Foundation
import Gzip
import Testing

@Suite("Amazon twin: Feeds and JSON_LISTINGS_FEED")
struct AmazonTwinFeedsTests {
    typealias H = TwinHarness
    static let contentType = "application/json; charset=UTF-8"

    /// Uploads `document` and submits it as a JSON_LISTINGS_FEED; returns the feed id.
    static func submit(_ document: String, twin: TwinHarness, token: String) async throws -> String {
        let created = try await twin.call(
            .post,
            "/amazon/feeds/2021-06-30/documents",
            token: token,
            body: #"{"contentType":"\#(contentType)"}"#
        )
        #expect(created.status == 201)
        try await SchemaValidator.expectValid(
            created.body,
            schema: "feeds_2021-06-30.json",
            definition: "CreateFeedDocumentResponse"
        )
        let documentID = try #require(try H.object(created)["feedDocumentId"] as? String)
        let url = try #require(try H.object(created)["url"] as? String)
        #expect(url.hasPrefix(twin.baseURL + "/amazon/_documents/"))
        let upload = try await twin.client.execute(
            HTTPRequest(method: .put, url: url, headers: ["Content-Type": contentType], body: Array(document.utf8))
        )
        #expect(upload.status == 200)
        let feed = try await twin.call(
            .post,
            "/amazon/feeds/2021-06-30/feeds",
            token: token,
            body:
                #"{"feedType":"JSON_LISTINGS_FEED","marketplaceIds":["\#(H.germany)"],"inputFeedDocumentId":"\#(documentID)"}"#
        )
        #expect(feed.status == 202)
        try await SchemaValidator.expectValid(
            feed.body,
            schema: "feeds_2021-06-30.json",
            definition: "CreateFeedResponse"
        )
        return try #require(try H.object(feed)["feedId"] as? String)
    }

    /// Polls the feed until it is DONE or FATAL; returns the final status and the report bytes, decompressed.
    static func waitForReport(_ feedID: String, twin: TwinHarness, token: String) async throws -> (String, [UInt8]) {
        for _ in 0..<600 {
            let feed = try await twin.call(.get, "/amazon/feeds/2021-06-30/feeds/\(feedID)", token: token)
            try await SchemaValidator.expectValid(feed.body, schema: "feeds_2021-06-30.json", definition: "Feed")
            let body = try H.object(feed)
            let status = try #require(body["processingStatus"] as? String)
            if status == "DONE" || status == "FATAL" {
                let resultID = try #require(body["resultFeedDocumentId"] as? String)
                let document = try await twin.call(.get, "/amazon/feeds/2021-06-30/documents/\(resultID)", token: token)
                try await SchemaValidator.expectValid(
                    document.body,
                    schema: "feeds_2021-06-30.json",
                    definition: "FeedDocument"
                )
                let url = try #require(try H.object(document)["url"] as? String)
                // Amazon serves processing reports gzip-compressed and says so.
                #expect(try H.object(document)["compressionAlgorithm"] as? String == "GZIP")
                let report = try await twin.client.execute(HTTPRequest(method: .get, url: url))
                #expect(Gzip.isCompressed(report.body), "the report is served compressed")
                return (status, try Gzip.decompress(report.body))
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("feed \(feedID) never finished")
        return ("", [])
    }

    @Test("a whole feed cycle applies the good messages and reports the bad one by messageId")
    func feedCycle() async throws {
        try await H.with { twin in
            let token = try await twin.token()
            _ = try await twin.call(.put, H.itemPath("OLD"), token: token, body: H.putBody())
            let item =
                #"{"item_name":[{"value":"Ajmer Rose Water","marketplace_id":"\#(H.germany)"}],"purchasable_offer":[{"marketplace_id":"\#(H.germany)","currency":"EUR","our_price":[{"schedule":[{"value_with_tax":12.49}]}]}],"fulfillment_availability":[{"fulfillment_channel_code":"DEFAULT","quantity":7}]}"#
            let bad = #"{"item_name":[{"value":"Bad [REJECT]","marketplace_id":"\#(H.germany)"}]}"#
            let document = """
                {"header":{"sellerId":"\(H.sellerID)","version":"2.0","issueLocale":"en_US"},"messages":[
                 {"messageId":1,"sku":"ROSE-1","operationType":"UPDATE","productType":"FOOD","requirements":"LISTING","attributes":\(item)},
                 {"messageId":2,"sku":"BAD-1","operationType":"UPDATE","productType":"FOOD","attributes":\(bad)},
                 {"messageId":3,"sku":"OLD","operationType":"PATCH","productType":"FOOD","patches":[{"op":"merge","path":"/attributes/fulfillment_availability","value":[{"fulfillment_channel_code":"DEFAULT","quantity":0}]}]},
                 {"messageId":4,"sku":"ROSE-1","operationType":"PARTIAL_UPDATE","productType":"FOOD","attributes":{"fulfillment_availability":[{"fulfillment_channel_code":"DEFAULT","quantity":8}]}}]}
                """
            try await SchemaValidator.expectValid(Array(document.utf8), schema: "listings-feed-schema-v2.json")
            let feedID = try await Self.submit(document, twin: twin, token: token)
            let (status, report) = try await Self.waitForReport(feedID, twin: twin, token: token)
            #expect(status == "DONE")
            try await SchemaValidator.expectValid(report, schema: "listings-feed-processing-report-schema-v2.json")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(report)) as? [String: Any])
            let issues = try #require(body["issues"] as? [[String: Any]])
            #expect(issues.count == 1)
            #expect(issues.first?["messageId"] as? Int == 2)
            #expect(issues.first?["sku"] as? String == "BAD-1")
            #expect(issues.first?["code"] as? String == "99001")
            let summary = try #require(body["summary"] as? [String: Any])
            #expect(summary["messagesProcessed"] as? Int == 4)
            #expect(summary["messagesAccepted"] as? Int == 3)
            #expect(summary["messagesInvalid"] as? Int == 1)

            let listings = try await twin.sandboxListings()
            #expect(listings.map { $0["sku"] as? String } == ["OLD", "ROSE-1"])
            #expect(listings.first?["quantity"] as? Int == 0)
            #expect(listings.last?["quantity"] as? Int == 8)
            #expect(listings.last?["price"] as? String == "12.49")
        }
    }

    @Test("a document that is not JSON or breaks the feed schema ends FATAL with an explaining report")
    func fatalFeeds() async throws {
        try await H.with { twin in
            let token = try await twin.token()
            for document in ["this is not json", #"{"header":{"sellerId":"S","version":"1.0"},"messages":[]}"#] {
                let feedID = try await Self.submit(document, twin: twin, token: token)
                let (status, report) = try await Self.waitForReport(feedID, twin: twin, token: token)
                #expect(status == "FATAL")
                try await SchemaValidator.expectValid(report, schema: "listings-feed-processing-report-schema-v2.json")
                #expect(String(decoding: report, as: UTF8.self).contains(#""severity":"ERROR""#))
            }
        }
    }

    @Test("feed types other than JSON_LISTINGS_FEED and unknown documents are refused with 400")
    func unsupportedFeeds() async throws {
        try await H.with { twin in
            let token = try await twin.token()
            let response = try await twin.call(
                .post,
                "/amazon/feeds/2021-06-30/feeds",
                token: token,
                body: #"{"feedType":"POST_PRODUCT_DATA","marketplaceIds":["\#(H.germany)"],"inputFeedDocumentId":"x"}"#
            )
            #expect(response.status == 400)
            try await SchemaValidator.expectValid(
                response.body,
                schema: "feeds_2021-06-30.json",
                definition: "ErrorList"
            )
            let unknown = try await twin.call(
                .post,
                "/amazon/feeds/2021-06-30/feeds",
                token: token,
                body:
                    #"{"feedType":"JSON_LISTINGS_FEED","marketplaceIds":["\#(H.germany)"],"inputFeedDocumentId":"nope"}"#
            )
            #expect(unknown.status == 400)
        }
    }

    @Test("createFeedDocument and createFeed bodies the official Feeds model refuses are refused with 400 InvalidInput")
    func bodiesBreakingTheFeedsModelAreRefused() async throws {
        try await H.with { twin in
            let token = try await twin.token()
            let cases: [(path: String, definition: String, body: String)] = [
                ("/amazon/feeds/2021-06-30/documents", "CreateFeedDocumentSpecification", #"{"contentType":5}"#),
                ("/amazon/feeds/2021-06-30/documents", "CreateFeedDocumentSpecification", #"{}"#),
                (
                    "/amazon/feeds/2021-06-30/feeds", "CreateFeedSpecification",
                    #"{"feedType":"JSON_LISTINGS_FEED","marketplaceIds":"\#(H.germany)","inputFeedDocumentId":"x"}"#
                ),
                (
                    "/amazon/feeds/2021-06-30/feeds", "CreateFeedSpecification",
                    #"{"feedType":"JSON_LISTINGS_FEED","marketplaceIds":[],"inputFeedDocumentId":"x"}"#
                ),
                (
                    "/amazon/feeds/2021-06-30/feeds", "CreateFeedSpecification",
                    #"{"feedType":"JSON_LISTINGS_FEED","marketplaceIds":["\#(H.germany)"]}"#
                ),
            ]
            for entry in cases {
                // The oracle: Python's jsonschema against the official model refuses the body too.
                let problems = try await SchemaValidator.errors(
                    Array(entry.body.utf8),
                    schema: "feeds_2021-06-30.json",
                    definition: entry.definition
                )
                #expect(problems != nil, "the model accepts \(entry.body)")
                let response = try await twin.call(.post, entry.path, token: token, body: entry.body)
                #expect(response.status == 400, "\(entry.body)")
                try await SchemaValidator.expectValid(
                    response.body,
                    schema: "feeds_2021-06-30.json",
                    definition: "ErrorList"
                )
                #expect(response.bodyText.contains("InvalidInput"), "\(response.bodyText)")
            }
        }
    }

    @Test("a feed carrying the FATAL-without-report hook ends FATAL with no result document")
    func fatalWithoutReportHook() async throws {
        try await H.with { twin in
            let token = try await twin.token()
            let document = """
                {"header":{"sellerId":"\(H.sellerID)","version":"2.0"},"messages":[
                 {"messageId":1,"sku":"TWIN-FATAL-NOREPORT-1","operationType":"DELETE"}]}
                """
            let feedID = try await Self.submit(document, twin: twin, token: token)
            for _ in 0..<600 {
                let feed = try await twin.call(.get, "/amazon/feeds/2021-06-30/feeds/\(feedID)", token: token)
                try await SchemaValidator.expectValid(feed.body, schema: "feeds_2021-06-30.json", definition: "Feed")
                let body = try H.object(feed)
                if body["processingStatus"] as? String == "FATAL" {
                    #expect(body["resultFeedDocumentId"] == nil)
                    return
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            Issue.record("feed \(feedID) never ended FATAL")
        }
    }
}
