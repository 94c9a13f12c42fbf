import ControlAPI
import Foundation
import Hummingbird
import Store

/// `GET /v1/orders`: the order lines read from the marketplaces and what each did to the stock.
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
}
