import Foundation
import Hummingbird
import TwinSupport

/// The Fulfillment API's `getOrders` (`GET /sell/fulfillment/v1/order`, model
/// `sell_fulfillment_v1_oas3.json`) and the sandbox's buyers (``OrderPlacingTwin``).
///
/// `filter` takes `lastmodifieddate:[FROM..]` / `[FROM..TO]` or `creationdate:[...]` (ISO 8601, UTC);
/// `limit` 1...1000 (default 50) and `offset` (default 0) page the answer, whose `next` is the next
/// page's URL. A filter the twin cannot read is refused with a 400 in eBay's error shape; the error id
/// (30700) is NOT confirmed by the published contract (it lists no error codes for getOrders).
/// Quota: eBay publishes a daily Fulfillment API call limit, no per-second rate we could confirm; the
/// twin models 1 call/s with a burst of 5 per seller (``fulfillmentQuota``), the same figures the adapter
/// paces by.
extension EbayTwin: OrderPlacingTwin {
    /// The twin's Fulfillment API bucket (a sandbox choice, not an eBay figure).
    static let fulfillmentQuota = (rate: 1.0, burst: 5)

    func addOrdersRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.get("sell/fulfillment/v1/order") { request, _ in
            try await guarded(request, bucket: "fulfillment", quota: Self.fulfillmentQuota) {
                await getOrders(request)
            }
        }
    }

    /// Sells `quantity` of `sku` on site `marketplace` (`EBAY_US`); returns the order id.
    public func placeOrder(marketplace: String, sku: String, quantity: Int) async throws(SandboxOrderError) -> String {
        switch await state.sell(sku: sku, marketplace: marketplace, units: quantity) {
        case .failure(let errors):
            throw SandboxOrderError(
                status: 409,
                code: "not_sellable",
                message: errors.errors.map(\.message).joined(separator: " ")
            )
        case .success(let listingID):
            return await orders.place(sku: sku, marketplace: marketplace, quantity: quantity, listingID: listingID)
                .orderId
        }
    }

    /// Cancels `orderID` and gives its units back to the listing.
    public func cancelOrder(_ orderID: String) async throws(SandboxOrderError) {
        guard let order = await orders.cancel(orderID) else {
            throw SandboxOrderError(status: 404, code: "no_order", message: "No open eBay order \(orderID).")
        }
        _ = await state.sell(sku: order.sku, marketplace: order.marketplace, units: -order.quantity)
    }

    /// Ships `orderID`: `orderFulfillmentStatus` and `lineItemFulfillmentStatus` become `FULFILLED`.
    public func shipOrder(_ orderID: String) async throws(SandboxOrderError) {
        guard await orders.ship(orderID) != nil else {
            throw SandboxOrderError(status: 409, code: "not_open", message: "No open unshipped eBay order \(orderID).")
        }
    }

    private func getOrders(_ request: Request) async -> Response {
        let query = request.uri.queryParameters
        func invalid(_ message: String) -> Response {
            var detail = EbayTwinModel.ErrorDetail.inventory(30700, message)
            detail.domain = "API_FULFILLMENT"
            return Self.errors(.badRequest, [detail])
        }
        let limit = query.get("limit").map { Int($0) ?? 0 } ?? 50
        guard (1...1000).contains(limit) else { return invalid("The 'limit' value must be between 1 and 1000.") }
        let offset = query.get("offset").map { Int($0) ?? -1 } ?? 0
        guard offset >= 0 else { return invalid("The 'offset' value must be 0 or more.") }
        var from = Date.distantPast
        var to: Date?
        for criterion in (query.get("filter") ?? "").split(separator: ",") where !criterion.isEmpty {
            guard let range = Self.range(criterion) else { return invalid("Invalid filter: \(criterion).") }
            if criterion.hasPrefix("lastmodifieddate:") || criterion.hasPrefix("creationdate:") {
                (from, to) = range
            }
        }
        let all = await orders.modified(from: from, to: to)
        let page = all.dropFirst(offset).prefix(limit)
        var body: [String: JSONValue] = [
            "href": .string(request.uri.description), "limit": .int(limit), "offset": .int(offset),
            "total": .int(all.count), "orders": .array(page.map(Self.orderJSON)),
        ]
        if offset + limit < all.count {
            let filter = query.get("filter").map { "filter=\($0)&" } ?? ""
            body["next"] = .string("/sell/fulfillment/v1/order?\(filter)limit=\(limit)&offset=\(offset + limit)")
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: JSONValue.object(body).serialized))
        )
    }

    private static func orderJSON(_ order: EbayOrderBook.Order) -> JSONValue {
        var cancel: [String: JSONValue] = ["cancelState": .string(order.cancelState), "cancelRequests": .array([])]
        if order.cancelState == "CANCELED" { cancel["cancelledDate"] = .string(stamp(order.lastModifiedDate)) }
        let line: JSONValue = .object([
            "lineItemId": .string(order.lineItemId), "legacyItemId": .string(order.legacyItemId),
            "sku": .string(order.sku), "quantity": .int(order.quantity),
            "listingMarketplaceId": .string(order.marketplace), "purchaseMarketplaceId": .string(order.marketplace),
            "lineItemFulfillmentStatus": .string(order.fulfillmentStatus), "soldFormat": .string("FIXED_PRICE"),
        ])
        return .object([
            "orderId": .string(order.orderId), "creationDate": .string(stamp(order.creationDate)),
            "lastModifiedDate": .string(stamp(order.lastModifiedDate)),
            "orderFulfillmentStatus": .string(order.fulfillmentStatus),
            "orderPaymentStatus": .string("PAID"), "cancelStatus": .object(cancel), "lineItems": .array([line]),
        ])
    }

    /// `2016-03-21T08:25:43.511Z`: eBay's ISO 8601 with milliseconds, UTC.
    static func stamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// The `[FROM..TO]` range of a date criterion (`lastmodifieddate:[2016-03-21T08:25:43.511Z..]`);
    /// other criteria (`orderfulfillmentstatus:{...}`) read as everything.
    static func range(_ criterion: Substring) -> (Date, Date?)? {
        guard let colon = criterion.firstIndex(of: ":") else { return nil }
        let name = criterion[..<colon]
        let value = criterion[criterion.index(after: colon)...]
        guard name == "lastmodifieddate" || name == "creationdate" else {
            return name == "orderfulfillmentstatus" ? (Date.distantPast, nil) : nil
        }
        guard value.hasPrefix("["), value.hasSuffix("]") else { return nil }
        let parts = value.dropFirst().dropLast().components(separatedBy: "..")
        guard parts.count == 2, let from = date(parts[0]) else { return nil }
        if parts[1].isEmpty { return (from, nil) }
        guard let to = date(parts[1]) else { return nil }
        return (from, to)
    }

    private static func date(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: .iso8601))
    }
}
