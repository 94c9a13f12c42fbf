import AdapterTestSupport
import Catalog
import CurlHTTP
import Foundation
import ShiprocketAdapter
import ShiprocketTwin
import Sync
import Testing
import TwinSupport

/// Checks that the twin shows exactly the projected price, quantity and title of `products`.
func expectListings(_ twin: ShiprocketTwin, _ products: [Product], _ projector: ChannelProjector) async {
    let listings = Dictionary(uniqueKeysWithValues: await twin.listings(marketplace: "IN").map { ($0.sku, $0) })
    for product in products {
        let listing = listings[product.sku.rawValue]
        #expect(listing?.price == projector.price(for: product).amountString, "price of \(product.sku)")
        #expect(listing?.currency == "INR")
        #expect(listing?.quantity == projector.quantity(for: product), "quantity of \(product.sku)")
        #expect(listing?.title == product.title)
    }
}

func expectAccepted(_ outcomes: [SKU: ListingOutcome]) {
    for (sku, outcome) in outcomes {
        if case .accepted = outcome { continue }
        Issue.record("\(sku): \(outcome)")
    }
}

@Suite("Shiprocket adapter against its twin over loopback")
struct ShiprocketAdapterTests {
    @Test("30 SKUs converge in single mode, then a price and stock change converges in bulk mode")
    func singleAndBulkConverge() async throws {
        let twin = ShiprocketTwin(environment: TwinEnvironment(), configuration: .init(requestsPerSecond: 1000))
        let projector = try shiprocketProjector()
        let products = sampleProducts(count: 30, prefix: "SR")
        let changed = products.map { product -> Product in
            var product = product
            product.price.minorUnits += 2_550
            product.quantity -= 150
            return product
        }
        let http = try HTTPClient(configuration: .init())
        let (first, second) = try await withTwinEndpoint(twin) { base in
            // The twin allows 1000 requests per second here, so the adapter's own pacing is off.
            let adapter = ShiprocketAdapter(context: shiprocketContext(baseURL: base, http: http, pacing: false))
            let first = await adapter.push(newChanges(products, projector), mode: .single)
            let updates = changed.map { ListingChange(desired: projector.project($0), facets: [.price, .quantity]) }
            return (first, await adapter.push(updates, mode: .bulk))
        }
        await http.shutdown()
        #expect(first.count == 30 && second.count == 30)
        expectAccepted(first)
        expectAccepted(second)
        await expectListings(twin, changed, projector)
        #expect(await twin.productCreations() == 30)
    }

    @Test("a product the twin refuses comes back rejected with Shiprocket's own field error")
    func rejectedProduct() async throws {
        let twin = ShiprocketTwin(environment: TwinEnvironment())
        let projector = try shiprocketProjector()
        let http = try HTTPClient(configuration: .init())
        let outcomes = try await withTwinEndpoint(twin) { base in
            let adapter = ShiprocketAdapter(context: shiprocketContext(baseURL: base, http: http))
            return await adapter.push(
                newChanges(sampleProducts(count: 2, prefix: "SJ", rejected: [2]), projector),
                mode: .single
            )
        }
        await http.shutdown()
        guard case .rejected(let issues) = outcomes[SKU(trusted: "SJ-002")] else {
            Issue.record("not rejected: \(outcomes)")
            return
        }
        #expect(
            issues == [
                MarketplaceIssue(
                    code: "422",
                    message: "The name contains prohibited content: [REJECT].",
                    attributeNames: ["name"]
                )
            ]
        )
        #expect(await twin.listings(marketplace: nil).map(\.sku) == ["SJ-001"])
    }

    @Test("an expired login token is replaced by a fresh login and the call goes through")
    func expiredTokenIsRefreshed() async throws {
        let twin = ShiprocketTwin(environment: TwinEnvironment())
        let projector = try shiprocketProjector()
        var products = sampleProducts(count: 1, prefix: "ST")
        let http = try HTTPClient(configuration: .init())
        let context = try await withTwinEndpoint(twin) { [products] base in
            let context = shiprocketContext(baseURL: base, http: http)
            let adapter = ShiprocketAdapter(context: context)
            expectAccepted(await adapter.push(newChanges(products, projector), mode: .single))
            await twin.expireTokens()
            var product = products[0]
            product.quantity = 2_000
            expectAccepted(
                await adapter.push(
                    [ListingChange(desired: projector.project(product), facets: [.quantity])],
                    mode: .single
                )
            )
            return context
        }
        await http.shutdown()
        #expect(await context.tokens.refreshCount == 2)
        products[0].quantity = 2_000
        await expectListings(twin, products, projector)
    }

    @Test("a 429 from the platform becomes retry with its Retry-After")
    func throttledCallIsRetried() async throws {
        let twin = ShiprocketTwin(environment: TwinEnvironment(), configuration: .init(requestsPerSecond: 2))
        let projector = try shiprocketProjector()
        let http = try HTTPClient(configuration: .init())
        let outcomes = try await withTwinEndpoint(twin) { base in
            let adapter = ShiprocketAdapter(context: shiprocketContext(baseURL: base, http: http, pacing: false))
            return await adapter.push(newChanges(sampleProducts(count: 6, prefix: "SQ"), projector), mode: .bulk)
        }
        await http.shutdown()
        let retries = outcomes.values.compactMap { outcome -> Duration? in
            if case .retry(_, let after) = outcome { return after }
            return nil
        }
        #expect(!retries.isEmpty)
        #expect(retries.allSatisfy { $0 >= .seconds(1) })
    }

    @Test("a retry by a fresh adapter finds the product by SKU and updates it instead of creating a duplicate")
    func productIDsAreReused() async throws {
        let twin = ShiprocketTwin(environment: TwinEnvironment())
        let projector = try shiprocketProjector()
        let products = sampleProducts(count: 5, prefix: "SD")
        let http = try HTTPClient(configuration: .init())
        let (first, again) = try await withTwinEndpoint(twin) { base in
            let first = await ShiprocketAdapter(context: shiprocketContext(baseURL: base, http: http))
                .push(newChanges(products, projector), mode: .single)
            // A new adapter (a restarted daemon) retries the same changes without the remote ids.
            let again = await ShiprocketAdapter(context: shiprocketContext(baseURL: base, http: http))
                .push(newChanges(products, projector), mode: .single)
            return (first, again)
        }
        await http.shutdown()
        for product in products {
            guard case .accepted(_, let id) = first[product.sku], case .accepted(_, let reused) = again[product.sku]
            else {
                Issue.record(
                    "\(product.sku): \(String(describing: first[product.sku])) / \(String(describing: again[product.sku]))"
                )
                continue
            }
            #expect(id != nil && id == reused)
        }
        #expect(await twin.productCreations() == 5)
    }

    @Test("the twin refuses inventory action add, so a sync that sent it could not pass")
    func twinRefusesAdd() async throws {
        let twin = ShiprocketTwin(environment: TwinEnvironment())
        let projector = try shiprocketProjector()
        let http = try HTTPClient(configuration: .init())
        let response = try await withTwinEndpoint(twin) { base in
            let outcome = await ShiprocketAdapter(context: shiprocketContext(baseURL: base, http: http))
                .push(newChanges(sampleProducts(count: 1, prefix: "SA"), projector), mode: .single)
            guard case .accepted(_, let id?) = outcome.values.first else { throw CancellationError() }
            let login = try await http.execute(
                HTTPRequest(
                    method: .post,
                    url: base + "/v1/external/auth/login",
                    headers: ["Content-Type": "application/json"],
                    body: Array(#"{"email":"a@example.in","password":"p"}"#.utf8)
                )
            )
            let token =
                (try JSONSerialization.jsonObject(with: Data(login.body)) as? [String: Any])?["token"] as? String ?? ""
            return try await http.execute(
                HTTPRequest(
                    method: .put,
                    url: base + "/v1/external/inventory/\(id)/update",
                    headers: ["Content-Type": "application/json", "Authorization": "Bearer " + token],
                    body: Array(#"{"quantity":5,"action":"add"}"#.utf8)
                )
            )
        }
        await http.shutdown()
        #expect(response.status == 422)
        #expect(response.bodyText.contains("state sync must use replace"))
    }
}
