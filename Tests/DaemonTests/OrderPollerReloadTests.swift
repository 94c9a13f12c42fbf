import ControlAPI
import CurlHTTP
import Foundation
import ProcessTestSupport
import Testing

/// A `SIGHUP` that turns an account's order polling on (or off) starts (or stops) its poller in the
/// running daemon: a real daemon, the eBay twin in its own sandbox process, a real order placed there.
@Suite(.serialized)
struct OrderPollerReloadTests {
    typealias RunningDaemon = DaemonProcessTests.RunningDaemon

    /// The configuration with the eBay account's `ingest_orders` set to `ingest`.
    static func configuration(ingest: Bool) -> String {
        """
        [daemon]
        base_currency = "INR"

        [fx]
        USD = "0.01128"

        [accounts.ebay]
        platform              = "ebay"
        seller_id             = "odop-exports"
        merchant_location_key = "AGRA-WH1"
        ingest_orders         = \(ingest)
        order_poll_seconds    = 1

        [[channels]]
        name        = "ebay-us"
        account     = "ebay"
        marketplace = "EBAY_US"
        currency    = "USD"
        language    = "en_US"
        fulfillment_policy_id = "6196934000"
        payment_policy_id     = "6196937000"
        return_policy_id      = "6196939000"
        categories  = "HOME_DECOR:10033"
        """
    }

    static let catalog = """
        sku,title,description,brand,product_type,origin_country,image_urls,price,quantity
        DURRIE-1,"Panipat cotton durrie, 4x6 ft",Handwoven flat cotton rug.,Panipat Looms,HOME_DECOR,IN,\
        https://images.example.com/odop/durrie-1.jpg,2400.00,5

        """

    /// Polls (every 100 ms, at most 90 s) until `condition` holds of the value `read` returns.
    static func eventually<T>(
        _ what: String,
        _ read: () async throws -> T,
        until condition: (T) -> Bool
    ) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(90)
        var last = try await read()
        while !condition(last) {
            guard ContinuousClock.now < deadline else { throw Timeout(what: what, last: "\(last)") }
            try await Task.sleep(for: .milliseconds(100))
            last = try await read()
        }
        return last
    }

    struct Timeout: Error, CustomStringConvertible {
        var what: String
        var last: String
        var description: String { "\(what) did not happen within 90 s; last seen: \(last)" }
    }

    static func ordersSummary(_ daemon: RunningDaemon) async throws -> OrderPollingSummary? {
        let status = try JSONDecoder().decode(
            StatusResponse.self,
            from: Data(try await daemon.request(.get, "/v1/status").body)
        )
        return status.accounts?.first { $0.name == "ebay" }?.orders
    }

    static func product(_ daemon: RunningDaemon) async throws -> ProductResponse {
        try JSONDecoder().decode(
            ProductResponse.self,
            from: Data(try await daemon.request(.get, "/v1/products/DURRIE-1").body)
        )
    }

    @Test func aReloadThatTurnsOrderIngestionOnStartsThePollerAndOffStopsItAndShippingEndsTheReservation() async throws
    {
        let (sandbox, baseURL) = try await StreamingProcess.sandbox(["--quotas", "off"])
        defer { sandbox.process.terminate() }

        let state = try TemporaryDirectory()
        let config = try state.write("catalogsyncd.toml", Self.configuration(ingest: false))
        let daemon = try RunningDaemon(reusing: state, config: config, arguments: ["--sandbox-url", baseURL])
        _ = try daemon.waitUntilReady()
        let imported = try await daemon.request(.post, "/v1/import", body: Self.catalog)
        #expect(imported.status == 200, "\(imported.bodyText)")
        #expect(try await Self.ordersSummary(daemon) == nil, "no poller while ingest_orders = false")
        _ = try await daemon.request(.post, "/v1/channels/ebay-us/resume")

        // The listing is on the twin with its 5 units, so a buyer can take 2 of them.
        _ = try await Self.eventually(
            "DURRIE-1 synced on ebay-us",
            {
                try JSONDecoder().decode(
                    ListingStateResponse.self,
                    from: Data(try await daemon.request(.get, "/v1/products/DURRIE-1/listings").body)
                ).listings
            },
            until: { listings in listings.contains { $0.channel == "ebay-us" && $0.state == .synced } }
        )
        let buyer = try HTTPClient(configuration: .init())
        let order = try await buyer.execute(
            HTTPRequest(
                method: .post,
                url: baseURL + "/_sandbox/orders",
                headers: ["Content-Type": "application/json"],
                body: Array(#"{"platform":"ebay","marketplace":"EBAY_US","sku":"DURRIE-1","quantity":2}"#.utf8)
            )
        )
        try #require(order.status == 201, "\(order.bodyText)")
        struct Placed: Decodable { var order_id: String }
        let orderID = try JSONDecoder().decode(Placed.self, from: Data(order.body)).order_id

        // Turned on by SIGHUP: the new poller reads the order, the catalog's 5 become 3.
        try Self.configuration(ingest: true).write(toFile: config, atomically: true, encoding: .utf8)
        _ = try ControlPlaneTests.reload(daemon)
        let after = try await Self.eventually(
            "the order applied",
            { try await Self.product(daemon) },
            until: { $0.product.quantity == 3 }
        )
        #expect(after.orders?.sold == 2)
        #expect(after.orders?.reserved == 2, "not shipped yet")
        #expect(after.orders?.lines == 1)
        let polling = try #require(try await Self.ordersSummary(daemon))
        #expect(polling.lastSuccessAt != nil)
        #expect(polling.linesApplied == 1)

        // Shipped on eBay: still sold, no longer reserved, the stock untouched.
        let shipped = try await buyer.execute(
            HTTPRequest(
                method: .post,
                url: baseURL + "/_sandbox/orders",
                headers: ["Content-Type": "application/json"],
                body: Array(#"{"platform":"ebay","ship":"\#(orderID)"}"#.utf8)
            )
        )
        await buyer.shutdown()
        #expect(shipped.status == 200, "\(shipped.bodyText)")
        let delivered = try await Self.eventually(
            "the shipment read",
            { try await Self.product(daemon) },
            until: { $0.orders?.reserved == 0 }
        )
        #expect(delivered.orders?.sold == 2)
        #expect(delivered.product.quantity == 3)

        // Returned and put back on the shelf by the seller (eBay reports no restock): once, by catalogctl.
        let socket = "\(state.path)/control.sock"
        let listed = try CatalogctlTests.catalogctl(["orders", "--sku", "DURRIE-1", "--json"], socket: socket)
        let line = try #require(
            try JSONDecoder().decode(OrdersResponse.self, from: Data(listed.output.utf8)).orders.first,
            "\(listed.output) \(listed.errors)"
        )
        #expect(line.orderID == orderID)
        #expect(line.fulfilled)
        let restock = ["orders", "restock", "--platform", "ebay", orderID, line.lineID]
        let first = try CatalogctlTests.catalogctl(restock, socket: socket)
        #expect(first.status == 0, "\(first.errors)")
        #expect(first.output == "DURRIE-1: +2 back in stock, stock 5\n")
        let again = try CatalogctlTests.catalogctl(restock, socket: socket)
        #expect(again.output == "DURRIE-1: nothing given back (the line is returned-restocked), stock 5\n")
        let unknown = try CatalogctlTests.catalogctl(
            ["orders", "restock", "--platform", "ebay", "NO-SUCH", "1"],
            socket: socket
        )
        #expect(unknown.status == 1)
        #expect(unknown.errors.contains("no ebay order NO-SUCH line 1 has been read"), "\(unknown.errors)")
        let restocked = try await Self.product(daemon)
        #expect(restocked.product.quantity == 5)
        #expect(restocked.orders == OrderCountsResponse(sold: 0, reserved: 0, restored: 2, oversold: 0, lines: 1))

        // Turned off again: the account's poller is gone from status.
        try Self.configuration(ingest: false).write(toFile: config, atomically: true, encoding: .utf8)
        _ = try ControlPlaneTests.reload(daemon)
        #expect(try await Self.ordersSummary(daemon) == nil)
        #expect(await daemon.terminate() == 0)
    }
}
