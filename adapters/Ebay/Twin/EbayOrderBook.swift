import Foundation

/// The orders the eBay twin's buyers placed, served by the Fulfillment API's `getOrders` in the
/// `sell_fulfillment_v1_oas3.json` shapes (`Order`, `LineItem`, `CancelStatus`).
actor EbayOrderBook {
    /// One order with its single line item.
    struct Order: Sendable {
        var orderId: String
        var creationDate: Date
        var lastModifiedDate: Date
        /// `NONE_REQUESTED` or `CANCELED`.
        var cancelState: String
        /// `NOT_STARTED` or `FULFILLED` (the order's and its line item's fulfillment status).
        var fulfillmentStatus = "NOT_STARTED"
        var lineItemId: String
        var legacyItemId: String
        var sku: String
        var quantity: Int
        var marketplace: String
    }

    private var orders: [String: Order] = [:]
    private var sequence = 0
    private var lastStamp = Date.distantPast

    /// Records a new order and returns it.
    func place(sku: String, marketplace: String, quantity: Int, listingID: String) -> Order {
        sequence += 1
        let now = stamp()
        let order = Order(
            orderId: String(
                format: "%02d-%05d-%05d",
                10 + sequence / 10_000_000 % 90,
                sequence / 100_000 % 100_000,
                sequence % 100_000
            ),
            creationDate: now,
            lastModifiedDate: now,
            cancelState: "NONE_REQUESTED",
            lineItemId: String(10_000_000_000 + sequence),
            legacyItemId: listingID,
            sku: sku,
            quantity: quantity,
            marketplace: marketplace
        )
        orders[order.orderId] = order
        return order
    }

    /// Marks `id` cancelled; `nil` when there is no such order or it is cancelled already.
    func cancel(_ id: String) -> Order? {
        guard var order = orders[id], order.cancelState != "CANCELED" else { return nil }
        order.cancelState = "CANCELED"
        order.lastModifiedDate = stamp()
        orders[id] = order
        return order
    }

    /// Marks `id` shipped; `nil` when there is no such open, unshipped order.
    func ship(_ id: String) -> Order? {
        guard var order = orders[id], order.cancelState != "CANCELED", order.fulfillmentStatus != "FULFILLED"
        else { return nil }
        order.fulfillmentStatus = "FULFILLED"
        order.lastModifiedDate = stamp()
        orders[id] = order
        return order
    }

    func order(_ id: String) -> Order? { orders[id] }

    /// Orders modified in `from...to` (`to` open when `nil`), oldest modification first.
    func modified(from: Date, to: Date?) -> [Order] {
        orders.values.filter { order in
            order.lastModifiedDate >= from && (to.map { order.lastModifiedDate <= $0 } ?? true)
        }
        .sorted { ($0.lastModifiedDate, $0.orderId) < ($1.lastModifiedDate, $1.orderId) }
    }

    /// Now, or just after the last stamp (update times strictly grow).
    private func stamp() -> Date {
        let now = max(Date(), lastStamp.addingTimeInterval(0.001))
        lastStamp = now
        return now
    }
}
