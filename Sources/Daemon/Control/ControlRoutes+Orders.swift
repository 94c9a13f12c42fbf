import ControlAPI
import Foundation
import Hummingbird
import Store

/// `GET /v1/orders`: the order lines read from the marketplaces and what each did to the stock;
/// `POST /v1/orders/restock`: a return put back on the shelf.
extension ControlRoutes {
    /// Lines changed at or after `since` (ISO 8601; all when absent), optionally of one `sku`, newest
    /// first, at most `limit` (default 500, at most 10,000).
    func orders(_ request: Request) throws -> OrdersResponse {
        let query = request.uri.queryParameters
        var since: Date?
        if let text = query.get("since") {
            guard let date = try? Date(text, strategy: .iso8601) else {
                throw ControlError(.badRequest, code: "bad_request", "since: \"\(text)\" is not an ISO 8601 time")
            }
            since = date
        }
        let sku = try query.get("sku").map(Self.validSKU)
        let limit = query.get("limit").map { Int($0) ?? -1 } ?? 500
        guard (1...10_000).contains(limit) else {
            throw ControlError(.badRequest, code: "bad_request", "limit: must be 1...10000")
        }
        let formatter = ISO8601DateFormatter()
        let lines = try runtime.snapshot.store.orderLines(since: since, sku: sku, limit: limit)
        return OrdersResponse(
            orders: lines.map { stored in
                OrdersResponse.Line(
                    platform: stored.line.platform,
                    account: stored.line.account,
                    channel: stored.line.channel,
                    marketplace: stored.line.marketplace,
                    orderID: stored.line.orderID,
                    lineID: stored.line.lineID,
                    sku: stored.line.sku.rawValue,
                    quantity: stored.line.quantity,
                    status: stored.line.status.rawValue,
                    applied: stored.applied,
                    shortfall: stored.shortfall,
                    restored: stored.restored,
                    fulfilled: stored.line.fulfilled,
                    note: stored.note,
                    seenAt: formatter.string(from: stored.seenAt),
                    updatedAt: formatter.string(from: stored.updatedAt)
                )
            }
        )
    }

    /// `POST /v1/orders/restock {platform, order_id, line_id}`: the line's units come back once and
    /// every channel of the SKU is queued. 404 for a line no poll has read.
    func restock(_ request: Request, _ context: ControlRequestContext) async throws -> RestockResponse {
        try context.requireMutationRights()
        let body = try await Self.decode(RestockRequest.self, from: request, what: "a restock request")
        let store = runtime.snapshot.store
        guard let applied = try store.restockReturn(platform: body.platform, orderID: body.orderID, lineID: body.lineID)
        else {
            throw ControlError(
                .notFound,
                code: "not_found",
                "no \(body.platform) order \(body.orderID) line \(body.lineID) has been read"
            )
        }
        let stock = try store.product(sku: applied.line.sku)?.product.quantity ?? 0
        var restored = 0
        if case .restored(let units, _) = applied.effect { restored = units }
        let status = try store.orderLine(platform: body.platform, orderID: body.orderID, lineID: body.lineID)?.line
            .status.rawValue
        if restored > 0 {
            await sync.publish(OrderPollingService.events(for: [applied]))
            await sync.wake(channels: nil)
        }
        return RestockResponse(
            sku: applied.line.sku.rawValue,
            status: status ?? applied.line.status.rawValue,
            restored: restored,
            stock: stock
        )
    }
}
