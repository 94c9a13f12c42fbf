import Foundation
import TwinSupport

/// The shipments the Flipkart twin's buyers placed, served by `POST /sellers/v3/shipments/filter` in
/// the shape of Flipkart's `SearchShipmentResponse` (`Shipment`, `OrderItem`: the seller API SDK's
/// model, `Flipkart/flipkart-seller-api-java-sdk` docs/Shipment.md, docs/OrderItem.md).
///
/// Each sandbox order is one shipment with one order item, `APPROVED` until cancelled; a cancellation
/// makes it `CANCELLED` with `cancellationDate` and the cancellation type `buyerCancellation`. The twin
/// never dispatches, so nothing reaches a postDispatch state.
actor FlipkartShipmentBook {
    /// One shipment with its single order item.
    struct Shipment: Sendable {
        var shipmentId: String
        var orderId: String
        var orderItemId: String
        var sku: String
        var fsn: String
        var quantity: Int
        /// `APPROVED`, `SHIPPED` or `CANCELLED`.
        var status: String
        var orderDate: Date
        var updatedAt: Date
        var cancellationDate: Date?
        var cancellationType: String?
        /// The units the sale took, per location id (given back on cancellation).
        var taken: [String: Int]
        var sellingPrice: Int
    }

    /// What a filter asks for: a type with its states or cancellation type, and date windows.
    struct Query: Codable, Sendable, Hashable {
        var type: String
        var states: [String]
        var cancellationType: String?
        var modifiedFrom: Date?
        var modifiedTo: Date?
        var orderFrom: Date?
        var orderTo: Date?
        var sortDescending: Bool
        var sortField: String
        var pageSize: Int
        var offset: Int
    }

    private var shipments: [String: Shipment] = [:]
    private var sequence = 0
    /// The last update time given, in whole milliseconds since 1970.
    private var lastStamp: Int64 = 0
    let seed: UInt64

    init(seed: UInt64) {
        self.seed = seed
    }

    /// Records a new APPROVED shipment of `quantity` × `sku`; returns it.
    func place(sku: String, fsn: String, quantity: Int, taken: [String: Int], sellingPrice: Int) -> Shipment {
        sequence += 1
        let now = stamp()
        let number = UInt64(sequence) &+ (seed % 1000) * 1_000_000
        let shipment = Shipment(
            shipmentId: String(format: "5e6f%012llx-fk", number),
            orderId: String(format: "OD%018llu", 110_000_000_000_000_000 &+ number),
            orderItemId: String(format: "%018llu", 220_000_000_000_000_000 &+ number),
            sku: sku,
            fsn: fsn,
            quantity: quantity,
            status: "APPROVED",
            orderDate: now,
            updatedAt: now,
            cancellationDate: nil,
            cancellationType: nil,
            taken: taken,
            sellingPrice: sellingPrice
        )
        shipments[shipment.orderId] = shipment
        return shipment
    }

    /// Marks order `orderId` CANCELLED by the buyer; `nil` when there is no such order.
    func cancel(_ orderId: String) -> Result<Shipment, SandboxOrderError> {
        guard var shipment = shipments[orderId] else {
            return .failure(SandboxOrderError(status: 404, code: "no_order", message: "No Flipkart order \(orderId)."))
        }
        guard shipment.status != "CANCELLED" else {
            return .failure(
                SandboxOrderError(status: 409, code: "already_cancelled", message: "Order \(orderId) is cancelled.")
            )
        }
        let now = stamp()
        shipment.status = "CANCELLED"
        shipment.cancellationDate = now
        shipment.cancellationType = "buyerCancellation"
        shipment.updatedAt = now
        shipments[orderId] = shipment
        return .success(shipment)
    }

    /// Marks the shipment of `orderId` `SHIPPED` (postDispatch from now on); refused unless `APPROVED`.
    func ship(_ orderId: String) -> Result<Shipment, SandboxOrderError> {
        guard var shipment = shipments[orderId], shipment.status == "APPROVED" else {
            return .failure(
                SandboxOrderError(status: 409, code: "not_open", message: "No approved Flipkart order \(orderId).")
            )
        }
        shipment.status = "SHIPPED"
        shipment.updatedAt = stamp()
        shipments[orderId] = shipment
        return .success(shipment)
    }

    /// The shipments `query` matches, sorted as it asks (ties by shipment id).
    func matching(_ query: Query) -> [Shipment] {
        let found = shipments.values.filter { shipment in
            let typeMatches: Bool =
                switch query.type {
                case "cancelled":
                    shipment.status == "CANCELLED"
                        && (query.cancellationType == nil || query.cancellationType == shipment.cancellationType)
                default: query.states.contains(shipment.status)
                }
            return typeMatches && Self.within(shipment.updatedAt, query.modifiedFrom, query.modifiedTo)
                && Self.within(shipment.orderDate, query.orderFrom, query.orderTo)
        }
        let key: (Shipment) -> Date = query.sortField == "orderDate" ? { $0.orderDate } : { $0.updatedAt }
        let ascending = found.sorted { (key($0), $0.shipmentId) < (key($1), $1.shipmentId) }
        return query.sortDescending ? ascending.reversed() : ascending
    }

    /// Whether `date` is in `from...to`, compared in whole milliseconds (what the answers show).
    private static func within(_ date: Date, _ from: Date?, _ to: Date?) -> Bool {
        let time = millis(date)
        return (from.map { time >= millis($0) } ?? true) && (to.map { time <= millis($0) } ?? true)
    }

    /// Now, or a millisecond after the last stamp: update times strictly grow and are whole
    /// milliseconds, so a `from` copied from an answer finds that shipment again.
    private func stamp() -> Date {
        lastStamp = max(Self.millis(Date()), lastStamp + 1)
        return Date(timeIntervalSince1970: Double(lastStamp) / 1000)
    }

    /// The latest update time given (a burst of orders can run it a few milliseconds ahead of the clock).
    var latest: Date { Date(timeIntervalSince1970: Double(lastStamp) / 1000) }

    /// `date` in whole milliseconds since 1970.
    static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// `2026-12-07T04:10:11.123Z`: ISO 8601 with milliseconds, UTC, written from whole milliseconds
    /// (a formatter given a binary fraction could print 122 for 123).
    static func stamp(_ date: Date) -> String {
        let time = millis(date)
        let seconds = Date(timeIntervalSince1970: Double(time / 1000)).formatted(Date.ISO8601FormatStyle())
        return String(seconds.dropLast()) + String(format: ".%03dZ", Int(time % 1000))
    }

    /// One shipment as `SearchShipmentResponse.shipments[]` carries it.
    static func json(_ shipment: Shipment) -> JSONValue {
        var item: [String: JSONValue] = [
            "orderItemId": .string(shipment.orderItemId), "orderId": .string(shipment.orderId),
            "cancellationGroupId": .string("grp" + shipment.orderItemId),
            "orderDate": .string(stamp(shipment.orderDate)), "paymentType": .string("PREPAID"),
            "status": .string(shipment.status), "quantity": .int(shipment.quantity), "fsn": .string(shipment.fsn),
            "sku": .string(shipment.sku), "listingId": .string("LST" + shipment.fsn), "packageIds": .array([]),
            "priceComponents": .object([
                "sellingPrice": .int(shipment.sellingPrice * shipment.quantity),
                "totalPrice": .int(shipment.sellingPrice * shipment.quantity), "shippingCharge": .int(0),
                "customerPrice": .int(shipment.sellingPrice * shipment.quantity), "flipkartDiscount": .int(0),
            ]),
            "serviceProfile": .string("NON_FBF"), "is_replacement": .bool(false),
        ]
        if let cancelled = shipment.cancellationDate {
            item["cancellationDate"] = .string(stamp(cancelled))
            item["cancellationReason"] = .string("Buyer cancelled the order")
        }
        return .object([
            "shipmentId": .string(shipment.shipmentId),
            "dispatchAfterDate": .string(stamp(shipment.orderDate)),
            "dispatchByDate": .string(stamp(shipment.orderDate.addingTimeInterval(2 * 86_400))),
            "updatedAt": .string(stamp(shipment.updatedAt)),
            "locationId": .string(shipment.taken.keys.sorted().first ?? ""),
            "hold": .bool(false), "mps": .bool(false), "packagingPolicy": .string("DEFAULT"),
            "subShipments": .array([]), "orderItems": .array([.object(item)]), "forms": .array([]),
            "shipmentType": .string("NORMAL"),
        ])
    }
}
