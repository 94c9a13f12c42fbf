import Catalog
import CurlHTTP
import Foundation
import Sync
import Testing

@testable import AmazonAdapter

/// The verifier's read-back on Amazon: the real adapter's `getListingsItem` against the twin, the
/// twin's answers validated against the official model, and a Seller Central edit through
/// `POST /_sandbox/tamper`.
@Suite("Amazon: getListingsItem read-back and tampering")
struct AmazonListingReaderTests {
    typealias H = TwinHarness
    static let seller = "A2EUEXAMPLE02"

    /// Runs `body` with the twin and an amazon-uk adapter on it, one listing `READ-1` stored at 24.99 GBP × 20.
    static func withListing(_ body: (TwinHarness, AmazonAdapterRig) async throws -> Void) async throws {
        try await H.with { twin in
            let port = try #require(URL(string: twin.baseURL)?.port)
            let token = try await twin.token()
            let put = try await twin.call(
                .put,
                H.itemPath("READ-1", seller: Self.seller, marketplaceIds: H.unitedKingdom),
                token: token,
                body: H.putBody(
                    title: "Agra Petha, Classic White, 500 g",
                    price: "24.99",
                    currency: "GBP",
                    quantity: 20,
                    marketplaceID: H.unitedKingdom
                )
            )
            #expect(put.status == 200, "\(put.bodyText)")
            try await AmazonAdapterRig.with(port: port, tokenPath: "/amazon/auth/o2/token") { rig in
                try await body(twin, rig)
            }
        }
    }

    func tamper(_ twin: TwinHarness, _ json: String) async throws -> HTTPResponse {
        try await twin.call(.post, "/_sandbox/tamper", token: nil, body: json)
    }

    @Test("a stored listing reads back with its price, quantity, title and BUYABLE status")
    func readsStoredListing() async throws {
        try await Self.withListing { _, rig in
            guard case .found(let live) = await rig.adapter.readListing(sku: SKU(trusted: "READ-1"), remoteID: nil)
            else {
                Issue.record("READ-1 not found")
                return
            }
            #expect(live.price == Decimal(string: "24.99"))
            #expect(live.currencyCode == "GBP")
            #expect(live.quantity == 20)
            #expect(live.title == "Agra Petha, Classic White, 500 g")
            #expect(live.availability == .active)
            #expect(live.platformStatus == "BUYABLE,DISCOVERABLE")
            #expect(live.issues.isEmpty)
            // The rig's desired listing of READ-1 is 24.99 GBP × 20 with that title: nothing drifted.
            let desired = try AmazonAdapterRig.listing("READ-1")
            #expect(ListingDrift.compare(desired: desired, read: .found(live), checked: Set(Facet.allCases)) == nil)
        }
    }

    @Test("a SKU Amazon does not have is missing (the twin's 404 NOT_FOUND)")
    func unknownSKUIsMissing() async throws {
        try await Self.withListing { _, rig in
            #expect(await rig.adapter.readListing(sku: SKU(trusted: "NOPE-9"), remoteID: nil) == .missing)
        }
    }

    @Test("a Seller Central edit of price and a suppression read back as drift and a suppressed listing with its issue")
    func tamperedListingReadsBack() async throws {
        try await Self.withListing { twin, rig in
            let answer = try await tamper(
                twin,
                #"{"platform":"amazon","marketplace":"UK","sku":"READ-1","price":"26.50","status":"suppressed"}"#
            )
            #expect(answer.status == 200, "\(answer.bodyText)")
            let read = await rig.adapter.readListing(sku: SKU(trusted: "READ-1"), remoteID: nil)
            guard case .found(let live) = read else {
                Issue.record("READ-1 not found after tampering")
                return
            }
            #expect(live.availability == .suppressed)
            #expect(live.platformStatus == "")
            #expect(live.issues.map(\.code) == ["18027"])
            let drift = ListingDrift.compare(
                desired: try AmazonAdapterRig.listing("READ-1"),
                read: read,
                checked: Set(Facet.allCases)
            )
            #expect(drift?.reason == "drift: price 26.50 on amazon-uk, expected 24.99")
            #expect(drift?.facets == [.price])

            let unknown = try await tamper(
                twin,
                #"{"platform":"amazon","marketplace":"UK","sku":"NOPE-9","quantity":1}"#
            )
            #expect(unknown.status == 404)
            let empty = try await tamper(twin, #"{"platform":"amazon","marketplace":"UK","sku":"READ-1"}"#)
            #expect(empty.status == 400)
        }
    }

    @Test(
        "getListingsItem answers in the model's Item shape, and refuses an unknown includedData with 400 InvalidInput"
    )
    func twinAnswersInTheModelsShapes() async throws {
        try await Self.withListing { twin, _ in
            let token = try await twin.token()
            _ = try await tamper(
                twin,
                #"{"platform":"amazon","marketplace":"UK","sku":"READ-1","status":"suppressed"}"#
            )
            let item = try await twin.call(
                .get,
                H.itemPath(
                    "READ-1",
                    seller: Self.seller,
                    marketplaceIds: H.unitedKingdom,
                    query: "&includedData=\(ListingsItemReader.includedData)"
                ),
                token: token
            )
            #expect(item.status == 200)
            try await SchemaValidator.expectValid(
                item.body,
                schema: "listingsItems_2021-08-01.json",
                definition: "Item"
            )
            let bad = try await twin.call(
                .get,
                H.itemPath(
                    "READ-1",
                    seller: Self.seller,
                    marketplaceIds: H.unitedKingdom,
                    query: "&includedData=summaries,prices"
                ),
                token: token
            )
            #expect(bad.status == 400)
            try await SchemaValidator.expectValid(
                bad.body,
                schema: "listingsItems_2021-08-01.json",
                definition: "ErrorList"
            )
            let error = try #require((try H.object(bad)["errors"] as? [[String: Any]])?.first)
            #expect(error["code"] as? String == "InvalidInput")
            #expect((error["message"] as? String)?.contains("prices") == true)
            let missing = try await twin.call(
                .get,
                H.itemPath("NOPE-9", seller: Self.seller, marketplaceIds: H.unitedKingdom),
                token: token
            )
            #expect(missing.status == 404)
            try await SchemaValidator.expectValid(
                missing.body,
                schema: "listingsItems_2021-08-01.json",
                definition: "ErrorList"
            )
        }
    }
}
