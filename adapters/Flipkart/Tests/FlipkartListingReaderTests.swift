import AdapterTestSupport
import Catalog
import CurlHTTP
import FlipkartAdapter
import FlipkartTwin
import Foundation
import Sync
import Testing
import TwinSupport

/// The verifier's read-back on Flipkart: the real adapter's `GET /sellers/listings/v3/{skuIds}` against
/// the twin, Seller Hub edits through the twin's tampering, and the twin refusing shipments searches
/// Flipkart refuses.
@Suite("Flipkart: get-listings read-back, tampering and refused shipments searches")
struct FlipkartListingReaderTests {
    /// PETHA-AGRA-500G pushed to the twin (hand-computed in FlipkartSyncTests: 220 × 1.12 + 40 = 286.4
    /// → 286 INR; 180 × 5 % = 9, − 2 = 7 units), then `body` with the adapter as a ``ListingReader``.
    static func withListing(_ body: (FlipkartTwin, String, any ListingReader, DesiredListing) async throws -> Void)
        async throws
    {
        let projector = try FlipkartFixtures.projector()
        let product = try #require(try FlipkartFixtures.sampleProducts().first { $0.sku.rawValue == "PETHA-AGRA-500G" })
        let desired = projector.project(product)
        let twin = FlipkartTwin(environment: TwinEnvironment())
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            let adapter = try FlipkartAdapterFactory().makeAdapter(
                context: FlipkartTestAccount(baseURL: base).context(http: http)
            )
            let pushed = await adapter.push(FlipkartFixtures.changes([product], projector: projector), mode: .single)
            #expect(pushed.values.allSatisfy { if case .accepted = $0 { true } else { false } }, "\(pushed)")
            let reader = try #require(adapter as? any ListingReader)
            try await body(twin, base, reader, desired)
            await http.shutdown()
        }
    }

    /// The live listing of a read, or a recorded issue.
    static func live(_ read: ListingRead) -> LiveListing? {
        guard case .found(let live) = read else {
            Issue.record("not found: \(read)")
            return nil
        }
        return live
    }

    @Test("a pushed listing reads back at 286 INR × 7, ACTIVE, with nothing drifted")
    func readsPushedListing() async throws {
        try await Self.withListing { _, _, reader, desired in
            let read = await reader.readListing(sku: desired.sku, remoteID: nil)
            guard let live = Self.live(read) else { return }
            #expect(live.price == 286)
            #expect(live.currencyCode == "INR")
            #expect(live.quantity == 7)
            #expect(live.availability == .active)
            #expect(live.platformStatus == "ACTIVE")
            #expect(ListingDrift.compare(desired: desired, read: read, checked: [.price, .quantity]) == nil)
            #expect(reader.readOperation == "listings.v3")
        }
    }

    @Test("a SKU Flipkart calls invalid reads back as missing")
    func invalidSKUIsMissing() async throws {
        try await Self.withListing { _, _, reader, _ in
            #expect(await reader.readListing(sku: SKU(trusted: "NO SUCH SKU"), remoteID: nil) == .missing)
        }
    }

    @Test(
        "Seller Hub edits read back: price 300 and 9 units drift; DISABLED locations sell 0; INACTIVE is inactive; active undoes both"
    )
    func tamperedListingReadsBack() async throws {
        try await Self.withListing { twin, _, reader, desired in
            let shown = try await twin.tamper(
                ListingTamper(
                    platform: "flipkart",
                    marketplace: "IN",
                    sku: "PETHA-AGRA-500G",
                    price: "300",
                    quantity: 9
                )
            )
            #expect(shown.price == "300.00")
            #expect(shown.quantity == 9)
            var read = await reader.readListing(sku: desired.sku, remoteID: nil)
            #expect(Self.live(read)?.price == 300)
            #expect(Self.live(read)?.quantity == 9)
            let drift = ListingDrift.compare(desired: desired, read: read, checked: [.price, .quantity])
            #expect(
                drift?.reason == "drift: price 300.00 on flipkart, expected 286.00; quantity 9 on flipkart, expected 7"
            )
            #expect(drift?.facets == [.price, .quantity])

            _ = try await twin.tamper(
                ListingTamper(platform: "flipkart", marketplace: "IN", sku: "PETHA-AGRA-500G", status: .suppressed)
            )
            read = await reader.readListing(sku: desired.sku, remoteID: nil)
            #expect(Self.live(read)?.quantity == 0)
            #expect(Self.live(read)?.availability == .inactive)
            #expect(Self.live(read)?.platformStatus == "ACTIVE,DISABLED")

            _ = try await twin.tamper(
                ListingTamper(platform: "flipkart", marketplace: "IN", sku: "PETHA-AGRA-500G", status: .inactive)
            )
            read = await reader.readListing(sku: desired.sku, remoteID: nil)
            #expect(Self.live(read)?.platformStatus == "INACTIVE,DISABLED")
            await #expect(throws: SandboxOrderError.self) {
                _ = try await twin.placeOrder(marketplace: "IN", sku: "PETHA-AGRA-500G", quantity: 1)
            }

            _ = try await twin.tamper(
                ListingTamper(platform: "flipkart", marketplace: "IN", sku: "PETHA-AGRA-500G", status: .active)
            )
            read = await reader.readListing(sku: desired.sku, remoteID: nil)
            #expect(Self.live(read)?.availability == .active)
            #expect(Self.live(read)?.platformStatus == "ACTIVE")
            #expect(Self.live(read)?.quantity == 9)

            await #expect(throws: TamperError.self) {
                _ = try await twin.tamper(
                    ListingTamper(platform: "flipkart", marketplace: "IN", sku: "PETHA-AGRA-500G", price: "300.50")
                )
            }
            await #expect(throws: TamperError.self) {
                _ = try await twin.tamper(
                    ListingTamper(platform: "flipkart", marketplace: "IN", sku: "NOPE", quantity: 1)
                )
            }
        }
    }

    @Test(
        "the twin refuses shipments searches Flipkart refuses (type, states, cancellationType, dates, pageSize, next_token) with a 400 in Flipkart's error shape"
    )
    func twinRefusesBadShipmentSearches() async throws {
        let twin = FlipkartTwin(environment: TwinEnvironment())
        let http = try HTTPClient(configuration: .init())
        defer { Task { await http.shutdown() } }
        try await withTwinEndpoint(twin) { base in
            let token = try await FlipkartContractTests.token(http, base)
            func search(_ body: String) async throws -> (Int, JSONValue) {
                let answer = try await http.execute(
                    HTTPRequest(
                        method: .post,
                        url: base + "/sellers/v3/shipments/filter",
                        headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
                        body: Array(body.utf8)
                    )
                )
                return (answer.status, try JSONValue.parse(answer.body))
            }
            let refused: [(String, String)] = [
                (#"{"filter":{"type":"allOrders","states":["APPROVED"]}}"#, "$.filter.type"),
                (#"{"filter":{"states":["APPROVED"]}}"#, "$.filter.type"),
                (#"{"filter":{"type":"preDispatch"}}"#, "$.filter.states"),
                (#"{"filter":{"type":"preDispatch","states":["SHIPPED"]}}"#, "$.filter.states"),
                (#"{"filter":{"type":"cancelled"}}"#, "$.filter.cancellationType"),
                (
                    #"{"filter":{"type":"preDispatch","states":["APPROVED"],"modifiedDate":{"from":"yesterday"}}}"#,
                    "$.filter.modifiedDate.from"
                ),
                (
                    #"{"filter":{"type":"preDispatch","states":["APPROVED"],"orderDate":{"from":"2026-12-02T00:00:00Z","to":"2026-12-01T00:00:00Z"}}}"#,
                    "$.filter.orderDate.from"
                ),
                (
                    #"{"filter":{"type":"preDispatch","states":["APPROVED"]},"pagination":{"pageSize":21}}"#,
                    "$.pagination.pageSize"
                ),
            ]
            for (body, path) in refused {
                let (status, answer) = try await search(body)
                #expect(status == 400, "\(body)")
                let error = answer["errors"]?.arrayValue?.first
                #expect(error?["path"]?.stringValue == path, "\(body)")
                #expect(error?["severity"]?.stringValue == "ERROR")
                #expect(error?["code"]?.integerValue != nil, "int32 code, as Flipkart's listings errors")
            }
            let (status, answer) = try await search(
                #"{"filter":{"type":"preDispatch","states":["APPROVED"],"modifiedDate":{"from":"2026-12-01T00:00:00+05:30"}},"pagination":{"pageSize":20}}"#
            )
            #expect(status == 200)
            #expect(answer["hasMore"] == .bool(false))
            #expect(answer["shipments"] == .array([]))

            let badToken = try await http.execute(
                HTTPRequest(
                    method: .get,
                    url: base + "/sellers/v3/shipments/filter?next_token=not-a-token",
                    headers: ["Authorization": "Bearer \(token)"]
                )
            )
            #expect(badToken.status == 400)
            let noBearer = try await http.execute(
                HTTPRequest(method: .post, url: base + "/sellers/v3/shipments/filter", body: Array("{}".utf8))
            )
            #expect(noBearer.status == 401)
        }
    }
}
