import Foundation
import Hummingbird
import TwinSupport

/// Walmart's `getAllOrders` (`GET /v3/orders`) and the sandbox's buyers (``OrderPlacingTwin``).
///
/// Built from Walmart's Orders model (`orders.json` of Walmart's downloaded US Marketplace models, as
/// mirrored by highsidelabs/walmart-api-php; README "Verified against"). The specs folder does not hold
/// that model, so the answers are not machine-validated in tests.
///
/// Query: `limit` (default 100, at most 200: "Cannot be larger than 200"), `createdStartDate` (default
/// now − 7 days), `createdEndDate`, `lastModifiedStartDate`, `lastModifiedEndDate` (dates as
/// `2020-03-16` or `2020-03-16T10:30:15Z`, fractional seconds allowed; bounds exclusive: "after", "before"), `sku`,
/// `purchaseOrderId`, `customerOrderId`, `status`. An answer with more orders carries
/// `meta.nextCursor`, the query string of the next page (`?limit=…&hasMoreElements=true&soIndex=…&
/// poIndex=…` plus the filters), as the model's example shows; `poIndex` is where the next page starts.
/// A value the twin cannot read is refused with 400 in Walmart's error shape; the code
/// `INVALID_REQUEST_PARAM.GMP_ORDER_API` is the twin's choice (the model lists no error answers).
/// Quota: ``ordersQuota``, a sandbox choice matching the adapter's (Walmart's figure UNCONFIRMED).
extension WalmartTwin: OrderPlacingTwin {
    /// The twin's `getAllOrders` bucket (not a Walmart figure).
    static let ordersQuota = (rate: 1.0, burst: 5)
    /// `limit`'s documented maximum.
    static let maximumOrdersLimit = 200

    func addOrdersRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.get("v3/orders") { request, _ in
            try await self.guarded(request, quota: "orders", limit: Self.ordersQuota) {
                await self.getAllOrders(request)
            }
        }
    }

    /// Sells `quantity` of `sku` on `US`: takes the units off the item's quantity and records an order;
    /// returns its `purchaseOrderId`.
    public func placeOrder(marketplace: String, sku: String, quantity: Int) async throws(SandboxOrderError) -> String {
        guard quantity >= 1 else {
            throw SandboxOrderError(status: 400, code: "invalid_quantity", message: "quantity must be 1 or more.")
        }
        guard marketplace.uppercased() == "US", let item = await state.item(sku) else {
            throw SandboxOrderError(
                status: 404,
                code: "no_listing",
                message: "No Walmart item \(sku) on \(marketplace)."
            )
        }
        guard let left = await state.sell(sku: sku, units: quantity), left >= 0 else {
            throw SandboxOrderError(
                status: 409,
                code: "not_enough_quantity",
                message: "Walmart item \(sku) has \(item.quantity ?? 0) units, not \(quantity)."
            )
        }
        return await orders.place(
            sku: sku,
            productName: item.title ?? sku,
            quantity: quantity,
            unitPrice: item.price ?? 0
        )
        .purchaseOrderId
    }

    /// Cancels the line of `orderID` (status `Cancelled`) and gives its units back to the item.
    public func cancelOrder(_ orderID: String) async throws(SandboxOrderError) {
        switch await orders.cancel(orderID) {
        case .failure(.unknown):
            throw SandboxOrderError(status: 404, code: "no_order", message: "No Walmart order \(orderID).")
        case .failure(.alreadyCancelled):
            throw SandboxOrderError(status: 409, code: "cancelled", message: "Order \(orderID) is cancelled already.")
        case .success(let order):
            _ = await state.sell(sku: order.sku, units: -order.quantity)
        }
    }

    /// Ships `orderID`: its line's status becomes `Shipped` (the quantity is untouched).
    public func shipOrder(_ orderID: String) async throws(SandboxOrderError) {
        guard await orders.ship(orderID) != nil else {
            throw SandboxOrderError(
                status: 409,
                code: "not_open",
                message: "No created, unshipped Walmart order \(orderID)."
            )
        }
    }

    private func getAllOrders(_ request: Request) async -> Response {
        let query = request.uri.queryParameters
        func invalid(_ field: String, _ message: String) -> Response {
            Self.errors(
                .badRequest,
                [
                    .init(
                        code: "INVALID_REQUEST_PARAM.GMP_ORDER_API",
                        field: field,
                        description: message,
                        category: "REQUEST"
                    )
                ]
            )
        }
        let limit = query.get("limit").map { Int($0) ?? 0 } ?? 100
        guard (1...Self.maximumOrdersLimit).contains(limit) else {
            return invalid("limit", "limit must be a number from 1 to \(Self.maximumOrdersLimit)")
        }
        let offset = query.get("hasMoreElements") == "true" ? query.get("poIndex").map { Int($0) ?? -1 } ?? -1 : 0
        guard offset >= 0 else { return invalid("poIndex", "poIndex must come from a nextCursor") }
        var filter = WalmartOrderBook.Filter()
        var echoed: [(String, String)] = []
        for name in ["createdStartDate", "createdEndDate", "lastModifiedStartDate", "lastModifiedEndDate"] {
            guard let text = query.get(name) else { continue }
            guard let millis = Self.epochMillis(text) else {
                return invalid(name, "\(name) '\(text)' is not a date (yyyy-MM-dd or yyyy-MM-dd'T'HH:mm:ssZ)")
            }
            echoed.append((name, text))
            switch name {
            case "createdStartDate": filter.createdStart = millis
            case "createdEndDate": filter.createdEnd = millis
            case "lastModifiedStartDate": filter.modifiedStart = millis
            default: filter.modifiedEnd = millis
            }
        }
        if filter.createdStart == nil {
            // "Default is current date - 7 days."
            filter.createdStart = Int64((Date().timeIntervalSince1970 - 7 * 86_400) * 1000)
        }
        if let status = query.get("status") {
            guard ["Created", "Acknowledged", "Shipped", "Delivered", "Cancelled"].contains(status) else {
                return invalid("status", "status must be Created, Acknowledged, Shipped, Delivered or Cancelled")
            }
            filter.status = status
            echoed.append(("status", status))
        }
        for name in ["sku", "purchaseOrderId", "customerOrderId"] {
            guard let value = query.get(name) else { continue }
            echoed.append((name, value))
        }
        filter.sku = query.get("sku")
        filter.purchaseOrderId = query.get("purchaseOrderId")
        filter.customerOrderId = query.get("customerOrderId")

        let all = await orders.matching(filter)
        let page = all.dropFirst(offset).prefix(limit)
        var meta: [String: Any] = ["totalCount": all.count, "limit": limit]
        if offset + limit < all.count {
            let filters = echoed.map { "&\($0.0)=\(Self.queryEscaped($0.1))" }.joined()
            meta["nextCursor"] =
                "?limit=\(limit)&hasMoreElements=true&soIndex=\(all.count)&poIndex=\(offset + limit)" + filters
        }
        return Self.json(
            .ok,
            ["list": ["meta": meta, "elements": ["order": page.map(Self.orderJSON)]]]
        )
    }

    /// One `GetOrderResponseRecord` with every member the model requires.
    private static func orderJSON(_ order: WalmartOrderBook.Order) -> [String: Any] {
        let quantity: [String: Any] = ["unitOfMeasurement": "EACH", "amount": String(order.quantity)]
        var status: [String: Any] = ["status": order.status, "statusQuantity": quantity]
        if order.status == "Cancelled" { status["cancellationReason"] = "CUSTOMER_REQUESTED_SELLER_TO_CANCEL" }
        let line: [String: Any] = [
            "lineNumber": "1",
            "item": ["productName": order.productName, "sku": order.sku],
            "charges": [
                "charge": [
                    [
                        "chargeType": "PRODUCT", "chargeName": "ItemPrice",
                        "chargeAmount": [
                            "currency": "USD",
                            "amount": NSDecimalNumber(decimal: order.unitPrice * Decimal(order.quantity)).doubleValue,
                        ],
                    ]
                ]
            ],
            "orderLineQuantity": quantity,
            "statusDate": order.statusDate,
            "orderLineStatuses": ["orderLineStatus": [status]],
            "fulfillment": ["fulfillmentOption": "S2H", "shipMethod": "VALUE"],
        ]
        return [
            "purchaseOrderId": order.purchaseOrderId,
            "customerOrderId": order.customerOrderId,
            "customerEmailId": "\(order.customerOrderId)@relay.walmart.com",
            "orderType": "REGULAR",
            "orderDate": order.orderDate,
            "shippingInfo": [
                "phone": "3155598681",
                "estimatedDeliveryDate": order.orderDate + 5 * 86_400_000,
                "estimatedShipDate": order.orderDate + 2 * 86_400_000,
                "methodCode": "Value",
                "postalAddress": [
                    "name": "Sandbox Buyer", "address1": "702 SW 8th St", "city": "Bentonville", "state": "AR",
                    "postalCode": "72716", "country": "USA", "addressType": "RESIDENTIAL",
                ],
            ],
            "orderLines": ["orderLine": [line]],
        ]
    }

    /// `text` as epoch milliseconds: `yyyy-MM-dd` (UTC midnight) or ISO 8601 with or without
    /// fractional seconds; `nil` for anything else.
    static func epochMillis(_ text: String) -> Int64? {
        let date =
            (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: .iso8601))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day()))
        return date.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }

    static func queryEscaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~:")))
            ?? text
    }
}
