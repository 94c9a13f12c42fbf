import Catalog
import ControlAPI
import CurlHTTP
import Foundation
import ProcessTestSupport
import Testing

extension EndToEndSuites {
    /// The listing verifier against the twins: a converged listing edited behind the daemon's back
    /// (`POST /_sandbox/tamper`) is read back, re-queued with its reason, and repaired.
    @Suite("Listing drift end to end", .serialized)
    struct ListingDriftEndToEndTests {
        @Test(
            "a price tampered on amazon-de and a quantity tampered on ebay-us are found, shown with their drift reason, and repaired"
        )
        func tamperedListingsAreRepaired() async throws {
            let world = try await SyncWorld(
                platforms: ["amazon", "ebay"],
                channelNames: ["amazon-de", "ebay-us"],
                daemonSettings: "verify_quota_share = 1\nverify_interval_seconds = 1",
                sandboxArguments: ["--quotas", "published"]
            )
            let catalog = TestCatalog(count: 3)
            let daemon = try await world.startDaemon()
            try await daemon.importCatalog(catalog.csv())
            try await world.waitForConvergence(of: catalog, within: .seconds(60))

            // What the oracle says the first SKU shows; the edits move away from it.
            let product = catalog.oracleProducts[0]
            let amazon = try #require(world.oracle.listing(of: product, on: "amazon-de"))
            let ebay = try #require(world.oracle.listing(of: product, on: "ebay-us"))
            let expectedPrice = try #require(Money(exactly: amazon.price, currency: .eur)).amountString
            let tamperedPrice = try #require(Money(exactly: amazon.price + 2, currency: .eur)).amountString
            let tamperedQuantity = ebay.quantity + 3
            try await tamper(
                world,
                #"{"platform":"amazon","marketplace":"DE","sku":"\#(product.sku)","price":"\#(tamperedPrice)"}"#
            )
            try await tamper(
                world,
                #"{"platform":"ebay","marketplace":"EBAY_US","sku":"\#(product.sku)","quantity":\#(tamperedQuantity)}"#
            )

            let reasons = [
                "amazon-de": "drift: price \(tamperedPrice) on amazon-de, expected \(expectedPrice)",
                "ebay-us": "drift: quantity \(tamperedQuantity) on ebay-us, expected \(ebay.quantity)",
            ]
            let deadline = ContinuousClock.now + .seconds(30)
            var shown: [String: String] = [:]
            while true {
                let listings: ListingStateResponse = try await daemon.get("/v1/products/\(product.sku)/listings")
                shown = Dictionary(
                    listings.listings.compactMap { listing in listing.live?.drift.map { (listing.channel, $0) } },
                    uniquingKeysWith: { first, _ in first }
                )
                if shown == reasons, try await world.differences(from: catalog).isEmpty { break }
                guard ContinuousClock.now < deadline else {
                    throw EndToEndError(
                        "not repaired: drift shown \(shown), differences \(try await world.differences(from: catalog))"
                    )
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(shown == reasons)
            let status = try await daemon.status()
            for channel in ["amazon-de", "ebay-us"] {
                let verification = status.channels.first { $0.name == channel }?.verification
                #expect((verification?.totalDrifted ?? 0) >= 1, "\(channel): \(String(describing: verification))")
            }
            // The same through catalogctl: the drift lines under `listings` and `product get`, the
            // verifier's table in `status`.
            let catalogctl = ChildProcess.binary("catalogctl").path
            let listings = try await ChildRun.run([catalogctl, "--socket", daemon.socket, "listings", product.sku])
            #expect(listings.status == 0)
            for reason in reasons.values { #expect(listings.output.contains(reason), "\(listings.output)") }
            let get = try await ChildRun.run([catalogctl, "--socket", daemon.socket, "product", "get", product.sku])
            #expect(get.output.contains("live: amazon-de active, ebay-us active"), "\(get.output)")
            #expect(get.output.contains(reasons["ebay-us"] ?? "?"), "\(get.output)")
            let statusText = try await ChildRun.run([catalogctl, "--socket", daemon.socket, "status"])
            #expect(statusText.output.contains("VERIFIED LIVE"), "\(statusText.output)")
            #expect(try await daemon.deadLetters().deadLetters.isEmpty)
            #expect(await daemon.stop() == 0)
            await world.sandbox.stop()
        }

        private func tamper(_ world: SyncWorld, _ body: String) async throws {
            let response = try await world.sandbox.http.execute(
                HTTPRequest(
                    method: .post,
                    url: "\(world.sandbox.baseURL)/_sandbox/tamper",
                    headers: ["Content-Type": "application/json"],
                    body: Array(body.utf8)
                )
            )
            guard response.isSuccess else {
                throw EndToEndError("tamper: HTTP \(response.status) \(response.bodyText)")
            }
        }
    }
}
