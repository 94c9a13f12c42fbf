import AmazonModel
import Foundation
import Hummingbird
import TwinSupport

/// The Orders API v0 routes (`getOrders`, `getOrderItems`; model `ordersV0.json`) and the sandbox's
/// buyers (``OrderPlacingTwin``).
///
/// `getOrders` needs `MarketplaceIds` and `LastUpdatedAfter` or `CreatedAfter` (or a `NextToken`), refuses
/// `CreatedAfter` with `LastUpdatedAfter`, a `LastUpdatedBefore` later than two minutes before now, and a
/// `MaxResultsPerPage` outside 1...100, with `InvalidInput` as Amazon does. The answer's
/// `LastUpdatedBefore` is the time of the read written in whole seconds, rounded down: every order
/// updated after it shows in a later read from there (orders of that last second show twice). The twin serves the orders of every seller to any token (one
/// seller per sandbox); a placed order is `Unshipped` (seller-fulfilled, paid), a shipped one `Shipped`
/// (`QuantityShipped` its quantity), a cancelled one `Canceled`.
extension AmazonTwin: OrderPlacingTwin {
    func addOrdersRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.get("orders/v0/orders") { request, _ in
            // The budget of the token's seller in the region of the marketplaces asked for.
            let region = (request.uri.queryParameters.get("MarketplaceIds") ?? "").split(separator: ",").lazy
                .compactMap { AmazonMarketplace.withID(String($0))?.region.rawValue }.first
            return try await self.guarded(request, .getOrders, region: region) { _ in await self.getOrders(request) }
        }
        group.get("orders/v0/orders/:orderId/orderItems") { request, context in
            let id = context.parameters.get("orderId").map { $0.removingPercentEncoding ?? $0 } ?? ""
            return try await self.guarded(request, .getOrderItems) { _ in await self.getOrderItems(id) }
        }
    }

    /// Places an order of `quantity` units of `sku` on `marketplace` (code `DE` or id).
    public func placeOrder(marketplace: String, sku: String, quantity: Int) async throws(SandboxOrderError) -> String {
        guard let known = AmazonMarketplace.named(marketplace) ?? AmazonMarketplace.withID(marketplace) else {
            throw SandboxOrderError(
                status: 400,
                code: "unknown_marketplace",
                message: "Unknown Amazon marketplace \(marketplace)."
            )
        }
        let seller = try await store.adjustQuantity(marketplace: known, sku: sku, by: quantity)
        return await orders.place(seller: seller, marketplace: known, sku: sku, quantity: quantity).id
    }

    /// Cancels the order `orderID` and gives its units back to the listing.
    public func cancelOrder(_ orderID: String) async throws(SandboxOrderError) {
        let order = try await orders.cancel(orderID)
        _ = try? await store.adjustQuantity(marketplace: order.marketplace, sku: order.sku, by: -order.quantity)
    }

    /// Ships the order `orderID` (status `Shipped`, its item's `QuantityShipped` its quantity).
    public func shipOrder(_ orderID: String) async throws(SandboxOrderError) {
        _ = try await orders.ship(orderID)
    }

    private func getOrders(_ request: Request) async -> Response {
        let rateLimit = quotas.header(.getOrders)
        let query = request.uri.queryParameters
        func invalid(_ message: String) -> Response { AmazonResponses.invalidInput(message, rateLimit: rateLimit) }
        let ids = Set((query.get("MarketplaceIds") ?? "").split(separator: ",").map(String.init))
        guard !ids.isEmpty else { return invalid("Missing required parameter 'MarketplaceIds'.") }
        if let unknown = ids.sorted().first(where: { AmazonMarketplace.withID($0) == nil }) {
            return invalid("Invalid MarketplaceId: \(unknown).")
        }
        let now = Date()
        var after: Date
        var before = now
        var offset = 0
        if let token = query.get("NextToken") {
            guard let page = PageToken(token) else { return invalid("Invalid NextToken.") }
            (after, before, offset) = (page.after, page.before, page.offset)
        } else {
            let updatedAfter = query.get("LastUpdatedAfter")
            let createdAfter = query.get("CreatedAfter")
            guard (updatedAfter == nil) != (createdAfter == nil) else {
                return invalid(
                    updatedAfter == nil
                        ? "Either CreatedAfter or LastUpdatedAfter must be specified."
                        : "CreatedAfter and LastUpdatedAfter cannot both be specified."
                )
            }
            guard let start = Self.date(updatedAfter ?? createdAfter ?? "") else {
                return invalid("Invalid date format for \(updatedAfter == nil ? "CreatedAfter" : "LastUpdatedAfter").")
            }
            after = start
            if let text = query.get("LastUpdatedBefore") {
                guard let end = Self.date(text), end >= after, end <= now.addingTimeInterval(-120) else {
                    return invalid(
                        "LastUpdatedBefore must be after LastUpdatedAfter and at least two minutes before now."
                    )
                }
                before = end
            }
        }
        let size = query.get("MaxResultsPerPage").map { Int($0) ?? 0 } ?? 100
        guard (1...100).contains(size) else { return invalid("MaxResultsPerPage must be between 1 and 100.") }
        let all = await orders.updated(marketplaces: ids, after: after, before: before)
        let page = all.dropFirst(offset).prefix(size)
        var payload: [String: TwinJSON] = [
            "Orders": .array(page.map(Self.orderJSON)),
            "LastUpdatedBefore": .string(Self.stamp(before)),
        ]
        if offset + size < all.count {
            payload["NextToken"] = .string(PageToken(after: after, before: before, offset: offset + size).text)
        }
        return AmazonResponses.json(.ok, ["payload": .object(payload)], rateLimit: rateLimit)
    }

    private func getOrderItems(_ id: String) async -> Response {
        let rateLimit = quotas.header(.getOrderItems)
        guard let order = await orders.order(id) else {
            return AmazonResponses.error(
                .notFound,
                code: "NotFound",
                message: "Order \(id) not found.",
                rateLimit: rateLimit
            )
        }
        let item: TwinJSON = [
            "ASIN": .string(Self.asin(order.sku)), "SellerSKU": .string(order.sku),
            "OrderItemId": .string(order.itemID),
            "QuantityOrdered": .int(order.quantity),
            "QuantityShipped": .int(order.status == "Shipped" ? order.quantity : 0),
        ]
        let payload: TwinJSON = ["AmazonOrderId": .string(order.id), "OrderItems": [item]]
        return AmazonResponses.json(.ok, ["payload": payload], rateLimit: rateLimit)
    }

    private static func orderJSON(_ order: OrderBook.Order) -> TwinJSON {
        let cancelled = order.status == "Canceled"
        let shipped = order.status == "Shipped" ? order.quantity : 0
        return [
            "AmazonOrderId": .string(order.id), "PurchaseDate": .string(stamp(order.purchaseDate)),
            "LastUpdateDate": .string(stamp(order.lastUpdateDate)), "OrderStatus": .string(order.status),
            "FulfillmentChannel": "MFN", "MarketplaceId": .string(order.marketplace.id), "OrderType": "StandardOrder",
            "NumberOfItemsShipped": .int(shipped),
            "NumberOfItemsUnshipped": .int(cancelled ? 0 : order.quantity - shipped),
        ]
    }

    /// A stable made-up ASIN for `sku` (`B0` and eight characters).
    private static func asin(_ sku: String) -> String {
        var hash: UInt64 = 1_469_598_103_934_665_603
        for byte in sku.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return "B0"
            + String(String(hash, radix: 36).uppercased().suffix(8)).padding(toLength: 8, withPad: "0", startingAt: 0)
    }

    /// `2026-12-07T01:02:03Z`: ISO 8601 in whole seconds, rounded down, as Amazon writes order dates.
    static func stamp(_ date: Date) -> String {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)).ISO8601Format()
    }

    /// An ISO 8601 date with or without fractional seconds.
    static func date(_ text: String) -> Date? {
        (try? Date(text, strategy: .iso8601))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }

    /// The twin's `NextToken`: the query's window and the offset of the next page.
    private struct PageToken {
        var after: Date
        var before: Date
        var offset: Int

        init(after: Date, before: Date, offset: Int) {
            self.after = after
            self.before = before
            self.offset = offset
        }

        init?(_ text: String) {
            guard let data = Data(base64Encoded: text), let plain = String(data: data, encoding: .utf8) else {
                return nil
            }
            let parts = plain.split(separator: "|").map(String.init)
            guard parts.count == 3, let after = Double(parts[0]), let before = Double(parts[1]),
                let offset = Int(parts[2])
            else { return nil }
            self.init(
                after: Date(timeIntervalSince1970: after),
                before: Date(timeIntervalSince1970: before),
                offset: offset
            )
        }

        var text: String {
            Data("\(after.timeIntervalSince1970)|\(before.timeIntervalSince1970)|\(offset)".utf8).base64EncodedString()
        }
    }
}
