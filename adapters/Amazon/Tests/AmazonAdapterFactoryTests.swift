import AmazonModel
import Catalog
import CurlHTTP
import Logging
import Sync
import Testing

@testable import AmazonAdapter

/// The factory: published quotas, currencies, checks of accounts and channels, credentials.
@Suite("Amazon adapter factory")
struct AmazonAdapterFactoryTests {
    static func account(region: String? = "eu", sellerID: String? = "A2EUEXAMPLE02") -> AccountSettings {
        AccountSettings(name: "amazon-eu", platform: "amazon", region: region, sellerID: sellerID)
    }

    @Test("quotas are the documented rates with the lower burst, JSON_LISTINGS_FEED separately")
    func quotas() {
        let quotas = Dictionary(
            uniqueKeysWithValues: AmazonAdapterFactory().quotas(for: Self.account()).map { ($0.operation, $0) }
        )
        let expected: [String: (Double, Int)] = [
            "getListingsItem": (5, 5), "putListingsItem": (5, 5), "patchListingsItem": (5, 5),
            "deleteListingsItem": (5, 5), "createFeedDocument": (0.5, 15), "createFeed": (0.0083, 15),
            "createFeed:JSON_LISTINGS_FEED": (5.0 / 300, 5), "getFeed": (2, 15), "getFeedDocument": (0.0222, 10),
            // definitionsProductTypes_2020-09-01.json: "Default | 5 | 10".
            "getDefinitionsProductType": (5, 10),
        ]
        #expect(Set(quotas.keys) == Set(expected.keys))
        for (operation, (rate, burst)) in expected {
            #expect(quotas[operation]?.requestsPerSecond == rate, "\(operation)")
            #expect(quotas[operation]?.burst == burst, "\(operation)")
        }
    }

    @Test("the default currency is the marketplace's")
    func defaultCurrency() {
        let factory = AmazonAdapterFactory()
        #expect(factory.defaultCurrency(marketplace: "JP") == .jpy)
        #expect(factory.defaultCurrency(marketplace: "UK") == .gbp)
        #expect(factory.defaultCurrency(marketplace: "DE") == .eur)
        #expect(factory.defaultCurrency(marketplace: "XX") == nil)
    }

    @Test("check accepts a good channel and names the key of each problem")
    func checks() {
        let factory = AmazonAdapterFactory()
        let de = ChannelSettings(name: "amazon-de", marketplace: "DE", currency: .eur, language: "de_DE")
        #expect(factory.check(account: Self.account(), channel: de).isEmpty)

        let wrongRegion = factory.check(account: Self.account(region: "na"), channel: de)
        #expect(wrongRegion.count == 1)
        guard case .configuration(let key, let message) = wrongRegion.first else {
            Issue.record("no configuration error")
            return
        }
        #expect(key == "channels[amazon-de].marketplace")
        #expect(message.contains("eu") && message.contains("na"))

        let keys = { (errors: [AdapterError]) in
            errors.compactMap { error -> String? in
                if case .configuration(let key, _) = error { return key }
                return nil
            }
        }
        #expect(
            keys(factory.check(account: Self.account(region: "asia"), channel: de)) == ["accounts.amazon-eu.region"]
        )
        #expect(keys(factory.check(account: Self.account(region: nil), channel: de)) == ["accounts.amazon-eu.region"])
        #expect(
            keys(factory.check(account: Self.account(sellerID: nil), channel: de)) == ["accounts.amazon-eu.seller_id"]
        )
        let dollars = ChannelSettings(name: "amazon-de", marketplace: "DE", currency: .usd)
        #expect(keys(factory.check(account: Self.account(), channel: dollars)) == ["channels[amazon-de].currency"])
        let unknown = ChannelSettings(name: "amazon-xx", marketplace: "XX", currency: .eur)
        #expect(keys(factory.check(account: Self.account(), channel: unknown)) == ["channels[amazon-xx].marketplace"])
        var badPoll = Self.account()
        badPoll.extra["feed_poll_seconds"] = "soon"
        #expect(keys(factory.check(account: badPoll, channel: de)) == ["accounts.amazon-eu.feed_poll_seconds"])
    }

    @Test("makeAdapter names a missing credential, and builds an adapter with the capabilities otherwise")
    func credentials() async throws {
        let http = try HTTPClient(configuration: .init())
        let factory = AmazonAdapterFactory()
        var account = Self.account()
        account.credentials = ["client_id": Secret("id"), "client_secret": Secret("secret")]
        let channel = ChannelSettings(name: "amazon-de", marketplace: "DE", currency: .eur)
        func context(_ account: AccountSettings) -> AdapterContext {
            AdapterContext(
                account: account,
                channel: channel,
                http: http,
                rateLimiter: RateLimiter(quotas: []),
                tokens: TokenCache(),
                logger: Logger(label: "test")
            )
        }
        #expect(
            throws: AdapterError.credentials(
                key: "amazon-eu.refresh_token",
                message: "missing or empty in the account's credentials file"
            )
        ) {
            try factory.makeAdapter(context: context(account))
        }
        account.credentials["refresh_token"] = Secret("Atzr|x")
        let adapter = try factory.makeAdapter(context: context(account))
        #expect(adapter.capabilities.facets == Set(Facet.allCases))
        #expect(adapter.capabilities.supportsSingleItem)
        #expect(adapter.capabilities.maximumBatchSize == 25_000)
        #expect(adapter.capabilities.quotas.count == 10)
        await http.shutdown()
    }
}
