import AdapterTestSupport
import Catalog
import CurlHTTP
import Foundation
import Sync
import Testing
import TwinSupport

@testable import ConfigurableRESTAdapter
@testable import RivexaTwin

/// A second partner, Haatbox (`config/haatbox.toml`), with no Swift of its own: OAuth client
/// credentials, a static header and query parameter, errors inside 200 answers, a retry rule for 409,
/// attribute placeholders, and removal by an archive call.
@Suite("Configurable REST adapter: a second partner from config/haatbox.toml alone")
struct HaatboxSpecTests {
    static var specPath: String { RivexaFixture.root.appendingPathComponent("config/haatbox.toml").path }

    static let account = AccountSettings(
        name: "haatbox",
        platform: "rest",
        extra: ["spec": specPath],
        credentials: ["client_id": Secret("catalogsync"), "client_secret": Secret("s3cret")]
    )

    /// Runs `body` with a Haatbox twin and the adapter built from `spec` (default: the file in config/).
    static func withAdapter(
        spec: RESTSpec? = nil,
        _ body: (ConfigurableRESTAdapter, HaatboxTwin, ChannelProjector) async throws -> Void
    ) async throws {
        let twin = HaatboxTwin()
        let (projector, channel) = try RivexaFixture.projector()
        try await LoopbackTwinServer.with(twin) { server in
            let factory = ConfigurableRESTAdapterFactory(platform: "rest")
            var account = Self.account
            account.endpoint = server.baseURL + "/haatbox"
            #expect(factory.check(account: account, channel: channel).isEmpty)
            let context = server.context(
                account: account,
                channel: channel,
                quotas: [],
                data: InMemoryAdapterDataStore()
            )
            let adapter = try factory.makeRESTAdapter(spec: try spec ?? factory.spec(for: account), context: context)
            try await body(adapter, twin, projector)
        }
    }

    /// A product with a material but no colour and no description.
    static func product(_ sku: String = "HBX-001", title: String = "Kantha Throw") throws -> Product {
        Product(
            sku: try SKU(validating: sku),
            title: title,
            price: Money(minorUnits: 120_000, currency: .inr),
            quantity: 400,
            brand: "Bolpur Stitch",
            imageURLs: ["https://img.example/kantha.jpg"],
            attributes: ["material": "cotton"]
        )
    }

    static func newListing(_ product: Product, _ projector: ChannelProjector) -> ListingChange {
        ListingChange(desired: projector.project(product), facets: Set(Facet.allCases), isNew: true)
    }

    @Test("the Haatbox spec loads: OAuth token endpoint, header, query, removal, body success and a 409 rule")
    func specLoads() throws {
        let spec = try RESTSpecLoader.load(path: Self.specPath)
        guard case .oauthClientCredentials(let client) = spec.auth else {
            Issue.record("expected OAuth client credentials, got \(spec.auth)")
            return
        }
        #expect(client.tokenURL == "/oauth2/token" && client.scope == "listings:write" && client.clientAuth == .basic)
        #expect(spec.headers == [RESTSpec.NameValue(name: "Haatbox-Api-Version", value: "2")])
        #expect(spec.query == [RESTSpec.NameValue(name: "channel", value: "catalogsync")])
        #expect(spec.removal?.request.method == "POST" && spec.removal?.absent.contains(404) == true)
        #expect(spec.response.successField?.description == "ok" && spec.response.successValue == "true")
        #expect(spec.response.statusRules.first?.action == .retry(after: .seconds(5)))
    }

    @Test("a listing goes through token, header and query checks, with missing values left out of the body")
    func listingWithMissingValues() async throws {
        try await Self.withAdapter { adapter, twin, projector in
            let change = Self.newListing(try Self.product(), projector)
            #expect(await adapter.push([change], mode: .single)[change.sku] == .accepted(change))
            let listing = try #require(twin.listing("HBX-001"))
            // Hand-computed from the rivexa channel rules: 1200 INR at 0.01128 = 13.536 USD, +50% = 20.304,
            // +1.00 = 21.304, ending .99 = 21.99; stock 2% of 400 = 8, minus buffer 1 = 7.
            #expect(listing.price == Decimal(string: "21.99") && listing.currency == "USD" && listing.stock == 7)
            #expect(listing.material == "cotton" && listing.maker == "Bolpur Stitch")
            #expect(listing.colour == nil && listing.summary == nil)
            #expect(twin.tokensIssued == 1)
        }
    }

    @Test("a 200 whose body says ok:false is a rejection in the partner's words, not a success")
    func errorInsideOK() async throws {
        try await Self.withAdapter { adapter, twin, projector in
            let change = Self.newListing(try Self.product(title: "Kantha Throw [REJECT]"), projector)
            #expect(
                await adapter.push([change], mode: .single)[change.sku]
                    == .rejected(issues: [
                        MarketplaceIssue(
                            code: "prohibited_content",
                            message: "name contains prohibited content: [REJECT]",
                            attributeNames: ["content"]
                        )
                    ])
            )
            #expect(await twin.listings(marketplace: nil).isEmpty)
        }
    }

    @Test("a revoked token is refreshed at the token endpoint and the call goes through")
    func tokenRefresh() async throws {
        try await Self.withAdapter { adapter, twin, projector in
            let first = Self.newListing(try Self.product("HBX-001"), projector)
            #expect(await adapter.push([first], mode: .single)[first.sku] == .accepted(first))
            twin.expireTokens()
            let second = Self.newListing(try Self.product("HBX-002"), projector)
            #expect(await adapter.push([second], mode: .single)[second.sku] == .accepted(second))
            #expect(twin.tokensIssued == 2)
        }
    }

    @Test("409 follows the spec's status rule: retried after 5 s, not dead-lettered")
    func statusRuleRetries() async throws {
        try await Self.withAdapter { adapter, _, projector in
            let change = Self.newListing(try Self.product(title: "Kantha Throw [LOCKED]"), projector)
            #expect(
                await adapter.push([change], mode: .single)[change.sku]
                    == .retry(reason: "PATCH /api/listings/HBX-001 answered 409", after: .seconds(5))
            )
        }
    }

    @Test("a removal archives the listing; archiving one already gone counts as done")
    func removalArchives() async throws {
        try await Self.withAdapter { adapter, twin, projector in
            let change = Self.newListing(try Self.product(), projector)
            #expect(await adapter.push([change], mode: .single)[change.sku] == .accepted(change))
            var removal = change
            removal.isRemoval = true
            removal.isNew = false
            #expect(await adapter.push([removal], mode: .single)[change.sku] == .accepted(removal))
            #expect(await twin.listings(marketplace: nil).isEmpty)
            #expect(await adapter.push([removal], mode: .bulk)[change.sku] == .accepted(removal))
        }
    }

    @Test("without the spec's static header the twin refuses the call: the header really is sent")
    func headerIsNeeded() async throws {
        let text = try String(contentsOfFile: Self.specPath, encoding: .utf8)
            .replacingOccurrences(of: "Haatbox-Api-Version = \"2\"", with: "X-Other = \"2\"")
        let spec = try RESTSpecLoader.parse(text, file: "haatbox-without-header.toml")
        try await Self.withAdapter(spec: spec) { adapter, _, projector in
            let change = Self.newListing(try Self.product(), projector)
            guard case .rejected(let issues) = await adapter.push([change], mode: .single)[change.sku] else {
                Issue.record("expected a rejection")
                return
            }
            #expect(issues.map(\.code) == ["unsupported_version"])
        }
    }
}
