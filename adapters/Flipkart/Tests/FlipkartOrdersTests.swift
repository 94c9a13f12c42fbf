import AdapterTestSupport
import Catalog
import CurlHTTP
import FlipkartAdapter
import FlipkartTwin
import Foundation
import Store
import Sync
import Testing
import TwinSupport

/// The shipments search on the twin (`POST`/`GET /sellers/v3/shipments/filter`), the sandbox's buyers,
/// and the adapter's order source over loopback with the real libcurl client.
@Suite("Flipkart orders: twin shipments search and the order source")
struct FlipkartOrdersTests {
    /// PETHA-AGRA-500G pushed with a catalog stock of 1000: 1000 × 5 % = 50, − 2 (buffer) = 48 units on
    /// the twin (hand-computed from the `flipkart` channel's inventory rule); `body` gets the twin's base.
    static func withStockedListing(_ body: (FlipkartTwin, String, HTTPClient) async throws -> Void) async throws {
        var product = try #require(try FlipkartFixtures.sampleProducts().first { $0.sku.rawValue == "PETHA-AGRA-500G" })
        product.quantity = 1000
        let twin = FlipkartTwin(environment: TwinEnvironment())
        let changes = FlipkartFixtures.changes([product], projector: try FlipkartFixtures.projector())
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let adapter = try FlipkartAdapterFactory().makeAdapter(
                context: FlipkartTestAccount(baseURL: base).context(http: http)
            )
            let outcomes = await adapter.push(changes, mode: .single)
            #expect(outcomes.values.allSatisfy { if case .accepted = $0 { true } else { false } }, "\(outcomes)")
            #expect(await Self.quantity(twin) == 48)
            try await body(twin, base, http)
            await http.shutdown()
        }
    }

    static func quantity(_ twin: FlipkartTwin) async -> Int? {
        await twin.listings(marketplace: "IN").first { $0.sku == "PETHA-AGRA-500G" }?.quantity
    }

    static func source(base: String, http: HTTPClient) throws -> any OrderSource {
        let setup = FlipkartTestAccount(baseURL: base)
        return try FlipkartAdapterFactory().makeOrderSource(
            context: OrderSourceContext(
                account: setup.account,
                channels: [ChannelSettings(name: "flipkart", marketplace: "IN", currency: .inr, language: "en_IN")],
                http: http,
                rateLimiter: setup.rateLimiter,
                tokens: setup.tokens,
                logger: quietLogger
            )
        )
    }

    /// Polls until a round ends; the pages' lines, one array per page.
    static func round(_ source: any OrderSource, from cursor: String?) async throws -> ([[OrderLine]], String) {
        var pages: [[OrderLine]] = []
        var cursor = cursor
        // Bounded: a round is 5 passes; 10 pages is more than these tests can need.
        for _ in 0..<10 {
            let page = try await source.poll(since: cursor)
            pages.append(page.lines)
            cursor = page.cursor
            if !page.hasMore { return (pages, page.cursor) }
        }
        Issue.record("the round did not end within 10 pages")
        return (pages, cursor ?? "")
    }

    @Test(
        "23 sales and 2 cancellations: 20 + 1 preDispatch lines over two pages, 2 cancelled lines, then a resume re-reads only the newest"
    )
    func orderSourcePaginatesAndResumes() async throws {
        try await Self.withStockedListing { twin, base, http in
            var ids: [String] = []
            for _ in 0..<23 {
                ids.append(try await twin.placeOrder(marketplace: "IN", sku: "PETHA-AGRA-500G", quantity: 1))
            }
            try await twin.cancelOrder(ids[0])
            try await twin.cancelOrder(ids[1])
            // 48 − 23 + 2 = 27 units left on the twin.
            #expect(await Self.quantity(twin) == 27)

            let source = try Self.source(base: base, http: http)
            let (pages, cursor) = try await Self.round(source, from: nil)
            // Passes: preDispatch (page of 20, page of 1), postDispatch, buyer, seller, marketplace cancellations.
            #expect(pages.map(\.count) == [20, 1, 0, 2, 0, 0])
            let lines = pages.flatMap { $0 }
            #expect(lines.filter { $0.status == .placed }.map(\.orderID) == Array(ids[2...22]))
            #expect(lines.filter { $0.status == .cancelled }.map(\.orderID) == [ids[0], ids[1]])
            #expect(Set(lines.map(\.marketplace)) == ["IN"])
            #expect(Set(lines.map(\.platform)) == ["flipkart"])
            #expect(Set(lines.map { $0.channel ?? "nil" }) == ["flipkart"])
            #expect(Set(lines.map(\.quantity)) == [1])
            #expect(Set(lines.map(\.sku.rawValue)) == ["PETHA-AGRA-500G"])
            #expect(Set(lines.map(\.lineID)).count == 23, "one order item id per order")

            // One more sale; the next round starts at each pass's newest update (inclusive).
            let last = try await twin.placeOrder(marketplace: "IN", sku: "PETHA-AGRA-500G", quantity: 2)
            let (again, _) = try await Self.round(source, from: cursor)
            #expect(again.flatMap { $0 }.map(\.orderID) == [ids[22], last, ids[1]])
            #expect(again.flatMap { $0 }.map(\.status) == [.placed, .placed, .cancelled])
            #expect(again.flatMap { $0 }.last(where: { $0.orderID == last })?.quantity == 2)
            #expect(lines.allSatisfy { !$0.fulfilled }, "APPROVED and CANCELLED items are not shipped")

            // Shipped: the item moves to the postDispatch pass and reads as fulfilled; a cancelled one
            // cannot ship.
            try await twin.shipOrder(ids[5])
            await #expect(throws: SandboxOrderError.self) { try await twin.shipOrder(ids[0]) }
            let (shipped, _) = try await Self.round(source, from: cursor)
            let dispatched = shipped.flatMap { $0 }.filter(\.fulfilled)
            #expect(dispatched.map(\.orderID) == [ids[5]])
            #expect(dispatched.map(\.status) == [.placed])
        }
    }

    @Test(
        "a refused nextPageUrl restarts its pass from the pass's bound; a nextPageUrl on another host is never followed"
    )
    func refusedNextPageRestartsThePass() async throws {
        try await Self.withStockedListing { twin, base, http in
            let first = try await twin.placeOrder(marketplace: "IN", sku: "PETHA-AGRA-500G", quantity: 3)
            let source = try Self.source(base: base, http: http)
            // Mid-pass cursor whose next page the twin never issued (as an expired token would be).
            let expired = #"{"from":{},"next":"/v3/shipments/filter?next_token=expired","pass":0}"#
            let page = try await source.poll(since: expired)
            #expect(page.lines.map(\.orderID) == [first])
            #expect(page.lines.map(\.quantity) == [3])
            #expect(page.hasMore, "postDispatch and the cancellations follow")
            #expect(!page.cursor.contains("expired"))

            let foreign =
                #"{"from":{},"next":"https://elsewhere.example/sellers/v3/shipments/filter?next_token=x","pass":0}"#
            await #expect(throws: AdapterError.self) { _ = try await source.poll(since: foreign) }
        }
    }

    @Test("a sale beyond the sellable stock is refused with 409; a cancellation gives the units back once")
    func placeOrderBeyondInventoryRefused() async throws {
        try await Self.withStockedListing { twin, _, _ in
            await #expect(throws: SandboxOrderError.self) {
                _ = try await twin.placeOrder(marketplace: "IN", sku: "PETHA-AGRA-500G", quantity: 49)
            }
            let refusal = await Self.placeStatus(twin, quantity: 49)
            #expect(refusal == 409)
            #expect(await Self.quantity(twin) == 48, "a refused sale takes nothing")
            let order = try await twin.placeOrder(marketplace: "IN", sku: "PETHA-AGRA-500G", quantity: 48)
            #expect(await Self.quantity(twin) == 0)
            #expect(await Self.placeStatus(twin, quantity: 1) == 409)
            try await twin.cancelOrder(order)
            #expect(await Self.quantity(twin) == 48)
            #expect(await Self.cancelStatus(twin, order) == 409, "cancelled already")
            #expect(await Self.cancelStatus(twin, "OD000000000000000000") == 404)
            #expect(await Self.placeStatus(twin, quantity: 1, sku: "NEVER-LISTED") == 404)
        }
    }

    static func placeStatus(_ twin: FlipkartTwin, quantity: Int, sku: String = "PETHA-AGRA-500G") async -> Int {
        do {
            _ = try await twin.placeOrder(marketplace: "IN", sku: sku, quantity: quantity)
            return 201
        } catch { return error.status }
    }

    static func cancelStatus(_ twin: FlipkartTwin, _ order: String) async -> Int {
        do {
            try await twin.cancelOrder(order)
            return 200
        } catch { return error.status }
    }
}
