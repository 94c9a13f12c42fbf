import CurlHTTP
import Foundation
import Testing

@Suite("Amazon twin: published quotas")
struct AmazonTwinQuotaTests {
    typealias H = TwinHarness

    static let patch =
        #"{"productType":"FOOD","patches":[{"op":"merge","path":"/attributes/fulfillment_availability","value":[{"fulfillment_channel_code":"DEFAULT","quantity":4}]}]}"#

    /// Refills 1000 times slower than Amazon's rates, so a burst of requests meets exactly the published
    /// burst of 5 however slowly the machine runs them.
    static let frozen = 0.001

    @Test("12 rapid PATCHes of one seller draw 429 QuotaExceeded with Retry-After, counted as throttles")
    func patchBurst() async throws {
        try await H.with(quotasEnabled: true, quotaRateScale: Self.frozen) { twin in
            let token = try await twin.token()
            let responses = try await Self.concurrently(12) { _ in
                try await twin.call(.patch, H.itemPath("Q-1"), token: token, body: Self.patch)
            }
            let statuses = responses.map(\.status)
            #expect(statuses.filter { $0 == 200 }.count == 5)
            let response = try #require(responses.first { $0.status == 429 }, "statuses: \(statuses)")
            #expect(response.headers["Retry-After"].flatMap(Int.init).map { $0 >= 1 } == true)
            #expect(response.headers["x-amzn-RateLimit-Limit"] == "5.0")
            #expect(
                response.bodyText
                    == #"{"errors":[{"code":"QuotaExceeded","details":"","message":"You exceeded your quota for the requested resource."}]}"#
            )
            try await SchemaValidator.expectValid(
                response.body,
                schema: "listingsItems_2021-08-01.json",
                definition: "ErrorList"
            )
            let stats = try H.object(try await twin.call(.get, "/_sandbox/stats", token: nil))
            let amazon = try #require((stats["platforms"] as? [String: Any])?["amazon"] as? [String: Any])
            #expect((amazon["throttled"] as? Int ?? 0) == statuses.filter { $0 == 429 }.count)
        }
    }

    @Test("two marketplaces of one seller share the budget; another seller has its own")
    func sharedSellerBudget() async throws {
        try await H.with(quotasEnabled: true, quotaRateScale: Self.frozen) { twin in
            let token = try await twin.token()
            // Five requests each for Germany and France: separate budgets would take all ten.
            let shared = try await Self.concurrently(10) { index in
                try await twin.call(
                    .patch,
                    H.itemPath("Q-2", marketplaceIds: index.isMultiple(of: 2) ? H.germany : H.france),
                    token: token,
                    body: Self.patch
                )
            }
            #expect(shared.filter { $0.status == 200 }.count == 5, "\(shared.map(\.status))")
            let otherSeller = try await Self.concurrently(5) { _ in
                try await twin.call(.patch, H.itemPath("Q-2", seller: "A3OTHERSELLER"), token: token, body: Self.patch)
            }
            #expect(otherSeller.allSatisfy { $0.status == 200 }, "\(otherSeller.map(\.status))")
        }
    }

    /// Runs `count` calls at once and returns their responses.
    static func concurrently(
        _ count: Int,
        _ call: @escaping @Sendable (Int) async throws -> HTTPResponse
    ) async throws -> [HTTPResponse] {
        try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
            for index in 0..<count { group.addTask { try await call(index) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test("with quotas off the same burst is never throttled")
    func quotasOff() async throws {
        try await H.with(quotasEnabled: false) { twin in
            let token = try await twin.token()
            for _ in 0..<12 {
                let response = try await twin.call(.patch, H.itemPath("Q-3"), token: token, body: Self.patch)
                #expect(response.status == 200)
            }
        }
    }
}
