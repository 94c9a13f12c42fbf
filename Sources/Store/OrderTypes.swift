import Catalog
import Foundation

/// What an order line asks of the catalog's stock.
public enum OrderLineStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Sold: the line's units leave the stock once.
    case placed
    /// Cancelled before shipping: units the line took come back once.
    case cancelled
    /// Returned and put back on the shelf: units the line took come back once.
    case returnedRestocked = "returned-restocked"

    /// Whether the line's units are back in (or never left) the stock.
    public var restoresStock: Bool { self != .placed }
}

/// One order line as a platform reported it, in the platform-neutral shape every order source returns.
public struct OrderLine: Sendable, Hashable, Codable {
    /// The platform (`amazon`, `ebay`).
    public var platform: String
    /// The account the order was read from (`amazon-eu`).
    public var account: String
    /// The configured channel the marketplace belongs to; `nil` when no channel of the account sells there.
    public var channel: String?
    /// The platform's marketplace code or id as it reported it (`A1PA6795UKMFR9`, `EBAY_GB`).
    public var marketplace: String
    /// The platform's order id.
    public var orderID: String
    /// The platform's id of the line within the order (Amazon `OrderItemId`, eBay `lineItemId`).
    public var lineID: String
    /// The seller SKU.
    public var sku: SKU
    /// Units ordered, at least 1.
    public var quantity: Int
    public var status: OrderLineStatus
    /// Whether the platform reports the line shipped (Amazon `Shipped`, eBay `FULFILLED`); a placed line
    /// not yet shipped holds its units reserved.
    public var fulfilled: Bool

    public init(
        platform: String,
        account: String,
        channel: String?,
        marketplace: String,
        orderID: String,
        lineID: String,
        sku: SKU,
        quantity: Int,
        status: OrderLineStatus,
        fulfilled: Bool = false
    ) {
        self.platform = platform
        self.account = account
        self.channel = channel
        self.marketplace = marketplace
        self.orderID = orderID
        self.lineID = lineID
        self.sku = sku
        self.quantity = quantity
        self.status = status
        self.fulfilled = fulfilled
    }
}

/// What applying one order line did to the catalog.
public enum OrderLineEffect: Sendable, Hashable {
    /// The line took `units` off the stock, leaving `stock`; `shortfall` more units were sold than
    /// there were (an oversell: the stock stopped at 0).
    case decremented(units: Int, shortfall: Int, stock: Int)
    /// A cancellation or return gave `units` back, leaving `stock`.
    case restored(units: Int, stock: Int)
    /// A placed line now shipped: no longer reserved, stock untouched.
    case shipped
    /// Seen before in this state: nothing changed (the idempotent replay).
    case duplicate
    /// Recorded, stock untouched: a line cancelled before it was ever seen placed.
    case recordedOnly
    /// No product has the line's SKU: recorded with a note, stock untouched.
    case unknownSKU
}

/// A line with what its application did.
public struct AppliedOrderLine: Sendable, Hashable {
    public var line: OrderLine
    public var effect: OrderLineEffect
}

/// An order line as the store keeps it.
public struct StoredOrderLine: Sendable, Hashable, Codable {
    public var line: OrderLine
    /// Units the line took off the stock.
    public var applied: Int
    /// Units sold beyond the stock there was.
    public var shortfall: Int
    /// Units given back by a cancellation or return.
    public var restored: Int
    /// Why the line left the stock alone (`unknown SKU`), when it did.
    public var note: String?
    public var seenAt: Date
    public var updatedAt: Date
}

/// One SKU's order figures.
public struct SKUOrderCounts: Sendable, Hashable, Codable {
    /// Units on lines that stand (placed, not cancelled or returned).
    public var sold: Int
    /// Of ``sold``, the units on lines not shipped yet: promised to buyers, still in the warehouse.
    public var reserved: Int
    /// Units given back by cancellations and return restocks.
    public var restored: Int
    /// Units sold beyond the stock there was.
    public var oversold: Int
    /// Lines seen.
    public var lines: Int

    public init(sold: Int = 0, reserved: Int = 0, restored: Int = 0, oversold: Int = 0, lines: Int = 0) {
        self.sold = sold
        self.reserved = reserved
        self.restored = restored
        self.oversold = oversold
        self.lines = lines
    }
}

/// An account's order-polling position, saved with the lines read up to it.
public struct OrderCursor: Sendable, Hashable {
    public var account: String
    /// The platform's own cursor text (a timestamp, a page token).
    public var value: String

    public init(account: String, value: String) {
        self.account = account
        self.value = value
    }
}
