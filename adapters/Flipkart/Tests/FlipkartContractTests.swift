import AdapterTestSupport
import Catalog
import CurlHTTP
import FlipkartAdapter
import FlipkartTwin
import Foundation
import Sync
import Testing
import TwinSupport

/// Flipkart's listings v3 contract as `../shared/specs/flipkart/update-price.md` and
/// `update-inventory.md` write it: `mrp`/`selling_price` int32, `locations[].status` (ENABLED|DISABLED)
/// required, error `code` int32. The twin refuses what breaks it; the adapter sends what keeps it.
@Suite("Flipkart contract: int32 rupees, locations[].status, int32 error codes")
struct FlipkartContractTests {
    /// A token from the twin's client-credentials endpoint.
    static func token(_ http: HTTPClient, _ base: String) async throws -> String {
        let basic = Data("app:secret".utf8).base64EncodedString()
        let answer = try await http.execute(
            HTTPRequest(
                method: .get,
                url: base + "/oauth-service/oauth/token?grant_type=client_credentials&scope=Seller_Api",
                headers: ["Authorization": "Basic \(basic)"]
            )
        )
        return try JSONValue.parse(answer.body)["access_token"]?.stringValue ?? ""
    }

    /// Posts `body` to `/sellers/listings/v3/<path>` and parses the answer.
    static func post(_ http: HTTPClient, _ base: String, _ path: String, _ body: String) async throws -> (
        Int, JSONValue
    ) {
        let token = try await token(http, base)
        let answer = try await http.execute(
            HTTPRequest(
                method: .post,
                url: base + "/sellers/listings/v3/" + path,
                headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
                body: Array(body.utf8)
            )
        )
        return (answer.status, try JSONValue.parse(answer.body))
    }

    @Test("the twin refuses a location without status, and answers FAILURE with an int32 error code")
    func twinRefusesLocationWithoutStatus() async throws {
        let twin = FlipkartTwin(environment: TwinEnvironment())
        let fsn = twin.fsn(for: "SKU-1")
        let http = try HTTPClient(configuration: .init())
        let (status, answer) = try await withTwinEndpoint(twin) { base in
            try await Self.post(
                http,
                base,
                "update/inventory",
                #"{"SKU-1":{"product_id":"\#(fsn)","locations":[{"id":"LOC1","inventory":5}]}}"#
            )
        }
        await http.shutdown()
        #expect(status == 200)
        #expect(answer["SKU-1"]?["status"] == .string("FAILURE"))
        let error = answer["SKU-1"]?["errors"]?.arrayValue?.first
        #expect(error?["description"] == .string("locations.status is required"))
        #expect(error?["code"]?.integerValue != nil)
        #expect(await twin.listings(marketplace: "IN").isEmpty)
    }

    @Test("the twin refuses prices sent as 1099.00 or \"1099\" (int32 rupees) and accepts 1099")
    func twinRefusesNonIntegerPrices() async throws {
        let twin = FlipkartTwin(environment: TwinEnvironment())
        let fsn = twin.fsn(for: "SKU-1")
        let http = try HTTPClient(configuration: .init())
        func body(_ mrp: String, _ selling: String) -> String {
            #"{"SKU-1":{"product_id":"\#(fsn)","price":{"mrp":\#(mrp),"selling_price":\#(selling),"currency":"INR"}}}"#
        }
        let answers = try await withTwinEndpoint(twin) { base in
            [
                try await Self.post(http, base, "update/price", body("1299.00", "1099.00")).1,
                try await Self.post(http, base, "update/price", body("1299", #""1099""#)).1,
                try await Self.post(http, base, "update/price", body("1299", "1099")).1,
            ]
        }
        await http.shutdown()
        let fractional = answers[0]["SKU-1"]?["errors"]?.arrayValue?.compactMap { $0["description"]?.stringValue }
        #expect(
            fractional == [
                "mrp must be an int32 (whole rupees), got number",
                "selling_price must be an int32 (whole rupees), got number",
            ]
        )
        let string = answers[1]["SKU-1"]?["errors"]?.arrayValue?.compactMap { $0["description"]?.stringValue }
        #expect(string == ["selling_price must be an int32 (whole rupees), got string"])
        #expect(answers[2]["SKU-1"]?["status"] == .string("SUCCESS"))
        #expect(await twin.listings(marketplace: "IN").first?.price == "1099.00")
    }

    @Test("the adapter sends whole-rupee int32 prices and an ENABLED location; the twin takes every SKU")
    func adapterKeepsTheContract() async throws {
        let projector = try FlipkartFixtures.projector()
        let sample = try FlipkartFixtures.sampleProducts()
        let products = Array(sample.prefix(9)) + sample.filter { $0.sku.rawValue == "PETHA-AGRA-500G" }
        let twin = FlipkartTwin(environment: TwinEnvironment())
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let adapter = try FlipkartAdapterFactory().makeAdapter(
                context: FlipkartTestAccount(baseURL: base).context(http: http)
            )
            let outcomes = await adapter.push(FlipkartFixtures.changes(products, projector: projector), mode: .bulk)
            await http.shutdown()
            for product in products {
                guard case .accepted = outcomes[product.sku] else {
                    Issue.record("\(product.sku): \(String(describing: outcomes[product.sku]))")
                    continue
                }
            }
        }
        // The first sample product: 220.00 INR × 1.12 + 40 = 286.40, nearest rupee 286; stock 180 × 5 % − 2 = 7.
        let first = await twin.listings(marketplace: "IN").first { $0.sku == "PETHA-AGRA-500G" }
        #expect(first?.price == "286.00")
        #expect(first?.quantity == 7)
    }

    @Test("a price or MRP with paise is refused before any call, naming the whole-rupee rule")
    func paiseAreRefusedNotRounded() async throws {
        let projector = try FlipkartFixtures.projector()
        var products = Array(try FlipkartFixtures.sampleProducts().prefix(2))
        products[0].attributes["mrp"] = "1500.50"
        let catalog = products
        let twin = FlipkartTwin(environment: TwinEnvironment())
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let adapter = try FlipkartAdapterFactory().makeAdapter(
                context: FlipkartTestAccount(baseURL: base).context(http: http)
            )
            let changes = FlipkartFixtures.changes(catalog, projector: projector).map { change in
                var priceOnly = change
                priceOnly.facets = [.price]
                return priceOnly
            }
            let outcomes = await adapter.push(changes, mode: .bulk)
            await http.shutdown()
            guard case .rejected(let issues) = outcomes[catalog[0].sku] else {
                Issue.record("\(String(describing: outcomes[catalog[0].sku]))")
                return
            }
            #expect(issues.map(\.code) == ["NOT_WHOLE_RUPEES"])
            #expect(issues.first?.attributeNames == ["mrp"])
            guard case .accepted = outcomes[catalog[1].sku] else {
                Issue.record("\(String(describing: outcomes[catalog[1].sku]))")
                return
            }
        }
        // Only the second SKU reached the twin.
        #expect(await twin.updateBatchSizes() == [1])
    }
}
