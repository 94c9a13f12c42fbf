import AmazonModel
import Catalog
import Foundation
import Sync
import Testing

@testable import AmazonAdapter

/// The JSON_LISTINGS_FEED path: the workflow against a loopback Feeds API, splitting, the processing report
/// and the feed timeout.
@Suite("Amazon feeds")
struct AmazonAdapterFeedTests {
    /// Fast polling so the workflow tests do not wait seconds.
    static let quick = AmazonAdapter.Configuration(pollInterval: .milliseconds(20), feedTimeout: .seconds(30))

    @Test("a bulk push goes through one feed and its processing report gives each SKU its outcome")
    func feedOutcomesPerSKU() async throws {
        try await FakeSPAPI.withServer { fake, port in
            try await AmazonAdapterRig.with(port: port, configuration: Self.quick) { rig in
                let changes = [
                    try AmazonAdapterRig.change("NEW-1", [.content, .price, .quantity], isNew: true),
                    try AmazonAdapterRig.change("PRICE-2", [.price]),
                    try AmazonAdapterRig.change("INVALID-3", [.price]),
                    try AmazonAdapterRig.change("WARN-4", [.quantity]),
                    try AmazonAdapterRig.change("REMOVE-5", [], isRemoval: true),
                ]
                let outcomes = await rig.adapter.push(changes, mode: .bulk)
                #expect(outcomes.count == 5)
                let new = changes[0].desired.hashes
                #expect(
                    outcomes[changes[0].sku]
                        == .accepted(
                            sentHashes: [.content: new.content, .price: new.price, .quantity: new.quantity],
                            remoteID: nil
                        )
                )
                #expect(outcomes[changes[1].sku] == .accepted(changes[1]))
                #expect(
                    outcomes[changes[2].sku]
                        == .rejected(issues: [
                            MarketplaceIssue(
                                code: "90220",
                                message: "'[batteries_required]' is required but not supplied.",
                                severity: "ERROR"
                            )
                        ])
                )
                #expect(outcomes[changes[3].sku] == .accepted(changes[3]))
                #expect(outcomes[changes[4].sku] == .accepted(sentHashes: [:], remoteID: nil))

                // The workflow's requests, in order, with the documented bodies and headers.
                let requests = fake.requests
                let paths = requests.map { "\($0.method) \($0.path)" }
                #expect(paths.first == "POST /auth/o2/token")
                #expect(paths.dropFirst().first == "POST /amazon/feeds/2021-06-30/documents")
                #expect(paths.contains("PUT /upload/doc-1"))
                #expect(paths.contains("POST /amazon/feeds/2021-06-30/feeds"))
                #expect(paths.contains("GET /amazon/feeds/2021-06-30/feeds/feed-1"))
                #expect(paths.contains("GET /amazon/feeds/2021-06-30/documents/report-feed-1"))
                let documentRequest = try #require(requests.first { $0.path.hasSuffix("/documents") })
                #expect(documentRequest.bodyText == #"{"contentType":"application/json; charset=UTF-8"}"#)
                try await SchemaValidator.expectValid(
                    documentRequest.body,
                    schema: "feeds_2021-06-30.json",
                    definition: "CreateFeedDocumentSpecification"
                )
                let upload = try #require(requests.first { $0.path == "/upload/doc-1" })
                #expect(upload.headers["content-type"] == "application/json; charset=UTF-8")
                #expect(upload.headers["x-amz-access-token"] == nil)
                let create = try #require(requests.first { $0.path == "/amazon/feeds/2021-06-30/feeds" })
                #expect(
                    create.bodyText
                        == #"{"feedType":"JSON_LISTINGS_FEED","marketplaceIds":["A1F83G8C2ARO7P"],"inputFeedDocumentId":"doc-1"}"#
                )
                try await SchemaValidator.expectValid(
                    create.body,
                    schema: "feeds_2021-06-30.json",
                    definition: "CreateFeedSpecification"
                )

                // The uploaded document is a valid JSON_LISTINGS_FEED with one message per SKU.
                let directory = try AmazonFixtures.temporaryDirectory("amazon-uploaded")
                defer { try? FileManager.default.removeItem(at: directory) }
                try Data(upload.body).write(to: directory.appendingPathComponent("feed.json"))
                let (status, output) = try await AmazonFixtures.validate(
                    schema: AmazonFixtures.feedSchema,
                    documents: [directory]
                )
                #expect(status == 0, "\(output)")
                let document = try JSONSerialization.jsonObject(with: Data(upload.body)) as? [String: Any]
                let messages = try #require(document?["messages"] as? [[String: Any]])
                #expect(
                    messages.compactMap { $0["operationType"] as? String } == [
                        "UPDATE", "PATCH", "PATCH", "PATCH", "DELETE",
                    ]
                )
                #expect(messages.compactMap { $0["messageId"] as? Int } == [1, 2, 3, 4, 5])
                // createFeed spends both the general and the JSON_LISTINGS_FEED bucket.
                let states = await rig.rateLimiter.states()
                #expect(states.first { $0.operation == "createFeed:JSON_LISTINGS_FEED" }.map { $0.tokens < 5 } == true)
                #expect(states.first { $0.operation == "createFeed" }.map { $0.tokens < 15 } == true)
            }
        }
    }

    @Test("a FATAL feed without a report sends every SKU back for a retry, saying so")
    func fatalFeedRetriesAll() async throws {
        try await FakeSPAPI.withServer(feedStatus: "FATAL") { _, port in
            try await AmazonAdapterRig.with(port: port, configuration: Self.quick) { rig in
                let changes = [
                    try AmazonAdapterRig.change("A-1", [.price]),
                    try AmazonAdapterRig.change("B-2", [.quantity]),
                ]
                let outcomes = await rig.adapter.push(changes, mode: .bulk)
                #expect(outcomes.count == 2)
                for change in changes {
                    #expect(
                        outcomes[change.sku]
                            == .retry(reason: "feed feed-1 ended FATAL without a processing report", after: nil)
                    )
                }
            }
        }
    }

    @Test("a feed still IN_PROGRESS at the timeout sends urgent SKUs single and retries the others")
    func feedTimeoutSendsUrgentSingle() async throws {
        let configuration = AmazonAdapter.Configuration(
            pollInterval: .milliseconds(20),
            feedTimeout: .milliseconds(200)
        )
        try await FakeSPAPI.withServer(feedStatus: "IN_PROGRESS") { fake, port in
            try await AmazonAdapterRig.with(port: port, configuration: configuration) { rig in
                let urgent = try AmazonAdapterRig.change("URGENT-1", [.quantity], isUrgent: true)
                let slow = try AmazonAdapterRig.change("SLOW-2", [.price])
                let outcomes = await rig.adapter.push([urgent, slow], mode: .bulk)
                #expect(outcomes[urgent.sku] == .accepted(urgent))
                guard case .retry(let reason, let after) = outcomes[slow.sku] else {
                    Issue.record("SLOW-2 is not retried: \(String(describing: outcomes[slow.sku]))")
                    return
                }
                #expect(reason.hasPrefix("feed feed-1 still IN_PROGRESS after"))
                #expect(after == .seconds(60))
                let singles = fake.requests.filter { $0.path.hasPrefix("/amazon/listings/") }
                #expect(singles.map(\.method) == ["PATCH"])
                #expect(singles.first?.path.hasSuffix("/URGENT-1") == true)
            }
        }
    }

    @Test("the factory reads feed_poll_seconds and feed_timeout_seconds from the account")
    func configurationFromAccount() throws {
        let account = AccountSettings(
            name: "amazon-eu",
            platform: "amazon",
            region: "eu",
            sellerID: "A2",
            extra: ["feed_poll_seconds": "0.5", "feed_timeout_seconds": "120"]
        )
        let configuration = AmazonAdapterFactory().configuration(for: account)
        #expect(configuration.pollInterval == .milliseconds(500))
        #expect(configuration.feedTimeout == .seconds(120))
        #expect(configuration.maximumMessagesPerFeed == 25_000)
        #expect(configuration.maximumFeedBytes == 10 * 1024 * 1024)
        let defaults = AmazonAdapterFactory().configuration(for: AccountSettings(name: "a", platform: "amazon"))
        #expect(defaults.pollInterval == .seconds(2))
        #expect(defaults.feedTimeout == .seconds(900))
    }
}
