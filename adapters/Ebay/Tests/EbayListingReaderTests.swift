import AdapterTestSupport
import Catalog
import CurlHTTP
import EbayAdapter
import EbayTwin
import Foundation
import Sync
import Testing
import TwinSupport

/// The verifier's read-back on eBay: the real adapter's `getOffers` against the twin, a Seller Hub edit
/// through the twin's tampering, and the twin's answer validated against eBay's contract.
@Suite("eBay: getOffers read-back and tampering")
struct EbayListingReaderTests {
    /// PETHA-AGRA-500G pushed to the twin's EBAY_US (hand-computed: 6.99 USD, 4 units; see EbaySyncTests),
    /// then `body` with the adapter as a ``ListingReader``.
    static func withListing(_ body: (EbayTwin, String, any ListingReader, DesiredListing) async throws -> Void)
        async throws
    {
        let projector = try EbayFixtures.usProjector()
        let product = try #require(try EbayFixtures.sampleProducts().first { $0.sku.rawValue == "PETHA-AGRA-500G" })
        let desired = projector.project(product)
        let twin = EbayTwin(environment: TwinEnvironment())
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let adapter = try EbayAdapterFactory().makeAdapter(
                context: EbayTestAccount(baseURL: base).context(http: http)
            )
            let pushed = await adapter.push(
                [ListingChange(desired: desired, facets: Set(Facet.allCases), isNew: true)],
                mode: .single
            )
            #expect(pushed.values.allSatisfy { if case .accepted = $0 { true } else { false } }, "\(pushed)")
            let reader = try #require(adapter as? any ListingReader)
            try await body(twin, base, reader, desired)
            await http.shutdown()
        }
    }

    @Test("a published offer reads back at 6.99 USD × 4, PUBLISHED, with nothing drifted")
    func readsPublishedOffer() async throws {
        try await Self.withListing { _, _, reader, desired in
            let read = await reader.readListing(sku: desired.sku, remoteID: nil)
            guard case .found(let live) = read else {
                Issue.record("not found: \(read)")
                return
            }
            #expect(live.price == Decimal(string: "6.99"))
            #expect(live.currencyCode == "USD")
            #expect(live.quantity == 4)
            #expect(live.availability == .active)
            #expect(live.platformStatus == "PUBLISHED")
            #expect(ListingDrift.compare(desired: desired, read: read, checked: Set(Facet.allCases)) == nil)
            #expect(reader.readOperation == "sell.inventory")
        }
    }

    @Test("an unknown SKU is missing: eBay's 404 with error 25713")
    func unknownSKUIsMissing() async throws {
        try await Self.withListing { _, base, reader, _ in
            #expect(await reader.readListing(sku: SKU(trusted: "NO-SUCH-SKU"), remoteID: nil) == .missing)
            let http = try HTTPClient(configuration: .init())
            let token = try await Self.token(http, base)
            let answer = try await http.execute(
                HTTPRequest(
                    method: .get,
                    url: base + "/ebay/sell/inventory/v1/offer?sku=NO-SUCH-SKU&marketplace_id=EBAY_US",
                    headers: ["Authorization": "Bearer \(token)"]
                )
            )
            await http.shutdown()
            #expect(answer.status == 404)
            #expect(answer.bodyText.contains(#""errorId":25713"#))
        }
    }

    @Test("a Seller Hub edit of the quantity and an unpublished offer read back as drift and an inactive listing")
    func tamperedOfferReadsBack() async throws {
        try await Self.withListing { twin, _, reader, desired in
            let shown = try await twin.tamper(
                ListingTamper(
                    platform: "ebay",
                    marketplace: "EBAY_US",
                    sku: "PETHA-AGRA-500G",
                    quantity: 9,
                    status: .inactive
                )
            )
            #expect(shown.quantity == 9)
            let read = await reader.readListing(sku: desired.sku, remoteID: nil)
            guard case .found(let live) = read else {
                Issue.record("not found: \(read)")
                return
            }
            #expect(live.quantity == 9)
            #expect(live.availability == .inactive)
            #expect(live.platformStatus == "UNPUBLISHED")
            let drift = ListingDrift.compare(desired: desired, read: read, checked: Set(Facet.allCases))
            #expect(drift?.reason == "drift: quantity 9 on ebay-us, expected 4")
            #expect(drift?.facets == [.quantity])
            await #expect(throws: TamperError.self) {
                _ = try await twin.tamper(
                    ListingTamper(platform: "ebay", marketplace: "EBAY_US", sku: "NOPE", quantity: 1)
                )
            }
        }
    }

    @Test("the twin's getOffers answer validates against the contract's Offers schema")
    func getOffersAnswerMatchesTheContract() async throws {
        try await Self.withListing { twin, base, _, _ in
            _ = try await twin.tamper(
                ListingTamper(platform: "ebay", marketplace: "EBAY_US", sku: "PETHA-AGRA-500G", status: .suppressed)
            )
            let http = try HTTPClient(configuration: .init())
            let token = try await Self.token(http, base)
            let answer = try await http.execute(
                HTTPRequest(
                    method: .get,
                    url: base + "/ebay/sell/inventory/v1/offer?sku=PETHA-AGRA-500G&marketplace_id=EBAY_US",
                    headers: ["Authorization": "Bearer \(token)"]
                )
            )
            await http.shutdown()
            #expect(answer.status == 200)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("ebay-offers-\(UUID()).json")
            try Data(answer.body).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let spec = SampleCatalog.repositoryRoot.appendingPathComponent(
                "../shared/specs/ebay/sell_inventory_v1_oas3.json"
            )
            .standardized
            let script = SampleCatalog.repositoryRoot.appendingPathComponent("adapters/Ebay/Tests/validate_openapi.py")
            let (status, output) = try await EbayContractTests.run([
                "python3", script.path, spec.path, "Offers", file.path,
            ])
            #expect(status == 0, "\(output)")
            #expect(answer.bodyText.contains(#""listingOnHold":true"#))
        }
    }

    /// An access token from the twin's OAuth endpoint.
    static func token(_ http: HTTPClient, _ base: String) async throws -> String {
        let response = try await http.execute(
            HTTPRequest(
                method: .post,
                url: base + "/ebay/identity/v1/oauth2/token",
                headers: [
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Authorization": "Basic " + Data("id:secret".utf8).base64EncodedString(),
                ],
                body: Array("grant_type=refresh_token&refresh_token=r&scope=x".utf8)
            )
        )
        #expect(response.status == 200, "\(response.bodyText)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        return try #require(object["access_token"] as? String)
    }
}
