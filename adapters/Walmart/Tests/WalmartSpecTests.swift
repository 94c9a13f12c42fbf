import AdapterTestSupport
import Catalog
import CurlHTTP
import Foundation
import Sync
import Testing
import TwinSupport
import WalmartTwin

@testable import WalmartAdapter

/// The Walmart adapter and twin held to Walmart's published models (`../shared/specs/walmart/`) and
/// item spec 5.0: paginated feed status, the item body, multipart feed uploads, model-checked bodies.
@Suite("Walmart against its published contract")
struct WalmartSpecTests {
    /// A token from the twin, for raw requests.
    static func token(_ base: String, _ http: HTTPClient) async throws -> String {
        let response = try await http.execute(
            HTTPRequest(
                method: .post,
                url: base + "/v3/token",
                headers: [
                    "WM_SVC.NAME": "Walmart Marketplace", "WM_QOS.CORRELATION_ID": "t",
                    "Authorization": "Basic " + Data("id:secret".utf8).base64EncodedString(),
                    "Content-Type": "application/x-www-form-urlencoded",
                ],
                body: Array("grant_type=client_credentials".utf8)
            )
        )
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return try #require(json?["access_token"] as? String)
    }

    /// `method base+path` with the twin's headers and a fresh token.
    static func call(
        _ http: HTTPClient,
        _ base: String,
        _ method: HTTPMethod,
        _ path: String,
        body: [UInt8]? = nil,
        contentType: String = "application/json"
    ) async throws -> HTTPResponse {
        var headers: HTTPHeaders = [
            "WM_SVC.NAME": "Walmart Marketplace", "WM_QOS.CORRELATION_ID": "c",
            "WM_SEC.ACCESS_TOKEN": try await token(base, http), "Content-Type": contentType,
        ]
        headers.add(name: "Accept", value: "application/json")
        return try await http.execute(HTTPRequest(method: method, url: base + path, headers: headers, body: body))
    }

    @Test("a feed of 60 items is read page by page: the SKUs past the first 50 are resolved too")
    func feedStatusIsPaginated() async throws {
        let twin = makeTwin()
        let projector = try walmartProjector()
        let products = sampleProducts(count: 60, prefix: "WP")
        var configuration = fastFeeds
        configuration.statusPageSize = 25
        let http = try HTTPClient(configuration: .init())
        let outcomes = try await withTwinEndpoint(twin) { base in
            let adapter = WalmartAdapter(
                context: walmartContext(baseURL: base, http: http),
                configuration: configuration
            )
            return await adapter.push(newChanges(products, projector), mode: .bulk)
        }
        await http.shutdown()
        #expect(outcomes.count == 60)
        for product in products { #expect(outcomes[product.sku] == .accepted(newChanges([product], projector)[0])) }
        await expectListings(twin, products, projector)
        #expect(await twin.feedsSubmitted("MP_ITEM") == 1)
    }

    @Test("the twin answers feed status 50 items at a time unless asked, from offset, in the feeds model's shape")
    func twinPaginatesStatus() async throws {
        let twin = makeTwin()
        let projector = try walmartProjector()
        let http = try HTTPClient(configuration: .init())
        let pages = try await withTwinEndpoint(twin) { base in
            let adapter = WalmartAdapter(context: walmartContext(baseURL: base, http: http), configuration: fastFeeds)
            _ = await adapter.push(newChanges(sampleProducts(count: 60, prefix: "WS"), projector), mode: .bulk)
            var pages: [[String: Any]] = []
            let id = try #require(await twin.feedIDs("MP_ITEM").first)
            let models = try #require(WalmartModelCheck.locate(), "../shared/specs/walmart beside the repository")
            for query in ["", "&offset=50", "&offset=10&limit=5"] {
                let response = try await Self.call(http, base, .get, "/v3/feeds/\(id)?includeDetails=true" + query)
                // Each page in the documented shape (us-mp-feeds.json PartnerFeedResponse).
                #expect(models.problems(response.body, file: "us-mp-feeds.json", schema: "PartnerFeedResponse") == [])
                pages.append(
                    try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
                )
            }
            return pages
        }
        await http.shutdown()
        func skus(_ page: [String: Any]) -> [String] {
            ((page["itemDetails"] as? [String: Any])?["itemIngestionStatus"] as? [[String: Any]] ?? []).compactMap {
                $0["sku"] as? String
            }
        }
        #expect(
            skus(pages[0]).count == 50 && pages[0]["limit"] as? Int == 50 && pages[0]["itemsReceived"] as? Int == 60
        )
        #expect(skus(pages[1]) == (51...60).map { String(format: "WS-%03d", $0) })
        #expect(skus(pages[2]) == (11...15).map { String(format: "WS-%03d", $0) })
    }

    @Test("the item body is spec 5.0: header with subset, GTIN-14, the mapped category, productSecondaryImageURL")
    func itemBodyFollowsSpec() throws {
        let projector = try walmartProjector()
        var product = sampleProducts(count: 1, prefix: "WI")[0]
        product.imageURLs = ["https://img.example/a.jpg", "https://img.example/b.jpg"]
        let adapter = try WalmartSpecTests.adapterOffline(configuration: fastFeeds)
        guard case .success(let item) = adapter.item(projector.project(product)) else {
            Issue.record("the item was refused")
            return
        }
        let feed = WalmartWire.ItemFeed(header: WalmartItemSpec.header, items: [item])
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(WalmartAdapter.encode(feed))) as? [String: Any]
        )
        let header = try #require(json["MPItemFeedHeader"] as? [String: String])
        #expect(
            header == [
                "businessUnit": "WALMART_US", "locale": "en", "version": "5.0.20250828-17_32_59", "subset": "EXTERNAL",
            ]
        )
        let entry = try #require((json["MPItem"] as? [[String: Any]])?.first)
        let orderable = try #require(entry["Orderable"] as? [String: Any])
        // testGTIN(1) = 890 000000001 + check digit 2 (3·1 + 3·9 + 1·8 = 38); padded to GTIN-14.
        #expect(
            orderable["productIdentifiers"] as? [String: String] == [
                "productIdType": "GTIN", "productId": "08900000000012",
            ]
        )
        let visible = try #require(entry["Visible"] as? [String: [String: Any]])
        #expect(Array(visible.keys) == ["Home Decor"])
        #expect(visible["Home Decor"]?["productSecondaryImageURL"] as? [String] == ["https://img.example/b.jpg"])
        #expect(visible["Home Decor"]?["additionalImageUrls"] == nil)
        #expect(visible["Home Decor"]?["productName"] as? String == product.title)
    }

    /// An adapter whose context points nowhere (for building bodies only).
    static func adapterOffline(configuration: WalmartAdapter.Configuration) throws -> WalmartAdapter {
        WalmartAdapter(
            context: walmartContext(baseURL: "http://127.0.0.1:9", http: try HTTPClient(configuration: .init())),
            configuration: configuration
        )
    }

    @Test("a product without GTIN/UPC, with a bad check digit, or of an unmapped type is refused before any feed")
    func refusedBeforeTheFeed() async throws {
        let twin = makeTwin()
        let projector = try walmartProjector()
        var products = sampleProducts(count: 3, prefix: "WN")
        products[0].attributes = [:]
        products[1].attributes = ["gtin": "8900000000013"]
        products[2].productType = "TOY"
        let http = try HTTPClient(configuration: .init())
        let outcomes = try await withTwinEndpoint(twin) { base in
            let adapter = WalmartAdapter(context: walmartContext(baseURL: base, http: http), configuration: fastFeeds)
            return await adapter.push(newChanges(products, projector), mode: .bulk)
        }
        await http.shutdown()
        func code(_ index: Int) -> String? {
            guard case .rejected(let issues) = outcomes[products[index].sku] else { return nil }
            return issues.first?.code
        }
        #expect(code(0) == "MISSING_PRODUCT_ID" && code(1) == "INVALID_PRODUCT_ID" && code(2) == "NO_WALMART_CATEGORY")
        #expect(await twin.feedsSubmitted("MP_ITEM") == 0)
    }

    static let oldItem = #"""
        {"MPItemFeedHeader":{"version":"4.8","sellingChannel":"marketplace","processMode":"REPLACE","locale":"en"},
         "MPItem":[{"Orderable":{"sku":"A","productName":"Lamp","price":9.97},
                    "Visible":{"HOME_DECOR":{"shortDescription":"x","additionalImageUrls":["https://i/2.jpg"]}}}]}
        """#

    static let newHeaderOldItem = #"""
        {"MPItemFeedHeader":{"businessUnit":"WALMART_US","locale":"en","version":"5.0.20250828-17_32_59","subset":"EXTERNAL"},
         "MPItem":[{"Orderable":{"sku":"A","price":9.97,"productIdentifiers":{"productIdType":"GTIN","productId":"08900000000013"}},
                    "Visible":{"HOME_DECOR":{"productName":"Lamp","additionalImageUrls":["https://i/2.jpg"]}}}]}
        """#

    @Test("the twin refuses a feed posted as raw JSON, and an item file with a 4.8 header")
    func twinRefusesRawAndOldHeader() async throws {
        let twin = makeTwin()
        let http = try HTTPClient(configuration: .init())
        let (raw, header) = try await withTwinEndpoint(twin) { base in
            let raw = try await Self.call(
                http,
                base,
                .post,
                "/v3/feeds?feedType=MP_ITEM",
                body: Array(Self.newHeaderOldItem.utf8)
            )
            let old = WalmartFeedRunner.Upload(file: Array(Self.oldItem.utf8))
            let header = try await Self.call(
                http,
                base,
                .post,
                "/v3/feeds?feedType=MP_ITEM",
                body: old.body,
                contentType: old.contentType
            )
            return (raw, header)
        }
        await http.shutdown()
        #expect(raw.status == 400 && raw.bodyText.contains("with a part named file"))
        #expect(header.status == 400 && header.bodyText.contains("4.8 is not supported"))
        #expect(await twin.feedsSubmitted("MP_ITEM") == 0)
    }

    @Test("the twin's item check refuses a catalog product type as category, additionalImageUrls and a bad GTIN")
    func twinRefusesOldItemFields() throws {
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(Self.newHeaderOldItem.utf8)) as? [String: Any]
        )
        let items = try #require(WalmartTwin.itemCheck(root, categories: ["Home Decor"]))
        #expect(items.count == 1)
        #expect(
            Set(items[0]) == [
                "ERR_EXT_DATA_0101005 productId", "ERR_EXT_DATA_0301001 Visible",
                "ERR_EXT_DATA_0101010 additionalImageUrls",
            ]
        )
    }

    @Test("a price body that departs from Walmart's Price model is refused by the twin in Walmart's error shape")
    func twinChecksPriceModel() async throws {
        let twin = makeTwin()
        #expect(twin.checksModels, "../shared/specs/walmart must be beside the repository")
        let http = try HTTPClient(configuration: .init())
        let response = try await withTwinEndpoint(twin) { base in
            let body =
                #"{"sku":"A","pricing":[{"currentPriceType":"LIST","currentPrice":{"currency":"USD","amount":"9.97"}}]}"#
            return try await Self.call(http, base, .put, "/v3/price", body: Array(body.utf8))
        }
        await http.shutdown()
        #expect(response.status == 400)
        // The field's path and the model's words for it (the enum is us-mp-price.json's, by hand).
        #expect(
            response.bodyText.contains(
                #"$.pricing[0].currentPriceType: \"LIST\" is not one of [\"BASE\", \"REDUCED\", \"CLEARANCE\"]"#
            ),
            "\(response.bodyText)"
        )
        #expect(response.bodyText.contains("$.pricing[0].currentPrice.amount: expected number, got string"))
    }

    @Test("the factory requires the channel's categories and keeps derived GTINs away from Walmart's host")
    func factoryChecks() throws {
        let factory = WalmartAdapterFactory()
        let account = AccountSettings(
            name: "walmart",
            platform: "walmart",
            extra: ["sandbox_derived_gtin": "true"],
            credentials: ["client_id": Secret("i"), "client_secret": Secret("s")]
        )
        let bare = ChannelSettings(name: "walmart-us", marketplace: "US", currency: .usd)
        #expect(factory.check(account: account, channel: bare).contains { "\($0)".contains("categories") })
        var mapped = bare
        mapped.extra = ["categories": "*=Home Decor"]
        #expect(factory.check(account: account, channel: mapped).isEmpty)
        let context = AdapterContext.forTests(
            account: account,
            channel: mapped,
            http: try HTTPClient(configuration: .init()),
            rateLimiter: RateLimiter(quotas: [])
        )
        #expect(throws: AdapterError.self) { _ = try factory.makeAdapter(context: context) }
    }

    @Test("a GTIN derived for a sandbox SKU is a valid GTIN-14 and the same every time")
    func derivedGTIN() {
        let gtin = WalmartItemSpec.derivedGTIN("PETHA-AGRA-500G")
        #expect(gtin.count == 14 && gtin.hasPrefix("0890") && WalmartItemSpec.hasValidCheckDigit(gtin))
        #expect(gtin == WalmartItemSpec.derivedGTIN("PETHA-AGRA-500G"))
        #expect(
            WalmartItemSpec.hasValidCheckDigit("8900000000012") && !WalmartItemSpec.hasValidCheckDigit("8900000000013")
        )
    }
}
