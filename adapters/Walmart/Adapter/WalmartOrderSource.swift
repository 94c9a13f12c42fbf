import Catalog
import CurlHTTP
import Foundation
import Logging
import Store
import Sync

/// A Walmart seller's orders through the Orders API: `GET /v3/orders` (`getAllOrders`) with
/// `lastModifiedStartDate`, `createdStartDate` and `limit`, paged by `meta.nextCursor` (Walmart's Orders
/// model, README "Verified against").
///
/// The cursor is `<FROM>` (an ISO 8601 UTC time with milliseconds), or `<FROM>|<NEWEST>|<nextCursor>`
/// between the pages of one poll, where `nextCursor` is Walmart's own query string of the next page. The
/// model has no order modification time, so an order's is its lines' newest `statusDate`; after the
/// last page the cursor becomes that newest date minus 1 ms (whether Walmart's "modified after" is
/// inclusive is not documented: the millisecond makes sure an order modified at that instant is read
/// again, which changes nothing). `createdStartDate` is sent as now − ``createdWindowDays`` because
/// Walmart otherwise applies "current date − 7 days" and an order placed earlier but cancelled now
/// would be missed. A saved `nextCursor` Walmart refuses (400) is dropped once and the poll starts
/// again from `<FROM>`.
///
/// Lines: `lineNumber` is the line id, `item.sku` the SKU, `orderLineQuantity.amount` (a string) the
/// units. A line whose every `orderLineStatus` is `Shipped` or `Delivered` is fulfilled (no longer
/// reserved). A line whose every `orderLineStatus` is `Cancelled` is `cancelled`, every other line `placed`
/// (a partly cancelled line still counts all its units: README "Orders"). Returns are not read: no
/// Walmart line is ever `returned-restocked`.
struct WalmartOrderSource: OrderSource {
    /// The rate-limiter operation of `getAllOrders`.
    static let operation = "getAllOrders"
    /// Orders per page: the model's default (at most 200).
    static let pageSize = 100
    /// Walmart serves orders created in the last 180 days; a day less keeps clear of the edge.
    static let createdWindowDays = 179
    /// Attempts of one call before the poll fails (the poller then retries after a backoff).
    static let maximumAttempts = 3

    let client: WalmartClient
    let account: String
    /// Walmart's marketplace (`US`) → configured channel.
    let channels: [String: String]
    let lookBack: Duration
    let logger: Logger

    func poll(since cursor: String?) async throws -> OrderPage {
        var position = Self.split(cursor, lookBack: lookBack)
        var response = try await fetch(position)
        if response.status == 400, position.next != nil {
            logger.notice("Walmart refused a saved nextCursor; reading again from the start of the window")
            position.next = nil
            response = try await fetch(position)
        }
        guard response.status == 200 else {
            throw AdapterError.platform("getAllOrders answered \(response.status): \(WalmartClient.summary(response))")
        }
        guard let page = try? JSONDecoder().decode(WalmartWire.Orders.self, from: Data(response.body)) else {
            throw AdapterError.platform("getAllOrders: the answer is not the documented PurchaseOrderTypeV3")
        }
        var lines: [OrderLine] = []
        var newest = position.newest
        for order in page.list.elements?.order ?? [] {
            for line in order.orderLines?.orderLine ?? [] {
                if let date = line.statusDate { newest = max(newest ?? date, date) }
                guard let sku = line.item?.sku, !sku.isEmpty, let lineNumber = line.lineNumber,
                    let quantity = line.orderLineQuantity?.amount.flatMap({ Int($0) }), quantity > 0
                else {
                    logger.warning(
                        "Walmart order line without SKU, line number or quantity skipped",
                        metadata: ["order": "\(order.purchaseOrderId)", "line": "\(line.lineNumber ?? "?")"]
                    )
                    continue
                }
                let statuses = line.orderLineStatuses?.orderLineStatus ?? []
                let cancelled = !statuses.isEmpty && statuses.allSatisfy { $0.status == "Cancelled" }
                // Shipped or delivered: the units have left the warehouse (no longer reserved).
                let shipped = !statuses.isEmpty && statuses.allSatisfy { ["Shipped", "Delivered"].contains($0.status) }
                lines.append(
                    OrderLine(
                        platform: "walmart",
                        account: account,
                        channel: channels["US"],
                        marketplace: "US",
                        orderID: order.purchaseOrderId,
                        lineID: lineNumber,
                        sku: SKU(trusted: sku),
                        quantity: quantity,
                        status: cancelled ? .cancelled : .placed,
                        fulfilled: shipped
                    )
                )
            }
        }
        let fromText = Self.stamp(position.from)
        if let next = page.list.meta?.nextCursor, !next.isEmpty, !(page.list.elements?.order ?? []).isEmpty {
            return OrderPage(
                lines: lines,
                cursor: "\(fromText)|\(Self.stamp(newest ?? position.from))|\(next)",
                hasMore: true
            )
        }
        let resume = max(position.from, (newest ?? position.from) - 1)
        return OrderPage(lines: lines, cursor: Self.stamp(resume), hasMore: false)
    }

    /// One `getAllOrders` call at `position`, transient failures tried again a bounded number of times.
    private func fetch(_ position: Position) async throws -> HTTPResponse {
        let path: String
        if let next = position.next {
            path = "/v3/orders" + (next.hasPrefix("?") ? next : "?" + next)
        } else {
            let created = Date().addingTimeInterval(-Double(Self.createdWindowDays) * 86_400)
            path =
                "/v3/orders?limit=\(Self.pageSize)&lastModifiedStartDate=\(Self.stamp(position.from))"
                + "&createdStartDate=\(Self.stamp(Int64(created.timeIntervalSince1970 * 1000)))"
        }
        var failure = "no attempt"
        for attempt in 1...Self.maximumAttempts {
            switch await client.send(Self.operation, .get, path) {
            case .response(let response):
                return response
            case .failed(.retry(let reason, let after)):
                failure = reason
                if attempt < Self.maximumAttempts, let after { try await Task.sleep(for: min(after, .seconds(5))) }
            case .failed(.needsAttention(let reason)):
                throw AdapterError.platform("getAllOrders: \(reason)")
            case .failed(let outcome):
                throw AdapterError.platform("getAllOrders: \(outcome)")
            }
        }
        throw AdapterError.platform("getAllOrders: \(failure)")
    }

    /// Where a poll starts: the window's start, the newest status date seen so far in it, and
    /// Walmart's `nextCursor` mid-pagination (all dates in epoch milliseconds).
    struct Position: Hashable {
        var from: Int64
        var newest: Int64?
        var next: String?
    }

    /// The position of `cursor`; none starts `lookBack` before `now`.
    static func split(_ cursor: String?, lookBack: Duration, now: Date = Date()) -> Position {
        let start = Int64((now.timeIntervalSince1970 - Double(lookBack.components.seconds)) * 1000)
        guard let cursor, !cursor.isEmpty else { return Position(from: start) }
        let parts = cursor.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard let from = millis(parts[0]) else { return Position(from: start) }
        guard parts.count == 3 else { return Position(from: from) }
        return Position(from: from, newest: millis(parts[1]), next: parts[2].isEmpty ? nil : parts[2])
    }

    /// `2026-12-07T04:00:00.123Z` for epoch milliseconds.
    /// The milliseconds are written from the integer: a `Date` (a `Double`) would print `.123` as `.122`.
    static func stamp(_ millis: Int64) -> String {
        let (seconds, fraction) = millis.quotientAndRemainder(dividingBy: 1000)
        let whole = seconds - (fraction < 0 ? 1 : 0)
        let text = Date(timeIntervalSince1970: Double(whole)).formatted(Date.ISO8601FormatStyle())
        return text.dropLast() + String(format: ".%03dZ", (fraction + 1000) % 1000)
    }

    /// The epoch milliseconds of an ISO 8601 text.
    static func millis(_ text: String) -> Int64? {
        let date =
            (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: .iso8601))
        return date.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }
}
