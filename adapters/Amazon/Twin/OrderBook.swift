import AmazonModel
import Foundation
import TwinSupport

/// The orders the Amazon twin's buyers placed (``AmazonTwin/placeOrder(marketplace:sku:quantity:)``),
/// served by the Orders API v0 routes in the `ordersV0.json` shapes.
actor OrderBook {
    /// One order with its single line.
    struct Order: Sendable {
        var id: String
        var seller: String
        var marketplace: AmazonMarketplace
        var purchaseDate: Date
        var lastUpdateDate: Date
        /// `Unshipped`, `Shipped` or `Canceled`.
        var status: String
        var itemID: String
        var sku: String
        var quantity: Int
    }

    private var orders: [String: Order] = [:]
    private var sequence: Int
    /// The last timestamp handed out, so update times strictly grow even within one clock tick.
    private var lastStamp = Date.distantPast

    init(seed: UInt64) {
        sequence = Int(seed % 1000) * 10_000
    }

    /// Records a new order and returns it.
    func place(seller: String, marketplace: AmazonMarketplace, sku: String, quantity: Int) -> Order {
        sequence += 1
        let now = stamp()
        let digits = String(format: "%07d", sequence % 10_000_000)
        let order = Order(
            id: "303-\(digits)-\(String(format: "%07d", (sequence * 7919) % 10_000_000))",
            seller: seller,
            marketplace: marketplace,
            purchaseDate: now,
            lastUpdateDate: now,
            status: "Unshipped",
            itemID: String(format: "%014d", 10_000_000_000_000 + sequence),
            sku: sku,
            quantity: quantity
        )
        orders[order.id] = order
        return order
    }

    /// Cancels `id`; the cancelled order, or an error for an unknown or already cancelled order.
    func cancel(_ id: String) throws(SandboxOrderError) -> Order {
        guard var order = orders[id] else {
            throw SandboxOrderError(status: 404, code: "no_order", message: "No Amazon order \(id).")
        }
        guard order.status != "Canceled" else {
            throw SandboxOrderError(
                status: 409,
                code: "already_cancelled",
                message: "Amazon order \(id) is already cancelled."
            )
        }
        order.status = "Canceled"
        order.lastUpdateDate = stamp()
        orders[id] = order
        return order
    }

    /// Ships `id`; the shipped order, or an error for an unknown, cancelled or shipped order.
    func ship(_ id: String) throws(SandboxOrderError) -> Order {
        guard var order = orders[id] else {
            throw SandboxOrderError(status: 404, code: "no_order", message: "No Amazon order \(id).")
        }
        guard order.status == "Unshipped" else {
            throw SandboxOrderError(status: 409, code: "not_open", message: "Amazon order \(id) is \(order.status).")
        }
        order.status = "Shipped"
        order.lastUpdateDate = stamp()
        orders[id] = order
        return order
    }

    /// Orders of `marketplaces` last updated in `after...before`, oldest update first.
    func updated(marketplaces: Set<String>, after: Date, before: Date) -> [Order] {
        orders.values
            .filter {
                marketplaces.contains($0.marketplace.id) && $0.lastUpdateDate >= after && $0.lastUpdateDate <= before
            }
            .sorted { ($0.lastUpdateDate, $0.id) < ($1.lastUpdateDate, $1.id) }
    }

    func order(_ id: String) -> Order? { orders[id] }

    /// Now, or just after the last stamp when the clock has not moved on.
    private func stamp() -> Date {
        let now = max(Date(), lastStamp.addingTimeInterval(0.001))
        lastStamp = now
        return now
    }
}
