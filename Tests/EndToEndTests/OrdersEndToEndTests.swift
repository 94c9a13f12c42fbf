import ControlAPI
import Foundation
import Testing

extension EndToEndSuites {
    /// Stock that follows sales: orders placed on the twins flow back into the catalog and out to
    /// every channel, exactly once per line, through faults and a crash.
    @Suite("Orders end to end", .serialized)
    struct OrdersEndToEndTests {
        /// One order the test placed, as the twin accepted it.
        struct Placed {
            var platform: String
            var orderID: String
            var sku: String
            var quantity: Int
            var cancelled = false
        }

        static let channels: Set<String> = ["amazon-de", "amazon-fr", "amazon-us", "ebay-us"]

        @Test(
            "orders on amazon-de, -fr, -us and ebay-us, some cancelled, through the fault mix and a SIGKILL while orders are being ingested: every channel converges to stock minus sold plus restored, each line applied once, stock never below 0"
        )
        func stockFollowsSalesThroughFaultsAndACrash() async throws {
            // Orders are polled every 2 s (config/sandbox.toml). Every test channel offers all the stock,
            // so the twins sell what the catalog holds.
            let everything = "inventory   = { share_percent = 100 }"
            let world = try await SyncWorld(
                platforms: ["amazon", "ebay"],
                channelNames: Self.channels,
                quotaMultiplier: 10,
                channelSettings: Dictionary(uniqueKeysWithValues: Self.channels.map { ($0, everything) }),
                sandboxArguments: ["--faults", SyncWorld.faults]
            )
            var catalog = TestCatalog(count: 6)
            catalog.setQuantity(of: 0..<1, to: 1)  // sold on two marketplaces at once: the stock stops at 0
            catalog.setQuantity(of: 1..<2, to: 6)
            let initial = Dictionary(uniqueKeysWithValues: catalog.products.map { ($0.sku.rawValue, $0.quantity) })
            var daemon = try await world.startDaemon()
            try await daemon.importCatalog(catalog.csv())
            // Typically converges in seconds; the limit leaves room for injected faults on LWA's token
            // endpoint (AmazonAdapter.Configuration.refusedTokenDelay, 5 s each) and the fault mix.
            try await world.waitForConvergence(of: catalog, within: .seconds(100))

            var placed: [Placed] = []
            func sell(_ platform: String, _ marketplace: String, _ index: Int, _ quantity: Int) async throws {
                let sku = catalog.products[index].sku.rawValue
                let answer = try await world.sandbox.placeOrder(
                    platform: platform,
                    marketplace: marketplace,
                    sku: sku,
                    quantity: quantity
                )
                // A twin refuses a sale beyond what its listing shows (the daemon may have lowered it already).
                if case .placed(let id) = answer {
                    placed.append(Placed(platform: platform, orderID: id, sku: sku, quantity: quantity))
                }
            }
            // Wave 1, with the daemon running: the last unit of E2E-00001 on two marketplaces at once.
            try await sell("amazon", "DE", 0, 1)
            try await sell("ebay", "EBAY_US", 0, 1)
            try await sell("amazon", "DE", 1, 2)
            try await sell("amazon", "FR", 1, 1)
            try await sell("amazon", "US", 1, 1)
            try await sell("amazon", "DE", 2, 3)
            try await sell("ebay", "EBAY_US", 2, 2)
            try await sell("amazon", "US", 3, 4)
            try await sell("amazon", "FR", 3, 1)
            // SIGKILL as soon as ingestion has begun (a line is in) and before it has ended.
            let deadline = ContinuousClock.now + .seconds(30)
            while true {
                let lines: OrdersResponse = try await daemon.get("/v1/orders")
                if !lines.orders.isEmpty { break }
                guard ContinuousClock.now < deadline else { throw EndToEndError("no order line was ever ingested") }
                try await Task.sleep(for: .milliseconds(5))
            }
            await daemon.crash()
            // Wave 2, while the daemon is down: one more sale, two cancellations (one of a line it may
            // have applied, one of a line it may not have read yet).
            try await sell("amazon", "FR", 2, 1)
            for index in placed.indices
            where (placed[index].sku == catalog.products[3].sku.rawValue && placed[index].quantity == 4)
                || (placed[index].platform == "ebay" && placed[index].sku == catalog.products[2].sku.rawValue)
            {
                try await world.sandbox.cancelOrder(platform: placed[index].platform, orderID: placed[index].orderID)
                placed[index].cancelled = true
            }
            // Of the 10 sales so far only eBay's of the last unit of E2E-00001 may have been refused.
            #expect(placed.count >= 9, "the twins took the sales: \(placed.map(\.orderID))")
            daemon = try await world.startDaemon()
            // Wave 3, after the restart.
            try await sell("ebay", "EBAY_US", 4, 1)

            // The expected stock, from the orders the twins accepted alone: no SKU with a cancellation
            // reaches 0, so the order in which lines are applied does not change the result.
            var expected = catalog
            for (index, product) in catalog.products.enumerated() {
                let sold = placed.filter { $0.sku == product.sku.rawValue && !$0.cancelled }.map(\.quantity).reduce(
                    0,
                    +
                )
                expected.setQuantity(of: index..<(index + 1), to: max(0, initial[product.sku.rawValue]! - sold))
            }
            try await world.waitForConvergence(of: expected, within: .seconds(100))

            let lines: OrdersResponse = try await daemon.get("/v1/orders?limit=1000")
            for order in placed {
                let mine = lines.orders.filter { $0.orderID == order.orderID }
                #expect(mine.count == 1, "order \(order.orderID) is one line: \(mine)")
                guard let line = mine.first else { continue }
                if order.cancelled {
                    #expect(line.status == "cancelled")
                    #expect(line.restored == line.applied, "a cancellation gives back what the line took: \(line)")
                } else {
                    #expect(line.status == "placed")
                    #expect(line.applied + line.shortfall == order.quantity, "\(line)")
                }
            }
            #expect(lines.orders.count == placed.count, "no line the twins did not sell")
            for product in expected.products {
                let stored: ProductResponse = try await daemon.get("/v1/products/\(product.sku.rawValue)")
                #expect(stored.product.quantity == product.quantity, "\(product.sku) stock")
                #expect(stored.product.quantity >= 0)
            }
            let oversold = placed.filter { $0.sku == catalog.products[0].sku.rawValue }.count
            let first: ProductResponse = try await daemon.get("/v1/products/\(catalog.products[0].sku.rawValue)")
            #expect(first.orders?.oversold == oversold - 1, "both sales of the last unit count; one is an oversell")
            _ = await daemon.stop()
            await world.sandbox.stop()
        }
    }
}
