import Catalog
import Daemon
import Foundation
import Testing

struct ConfigurationDiffTests {
    private func configuration(_ text: String) throws -> DaemonConfiguration {
        try DaemonConfiguration(parsing: text, file: "t.toml", environment: [:])
    }

    private static let base = """
        [fx]
        USD = "0.012"
        EUR = "0.011"

        [accounts.amazon-na]
        platform = "amazon"
        region = "na"

        [accounts.amazon-eu]
        platform = "amazon"
        region = "eu"

        [[channels]]
        name = "amazon-us"
        account = "amazon-na"
        marketplace = "US"
        currency = "USD"

        [[channels]]
        name = "amazon-de"
        account = "amazon-eu"
        marketplace = "DE"
        currency = "EUR"
        pricing = { markup_percent = "30" }
        """

    @Test func identicalConfigurationsHaveAnEmptyDiff() throws {
        let diff = ConfigurationDiff(from: try configuration(Self.base), to: try configuration(Self.base))
        #expect(diff.isEmpty)
    }

    @Test func anFXRateChangeMarksOnlyChannelsInThatCurrency() throws {
        let changed = Self.base.replacingOccurrences(of: "EUR = \"0.011\"", with: "EUR = \"0.0105\"")
        let diff = ConfigurationDiff(from: try configuration(Self.base), to: try configuration(changed))
        #expect(diff.changedFXRates == [.eur])
        #expect(diff.changedChannels == ["amazon-de"])
        #expect(diff.addedChannels.isEmpty && diff.removedChannels.isEmpty && diff.changedAccounts.isEmpty)
    }

    @Test func anFXRateChangeMarksAChannelWhoseCurrencyComesFromItsMarketplace() throws {
        // amazon-de sets no currency: Amazon's DE marketplace prices in EUR (DESIGN §4.1).
        let derived = Self.base.replacingOccurrences(
            of: "marketplace = \"DE\"\ncurrency = \"EUR\"\n",
            with: "marketplace = \"DE\"\n"
        )
        #expect(derived != Self.base)
        let changed = derived.replacingOccurrences(of: "EUR = \"0.011\"", with: "EUR = \"0.0121\"")
        let diff = ConfigurationDiff(from: try configuration(derived), to: try configuration(changed))
        #expect(diff.changedFXRates == [.eur])
        #expect(diff.changedChannels == ["amazon-de"])
    }

    @Test func reportsAddedRemovedAndChangedChannelsAndAccounts() throws {
        let changed = """
            [fx]
            USD = "0.012"
            EUR = "0.011"
            GBP = "0.0094"

            [accounts.amazon-na]
            platform = "amazon"
            region = "na"
            seller_id = "NEW"

            [accounts.amazon-eu]
            platform = "amazon"
            region = "eu"

            [[channels]]
            name = "amazon-de"
            account = "amazon-eu"
            marketplace = "DE"
            currency = "EUR"
            pricing = { markup_percent = "40" }

            [[channels]]
            name = "amazon-uk"
            account = "amazon-eu"
            marketplace = "UK"
            currency = "GBP"
            """
        let diff = ConfigurationDiff(from: try configuration(Self.base), to: try configuration(changed))
        #expect(diff.addedChannels == ["amazon-uk"])
        #expect(diff.removedChannels == ["amazon-us"])
        #expect(diff.changedChannels == ["amazon-de"])
        #expect(diff.changedAccounts == ["amazon-na"])
        #expect(diff.addedAccounts.isEmpty && diff.removedAccounts.isEmpty)
        #expect(diff.changedFXRates == [.gbp])
        #expect(!diff.daemonSettingsChanged)
    }
}
