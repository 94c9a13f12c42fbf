import ControlAPI
import Foundation
import ServiceLifecycle
import Store
import Sync

/// Runs every account's ``Sync/OrderPoller`` under the daemon's service group until shutdown, and
/// swaps an account's poller when a reload changes it (``replace(stopping:starting:)``).
struct OrderPollingService: Service {
    /// One reload's changes: the accounts whose poller stops, and the pollers that start.
    private struct Change: Sendable {
        var stop: [String]
        var start: [OrderPoller]
    }

    private let initial: [OrderPoller]
    private let changes: AsyncStream<Change>
    private let continuation: AsyncStream<Change>.Continuation

    /// A service that starts `pollers`.
    init(pollers: [OrderPoller]) {
        initial = pollers
        (changes, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Stops the pollers of `stop` and starts `start` (a reload's
    /// ``EngineAssembly/reconcileOrderPollers(for:projections:credentials:store:onApplied:)``).
    /// A poller stopped mid-page loses nothing: a page and its cursor commit together.
    func replace(stopping stop: [String], starting start: [OrderPoller]) {
        guard !stop.isEmpty || !start.isEmpty else { return }
        continuation.yield(Change(stop: stop, start: start))
    }

    func run() async throws {
        // Each account's poll runs as its own task so one can be stopped alone; every task is cancelled
        // and awaited before `run` returns (a service that returns early fails the group).
        // A stopped poller is awaited before its account's new one starts: never two polls of one account.
        var running: [String: Task<Void, Never>] = [:]
        func stop(_ account: String) async {
            guard let task = running.removeValue(forKey: account) else { return }
            task.cancel()
            await task.value
        }
        for poller in initial { running[poller.account] = Task { await poller.run() } }
        for await change in changes.cancelOnGracefulShutdown() {
            for account in change.stop + change.start.map(\.account) { await stop(account) }
            for poller in change.start { running[poller.account] = Task { await poller.run() } }
        }
        for task in running.values { task.cancel() }
        for task in running.values { await task.value }
    }

    /// The `GET /v1/events` lines of applied order lines (duplicates show nothing): `sold`, `oversold`
    /// (with the shortfall) and `restored`, on the selling channel's quantity facet.
    static func events(for applied: [AppliedOrderLine], at date: Date = Date()) -> [SyncEvent] {
        let time = date.formatted(.iso8601)
        var events: [SyncEvent] = []
        for entry in applied {
            let line = entry.line
            let what = "\(line.platform) order \(line.orderID) line \(line.lineID)"
            let channel = line.channel ?? line.marketplace
            func event(_ outcome: SyncEvent.Outcome, _ message: String) -> SyncEvent {
                SyncEvent(
                    time: time,
                    channel: channel,
                    sku: line.sku.rawValue,
                    facet: .quantity,
                    outcome: outcome,
                    message: message
                )
            }
            switch entry.effect {
            case .decremented(let units, let shortfall, let stock):
                events.append(event(.sold, "\(what): -\(units), stock \(stock)"))
                if shortfall > 0 { events.append(event(.oversold, "\(what): \(shortfall) sold beyond the stock")) }
            case .restored(let units, let stock):
                events.append(event(.restored, "\(what) \(line.status.rawValue): +\(units), stock \(stock)"))
            case .unknownSKU:
                events.append(event(.sold, "\(what): unknown SKU, stock untouched"))
            case .duplicate, .recordedOnly, .shipped:
                continue
            }
        }
        return events
    }
}
