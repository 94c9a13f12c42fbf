import CurlHTTP
import Foundation
import Logging
import Store
import Sync
import Testing

@testable import AmazonAdapter

/// The Orders API v0 on the twin (checked against `ordersV0.json`) and the adapter's order source.
@Suite("Amazon orders: twin getOrders/getOrderItems and the order source")
struct AmazonOrdersTests {
    typealias H = TwinHarness
    static let model = "ordersV0.json"

    /// Lists `sku` on Germany with `quantity` units.
    private func list(_ twin: H, _ sku: String, quantity: Int, token: String) async throws {
        let put = try await twin.call(.put, H.itemPath(sku), token: token, body: H.putBody(quantity: quantity))
        #expect(put.status == 200, "\(put.bodyText)")
    }

    /// `POST /_sandbox/orders`.
    private func order(_ twin: H, _ body: String) async throws -> HTTPResponse {
        try await twin.call(.post, "/_sandbox/orders", token: nil, body: body)
    }

    @Test("a sandbox order takes units off the twin listing and getOrders/getOrderItems serve it in the model's shapes")
    func placedOrderIsServedInDocumentedShape() async throws {
        try await H.with { twin in
            let token = try await twin.token()
            try await list(twin, "PETHA-1", quantity: 5, token: token)
            let placed = try await order(
                twin,
                #"{"platform":"amazon","marketplace":"DE","sku":"PETHA-1","quantity":2}"#
            )
            #expect(placed.status == 201, "\(placed.bodyText)")
            let orderID = try #require(try H.object(placed)["order_id"] as? String)
            #expect(orderID.range(of: #"^\d{3}-\d{7}-\d{7}$"#, options: .regularExpression) != nil, "3-7-7: \(orderID)")
            #expect(try await twin.sandboxListings(marketplace: "DE").first?["quantity"] as? Int == 3)

            let list = try await twin.call(
                .get,
                "/amazon/orders/v0/orders?MarketplaceIds=\(H.germany)&LastUpdatedAfter=2020-01-01T00:00:00Z",
                token: token
            )
            #expect(list.status == 200, "\(list.bodyText)")
            #expect(list.headers["x-amzn-RateLimit-Limit"] == "0.0167")
            try await SchemaValidator.expectValid(list.body, schema: Self.model, definition: "GetOrdersResponse")
            let orders = try #require((try H.object(list)["payload"] as? [String: Any])?["Orders"] as? [[String: Any]])
            #expect(orders.map { $0["AmazonOrderId"] as? String } == [orderID])
            #expect(orders.first?["OrderStatus"] as? String == "Unshipped")
            #expect(orders.first?["MarketplaceId"] as? String == H.germany)

            let items = try await twin.call(.get, "/amazon/orders/v0/orders/\(orderID)/orderItems", token: token)
            #expect(items.status == 200, "\(items.bodyText)")
            try await SchemaValidator.expectValid(items.body, schema: Self.model, definition: "GetOrderItemsResponse")
            let item = try #require(
                ((try H.object(items)["payload"] as? [String: Any])?["OrderItems"] as? [[String: Any]])?.first
            )
            #expect(item["SellerSKU"] as? String == "PETHA-1")
            #expect(item["QuantityOrdered"] as? Int == 2)
        }
    }

    @Test("getOrders refuses what Amazon refuses, with InvalidInput in the ErrorList shape")
    func getOrdersRefusesInvalidQueries() async throws {
        try await H.with { twin in
            let token = try await twin.token()
            let soon = Date().addingTimeInterval(-30).ISO8601Format()
            let refused = [
                "LastUpdatedAfter=2020-01-01T00:00:00Z",  // no MarketplaceIds
                "MarketplaceIds=\(H.germany)",  // neither CreatedAfter nor LastUpdatedAfter
                "MarketplaceIds=\(H.germany)&CreatedAfter=2020-01-01T00:00:00Z&LastUpdatedAfter=2020-01-01T00:00:00Z",
                "MarketplaceIds=\(H.germany)&LastUpdatedAfter=2020-01-01T00:00:00Z&LastUpdatedBefore=\(soon)",
                "MarketplaceIds=\(H.germany)&LastUpdatedAfter=2020-01-01T00:00:00Z&MaxResultsPerPage=101",
                "MarketplaceIds=NOTAMARKETPLACE&LastUpdatedAfter=2020-01-01T00:00:00Z",
                "MarketplaceIds=\(H.germany)&NextToken=not-a-token",
            ]
            for query in refused {
                let response = try await twin.call(.get, "/amazon/orders/v0/orders?\(query)", token: token)
                #expect(response.status == 400, "\(query): \(response.status)")
                #expect(response.bodyText.contains(#""code":"InvalidInput""#), "\(query): \(response.bodyText)")
                // ordersV0.json answers a 400 with `GetOrdersResponse` holding `errors`.
                try await SchemaValidator.expectValid(
                    response.body,
                    schema: Self.model,
                    definition: "GetOrdersResponse"
                )
            }
            let missing = try await twin.call(
                .get,
                "/amazon/orders/v0/orders/303-0000000-0000000/orderItems",
                token: token
            )
            #expect(missing.status == 404)
            let unauthorised = try await twin.call(
                .get,
                "/amazon/orders/v0/orders?MarketplaceIds=\(H.germany)&LastUpdatedAfter=2020-01-01T00:00:00Z",
                token: nil
            )
            #expect(unauthorised.status == 403)
        }
    }

    @Test(
        "getOrders has its own published budget (burst 20) per seller and region: the 21st EU call is a 429, NA still answers"
    )
    func getOrdersBudgetIsPerRegion() async throws {
        try await H.with(quotasEnabled: true, quotaRateScale: 0.001) { twin in
            let token = try await twin.token()
            let europe = "/amazon/orders/v0/orders?MarketplaceIds=\(H.germany)&LastUpdatedAfter=2020-01-01T00:00:00Z"
            var statuses: [Int] = []
            for _ in 0..<21 { statuses.append(try await twin.call(.get, europe, token: token).status) }
            #expect(statuses.filter { $0 == 200 }.count == 20, "\(statuses)")
            #expect(statuses.last == 429)
            let america = "/amazon/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER&LastUpdatedAfter=2020-01-01T00:00:00Z"
            #expect(try await twin.call(.get, america, token: token).status == 200)
            // Listing calls of the same seller are untouched by the orders budget.
            let put = try await twin.call(.put, H.itemPath("Q-ORDERS"), token: token, body: H.putBody())
            #expect(put.status == 200)
        }
    }

    @Test(
        "the sandbox refuses a sale beyond the listing's quantity and a second cancellation; a cancellation gives the units back"
    )
    func saleLimitsAndCancellation() async throws {
        try await H.with { twin in
            let token = try await twin.token()
            try await list(twin, "PETHA-2", quantity: 1, token: token)
            let tooMany = try await order(
                twin,
                #"{"platform":"amazon","marketplace":"DE","sku":"PETHA-2","quantity":2}"#
            )
            #expect(tooMany.status == 409, "\(tooMany.bodyText)")
            let unlisted = try await order(
                twin,
                #"{"platform":"amazon","marketplace":"FR","sku":"PETHA-2","quantity":1}"#
            )
            #expect(unlisted.status == 404, "\(unlisted.bodyText)")
            let placed = try await order(
                twin,
                #"{"platform":"amazon","marketplace":"DE","sku":"PETHA-2","quantity":1}"#
            )
            let orderID = try #require(try H.object(placed)["order_id"] as? String)
            #expect(try await twin.sandboxListings(marketplace: "DE").first?["quantity"] as? Int == 0)
            let cancel = #"{"platform":"amazon","cancel":"\#(orderID)"}"#
            #expect(try await order(twin, cancel).status == 200)
            #expect(try await order(twin, cancel).status == 409)
            #expect(try await twin.sandboxListings(marketplace: "DE").first?["quantity"] as? Int == 1)
        }
    }

    @Test(
        "the order source pages with NextToken, maps Canceled to cancelled, resolves channels and resumes from its cursor"
    )
    func orderSourceReadsPagesAndCancellations() async throws {
        try await H.with { twin in
            let token = try await twin.token()
            try await list(twin, "PETHA-3", quantity: 10, token: token)
            var ids: [String] = []
            for _ in 0..<3 {
                let placed = try await order(
                    twin,
                    #"{"platform":"amazon","marketplace":"DE","sku":"PETHA-3","quantity":1}"#
                )
                ids.append(try #require(try H.object(placed)["order_id"] as? String))
            }
            #expect(try await order(twin, #"{"platform":"amazon","cancel":"\#(ids[1])"}"#).status == 200)
            let http = try HTTPClient(configuration: .init())
            defer { Task { await http.shutdown() } }
            let factory = AmazonAdapterFactory()
            let account = factory.sandboxAccount(
                AccountSettings(name: "amazon-eu", platform: "amazon", region: "eu", sellerID: H.sellerID),
                baseURL: twin.baseURL
            )
            let source = try factory.makeOrderSource(
                context: OrderSourceContext(
                    account: account,
                    channels: [ChannelSettings(name: "amazon-de", marketplace: "DE", currency: .eur)],
                    http: http,
                    rateLimiter: RateLimiter(quotas: []),
                    tokens: TokenCache(),
                    logger: Logger(label: "test")
                )
            )
            let amazon = try #require(source as? AmazonOrderSource)
            let paged = AmazonOrderSource(
                connection: amazon.connection,
                account: amazon.account,
                channels: amazon.channels,
                lookBack: .seconds(3600),
                pageSize: 2
            )
            let first = try await paged.poll(since: nil)
            #expect(first.hasMore)
            #expect(first.lines.count == 2)
            let second = try await paged.poll(since: first.cursor)
            #expect(!second.hasMore)
            let lines = first.lines + second.lines
            // Oldest update first: the cancellation moved the second order to the end.
            #expect(lines.map(\.orderID) == [ids[0], ids[2], ids[1]])
            #expect(lines.map(\.status) == [.placed, .placed, .cancelled])
            #expect(Set(lines.map(\.channel)) == ["amazon-de"])
            #expect(Set(lines.map(\.sku.rawValue)) == ["PETHA-3"])
            // From the cursor after the last page, nothing new until something changes.
            let again = try await paged.poll(since: second.cursor)
            #expect(again.lines.count <= 3, "the inclusive window re-reads at most the last second")
            #expect(try await order(twin, #"{"platform":"amazon","cancel":"\#(ids[2])"}"#).status == 200)
            #expect(try await order(twin, #"{"platform":"amazon","ship":"\#(ids[0])"}"#).status == 200)
            #expect(try await order(twin, #"{"platform":"amazon","ship":"\#(ids[2])"}"#).status == 409, "cancelled")
            var later = try await paged.poll(since: second.cursor)
            var seen = later.lines
            for _ in 0..<5 where later.hasMore {
                later = try await paged.poll(since: later.cursor)
                seen += later.lines
            }
            #expect(seen.contains { $0.orderID == ids[2] && $0.status == .cancelled })
            // Shipped: Amazon's OrderStatus Shipped and QuantityShipped read as a fulfilled line.
            #expect(seen.contains { $0.orderID == ids[0] && $0.status == .placed && $0.fulfilled })
            #expect(first.lines.allSatisfy { !$0.fulfilled }, "Unshipped orders hold their units reserved")
            // A NextToken Amazon refuses (expired) reads the window again from its start.
            let stale = try await paged.poll(since: "2020-01-01T00:00:00Z|expired-token")
            // Oldest update first: 1 (cancelled), 2 (cancelled later), 0 (shipped last).
            #expect(stale.lines.map(\.orderID) == [ids[1], ids[2]], "the first page from 2020 again")
        }
    }
}
