import AmazonModel
import Catalog
import Foundation
import Store
import Sync

/// An Amazon seller's orders through the Orders API v0: `getOrders` with `LastUpdatedAfter` and
/// `NextToken` pages, and `getOrderItems` per order for its lines (model: `ordersV0.json`).
///
/// The cursor is `<LastUpdatedAfter>` or `<LastUpdatedAfter>|<NextToken>` mid-pagination; after the
/// last page it becomes the `LastUpdatedBefore` Amazon returned (else the latest `LastUpdateDate`
/// seen). Order status `Canceled` makes every line `cancelled`; every other status is `placed`, and a
/// line is fulfilled (no longer reserved) once the order is `Shipped` or its `QuantityShipped` reaches
/// `QuantityOrdered`.
/// Returns are not in the Orders API (they come through reports), so no line is ever
/// `returned-restocked` from Amazon (README "Orders").
struct AmazonOrderSource: OrderSource {
    /// The Orders API's operation names, as the account's limiter keys them.
    enum Operation {
        static let getOrders = "getOrders"
        static let getOrderItems = "getOrderItems"
    }

    let connection: SPAPIConnection
    let account: String
    /// Marketplace id → configured channel.
    let channels: [String: String]
    /// Where a first poll starts: this long before now.
    let lookBack: Duration
    /// `MaxResultsPerPage` (Amazon's maximum and default: 100).
    var pageSize = 100
    /// Most order-item pages read for one order (bounds a runaway `NextToken`).
    let maximumItemPages = 20
    /// Attempts of one call before the page fails (the poller then retries the page after a backoff).
    let maximumAttempts = 3

    func poll(since cursor: String?) async throws -> OrderPage {
        let (since, nextToken) = Self.split(cursor, lookBack: lookBack)
        func query(_ token: String?) -> [(String, String)] {
            [
                ("MarketplaceIds", channels.keys.sorted().joined(separator: ",")), ("MaxResultsPerPage", "\(pageSize)"),
                token.map { ("NextToken", $0) } ?? ("LastUpdatedAfter", since),
            ]
        }
        let path = "/orders/v0/orders"
        let list: OrdersWire.GetOrdersResponse
        do {
            list = try await call(
                OrdersWire.GetOrdersResponse.self,
                path: path,
                query: query(nextToken),
                Operation.getOrders
            )
        } catch let refusal as RefusedCall where nextToken != nil && refusal.status == 400 {
            // A `NextToken` Amazon no longer takes (expired after a long outage): read the window again
            // from its start; lines already applied are duplicates and change nothing.
            list = try await call(OrdersWire.GetOrdersResponse.self, path: path, query: query(nil), Operation.getOrders)
        }
        guard let payload = list.payload else { throw AdapterError.platform("getOrders: no payload") }
        var lines: [OrderLine] = []
        for order in payload.Orders {
            lines += try await orderLines(order)
        }
        if let next = payload.NextToken, !next.isEmpty {
            return OrderPage(lines: lines, cursor: "\(since)|\(next)", hasMore: true)
        }
        let latest = payload.Orders.map(\.LastUpdateDate).max()
        return OrderPage(lines: lines, cursor: payload.LastUpdatedBefore ?? latest ?? since, hasMore: false)
    }

    private func orderLines(_ order: OrdersWire.Order) async throws -> [OrderLine] {
        let status: OrderLineStatus = order.OrderStatus == "Canceled" ? .cancelled : .placed
        let marketplace = order.MarketplaceId ?? ""
        var lines: [OrderLine] = []
        var nextToken: String?
        let path = "/orders/v0/orders/\(SPAPIConnection.pathSegment(order.AmazonOrderId))/orderItems"
        for _ in 0..<maximumItemPages {
            let query = nextToken.map { [("NextToken", $0)] } ?? []
            let items = try await call(
                OrdersWire.GetOrderItemsResponse.self,
                path: path,
                query: query,
                Operation.getOrderItems
            )
            for item in items.payload?.OrderItems ?? [] {
                guard let sku = item.SellerSKU, !sku.isEmpty else { continue }
                lines.append(
                    OrderLine(
                        platform: "amazon",
                        account: account,
                        channel: channels[marketplace],
                        marketplace: marketplace,
                        orderID: order.AmazonOrderId,
                        lineID: item.OrderItemId,
                        sku: SKU(trusted: sku),
                        quantity: item.QuantityOrdered,
                        status: status,
                        fulfilled: order.OrderStatus == "Shipped" || (item.QuantityShipped ?? 0) >= item.QuantityOrdered
                    )
                )
            }
            nextToken = items.payload?.NextToken
            if (nextToken ?? "").isEmpty { break }
        }
        return lines
    }

    private func call<T: Decodable>(_ type: T.Type, path: String, query: [(String, String)], _ operation: String)
        async throws -> T
    {
        var reply = await connection.send(.get, path: path, query: query, operations: [operation])
        // A transient failure (5xx, 429, network) is tried again a bounded number of times, so one
        // failed call of many does not throw the whole page away; the limiter paces every attempt.
        for _ in 1..<maximumAttempts {
            guard case .transient(_, let after) = reply else { break }
            if let after { try await Task.sleep(for: min(after, .seconds(5))) }
            reply = await connection.send(.get, path: path, query: query, operations: [operation])
        }
        switch reply {
        case .transient(let reason, _): throw AdapterError.platform("\(operation): \(reason)")
        case .refused(let reason): throw AdapterError.platform("\(operation): \(reason)")
        case .response(let response):
            guard response.status == 200 else {
                let words =
                    SPAPIWire.decode(SPAPIWire.ErrorList.self, from: response.body)?.errors
                    .map { "\($0.code): \($0.message)" }.joined(separator: "; ") ?? "no error body"
                throw RefusedCall(operation: operation, status: response.status, words: words)
            }
            guard let decoded = SPAPIWire.decode(type, from: response.body) else {
                throw AdapterError.platform("\(operation): the answer is not the documented shape")
            }
            return decoded
        }
    }

    /// The `LastUpdatedAfter` and pending `NextToken` of a cursor; no cursor starts `lookBack` ago.
    static func split(_ cursor: String?, lookBack: Duration, now: Date = Date()) -> (since: String, next: String?) {
        guard let cursor, !cursor.isEmpty else {
            let start = now.addingTimeInterval(-Double(lookBack.components.seconds))
            return (start.ISO8601Format(), nil)
        }
        guard let bar = cursor.firstIndex(of: "|") else { return (cursor, nil) }
        return (String(cursor[..<bar]), String(cursor[cursor.index(after: bar)...]))
    }
}

/// Amazon refused a call with a final status, in its own words.
struct RefusedCall: Error, CustomStringConvertible {
    var operation: String
    var status: Int
    var words: String

    var description: String { "\(operation) answered \(status): \(words)" }
}

/// The parts of `ordersV0.json` the order source reads (`GetOrdersResponse`, `Order`,
/// `GetOrderItemsResponse`, `OrderItem`), with the model's own member names.
enum OrdersWire {
    struct GetOrdersResponse: Decodable {
        var payload: OrdersList?
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct OrdersList: Decodable {
        var Orders: [Order]
        var NextToken: String?
        var LastUpdatedBefore: String?
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct Order: Decodable {
        var AmazonOrderId: String
        var LastUpdateDate: String
        var OrderStatus: String
        var MarketplaceId: String?
    }

    struct GetOrderItemsResponse: Decodable {
        var payload: OrderItemsList?
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct OrderItemsList: Decodable {
        var OrderItems: [OrderItem]
        var NextToken: String?
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct OrderItem: Decodable {
        var OrderItemId: String
        var SellerSKU: String?
        var QuantityOrdered: Int
        var QuantityShipped: Int?
    }
}
