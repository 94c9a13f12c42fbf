import Catalog
import Foundation
import Store
import Sync
import Synchronization
import Testing

/// An order source that answers from a script: one page or one failure per poll, recording the cursor
/// each poll was given.
final class ScriptedOrderSource: OrderSource {
    enum Step {
        case page(OrderPage)
        case failure(String)
    }

    private let state: Mutex<(steps: [Step], cursors: [String?])>

    init(_ steps: [Step]) {
        state = Mutex((steps, []))
    }

    var cursorsSeen: [String?] { state.withLock { $0.cursors } }

    func poll(since cursor: String?) async throws -> OrderPage {
        let step = state.withLock { state -> Step in
            state.cursors.append(cursor)
            return state.steps.isEmpty
                ? .page(OrderPage(lines: [], cursor: cursor ?? "", hasMore: false)) : state.steps.removeFirst()
        }
        switch step {
        case .page(let page): return page
        case .failure(let reason): throw AdapterError.platform(reason)
        }
    }
}

@Suite("Order poller: pages and cursors into the store")
struct OrderPollerTests {
    private static func line(_ order: String, channel: String?, quantity: Int = 1, _ status: OrderLineStatus = .placed)
        -> OrderLine
    {
        OrderLine(
            platform: "amazon",
            account: "amazon-eu",
            channel: channel,
            marketplace: "A1PA6795UKMFR9",
            orderID: order,
            lineID: "1",
            sku: SKU(trusted: "PETHA-1"),
            quantity: quantity,
            status: status
        )
    }

    private static func store() throws -> CatalogStore {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalogsync-orders-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try CatalogStore(
            configuration: .init(
                path: directory.appendingPathComponent("catalog.sqlite").path,
                channels: ["amazon-de", "amazon-fr"]
            )
        )
        try store.save(
            Product(
                sku: SKU(trusted: "PETHA-1"),
                title: "Agra petha",
                price: Money(minorUnits: 14_900, currency: .inr),
                quantity: 10
            )
        )
        return store
    }

    @Test("a poll reads pages until the platform has no more; each page's cursor is saved with its lines")
    func pagesAndCursorsCommitTogether() async throws {
        let store = try Self.store()
        let source = ScriptedOrderSource([
            .page(OrderPage(lines: [Self.line("A", channel: "amazon-de", quantity: 2)], cursor: "c1", hasMore: true)),
            .page(OrderPage(lines: [Self.line("B", channel: "amazon-fr", quantity: 3)], cursor: "c2", hasMore: false)),
        ])
        let poller = OrderPoller(account: "amazon-eu", source: source, store: store)
        let applied = try await poller.pollOnce()
        #expect(applied.map(\.line.orderID) == ["A", "B"])
        #expect(source.cursorsSeen == [nil, "c1"])
        #expect(try store.orderCursor(account: "amazon-eu") == "c2")
        #expect(try store.product(sku: SKU(trusted: "PETHA-1"))?.product.quantity == 5)
        #expect(poller.status.linesApplied == 2)
    }

    @Test(
        "a failing page keeps the pages before it and their cursor; the next poll resumes there and nothing is applied twice"
    )
    func failureResumesFromTheLastSavedCursor() async throws {
        let store = try Self.store()
        let source = ScriptedOrderSource([
            .page(OrderPage(lines: [Self.line("A", channel: "amazon-de", quantity: 2)], cursor: "c1", hasMore: true)),
            .failure("getOrders answered 503"),
            // The platform answers the resumed page again, overlapping the first (idempotent).
            .page(
                OrderPage(
                    lines: [Self.line("A", channel: "amazon-de", quantity: 2), Self.line("B", channel: "amazon-de")],
                    cursor: "c2",
                    hasMore: false
                )
            ),
        ])
        let poller = OrderPoller(account: "amazon-eu", source: source, store: store)
        await #expect(throws: AdapterError.self) { try await poller.pollOnce() }
        #expect(try store.orderCursor(account: "amazon-eu") == "c1")
        #expect(poller.status.consecutiveFailures == 0, "pollOnce leaves failure counting to run()")
        let applied = try await poller.pollOnce()
        #expect(source.cursorsSeen == [nil, "c1", "c1"])
        #expect(applied.map(\.effect) == [.duplicate, .decremented(units: 1, shortfall: 0, stock: 7)])
        #expect(try store.product(sku: SKU(trusted: "PETHA-1"))?.product.quantity == 7)
    }

    @Test("lines of channels not ingested (or of marketplaces no channel sells on) leave the stock alone")
    func onlyIngestedChannelsMoveStock() async throws {
        let store = try Self.store()
        let source = ScriptedOrderSource([
            .page(
                OrderPage(
                    lines: [
                        Self.line("A", channel: "amazon-de", quantity: 1),
                        Self.line("B", channel: "amazon-fr", quantity: 4),
                        Self.line("C", channel: nil, quantity: 5),
                    ],
                    cursor: "c1",
                    hasMore: false
                )
            )
        ])
        let poller = OrderPoller(
            account: "amazon-eu",
            source: source,
            store: store,
            configuration: .init(ingestedChannels: ["amazon-de"])
        )
        try await poller.pollOnce()
        #expect(try store.product(sku: SKU(trusted: "PETHA-1"))?.product.quantity == 9)
        #expect(try store.orderLines().map(\.line.orderID) == ["A"])
        #expect(try store.orderCursor(account: "amazon-eu") == "c1")
    }
}
