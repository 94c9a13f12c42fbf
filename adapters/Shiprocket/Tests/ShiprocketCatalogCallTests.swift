import AdapterTestSupport
import Catalog
import CurlHTTP
import Foundation
import ShiprocketAdapter
import ShiprocketTwin
import Sync
import Testing
import TwinSupport

/// Shiprocket's documented catalog calls: "Get All Products" filtered and read page by page, "Add New
/// Products" for new SKUs only, "Bulk Import Products" to change an existing product.
@Suite("Shiprocket adapter: documented lookup, create and update calls")
struct ShiprocketCatalogCallTests {
    @Test("a fresh adapter finds the 20th product by the documented filter, updates it by import, creates nothing")
    func lostCreateAnswerNeverDuplicates() async throws {
        let twin = ShiprocketTwin(environment: TwinEnvironment())
        let projector = try shiprocketProjector()
        let products = sampleProducts(count: 20, prefix: "SL")
        var renamed = products[19]
        renamed.title = "Ajmer rose gulkand, large jar"
        renamed.price.minorUnits += 5_000
        let http = try HTTPClient(configuration: .init())
        let outcome = try await withTwinEndpoint(twin) { base in
            _ = await ShiprocketAdapter(context: shiprocketContext(baseURL: base, http: http))
                .push(newChanges(products, projector), mode: .single)
            // A restarted daemon whose create answer was lost: no remote id, the product exists.
            let change = ListingChange(desired: projector.project(renamed), facets: [.content, .price, .quantity])
            return await ShiprocketAdapter(context: shiprocketContext(baseURL: base, http: http))
                .push([change], mode: .single)[renamed.sku]
        }
        await http.shutdown()
        guard case .accepted(_, let id?) = outcome else {
            Issue.record("expected accepted with the existing id, got \(String(describing: outcome))")
            return
        }
        // The twin numbers products from 370000001 in creation order: SL-020 is the 20th.
        #expect(id == "370000020")
        #expect(await twin.productCreations() == 20)
        await expectListings(twin, Array(products.prefix(19)) + [renamed], projector)
    }

    @Test("the lookup reads every page: with 2 products a page the SKU on page 3 is found")
    func lookupReadsEveryPage() async throws {
        let twin = ShiprocketTwin(environment: TwinEnvironment())
        let projector = try shiprocketProjector()
        // The filter "SQ-1" matches all five (substring); SQ-1 itself is created last, so it is 5th.
        let skus = ["SQ-10", "SQ-11", "SQ-12", "SQ-13", "SQ-1"]
        let products = skus.enumerated().map { index, sku in
            var product = sampleProducts(count: index + 1, prefix: "X")[index]
            product.sku = SKU(trusted: sku)
            return product
        }
        let http = try HTTPClient(configuration: .init())
        let outcome = try await withTwinEndpoint(twin) { base in
            _ = await ShiprocketAdapter(context: shiprocketContext(baseURL: base, http: http))
                .push(newChanges(products, projector), mode: .single)
            let small = ShiprocketAdapter.Configuration(lookupPageSize: 2)
            let change = ListingChange(desired: projector.project(products[4]), facets: [.quantity])
            return await ShiprocketAdapter(context: shiprocketContext(baseURL: base, http: http), configuration: small)
                .push([change], mode: .single)[products[4].sku]
        }
        await http.shutdown()
        guard case .accepted(_, let id?) = outcome else {
            Issue.record("expected accepted, got \(String(describing: outcome))")
            return
        }
        #expect(id == "370000005")
        #expect(await twin.productCreations() == 5)
    }

    @Test("the twin refuses Add New Products for an existing SKU, even with an id in the body")
    func createRefusesExistingSKU() async throws {
        let twin = ShiprocketTwin(environment: TwinEnvironment())
        let projector = try shiprocketProjector()
        let product = sampleProducts(count: 1, prefix: "SC")[0]
        let http = try HTTPClient(configuration: .init())
        let response = try await withTwinEndpoint(twin) { base in
            _ = await ShiprocketAdapter(context: shiprocketContext(baseURL: base, http: http))
                .push(newChanges([product], projector), mode: .single)
            let login = try await http.execute(
                HTTPRequest(
                    method: .post,
                    url: base + "/v1/external/auth/login",
                    headers: ["Content-Type": "application/json"],
                    body: Array(#"{"email":"a@b.in","password":"p"}"#.utf8)
                )
            )
            let token = try #require(
                (try JSONSerialization.jsonObject(with: Data(login.body)) as? [String: Any])?["token"] as? String
            )
            let body =
                #"{"id":370000001,"sku":"SC-001","name":"Renamed","type":"single","qty":1,"category_code":"default","mrp":10}"#
            return try await http.execute(
                HTTPRequest(
                    method: .post,
                    url: base + "/v1/external/products",
                    headers: ["Content-Type": "application/json", "Authorization": "Bearer " + token],
                    body: Array(body.utf8)
                )
            )
        }
        await http.shutdown()
        #expect(response.status == 422)
        #expect(response.bodyText.contains("The sku has already been taken."))
        #expect(await twin.listings(marketplace: "IN").first?.title == product.title)
    }
}
