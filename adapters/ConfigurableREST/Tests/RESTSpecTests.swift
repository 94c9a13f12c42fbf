import AdapterTestSupport
import Catalog
import Foundation
import Sync
import Testing
import TwinSupport

@testable import ConfigurableRESTAdapter
@testable import RivexaTwin

@Suite("Configurable REST adapter: spec validation and auth variants")
struct RESTSpecTests {
    static let minimal = """
        base_url = "https://partner.example/api"
        auth = { type = "bearer" }
        [facets.price]
        method = "PUT"
        path = "/v1/items/{sku}/price"
        body = '{"price": {"amount": {{price}}, "currency": "{{currency}}"}}'
        """

    /// The configuration key of the first error `text` gives, or `nil` when it loads.
    static func errorKey(_ text: String, file: String = "partner.toml") -> String? {
        do {
            _ = try RESTSpecLoader.parse(text, file: file)
            return nil
        } catch {
            guard case .configuration(let key, _) = error else { return "\(error)" }
            return key
        }
    }

    @Test("the Rivexa spec in config/ loads with every facet, the batch path and its rate limit")
    func rivexaSpecLoads() throws {
        let spec = try RESTSpecLoader.load(path: RivexaFixture.specPath)
        #expect(spec.auth == .bearer)
        #expect(Set(spec.facets.keys) == Set(Facet.allCases))
        #expect(spec.batch?.size == 50)
        #expect(spec.rateLimit == OperationQuota(operation: "request", requestsPerSecond: 5, burst: 10))
        #expect(spec.response.batch?.successValue == "accepted")
    }

    @Test("every spec error names the file and the key")
    func errorsNameFileAndKey() {
        #expect(Self.errorKey(Self.minimal) == nil)
        #expect(
            Self.errorKey(Self.minimal.replacingOccurrences(of: "PUT", with: "FETCH"))
                == "partner.toml: facets.price.method"
        )
        #expect(Self.errorKey(Self.minimal + "\ncolour = 1") == "partner.toml: facets.price.colour")
        #expect(
            Self.errorKey(Self.minimal.replacingOccurrences(of: "{{price}}", with: "{{prize}}"))
                == "partner.toml: facets.price.body"
        )
        #expect(
            Self.errorKey(Self.minimal.replacingOccurrences(of: "{{currency}}", with: "{{currency"))
                == "partner.toml: facets.price.body"
        )
        #expect(
            Self.errorKey(Self.minimal.replacingOccurrences(of: "bearer", with: "oauth")) == "partner.toml: auth.type"
        )
        #expect(
            Self.errorKey(Self.minimal.replacingOccurrences(of: "{sku}", with: "x"))
                == "partner.toml: facets.price.path"
        )
        #expect(
            Self.errorKey(Self.minimal.replacingOccurrences(of: "https://", with: "ftp://")) == "partner.toml: base_url"
        )
        #expect(
            Self.errorKey(Self.minimal + "\n[rate_limit]\nrequests_per_second = 0\nburst = 1")
                == "partner.toml: rate_limit.requests_per_second"
        )
        #expect(
            Self.errorKey(Self.minimal + "\n[response]\nsuccess_status = \"2xx\"")
                == "partner.toml: response.success_status"
        )
        #expect(
            Self.errorKey(
                Self.minimal + "\n[batch]\nmethod = \"POST\"\npath = \"/b\"\nsize = 10\nitem = '{\"sku\": \"{{sku}}\"}'"
            )
                == "partner.toml: response.batch"
        )
        #expect(Self.errorKey("base_url = ") == "partner.toml")
    }

    @Test("an account without a spec, or with a missing file, is reported by check naming the key or path")
    func accountChecks() {
        let factory = ConfigurableRESTAdapterFactory(platform: "rest")
        let channel = ChannelSettings(name: "partner", marketplace: "GLOBAL", currency: .usd)
        let none = AccountSettings(name: "partner", platform: "rest")
        #expect(
            factory.check(account: none, channel: channel).first?.description.hasPrefix("accounts.partner.spec:")
                == true
        )
        let missing = AccountSettings(name: "partner", platform: "rest", extra: ["spec": "/nonexistent/partner.toml"])
        #expect(
            factory.check(account: missing, channel: channel).first?.description.hasPrefix("/nonexistent/partner.toml")
                == true
        )
    }

    @Test("placeholders expand JSON-escaped, the price an exact JSON number, an unknown weight left out")
    func templateRendering() throws {
        let template = try RequestTemplate(
            #"{"t": "{{title}}", "p": {{price}}, "w": {{weight_grams}}, "i": {{image_urls}}}"#
        )
        let content = ListingContent(sku: try SKU(validating: "A-1"), title: "Say \"hi\"\n\\", imageURLs: ["u\"1"])
        let listing = DesiredListing(
            sku: content.sku,
            channel: "c",
            content: content,
            price: Money(minorUnits: 1999, currency: .usd),
            quantity: 3,
            hashes: FacetHashes(content: .init(rawValue: 1), price: .init(rawValue: 2), quantity: .init(rawValue: 3))
        )
        let text = template.render(listing, marketplace: "GLOBAL")
        // The weight is unknown: its member is left out (the body is re-emitted without spaces).
        #expect(text == #"{"t":"Say \"hi\"\n\\","p":19.99,"i":["u\"1"]}"#)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["t"] as? String == "Say \"hi\"\n\\")
    }

    static func variantSpec(_ auth: String) -> String {
        """
        base_url = "https://partner.example"
        auth = \(auth)
        [facets.price]
        method = "PUT"
        path = "/v1/items/{sku}/price"
        body = '{"price": {"amount": {{price}}, "currency": "{{currency}}"}}'
        [response]
        error_message = "error.message"
        error_code = "error.code"
        """
    }

    @Test("the api_key and basic auth variants authenticate with the account's credentials at a twin that checks them")
    func authVariants() async throws {
        let variants: [(String, RivexaTwin.Configuration.Auth, [String: Secret])] = [
            (
                #"{ type = "api_key", header = "X-Partner-Key" }"#, .apiKey(header: "X-Partner-Key"),
                ["api_key": Secret("k-123")]
            ),
            (#"{ type = "basic" }"#, .basic, ["username": Secret("seller"), "password": Secret("pw")]),
        ]
        for (auth, twinAuth, credentials) in variants {
            let spec = try RESTSpecLoader.parse(Self.variantSpec(auth), file: "variant.toml")
            let (projector, _) = try RivexaFixture.projector()
            let product = try RivexaFixture.products(1)[0]
            let change = ListingChange(desired: projector.project(product), facets: [.price])
            let twin = RivexaTwin(environment: TwinEnvironment(), configuration: .init(auth: twinAuth))
            try await LoopbackTwinServer.with(twin) { server in
                let channel = ChannelSettings(name: "rivexa", marketplace: "GLOBAL", currency: .usd)
                let factory = ConfigurableRESTAdapterFactory(platform: "rest")
                var account = AccountSettings(name: "partner", platform: "rest", credentials: credentials)
                account.endpoint = server.baseURL + "/rivexa"
                let context = server.context(
                    account: account,
                    channel: channel,
                    quotas: [],
                    data: InMemoryAdapterDataStore()
                )
                let adapter = try factory.makeRESTAdapter(spec: spec, context: context)
                #expect(adapter.capabilities.facets == [.price])
                #expect(await adapter.push([change], mode: .single)[change.sku] == .accepted(change), "\(auth)")
                #expect(await twin.listings(marketplace: nil).first?.price == change.desired.price.amountString)

                // Without the credential the factory refuses, naming the key; with a wrong shape the twin refuses.
                var bare = account
                bare.credentials = [:]
                #expect(throws: AdapterError.self) {
                    _ = try factory.makeRESTAdapter(
                        spec: spec,
                        context: server.context(
                            account: bare,
                            channel: channel,
                            quotas: [],
                            data: InMemoryAdapterDataStore()
                        )
                    )
                }
                let wrong = try factory.makeRESTAdapter(
                    spec: try RESTSpecLoader.parse(Self.variantSpec(#"{ type = "bearer" }"#), file: "v.toml"),
                    context: server.context(
                        account: AccountSettings(
                            name: "partner",
                            platform: "rest",
                            endpoint: server.baseURL + "/rivexa",
                            credentials: ["token": Secret("t")]
                        ),
                        channel: channel,
                        quotas: [],
                        data: InMemoryAdapterDataStore()
                    )
                )
                let refused = await wrong.push([change], mode: .single)[change.sku]
                // Refused credentials are the account's problem: the channel needs attention, no retry.
                guard case .needsAttention(let reason) = try #require(refused) else {
                    Issue.record("expected refused credentials to need attention, got \(String(describing: refused))")
                    return
                }
                #expect(reason.hasPrefix("rest refused the credentials (401): "), "\(reason)")
            }
        }
    }
}
