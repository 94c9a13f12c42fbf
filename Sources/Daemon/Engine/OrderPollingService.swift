import ControlAPI
import Foundation
import ServiceLifecycle
import Store
import Sync

/// Runs every account's ``Sync/OrderPoller`` under the daemon's service group until shutdown.
struct OrderPollingService: Service {
    let pollers: [OrderPoller]

    func run() async throws {
        // Runs until the daemon shuts down (a service that returns early fails the group), then cancels
        // the polls: one cancelled mid-page loses nothing, as a page and its cursor commit together.
        await withDiscardingTaskGroup { group in
            for poller in pollers {
                group.addTask { await poller.run() }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
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
            case .duplicate, .recordedOnly:
                continue
            }
        }
        return events
    }
}
