import AdapterTestSupport
import Catalog
import CurlHTTP
import Foundation
import Sync
import Testing
import TwinSupport
import WalmartAdapter
import WalmartTwin

/// `GET /v3/orders` on the twin (built from Walmart's Orders model, README "Verified against"), the
/// sandbox's buyers, and the adapter's order source against them over loopback.
@Suite("Walmart orders: twin getAllOrders and the order source")
struct WalmartOrdersTests {
    /// WR-001 and WR-002 set up on the twin through the adapter (single mode). Hand-computed from
    /// `walmartProjector()`: WR-001 is INR 536.50 × 0.01128 × 1.4 + 2.00 = 10.47… → 10.97 USD with
    /// 4 % of 325 = 13 − 2 = 11 units; WR-002 is INR 574.00 → 11.06… → 11.97 USD with 14 − 2 = 12 units.
    static func withItems(_ body: (WalmartTwin, String, HTTPClient) async throws -> Void) async throws {
        let twin = makeTwin()
        let projector = try walmartProjector()
        let products = sampleProducts(count: 2, prefix: "WR")
        let http = try HTTPClient(configuration: .init())
        try await withTwinEndpoint(twin) { base in
            let adapter = WalmartAdapter(context: walmartContext(baseURL: base, http: http), configuration: fastFeeds)
            let outcomes = await adapter.push(newChanges(products, projector), mode: .single)
            #expect(outcomes.values.allSatisfy { if case .accepted = $0 { true } else { false } }, "\(outcomes)")
            try await body(twin, base, http)
        }
        await http.shutdown()
    }

    /// The quantity the twin shows for `sku`.
    static func quantity(_ twin: WalmartTwin, _ sku: String) async -> Int? {
        await twin.listings(marketplace: "US").first { $0.sku == sku }?.quantity
    }

    /// The order source of the test account, built by the factory as the daemon builds it.
    static func source(base: String, http: HTTPClient) throws -> any OrderSource {
        let context = walmartContext(baseURL: base, http: http)
        return try WalmartAdapterFactory().makeOrderSource(
            context: OrderSourceContext(
                account: context.account,
                channels: [context.channel],
                http: http,
                rateLimiter: RateLimiter(quotas: []),
                tokens: TokenCache(),
                logger: quietLogger
            )
        )
    }

    @Test(
        "a sale takes units off the item, one beyond the quantity is refused with 409, a cancellation gives them back"
    )
    func placeAndCancelMoveTheItemsQuantity() async throws {
        try await Self.withItems { twin, _, _ in
            #expect(await Self.quantity(twin, "WR-001") == 11)
            let order = try await twin.placeOrder(marketplace: "US", sku: "WR-001", quantity: 3)
            #expect(await Self.quantity(twin, "WR-001") == 8)
            let refusal = await Self.refusal {
                _ = try await twin.placeOrder(marketplace: "US", sku: "WR-001", quantity: 9)
            }
            #expect(refusal == 409)
            #expect(await Self.quantity(twin, "WR-001") == 8, "a refused sale takes nothing")
            #expect(
                await Self.refusal { _ = try await twin.placeOrder(marketplace: "US", sku: "NOPE", quantity: 1) } == 404
            )
            try await twin.cancelOrder(order)
            #expect(await Self.quantity(twin, "WR-001") == 11)
            #expect(await Self.refusal { try await twin.cancelOrder(order) } == 409, "cancelled once only")
            #expect(await Self.quantity(twin, "WR-001") == 11)
        }
    }

    @Test("the order source pages by nextCursor, maps Cancelled lines to cancelled and resumes from its saved cursor")
    func orderSourcePagesCancelsAndResumes() async throws {
        try await Self.withItems { twin, base, http in
            for sku in ["WR-001", "WR-002"] {
                _ = try await twin.tamper(
                    ListingTamper(platform: "walmart", marketplace: "US", sku: sku, quantity: 200)
                )
            }
            // 120 orders of one unit, alternating WR-001 (even) and WR-002 (odd).
            var ids: [String] = []
            for index in 0..<120 {
                ids.append(
                    try await twin.placeOrder(marketplace: "US", sku: index % 2 == 0 ? "WR-001" : "WR-002", quantity: 1)
                )
            }
            try await twin.cancelOrder(ids[0])
            let first = try await Self.source(base: base, http: http).poll(since: nil)
            // 100 per page (the model's default limit), oldest modification first: the cancellation made
            // order 0 the newest.
            #expect(first.hasMore)
            #expect(first.lines.map(\.orderID) == Array(ids[1...100]))
            #expect(first.lines.allSatisfy { $0.status == .placed && $0.quantity == 1 && $0.lineID == "1" })
            #expect(Set(first.lines.map(\.channel)) == ["walmart-us"])
            #expect(Set(first.lines.map(\.platform)) == ["walmart"])
            #expect(Set(first.lines.map(\.marketplace)) == ["US"])
            #expect(first.lines.first?.sku.rawValue == "WR-002", "order 1 sold WR-002")

            // A new source (a restarted daemon) resumes from the saved cursor text alone.
            let second = try await Self.source(base: base, http: http).poll(since: first.cursor)
            #expect(!second.hasMore)
            #expect(second.lines.map(\.orderID) == Array(ids[101...119]) + [ids[0]])
            #expect(second.lines.map(\.status) == Array(repeating: .placed, count: 19) + [.cancelled])
            #expect(second.lines.last?.sku.rawValue == "WR-001")

            // After the last page only the newest modification is read again (1 ms before it).
            let third = try await Self.source(base: base, http: http).poll(since: second.cursor)
            #expect(third.lines.map(\.orderID) == [ids[0]])
            #expect(third.lines.map(\.status) == [.cancelled])
            #expect(first.lines.allSatisfy { !$0.fulfilled }, "Created lines hold their units reserved")

            // Shipped: the line's status Shipped reads as fulfilled; a cancelled order cannot ship.
            try await twin.shipOrder(ids[5])
            #expect(await Self.refusal { try await twin.shipOrder(ids[0]) } == 409)
            let fourth = try await Self.source(base: base, http: http).poll(since: third.cursor)
            // The window re-reads the last modification (order 0, 1 ms before it), then order 5 shipped.
            #expect(fourth.lines.map(\.orderID) == [ids[0], ids[5]])
            #expect(fourth.lines.map(\.fulfilled) == [false, true])
            #expect(fourth.lines.map(\.status) == [.cancelled, .placed])
        }
    }

    @Test("a saved nextCursor Walmart refuses (400) is dropped once and the poll reads again from the window's start")
    func refusedNextCursorRestartsTheWindow() async throws {
        try await Self.withItems { twin, base, http in
            let order = try await twin.placeOrder(marketplace: "US", sku: "WR-002", quantity: 2)
            // A window starting an hour ago, mid-pagination with a cursor whose poIndex is not a number.
            let from = Date().addingTimeInterval(-3600).formatted(
                Date.ISO8601FormatStyle(includingFractionalSeconds: true)
            )
            let saved = "\(from)|\(from)|?limit=100&hasMoreElements=true&soIndex=5&poIndex=x"
            let refused = try await WalmartSpecTests.call(
                http,
                base,
                .get,
                "/v3/orders?limit=100&hasMoreElements=true&soIndex=5&poIndex=x"
            )
            #expect(refused.status == 400, "the twin refuses the cursor itself")
            let page = try await Self.source(base: base, http: http).poll(since: saved)
            #expect(!page.hasMore)
            #expect(page.lines.map(\.orderID) == [order])
            #expect(page.lines.map(\.quantity) == [2])
            #expect(!page.cursor.contains("|"), "the poll ended on the last page: \(page.cursor)")
        }
    }

    @Test("the twin refuses what Walmart refuses: a limit over 200, an unparseable date, no token")
    func twinRefusesBadOrderRequests() async throws {
        try await Self.withItems { twin, base, http in
            _ = try await twin.placeOrder(marketplace: "US", sku: "WR-002", quantity: 2)
            let tooMany = try await WalmartSpecTests.call(http, base, .get, "/v3/orders?limit=201")
            #expect(tooMany.status == 400)
            let errors = try #require(Self.errors(tooMany))
            #expect(errors.first?["code"] as? String == "INVALID_REQUEST_PARAM.GMP_ORDER_API")
            #expect(errors.first?["field"] as? String == "limit")
            #expect(errors.first?["severity"] as? String == "ERROR")
            let badDate = try await WalmartSpecTests.call(
                http,
                base,
                .get,
                "/v3/orders?lastModifiedStartDate=yesterday"
            )
            #expect(badDate.status == 400)
            #expect(Self.errors(badDate)?.first?["field"] as? String == "lastModifiedStartDate")
            let anonymous = try await http.execute(
                HTTPRequest(
                    method: .get,
                    url: base + "/v3/orders",
                    headers: ["WM_SVC.NAME": "Walmart Marketplace", "WM_QOS.CORRELATION_ID": "c"]
                )
            )
            #expect(anonymous.status == 401)
            #expect(anonymous.bodyText.contains("UNAUTHORIZED.GMP_GATEWAY_API"))

            // The accepted answer carries what the model requires (`PurchaseOrderTypeV3List`:
            // meta, elements; `GetOrderResponseRecord`'s required members; `QuantityType.amount` a string).
            let answer = try await WalmartSpecTests.call(http, base, .get, "/v3/orders?limit=200")
            #expect(answer.status == 200, "\(answer.bodyText)")
            let root = try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
            let list = try #require(root["list"] as? [String: Any])
            let meta = try #require(list["meta"] as? [String: Any])
            #expect(meta["totalCount"] as? Int == 1)
            #expect(meta["limit"] as? Int == 200)
            #expect(meta["nextCursor"] == nil)
            let orders = try #require((list["elements"] as? [String: Any])?["order"] as? [[String: Any]])
            let order = try #require(orders.first)
            for member in [
                "purchaseOrderId", "customerOrderId", "customerEmailId", "orderDate", "shippingInfo", "orderLines",
            ] {
                #expect(order[member] != nil, "\(member) is required")
            }
            let line = try #require(((order["orderLines"] as? [String: Any])?["orderLine"] as? [[String: Any]])?.first)
            for member in ["charges", "item", "lineNumber", "orderLineQuantity", "orderLineStatuses", "statusDate"] {
                #expect(line[member] != nil, "\(member) is required")
            }
            #expect((line["orderLineQuantity"] as? [String: Any])?["amount"] as? String == "2")
            #expect((line["item"] as? [String: Any])?["sku"] as? String == "WR-002")
        }
    }

    /// The `errors` entries of a Walmart error body.
    static func errors(_ response: HTTPResponse) -> [[String: Any]]? {
        (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["errors"] as? [[String: Any]]
    }

    /// The status of the ``SandboxOrderError`` `body` throws; 0 when it throws none.
    static func refusal(_ body: () async throws -> Void) async -> Int {
        do {
            try await body()
            return 0
        } catch let error as SandboxOrderError {
            return error.status
        } catch {
            return -1
        }
    }
}
