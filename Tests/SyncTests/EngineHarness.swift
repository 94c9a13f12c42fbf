import Catalog
import Foundation
import Store
import Sync
import Synchronization

/// An adapter whose answers a test scripts, recording every push: the engine's side of the protocol
/// boundary, tested against a real SQLite store.
final class ScriptedAdapter: MarketplaceAdapter {
    /// One push as the engine made it.
    struct Push: Sendable {
        var mode: PushMode
        var changes: [ListingChange]
    }

    private struct State {
        var pushes: [Push] = []
        var answer: @Sendable (ListingChange) -> ListingOutcome = { .accepted($0) }
        var gate: CheckedContinuation<Void, Never>?
        var holdNextPush = false
        var heldPushArrived = false
    }

    let capabilities: AdapterCapabilities
    private let state = Mutex(State())

    init(capabilities: AdapterCapabilities = AdapterCapabilities(maximumBatchSize: 1_000)) {
        self.capabilities = capabilities
    }

    /// Every push so far.
    var pushes: [Push] { state.withLock { $0.pushes } }

    /// Answers every later change with `answer`.
    func answer(_ answer: @escaping @Sendable (ListingChange) -> ListingOutcome) {
        state.withLock { $0.answer = answer }
    }

    /// The next push waits inside the adapter until ``release()``.
    func holdNextPush() {
        state.withLock { $0.holdNextPush = true }
    }

    /// Whether a held push has arrived.
    var heldPushArrived: Bool { state.withLock { $0.heldPushArrived } }

    /// Lets a held push finish.
    func release() {
        state.withLock { state in
            defer { state.gate = nil }
            return state.gate
        }?.resume()
    }

    func push(_ changes: [ListingChange], mode: PushMode) async -> [SKU: ListingOutcome] {
        let hold = state.withLock { state in
            state.pushes.append(Push(mode: mode, changes: changes))
            defer { state.holdNextPush = false }
            return state.holdNextPush
        }
        if hold {
            await withCheckedContinuation { continuation in
                state.withLock { state in
                    state.gate = continuation
                    state.heldPushArrived = true
                }
            }
        }
        let answer = state.withLock { $0.answer }
        return Dictionary(uniqueKeysWithValues: changes.map { ($0.sku, answer($0)) })
    }
}

/// A real store in a temporary directory, an engine over it and one channel with a scripted adapter.
final class EngineHarness: Sendable {
    static let channel = "amazon-de"

    let directory: URL
    let store: CatalogStore
    let adapter: ScriptedAdapter
    let engine: SyncEngine
    let projector: ChannelProjector
    let recorded = EventRecorder()

    /// What the engine runs the channel with: ``adapter`` itself, or a wrapper of it.
    let channelAdapter: any MarketplaceAdapter

    init(
        adapter: ScriptedAdapter = ScriptedAdapter(),
        configure: (inout SyncEngine.Configuration) -> Void = { _ in },
        wrap: (ScriptedAdapter) -> any MarketplaceAdapter = { $0 }
    ) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalogsync-sync-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try CatalogStore(
            configuration: .init(
                path: directory.appendingPathComponent("catalog.sqlite").path,
                channels: [Self.channel]
            )
        )
        self.adapter = adapter
        channelAdapter = wrap(adapter)
        var configuration = SyncEngine.Configuration()
        configuration.idlePoll = .milliseconds(100)
        configuration.backoff = BackoffPolicy(base: .milliseconds(20), cap: .milliseconds(100))
        configure(&configuration)
        let recorded = self.recorded
        engine = SyncEngine(store: store, configuration: configuration) { event in
            recorded.append(event)
        }
        var pricing = PricingRule()
        pricing.markupPercent = 10
        projector = try ChannelProjector(
            channel: ChannelRules(name: Self.channel, currency: .eur, language: "de_DE", pricing: pricing),
            fx: FXTable(base: .inr, rates: [.eur: Decimal(string: "0.01")!])
        )
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs the engine in a task for the duration of `body`, then drains it.
    func running(_ body: () async throws -> Void) async rethrows {
        let engine = self.engine
        let channels = [SyncEngine.Channel(name: Self.channel, projector: projector, adapter: channelAdapter)]
        let task = Task { await engine.run(channels: channels) }
        defer {
            engine.drain()
            adapter.release()
        }
        try await body()
        engine.drain()
        adapter.release()
        await task.value
    }

    /// Saves `product` and wakes the channel, as the daemon does after a catalog change.
    func save(_ product: Product) throws {
        try store.save(product)
        engine.wake()
    }

    /// Waits until `condition` holds, checking every 10 ms; fails the test after `limit`.
    ///
    /// The bound is generous: the whole suite runs in one process on as many cooperative threads as
    /// the machine has cores, and tests that start child processes hold threads while they wait, so
    /// on a busy 2-core machine an engine test can get no thread for half a minute.
    func eventually(
        _ what: String,
        within limit: Duration = .seconds(90),
        _ condition: () throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + limit
        while try !condition() {
            guard ContinuousClock.now < deadline else { throw HarnessError.timedOut(what) }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The channel's pending (not dead) dirty pairs.
    func pending() throws -> Int {
        try store.pendingCounts()[Self.channel] ?? 0
    }

    /// The listing state of `sku` on the channel.
    func state(_ sku: String) throws -> ListingState? {
        try store.listingStates(sku: SKU(trusted: sku)).first { $0.channel == Self.channel }
    }
}

/// The engine's events, in order.
final class EventRecorder: Sendable {
    private let events = Mutex<[EngineEvent]>([])

    func append(_ event: EngineEvent) {
        events.withLock { $0.append(event) }
    }

    /// The outcomes so far.
    var outcomes: [EngineEvent.Outcome] {
        events.withLock { $0.map(\.outcome) }
    }

    /// The events so far with `outcome`.
    func events(_ outcome: EngineEvent.Outcome) -> [EngineEvent] {
        events.withLock { $0.filter { $0.outcome == outcome } }
    }
}

enum HarnessError: Error, CustomStringConvertible {
    case timedOut(String)

    var description: String {
        switch self {
        case .timedOut(let what): "timed out waiting for \(what)"
        }
    }
}

/// A product priced in INR for tests.
func product(_ sku: String, price: String = "1000.00", quantity: Int = 10, title: String = "Agra petha") -> Product {
    Product(
        sku: SKU(trusted: sku),
        title: title,
        price: Money(parsing: price, currency: .inr)!,
        quantity: quantity
    )
}
