import Foundation

/// The orders the Walmart twin's buyers placed, served by `GET /v3/orders` in the shapes of Walmart's
/// Orders model (`GetOrderResponseRecord`, `OrderLineType`, `OrderLineStatusType`; README "Verified
/// against").
///
/// Every order has one line (`lineNumber` `"1"`). Walmart's model carries no order-level modification
/// time: an order's modification is its line's `statusDate`, which placing and cancelling set, and
/// which `lastModifiedStartDate` / `lastModifiedEndDate` filter on.
actor WalmartOrderBook {
    /// One purchase order with its single line.
    struct Order: Sendable {
        var purchaseOrderId: String
        var customerOrderId: String
        /// `orderDate`: when it was placed, in epoch milliseconds (the model's `int64`).
        var orderDate: Int64
        /// `statusDate` of the line: when its status last changed, in epoch milliseconds.
        var statusDate: Int64
        /// `Created`, `Shipped` or `Cancelled` (`OrderLineStatusType.status`).
        var status: String
        var sku: String
        var productName: String
        var quantity: Int
        /// The unit price charged (`ItemPrice` charge), USD.
        var unitPrice: Decimal
    }

    private var orders: [String: Order] = [:]
    private var sequence = 0
    private var lastStamp: Int64 = 0

    /// Records a new order of `quantity` × `sku` and returns it.
    func place(sku: String, productName: String, quantity: Int, unitPrice: Decimal) -> Order {
        sequence += 1
        let now = stamp()
        let order = Order(
            purchaseOrderId: String(1_796_277_000_000 + sequence),
            customerOrderId: String(5_281_956_000_000 + sequence),
            orderDate: now,
            statusDate: now,
            status: "Created",
            sku: sku,
            productName: productName,
            quantity: quantity,
            unitPrice: unitPrice
        )
        orders[order.purchaseOrderId] = order
        return order
    }

    /// Why a cancellation was refused.
    enum CancelRefusal: Error {
        case unknown
        case alreadyCancelled
    }

    /// Marks `id` cancelled and returns it.
    func cancel(_ id: String) -> Result<Order, CancelRefusal> {
        guard var order = orders[id] else { return .failure(.unknown) }
        guard order.status != "Cancelled" else { return .failure(.alreadyCancelled) }
        order.status = "Cancelled"
        order.statusDate = stamp()
        orders[id] = order
        return .success(order)
    }

    /// Marks `id` shipped and returns it; `nil` unless it is `Created`.
    func ship(_ id: String) -> Order? {
        guard var order = orders[id], order.status == "Created" else { return nil }
        order.status = "Shipped"
        order.statusDate = stamp()
        orders[id] = order
        return order
    }

    /// The orders matching the filters of `GET /v3/orders`, oldest modification first (then by id).
    func matching(_ filter: Filter) -> [Order] {
        orders.values.filter(filter.accepts)
            .sorted { ($0.statusDate, $0.purchaseOrderId) < ($1.statusDate, $1.purchaseOrderId) }
    }

    /// The query filters the twin applies, dates in epoch milliseconds; `nil` bounds are open. Date
    /// bounds are exclusive, as the model's words say ("created after this date", "modified before
    /// this date"); whether Walmart's are is not documented.
    struct Filter: Sendable {
        var createdStart: Int64?
        var createdEnd: Int64?
        var modifiedStart: Int64?
        var modifiedEnd: Int64?
        var sku: String?
        var purchaseOrderId: String?
        var customerOrderId: String?
        /// `Created`, `Acknowledged`, `Shipped`, `Delivered` or `Cancelled`.
        var status: String?

        func accepts(_ order: Order) -> Bool {
            if let createdStart, order.orderDate <= createdStart { return false }
            if let createdEnd, order.orderDate >= createdEnd { return false }
            if let modifiedStart, order.statusDate <= modifiedStart { return false }
            if let modifiedEnd, order.statusDate >= modifiedEnd { return false }
            if let sku, order.sku != sku { return false }
            if let purchaseOrderId, order.purchaseOrderId != purchaseOrderId { return false }
            if let customerOrderId, order.customerOrderId != customerOrderId { return false }
            if let status, order.status != status { return false }
            return true
        }
    }

    /// Now to the millisecond, or a millisecond after the last stamp (status dates strictly grow, and
    /// Walmart's epoch-millisecond dates keep them apart).
    private func stamp() -> Int64 {
        let now = max(Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)), lastStamp + 1)
        lastStamp = now
        return now
    }
}
