import AdapterTestSupport
import Catalog
import CurlHTTP
import EbayAdapter
import EbayTwin
import Foundation
import ProcessTestSupport
import Store
import Sync
import Testing
import TwinSupport

/// The Fulfillment API's getOrders on the twin (checked against `sell_fulfillment_v1_oas3.json`) and the
/// adapter's order source.
@Suite("eBay orders: twin getOrders and the order source")
struct EbayOrdersTests {
    /// Lists the first `count` sample products on EBAY_US through the adapter; returns them.
    private func listed(_ count: Int, base: String, http: HTTPClient) async throws -> [Product] {
        var products = Array(try EbayFixtures.sampleProducts().prefix(count))
        for index in products.indices { products[index].quantity = 400 }  // 3 % share, buffer 1: 11 on the site
        let adapter = try EbayAdapterFactory().makeAdapter(context: EbayTestAccount(baseURL: base).context(http: http))
        let outcomes = await adapter.push(newChanges(products, try EbayFixtures.usProjector()), mode: .single)
        #expect(outcomes.values.allSatisfy { if case .accepted = $0 { true } else { false } }, "\(outcomes)")
        return products
    }

    private func source(base: String, http: HTTPClient) throws -> any OrderSource {
        let setup = EbayTestAccount(baseURL: base)
        return try EbayAdapterFactory().makeOrderSource(
            context: OrderSourceContext(
                account: setup.account,
                channels: [EbayFixtures.usChannelSettings],
                http: http,
                rateLimiter: RateLimiter(quotas: []),
                tokens: TokenCache(),
                logger: quietLogger
            )
        )
    }

    @Test(
        "a sale takes units off the site's listing; getOrders serves it as an OrderSearchPagedCollection the contract accepts"
    )
    func getOrdersAnswerValidates() async throws {
        let twin = EbayTwin(environment: TwinEnvironment(quotasEnabled: false))
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            defer { Task { await http.shutdown() } }
            let products = try await listed(2, base: base, http: http)
            let sku = products[0].sku.rawValue
            let before = await twin.listings(marketplace: "EBAY_US").first { $0.sku == sku }?.quantity ?? 0
            let orderID = try await twin.placeOrder(marketplace: "EBAY_US", sku: sku, quantity: 2)
            let after = await twin.listings(marketplace: "EBAY_US").first { $0.sku == sku }?.quantity ?? 0
            #expect(after == before - 2)
            try await twin.cancelOrder(orderID)
            #expect(await twin.listings(marketplace: "EBAY_US").first { $0.sku == sku }?.quantity == before)
            _ = try await twin.placeOrder(marketplace: "EBAY_US", sku: products[1].sku.rawValue, quantity: 1)

            let token = try await Self.token(base: base, http: http)
            let response = try await http.execute(
                HTTPRequest(
                    method: .get,
                    url: base
                        + "/ebay/sell/fulfillment/v1/order?filter=lastmodifieddate:%5B2020-01-01T00:00:00.000Z..%5D&limit=1",
                    headers: ["Authorization": "Bearer \(token)"]
                )
            )
            #expect(response.status == 200, "\(response.bodyText)")
            #expect(response.bodyText.contains(#""cancelState":"CANCELED""#))
            #expect(response.bodyText.contains(#""next":"#), "two orders, one per page")
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("ebay-orders-\(UUID()).json")
            try Data(response.body).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let spec = SampleCatalog.repositoryRoot.appendingPathComponent(
                "../shared/specs/ebay/sell_fulfillment_v1_oas3.json"
            )
            let script = SampleCatalog.repositoryRoot.appendingPathComponent("adapters/Ebay/Tests/validate_openapi.py")
            let result = try await ChildRun.run([
                "python3", script.path, spec.standardized.path, "OrderSearchPagedCollection", file.path,
            ])
            #expect(result.status == 0, "\(result.output)\(result.errors)")

            let refused = try await http.execute(
                HTTPRequest(
                    method: .get,
                    url: base + "/ebay/sell/fulfillment/v1/order?filter=lastmodifieddate:2020&limit=5000",
                    headers: ["Authorization": "Bearer \(token)"]
                )
            )
            #expect(refused.status == 400)
            #expect(try await twin.placeOrderRefusal(sku: sku) == 409)
        }
    }

    @Test(
        "the order source pages by offset, maps CANCELED to cancelled, resolves the site's channel and resumes from its cursor"
    )
    func orderSourcePagesAndCancels() async throws {
        let twin = EbayTwin(environment: TwinEnvironment(quotasEnabled: false))
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            defer { Task { await http.shutdown() } }
            let products = try await listed(1, base: base, http: http)
            let sku = products[0].sku.rawValue
            var ids: [String] = []
            for _ in 0..<3 { ids.append(try await twin.placeOrder(marketplace: "EBAY_US", sku: sku, quantity: 1)) }
            try await twin.cancelOrder(ids[0])
            let source = try source(base: base, http: http)
            let page = try await source.poll(since: nil)
            #expect(!page.hasMore)
            // Oldest modification first: the cancellation moved order 0 to the end.
            #expect(page.lines.map(\.orderID) == [ids[1], ids[2], ids[0]])
            #expect(page.lines.map(\.status) == [.placed, .placed, .cancelled])
            #expect(Set(page.lines.map { $0.channel ?? "nil" }) == ["ebay-us"])
            #expect(Set(page.lines.map(\.platform)) == ["ebay"])
            // Resuming from the cursor re-reads only the last modified order (the filter is inclusive).
            let again = try await source.poll(since: page.cursor)
            #expect(again.lines.map(\.orderID) == [ids[0]])
            #expect(page.lines.allSatisfy { !$0.fulfilled }, "NOT_STARTED lines hold their units reserved")
            // Shipped: lineItemFulfillmentStatus FULFILLED reads as a fulfilled line; a cancelled order
            // cannot ship.
            try await twin.shipOrder(ids[1])
            await #expect(throws: SandboxOrderError.self) { try await twin.shipOrder(ids[0]) }
            let shipped = try await source.poll(since: again.cursor)
            // The inclusive filter reads the cancelled order 0 again, then the shipped order 1.
            #expect(shipped.lines.map(\.orderID) == [ids[0], ids[1]])
            #expect(shipped.lines.map(\.fulfilled) == [false, true])
            #expect(shipped.lines.map(\.status) == [.cancelled, .placed])
        }
    }

    /// A user token from the twin (Basic client authentication, refresh-token grant).
    static func token(base: String, http: HTTPClient) async throws -> String {
        let basic = Data("app:secret".utf8).base64EncodedString()
        let response = try await http.execute(
            HTTPRequest(
                method: .post,
                url: base + "/ebay/identity/v1/oauth2/token",
                headers: ["Content-Type": "application/x-www-form-urlencoded", "Authorization": "Basic \(basic)"],
                body: Array("grant_type=refresh_token&refresh_token=r".utf8)
            )
        )
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return try #require(object?["access_token"] as? String)
    }
}

extension EbayTwin {
    /// The status the sandbox answers for a sale of more than the listing offers.
    fileprivate func placeOrderRefusal(sku: String) async throws -> Int {
        do {
            _ = try await placeOrder(marketplace: "EBAY_US", sku: sku, quantity: 10_000)
            return 201
        } catch {
            return error.status
        }
    }
}
