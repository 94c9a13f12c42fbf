import Catalog
import CurlHTTP
import Foundation
import Store
import Sync

/// An eBay seller's orders through the Fulfillment API: `getOrders` with
/// `filter=lastmodifieddate:[FROM..]`, `limit` and `offset` (model `sell_fulfillment_v1_oas3.json`).
///
/// The cursor is `<FROM>` or `<FROM>|<offset>|<latest>` mid-pagination; after the last page it becomes
/// the latest `lastModifiedDate` seen (the filter is inclusive, so that order is read again next time
/// and changes nothing). An order with `cancelStatus.cancelState` `CANCELED` makes every line
/// `cancelled`, every other order `placed`; a line item whose `lineItemFulfillmentStatus` is `FULFILLED`
/// is fulfilled (no longer reserved). Returns live in eBay's Post-Order API, which the specs
/// folder does not hold: no eBay line is ever `returned-restocked` (README "Orders").
///
/// Tokens: the calls need the `sell.fulfillment` scope, so the source keeps a token cache of its own
/// instead of the listing adapters' `sell.inventory` token (a refresh token consented for inventory only
/// then fails here alone, not the pushes).
struct EbayOrderSource: OrderSource {
    /// The rate-limiter operation of every Fulfillment API call.
    static let operation = "sell.fulfillment"
    /// The scope of the Fulfillment API's read calls.
    static let scope = "https://api.ebay.com/oauth/api_scope/sell.fulfillment.readonly"
    /// Orders per page (the API allows up to 1000).
    static let pageSize = 100
    /// Attempts of one call before the poll fails (the poller then retries after a backoff).
    static let maximumAttempts = 3

    let client: EbayAPIClient
    let account: String
    /// Site id (`EBAY_US`) → configured channel.
    let channels: [String: String]
    let lookBack: Duration

    func poll(since cursor: String?) async throws -> OrderPage {
        let (from, offset, latest) = Self.split(cursor, lookBack: lookBack)
        let filter = "lastmodifieddate:[\(from)..]"
        let path =
            "/sell/fulfillment/v1/order?filter=\(EbayAPIClient.formEncode(filter))&limit=\(Self.pageSize)&offset=\(offset)"
        let base = client.context.account.endpoint ?? EbayAPIClient.productionEndpoint
        let call = BearerTokenCall(
            platform: "eBay",
            tokenFailure: "eBay token refresh failed",
            operation: Self.operation,
            context: client.context,
            fetchToken: client.fetchToken
        )
        var result = await call.send(.get, url: base + path, path: "/sell/fulfillment/v1/order")
        // A transient failure is tried again a bounded number of times (the limiter paces each attempt).
        for _ in 1..<Self.maximumAttempts {
            guard case .failed(.retry(_, let after)) = result else { break }
            if let after { try await Task.sleep(for: min(after, .seconds(5))) }
            result = await call.send(.get, url: base + path, path: "/sell/fulfillment/v1/order")
        }
        let response: HTTPResponse
        switch result {
        case .failed(.retry(let reason, _)), .failed(.needsAttention(let reason)):
            throw AdapterError.platform("getOrders: \(reason)")
        case .failed(let outcome): throw AdapterError.platform("getOrders: \(outcome)")
        case .response(let answer): response = answer
        }
        guard response.status == 200 else {
            throw AdapterError.platform("getOrders answered \(response.status): \(response.bodyText)")
        }
        guard let page = try? JSONDecoder().decode(OrderPageWire.self, from: Data(response.body)) else {
            throw AdapterError.platform("getOrders: the answer is not the documented OrderSearchPagedCollection")
        }
        var lines: [OrderLine] = []
        var newest = latest ?? from
        for order in page.orders ?? [] {
            if let modified = order.lastModifiedDate, modified > newest { newest = modified }
            let status: OrderLineStatus = order.cancelStatus?.cancelState == "CANCELED" ? .cancelled : .placed
            for item in order.lineItems ?? [] {
                guard let sku = item.sku, !sku.isEmpty, let lineID = item.lineItemId else { continue }
                let site = item.listingMarketplaceId ?? ""
                lines.append(
                    OrderLine(
                        platform: "ebay",
                        account: account,
                        channel: channels[site],
                        marketplace: site,
                        orderID: order.orderId,
                        lineID: lineID,
                        sku: SKU(trusted: sku),
                        quantity: item.quantity ?? 0,
                        status: status,
                        fulfilled: item.lineItemFulfillmentStatus == "FULFILLED"
                    )
                )
            }
        }
        let read = offset + (page.orders?.count ?? 0)
        if page.orders?.isEmpty == false, read < (page.total ?? 0) {
            return OrderPage(lines: lines, cursor: "\(from)|\(read)|\(newest)", hasMore: true)
        }
        return OrderPage(lines: lines, cursor: newest, hasMore: false)
    }

    /// The `FROM` date, the offset and the latest date seen of a cursor; none starts `lookBack` ago.
    static func split(_ cursor: String?, lookBack: Duration, now: Date = Date()) -> (String, Int, String?) {
        guard let cursor, !cursor.isEmpty else {
            let start = now.addingTimeInterval(-Double(lookBack.components.seconds))
            return (start.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)), 0, nil)
        }
        let parts = cursor.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let offset = Int(parts[1]) else { return (cursor, 0, nil) }
        return (parts[0], offset, parts[2])
    }
}

/// The parts of `OrderSearchPagedCollection` the source reads, with the model's member names.
struct OrderPageWire: Decodable {
    struct Order: Decodable {
        var orderId: String
        var lastModifiedDate: String?
        var cancelStatus: CancelStatus?
        var lineItems: [LineItem]?
    }

    struct CancelStatus: Decodable {
        var cancelState: String?
    }

    struct LineItem: Decodable {
        var lineItemId: String?
        var sku: String?
        var quantity: Int?
        var listingMarketplaceId: String?
        var lineItemFulfillmentStatus: String?
    }

    var orders: [Order]?
    var total: Int?
}
