import Catalog
import Daemon
import Foundation
import Testing

/// Configuration mistakes that used to pass silently: typos in keys, a bad language tag, two channels
/// on one marketplace of one account.
struct ConfigurationStrictnessTests {
    static let base = """
        [fx]
        EUR = "0.011"
        USD = "0.012"

        [accounts.amazon-eu]
        platform  = "amazon"
        region    = "eu"
        seller_id = "A2EXAMPLE"
        feed_poll_seconds = "3"
        quota_multiplier = "2"

        [accounts.ebay]
        platform = "ebay"
        merchant_location_key = "AGRA-WH1"

        [[channels]]
        name        = "amazon-de"
        account     = "amazon-eu"
        marketplace = "DE"
        language    = "de_DE"

        [[channels]]
        name        = "ebay-us"
        account     = "ebay"
        marketplace = "EBAY_US"
        category_id = "88433"
        fulfillment_policy_id = "1"
        payment_policy_id     = "2"
        return_policy_id      = "3"
        """

    /// The issues of `text` as the daemon checks it at start and on reload.
    static func issues(_ text: String) throws -> [ConfigurationIssue] {
        let configuration: DaemonConfiguration
        do {
            configuration = try DaemonConfiguration(parsing: text, file: "t.toml", environment: [:])
        } catch {
            return error.issues
        }
        return EngineAssembly.check(configuration, projections: try configuration.makeChannelProjections())
    }

    @Test func platformKeysTheAdaptersDocumentAreAccepted() throws {
        #expect(try Self.issues(Self.base).isEmpty)
    }

    @Test func aMisspelledAccountKeyIsAnErrorNamingIt() throws {
        let text = Self.base.replacingOccurrences(of: "seller_id = \"A2EXAMPLE\"", with: "seler_id = \"A2EXAMPLE\"")
        let issues = try Self.issues(text)
        let typo = try #require(issues.first { $0.keyPath == "accounts.amazon-eu.seler_id" }, "\(issues)")
        #expect(typo.message.contains("unknown key \"seler_id\""))
        #expect(typo.message.contains("seller_id"), "the message lists the known keys")
    }

    @Test func aMisspelledChannelKeyIsAnErrorNamingIt() throws {
        let text = Self.base.replacingOccurrences(of: "language    = \"de_DE\"", with: "langauge    = \"de_DE\"")
        let issues = try Self.issues(text)
        #expect(issues.map(\.keyPath) == ["channels[0].langauge"], "\(issues)")
    }

    @Test func oneAdaptersChannelKeyIsUnknownOnAnotherPlatform() throws {
        let text = Self.base.replacingOccurrences(
            of: "language    = \"de_DE\"",
            with: "language    = \"de_DE\"\ncategory_id = \"88433\""
        )
        let issues = try Self.issues(text)
        #expect(issues.map(\.keyPath) == ["channels[0].category_id"], "\(issues)")
        #expect(issues.first?.message.contains("amazon adds: merchant_shipping_group, product_type") == true)
    }

    @Test func anErrorFromTheFileNamesTheFileAndTheKey() throws {
        let text = Self.base.replacingOccurrences(of: "seller_id = \"A2EXAMPLE\"", with: "seler_id = \"A2EXAMPLE\"")
        let configuration = try DaemonConfiguration(parsing: text, file: "/etc/x.toml", environment: [:])
        let issues = EngineAssembly.check(configuration, projections: try configuration.makeChannelProjections())
        let error = ConfigurationFileError(file: configuration.file, issues: issues)
        #expect(error.description.hasPrefix("/etc/x.toml: accounts.amazon-eu.seler_id: unknown key"))
    }

    @Test(arguments: ["de_DE", "fr-CA", "es_419", "fil_PH"])
    func aLocaleTagIsAValidLanguage(tag: String) throws {
        let text = Self.base.replacingOccurrences(of: "\"de_DE\"", with: "\"\(tag)\"")
        #expect(try Self.issues(text).isEmpty)
    }

    /// `en` and `zh_Hans_CN` are locale tags (a channel of another platform may use them), but Amazon's
    /// `language_tag` is language and region: the Amazon adapter refuses them, naming the key.
    @Test(arguments: ["en", "zh_Hans_CN"])
    func anAmazonChannelNeedsLanguageAndRegion(tag: String) throws {
        let text = Self.base.replacingOccurrences(of: "\"de_DE\"", with: "\"\(tag)\"")
        let issues = try Self.issues(text)
        #expect(issues.map(\.keyPath) == ["channels[0]"], "\(tag): \(issues)")
        #expect(issues.first?.message.contains("channels[amazon-de].language") == true, "\(issues)")
        #expect(issues.first?.message.contains("not a full language tag") == true, "\(issues)")
    }

    @Test(arguments: ["german", "de_de", "DE", "de_DE_x", "", "d", "de__DE", "de_DEU"])
    func anythingElseIsNotALanguage(tag: String) throws {
        let text = Self.base.replacingOccurrences(of: "\"de_DE\"", with: "\"\(tag)\"")
        let issues = try Self.issues(text)
        #expect(issues.map(\.keyPath) == ["channels[0].language"], "\(tag): \(issues)")
    }

    @Test func twoChannelsOnOneMarketplaceOfOneAccountAreAnError() throws {
        let text =
            Self.base + """

                [[channels]]
                name        = "amazon-de-2"
                account     = "amazon-eu"
                marketplace = "de"
                """
        let issues = try Self.issues(text)
        #expect(issues.map(\.keyPath) == ["channels[2].marketplace"], "\(issues)")
        #expect(issues.first?.message.contains("\"amazon-de\" (channels[0])") == true, "\(issues)")
    }

    @Test func oneMarketplaceOnTwoAccountsIsFine() throws {
        let text =
            Self.base + """

                [accounts.amazon-eu-2]
                platform  = "amazon"
                region    = "eu"
                seller_id = "A2OTHER"

                [[channels]]
                name        = "amazon-de-2"
                account     = "amazon-eu-2"
                marketplace = "DE"
                """
        #expect(try Self.issues(text).isEmpty)
    }

    @Test func theDaemonsFXAndControlSocketLimitsAreReadAndChecked() throws {
        let valid = "[daemon]\nfx_max_change_factor = \"1.5\"\ncontrol_idle_seconds = 5\ncontrol_max_connections = 8\n"
        let settings = try DaemonConfiguration(parsing: valid, file: "t.toml", environment: [:]).daemon
        #expect(settings.fxMaxChangeFactor == Decimal(string: "1.5"))
        #expect(settings.controlIdleSeconds == 5 && settings.controlMaxConnections == 8)
        let defaults = try DaemonConfiguration(parsing: "", file: "t.toml", environment: [:]).daemon
        #expect(defaults.fxMaxChangeFactor == 2)
        #expect(defaults.controlIdleSeconds == 30 && defaults.controlMaxConnections == 128)

        let invalid = "[daemon]\nfx_max_change_factor = \"1\"\ncontrol_idle_seconds = 0\ncontrol_max_connections = -1\n"
        #expect(
            try Self.issues(invalid).map(\.keyPath) == [
                "daemon.fx_max_change_factor", "daemon.control_idle_seconds", "daemon.control_max_connections",
            ]
        )
    }

    @Test func theVerifiersQuotaShareAndIntervalAreReadAndChecked() throws {
        let valid = "[daemon]\nverify_quota_share = 0.2\nverify_interval_seconds = 600\n"
        let settings = try DaemonConfiguration(parsing: valid, file: "t.toml", environment: [:]).daemon
        #expect(settings.verifyQuotaShare == 0.2 && settings.verifyIntervalSeconds == 600)
        let off = try DaemonConfiguration(
            parsing: "[daemon]\nverify_quota_share = 0\n",
            file: "t.toml",
            environment: [:]
        )
        #expect(off.daemon.verifyQuotaShare == 0)
        let defaults = try DaemonConfiguration(parsing: "", file: "t.toml", environment: [:]).daemon
        #expect(defaults.verifyQuotaShare == 0.05 && defaults.verifyIntervalSeconds == 3600)

        let invalid = "[daemon]\nverify_quota_share = 1.5\nverify_interval_seconds = 0\n"
        #expect(
            try Self.issues(invalid).map(\.keyPath) == ["daemon.verify_quota_share", "daemon.verify_interval_seconds"]
        )
        let words = "[daemon]\nverify_quota_share = \"a lot\"\n"
        let issues = try Self.issues(words)
        #expect(issues.map(\.keyPath) == ["daemon.verify_quota_share"])
        #expect(issues.first?.message.contains("must be a number") == true)
    }
}
