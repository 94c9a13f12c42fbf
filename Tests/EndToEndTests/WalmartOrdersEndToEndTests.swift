import Catalog
import ControlAPI
import CurlHTTP
import Foundation
import ProcessTestSupport
import Testing

extension EndToEndSuites {
    /// Walmart's order source and read-back in the daemon: sales and a cancellation on the Walmart
    /// twin flow back into the catalog's stock once, and a price edited in Seller Center is found and
    /// repaired by the verifier.
    @Suite("Walmart orders and drift end to end", .serialized)
    struct WalmartOrdersEndToEndTests {
        @Test(
            "two Walmart sales and one cancelled sale leave the stock at stock minus sold; a tampered Walmart price is repaired with its drift reason"
        )
        func walmartSalesMoveStockAndDriftIsRepaired() async throws {
            let world = try await SyncWorld(
                platforms: ["walmart"],
                channelNames: ["walmart-us"],
                daemonSettings: "verify_quota_share = 1\nverify_interval_seconds = 1",
                channelSettings: ["walmart-us": "inventory   = { share_percent = 100 }"],
                sandboxArguments: []
            )
            var catalog = TestCatalog(count: 3)
            catalog.setQuantity(of: 0..<3, to: 10)
            let daemon = try await world.startDaemon()
            try await daemon.importCatalog(catalog.csv())
            try await world.waitForConvergence(of: catalog, within: .seconds(60))

            let skus = catalog.products.map(\.sku.rawValue)
            var orders: [String] = []
            for (sku, quantity) in [(skus[0], 3), (skus[1], 2), (skus[1], 4)] {
                let answer = try await world.sandbox.placeOrder(
                    platform: "walmart",
                    marketplace: "US",
                    sku: sku,
                    quantity: quantity
                )
                guard case .placed(let id) = answer else { throw EndToEndError("sale refused: \(answer)") }
                orders.append(id)
            }
            try await world.sandbox.cancelOrder(platform: "walmart", orderID: orders[2])
            let product = catalog.oracleProducts[2]
            let listing = try #require(world.oracle.listing(of: product, on: "walmart-us"))
            let expectedPrice = try #require(Money(exactly: listing.price, currency: .usd)).amountString
            let tamperedPrice = try #require(Money(exactly: listing.price + 3, currency: .usd)).amountString
            let tamper = try await world.sandbox.http.execute(
                HTTPRequest(
                    method: .post,
                    url: "\(world.sandbox.baseURL)/_sandbox/tamper",
                    headers: ["Content-Type": "application/json"],
                    body: Array(
                        #"{"platform":"walmart","marketplace":"US","sku":"\#(product.sku)","price":"\#(tamperedPrice)"}"#
                            .utf8
                    )
                )
            )
            #expect(tamper.isSuccess, "\(tamper.bodyText)")

            // Hand-computed: 10 − 3 = 7 and 10 − 2 = 8 (the cancelled 4 come back); 10 untouched.
            var expected = catalog
            expected.setQuantity(of: 0..<1, to: 7)
            expected.setQuantity(of: 1..<2, to: 8)
            // The twin shows 7 and 8 at once (Walmart takes sold units off); the catalog follows when the
            // order poller has read the sales: wait for that, then for every listing to match the catalog.
            for (index, quantity) in [7, 8, 10].enumerated() {
                let catalogDeadline = ContinuousClock.now + .seconds(60)
                var stored: ProductResponse = try await daemon.get("/v1/products/\(skus[index])")
                while stored.product.quantity != quantity, ContinuousClock.now < catalogDeadline {
                    try await Task.sleep(for: .milliseconds(100))
                    stored = try await daemon.get("/v1/products/\(skus[index])")
                }
                #expect(stored.product.quantity == quantity, "\(skus[index]) stock")
            }
            try await world.waitForConvergence(of: expected, within: .seconds(60))
            let lines: OrdersResponse = try await daemon.get("/v1/orders?limit=100")
            #expect(Set(lines.orders.map(\.orderID)) == Set(orders))
            #expect(lines.orders.first { $0.orderID == orders[2] }?.status == "cancelled")

            let reason = "drift: price \(tamperedPrice) on walmart-us, expected \(expectedPrice)"
            let deadline = ContinuousClock.now + .seconds(30)
            while true {
                let state: ListingStateResponse = try await daemon.get("/v1/products/\(product.sku)/listings")
                let shown = state.listings.first { $0.channel == "walmart-us" }?.live?.drift
                if shown == reason, try await world.differences(from: expected).isEmpty { break }
                guard ContinuousClock.now < deadline else {
                    throw EndToEndError(
                        "not repaired: drift \(shown ?? "none"), \(try await world.differences(from: expected))"
                    )
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(await daemon.stop() == 0)
            await world.sandbox.stop()
        }
    }
}
