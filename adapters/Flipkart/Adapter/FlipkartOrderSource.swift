import Catalog
import CurlHTTP
import Foundation
import Logging
import Store
import Sync

/// A Flipkart seller's order items through the shipments search: `POST /sellers/v3/shipments/filter`
/// with `modifiedDate.from`, sorted by `modifiedDate` ascending, then `GET <nextPageUrl>` while
/// `hasMore` (``FlipkartShipmentsWire``).
///
/// One round runs the five passes of ``FlipkartShipmentsWire/passes`` (preDispatch, postDispatch and
/// the three cancellation types); each page is one ``OrderPage`` with `hasMore` until the last pass
/// ends, and the cursor (``FlipkartShipmentsWire/Cursor``) names the pass, its next page and each
/// pass's `modifiedDate` bound. Every order item becomes an ``OrderLine`` (line id `orderItemId`, order
/// id `orderId`, marketplace `IN`): `CANCELLED` → `cancelled`, every other status `placed`; a
/// postDispatch status (`SHIPPED`, `DELIVERED`, `PICKUP_COMPLETE`) is fulfilled, no longer reserved. Returns are
/// not restocked: Flipkart's `RETURNED` says the parcel came back, not that the unit is sellable again,
/// and nothing public we found reports a restock (README "Orders").
struct FlipkartOrderSource: OrderSource {
    /// Shipments per page: the most Flipkart's order search documents (20; UNCONFIRMED for v3, the
    /// twin's ``maximumPageSize`` is the same figure).
    static let pageSize = 20
    /// Attempts of one call before the poll fails (the poller then retries after a backoff).
    static let maximumAttempts = 3
    /// Flipkart's one marketplace.
    static let marketplace = "IN"

    let client: FlipkartAPIClient
    let account: String
    /// The channel selling on `IN`, when one ingests orders.
    let channel: String?
    let lookBack: Duration

    func poll(since cursorText: String?) async throws -> OrderPage {
        let start = FlipkartShipmentsWire.stamp(Date().addingTimeInterval(-Double(lookBack.components.seconds)))
        var cursor = FlipkartShipmentsWire.Cursor(cursorText, start: start)
        let pass = FlipkartShipmentsWire.passes[cursor.pass]
        let from = cursor.from[pass.key] ?? start
        var answer: FlipkartShipmentsWire.Response?
        var restarted = false
        if let next = cursor.next {
            do {
                answer = try await send(.get, url: try resolve(next), body: nil)
            } catch let refused as NextPageRefused {
                // The next page's token is refused (expired, say): the pass starts again from its bound,
                // which re-reads what it read already and changes nothing.
                cursor.next = nil
                restarted = true
                client.context.logger.notice("Flipkart refused nextPageUrl (\(refused.status)); restarting \(pass.key)")
            }
        }
        if answer == nil {
            let request = FlipkartShipmentsWire.Request(pass: pass, modifiedFrom: from, pageSize: Self.pageSize)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            answer = try await send(
                .post,
                url: client.sellersBase + "/v3/shipments/filter",
                body: Array(try encoder.encode(request))
            )
        }
        guard let answer else { throw AdapterError.platform("shipments search: no answer") }
        var lines: [OrderLine] = []
        // The newest `updatedAt` as Flipkart wrote it: sent back verbatim, never re-formatted, so the
        // inclusive bound finds that shipment again whatever precision Flipkart keeps.
        var newest = (date: FlipkartShipmentsWire.date(from) ?? Date.distantPast, text: from)
        for shipment in answer.shipments ?? [] {
            if let text = shipment.updatedAt, let updated = FlipkartShipmentsWire.date(text), updated > newest.date {
                newest = (updated, text)
            }
            for item in shipment.orderItems ?? [] {
                guard let sku = item.sku, !sku.isEmpty, let lineID = item.orderItemId, let orderID = item.orderId,
                    let quantity = item.quantity, quantity >= 1
                else { continue }
                lines.append(
                    OrderLine(
                        platform: "flipkart",
                        account: account,
                        channel: channel,
                        marketplace: Self.marketplace,
                        orderID: orderID,
                        lineID: lineID,
                        sku: SKU(trusted: sku),
                        quantity: quantity,
                        status: item.status == "CANCELLED" ? .cancelled : .placed,
                        fulfilled: FlipkartShipmentsWire.dispatched.contains(item.status ?? "")
                    )
                )
            }
        }
        // The restart makes progress because the bound moved to the newest shipment read; it cannot when
        // a whole page shares one `updatedAt`. Then the poll fails with the reason (the poller backs off
        // and shows it) instead of reading the same page for ever.
        if restarted, answer.hasMore == true, newest.text == from {
            throw AdapterError.platform(
                "shipments search: Flipkart refused nextPageUrl and a whole page of \(pass.key) shares "
                    + "updatedAt \(from); cannot page past it"
            )
        }
        cursor.from[pass.key] = newest.text
        if answer.hasMore == true, let next = answer.nextPageUrl, !next.isEmpty {
            cursor.next = next
            return OrderPage(lines: lines, cursor: cursor.text, hasMore: true)
        }
        cursor.next = nil
        cursor.pass = (cursor.pass + 1) % FlipkartShipmentsWire.passes.count
        return OrderPage(lines: lines, cursor: cursor.text, hasMore: cursor.pass != 0)
    }

    /// `nextPageUrl` as a URL: Flipkart answers it relative to `/sellers` (`/v3/shipments/filter?
    /// next_token=…`; UNCONFIRMED beyond a published client's log). An absolute URL is followed only on
    /// the account's own host, so the token never goes elsewhere.
    func resolve(_ next: String) throws -> String {
        if next.hasPrefix("http://") || next.hasPrefix("https://") {
            guard next.hasPrefix(client.sellersBase + "/") else {
                throw AdapterError.platform("shipments search: nextPageUrl \(next) is not on \(client.sellersBase)")
            }
            return next
        }
        if next.hasPrefix("/sellers/") { return client.sellersBase + next.dropFirst("/sellers".count) }
        return client.sellersBase + (next.hasPrefix("/") ? next : "/" + next)
    }

    /// A next-page GET refused with 400, 404 or 410: its token no longer works.
    struct NextPageRefused: Error {
        var status: Int
    }

    /// One search call, a transient failure tried again a bounded number of times; the decoded answer.
    private func send(_ method: HTTPMethod, url: String, body: [UInt8]?) async throws -> FlipkartShipmentsWire.Response
    {
        let path = "/v3/shipments/filter"
        var result = await client.call(
            method,
            url: url,
            path: path,
            operation: FlipkartAPIClient.shipmentsOperation,
            body: body
        )
        for _ in 1..<Self.maximumAttempts {
            guard case .failed(.retry(_, let after)) = result else { break }
            if let after { try await Task.sleep(for: min(after, .seconds(5))) }
            result = await client.call(
                method,
                url: url,
                path: path,
                operation: FlipkartAPIClient.shipmentsOperation,
                body: body
            )
        }
        let response: HTTPResponse
        switch result {
        case .failed(.retry(let reason, _)), .failed(.needsAttention(let reason)):
            throw AdapterError.platform("shipments search: \(reason)")
        case .failed(let outcome): throw AdapterError.platform("shipments search: \(outcome)")
        case .response(let answer): response = answer
        }
        if method == .get, [400, 404, 410].contains(response.status) {
            throw NextPageRefused(status: response.status)
        }
        guard response.status == 200 else {
            throw AdapterError.platform(
                "shipments search answered \(response.status): \(String(response.bodyText.prefix(500)))"
            )
        }
        guard let page = try? JSONDecoder().decode(FlipkartShipmentsWire.Response.self, from: Data(response.body))
        else { throw AdapterError.platform("shipments search: the answer is not a SearchShipmentResponse") }
        return page
    }
}
