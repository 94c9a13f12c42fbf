import AdapterTestSupport
import Catalog
import CurlHTTP
import EbayTwin
import Foundation
import Sync
import Testing
import TwinSupport

@testable import EbayAdapter

/// What eBay's contract (`../shared/specs/ebay/sell_inventory_v1_oas3.json`) asks beyond well-formed
/// bodies: a site's own business policies (25035), a category per product type and site, `GTC`, one
/// inventory item whose quantity covers every site's offer, and 25760 with the meaning the OAS gives.
@Suite("eBay per-site rules: policies, categories, listingDuration, the shared item's quantity")
struct EbayMarketplaceRulesTests {
    /// Runs `body` with adapters for `channels` on one account (one data store) against one twin.
    static func withAdapters(
        _ channels: [ChannelSettings],
        twin: EbayTwin = EbayTwin(environment: TwinEnvironment(quotasEnabled: false)),
        _ body: ([EbayAdapter], EbayTwin) async throws -> Void
    ) async throws {
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let setup = EbayTestAccount(baseURL: base)
            let factory = EbayAdapterFactory()
            let adapters = try channels.map {
                try factory.makeEbayAdapter(context: setup.context(channel: $0, http: http))
            }
            try await body(adapters, twin)
            await http.shutdown()
        }
    }

    /// A new listing of `product` with `quantity` on the channel of `projector`.
    static func change(_ product: Product, _ projector: ChannelProjector, quantity: Int) -> ListingChange {
        var desired = projector.project(product)
        desired.quantity = quantity
        return ListingChange(desired: desired, facets: [.content, .price, .quantity], isNew: true)
    }

    /// `ebay-uk` of config/sandbox.toml: markup 38 %, add 2.50, ending:0.99, min 4.99; FX GBP 0.00858.
    static func ukProjector() throws -> ChannelProjector {
        try SampleCatalog.projector(
            channel: "ebay-uk",
            currency: .gbp,
            language: "en_GB",
            pricing: ["markup_percent": "38", "add": "2.50", "rounding": "ending:0.99", "min": "4.99"],
            inventory: ["share_percent": 2, "buffer": 1, "max": 30],
            fx: ["GBP": "0.00858"]
        )
    }

    @Test("an EBAY_GB offer naming EBAY_US business policies fails publishOffer with 25035, in eBay's words")
    func policyOfAnotherMarketplaceIsRefused() async throws {
        var uk = EbayFixtures.ukChannelSettings
        for (key, value) in EbayFixtures.channelKeys(policyDigit: 0) where key.hasSuffix("_policy_id") {
            uk.extra[key] = value
        }
        let product = try EbayFixtures.sampleProducts()[0]
        try await Self.withAdapters([uk]) { adapters, twin in
            let outcome = await adapters[0].push(
                [Self.change(product, try Self.ukProjector(), quantity: 2)],
                mode: .single
            )
            guard case .rejected(let issues)? = outcome[product.sku] else {
                Issue.record("expected a rejection, got \(String(describing: outcome[product.sku]))")
                return
            }
            #expect(issues.map(\.code) == ["25035", "25035", "25035"])
            #expect(issues.first?.message == "The specified policy is not found for the market place")
            #expect(await twin.listings(marketplace: "EBAY_GB").isEmpty)
        }
    }

    @Test("US then GB list one SKU: the shared item holds both shares, and each site shows its own")
    func sharedItemQuantityCoversEveryOffer() async throws {
        let product = try EbayFixtures.sampleProducts()[0]
        try await Self.withAdapters([EbayFixtures.usChannelSettings, EbayFixtures.ukChannelSettings]) {
            adapters,
            twin in
            let us = await adapters[0].push(
                [Self.change(product, try EbayFixtures.usProjector(), quantity: 7)],
                mode: .single
            )
            let gb = await adapters[1].push([Self.change(product, try Self.ukProjector(), quantity: 3)], mode: .bulk)
            #expect(us[product.sku].map { if case .accepted = $0 { true } else { false } } == true, "\(us)")
            #expect(gb[product.sku].map { if case .accepted = $0 { true } else { false } } == true, "\(gb)")
            // The item holds 7 + 3 = 10; the US offer still sells 7, not GB's 3.
            #expect(await twin.listings(marketplace: "EBAY_US").map(\.quantity) == [7])
            #expect(await twin.listings(marketplace: "EBAY_GB").map(\.quantity) == [3])
            // A later stock change on GB alone (3 → 1) keeps US at 7: the item becomes 7 + 1 = 8.
            var desired = try Self.ukProjector().project(product)
            desired.quantity = 1
            let offerID = await twin.offerStatuses(sku: product.sku.rawValue).first { $0.marketplace == "EBAY_GB" }?
                .offerID
            let stock = ListingChange(desired: desired, facets: [.quantity], remoteID: offerID)
            _ = await adapters[1].push([stock], mode: .single)
            #expect(await twin.listings(marketplace: "EBAY_US").map(\.quantity) == [7])
            #expect(await twin.listings(marketplace: "EBAY_GB").map(\.quantity) == [1])
        }
    }

    @Test("a product type without a category on the site is rejected naming the mapping; no offer is created")
    func unmappedProductTypeIsRejected() async throws {
        var us = EbayFixtures.usChannelSettings
        us.extra["categories"] = "TOY:220"
        var product = try EbayFixtures.sampleProducts()[0]
        product.productType = "FOOD"
        let catalogProduct = product
        try await Self.withAdapters([us]) { adapters, twin in
            let outcome = await adapters[0].push(
                [Self.change(catalogProduct, try EbayFixtures.usProjector(), quantity: 2)],
                mode: .single
            )
            guard case .rejected(let issues)? = outcome[catalogProduct.sku] else {
                Issue.record("expected a rejection, got \(String(describing: outcome[catalogProduct.sku]))")
                return
            }
            #expect(issues.map(\.code) == ["CATEGORY_NOT_MAPPED"])
            #expect(issues.first?.message.hasPrefix("product type FOOD has no eBay category on EBAY_US") == true)
            #expect(await twin.offersCreated() == 0)
        }
        let configuration = EbayAdapter.Configuration(
            marketplace: EbayMarketplace.named("EBAY_US")!,
            merchantLocationKey: "L",
            fulfillmentPolicyID: "F",
            paymentPolicyID: "P",
            returnPolicyID: "R",
            categories: ["TOY": "220"],
            defaultCategoryID: "99"
        )
        #expect(configuration.categoryID(productType: "toy") == "220")
        #expect(configuration.categoryID(productType: "FOOD") == "99", "the channel's explicit category_id")
    }

    @Test("offers carry listingDuration GTC, the category of their product type and the site's policies")
    func offerBodiesCarryTheSiteRules() throws {
        let product = try EbayFixtures.sampleProducts()[0]
        let change = Self.change(product, try EbayFixtures.usProjector(), quantity: 2)
        let factory = EbayAdapterFactory()
        let channel = EbayFixtures.usChannelSettings
        #expect(
            factory.check(
                account: AccountSettings(name: "ebay", platform: "ebay", extra: ["merchant_location_key": "L"]),
                channel: channel
            ).isEmpty
        )
        let categories = try #require(EbayAdapterFactory.categories(EbayFixtures.categories))
        let body = try JSONValue.parse(
            EbayRequests.encode(
                EbayRequests.offerWithKeys(
                    change,
                    configuration: EbayAdapter.Configuration(
                        marketplace: EbayMarketplace.named("EBAY_US")!,
                        merchantLocationKey: "AGRA-WH1",
                        fulfillmentPolicyID: "6196934000",
                        paymentPolicyID: "6196937000",
                        returnPolicyID: "6196939000",
                        categories: categories
                    ),
                    categoryID: try #require(categories[product.productType ?? ""])
                )
            )
        )
        #expect(body["listingDuration"] == .string("GTC"))
        #expect(body["categoryId"] == .string(categories[product.productType ?? ""] ?? ""))
        #expect(body["listingPolicies"]?["fulfillmentPolicyId"] == .string("6196934000"))
    }

    @Test(
        "the twin validates bodies against eBay's OAS: a string availableQuantity gets 2004 naming the field",
        .enabled(if: EbayTwin.publishedContract != nil, "needs ../shared/specs/ebay")
    )
    func twinValidatesAgainstTheOAS() async throws {
        let twin = EbayTwin(environment: TwinEnvironment(quotasEnabled: false))
        let http = try HTTPClient(configuration: .init())
        let answer = try await withTwinEndpoint(twin) { base in
            let token = try await http.execute(
                HTTPRequest(
                    method: .post,
                    url: base + "/identity/v1/oauth2/token",
                    headers: [
                        "Authorization": "Basic " + Data("id:secret".utf8).base64EncodedString(),
                        "Content-Type": "application/x-www-form-urlencoded",
                    ],
                    body: Array("grant_type=client_credentials".utf8)
                )
            )
            let bearer = try JSONValue.parse(token.body)["access_token"]?.stringValue ?? ""
            let body = #"{"requests":[{"sku":"A","offers":[{"offerId":"1","availableQuantity":"3"}]}]}"#
            return try await http.execute(
                HTTPRequest(
                    method: .post,
                    url: base + "/sell/inventory/v1/bulk_update_price_quantity",
                    headers: ["Authorization": "Bearer \(bearer)", "Content-Type": "application/json"],
                    body: Array(body.utf8)
                )
            )
        }
        await http.shutdown()
        #expect(answer.status == 400)
        let error = try JSONValue.parse(answer.body)["errors"]?.arrayValue?.first
        #expect(error?["errorId"] == .number("2004"))
        #expect(
            error?["longMessage"]
                == .string("Invalid request: $.requests[0].offers[0].availableQuantity: expected integer, got string")
        )
    }

    @Test("error 25760 is read as eBay's OAS defines it (auction quantity), not as an unpublished offer")
    func error25760IsNotAStaleOffer() {
        let insufficient = ListingOutcome.rejected(issues: [
            MarketplaceIssue(
                code: "25760",
                message: "shipToLocationAvailability quantity insufficient to create auction listings."
            )
        ])
        #expect(!EbayAdapter.isStaleOffer(insufficient))
        #expect(EbayAdapter.isStaleOffer(.rejected(issues: [MarketplaceIssue(code: "25713", message: "gone")])))
    }
}
