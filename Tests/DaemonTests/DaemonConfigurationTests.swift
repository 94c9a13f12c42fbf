import Catalog
import Daemon
import Foundation
import Testing

struct DaemonConfigurationTests {
    static let valid = """
        [daemon]
        state_directory = "/var/lib/catalogsyncd"
        control_socket  = "/run/catalogsyncd/control.sock"
        base_currency   = "INR"
        credentials_directory = "/etc/catalogsyncd/credentials"

        [fx]
        USD = "0.01185"
        EUR = "0.01090"
        JPY = "1.78"

        [accounts.amazon-eu]
        platform  = "amazon"
        region    = "eu"
        seller_id = "A2EXAMPLE"
        credentials = "amazon-eu"
        lwa_scope = "sellingpartnerapi::notifications"

        [[channels]]
        name        = "amazon-de"
        account     = "amazon-eu"
        marketplace = "DE"
        currency    = "EUR"
        language    = "de_DE"
        pricing     = { markup_percent = "35", add = "1.50", rounding = "ending:0.99", min = "4.99" }
        inventory   = { buffer = 2, max = 500 }
        fulfillment = "MFN"
        """

    @Test func readsEverySectionOfTheDesignExample() throws {
        let configuration = try DaemonConfiguration(parsing: Self.valid, file: "test.toml", environment: [:])
        #expect(configuration.daemon.stateDirectory == "/var/lib/catalogsyncd")
        #expect(configuration.daemon.controlSocket == "/run/catalogsyncd/control.sock")
        #expect(configuration.daemon.baseCurrency == .inr)
        #expect(configuration.daemon.credentialsManagedBySystemd == false)
        #expect(configuration.fxRates[.usd] == Decimal(string: "0.01185"))
        #expect(configuration.fxRates[.jpy] == Decimal(string: "1.78"))
        let account = try #require(configuration.accounts["amazon-eu"])
        #expect(account.platform == "amazon")
        #expect(account.region == "eu")
        #expect(account.sellerID == "A2EXAMPLE")
        #expect(account.credentials == "amazon-eu")
        #expect(account.extra == ["lwa_scope": "sellingpartnerapi::notifications"])
        let channel = try #require(configuration.channel(named: "amazon-de"))
        #expect(channel.account == "amazon-eu")
        #expect(channel.marketplace == "DE")
        #expect(channel.currency == .eur)
        #expect(channel.language == "de_DE")
        #expect(
            channel.pricing == ["markup_percent": "35", "add": "1.50", "rounding": "ending:0.99", "min": "4.99"]
        )
        #expect(channel.inventory == ["buffer": 2, "max": 500])
        #expect(channel.extra == ["fulfillment": "MFN"])
    }

    @Test func leavesChannelCurrencyUnsetWhenTheFileOmitsIt() throws {
        let text = Self.valid.replacingOccurrences(of: "currency    = \"EUR\"\n", with: "")
        let configuration = try DaemonConfiguration(parsing: text, file: "test.toml", environment: [:])
        #expect(configuration.channels[0].currency == nil)
    }

    @Test func systemdDirectoriesFromTheEnvironmentWinOverTheFile() throws {
        let configuration = try DaemonConfiguration(
            parsing: Self.valid,
            file: "test.toml",
            environment: ["STATE_DIRECTORY": "/var/lib/x", "CREDENTIALS_DIRECTORY": "/run/credentials/x.service"]
        )
        #expect(configuration.daemon.stateDirectory == "/var/lib/x")
        #expect(configuration.daemon.credentialsDirectory == "/run/credentials/x.service")
        #expect(configuration.daemon.credentialsManagedBySystemd)
    }

    @Test func reportsEveryProblemWithFileAndKeyPath() throws {
        let text = """
            [daemon]
            base_currency = "XXX"
            colour = "blue"

            [fx]
            USD = 0.0118
            EUR = "abc"

            [accounts.amazon-eu]
            region = "eu"

            [[channels]]
            name = "amazon-de"
            account = "amazon-eu"
            marketplace = "DE"

            [[channels]]
            name = "amazon-de"
            account = "amazon-fe"
            marketplace = "JP"
            currency = "JPY"
            inventory = { buffer = "two" }

            [extras]
            x = 1
            """
        let error = #expect(throws: ConfigurationFileError.self) {
            try DaemonConfiguration(parsing: text, file: "/etc/catalogsyncd/bad.toml", environment: [:])
        }
        let issues = try #require(error).issues.map(\.description)
        let expectedPrefixes = [
            "daemon.base_currency: unknown currency code \"XXX\"",
            "daemon.colour: unknown key",
            "fx.EUR: \"abc\" is not a positive decimal rate",
            "fx.USD: write decimal numbers as strings",
            "accounts.amazon-eu.platform: is required",
            "channels[1].inventory.buffer: must be an integer, found string",
            "channels[1].name: duplicate channel name \"amazon-de\" (first used by channels[0])",
            "channels[1].account: names account \"amazon-fe\", which is not defined",
            "channels[1].currency: JPY has no FX rate",
            "extras: unknown key",
        ]
        for prefix in expectedPrefixes {
            #expect(issues.contains { $0.hasPrefix(prefix) }, "missing issue \(prefix) in \(issues)")
        }
        #expect(issues.count == expectedPrefixes.count, "\(issues)")
        #expect(
            try #require(error).description.split(separator: "\n").allSatisfy {
                $0.hasPrefix("/etc/catalogsyncd/bad.toml: ")
            }
        )
    }

    @Test func rejectsPlatformsNoAdapterServesWhenToldWhichExist() {
        let error = #expect(throws: ConfigurationFileError.self) {
            try DaemonConfiguration(parsing: Self.valid, file: "t.toml", environment: [:], platforms: ["ebay"])
        }
        #expect(error?.issues.first?.keyPath == "accounts.amazon-eu.platform")
        #expect(error?.issues.first?.message.contains("unknown platform \"amazon\"") == true)
    }

    @Test func rejectsEmptyDirectoriesAndNonPositiveDrainTime() {
        let text = "[daemon]\nstate_directory = \"\"\ndrain_seconds = 0\n"
        let error = #expect(throws: ConfigurationFileError.self) {
            try DaemonConfiguration(parsing: text, file: "t.toml", environment: [:])
        }
        #expect(error?.issues.map(\.keyPath) == ["daemon.state_directory", "daemon.drain_seconds"])
    }

    @Test func retryAndBreakerTimingsDefaultToProductionValuesAndCanBeScaledDown() throws {
        let defaults = try DaemonConfiguration(parsing: Self.valid, file: "t.toml", environment: [:]).daemon
        #expect(defaults.maxBackoffSeconds == 300)
        #expect(defaults.breakerCooldownSeconds == 5)
        #expect(defaults.maxBreakerCooldownSeconds == 300)
        let text = Self.valid.replacingOccurrences(
            of: "[daemon]\n",
            with: "[daemon]\nmax_backoff_seconds = 5\nbreaker_cooldown_seconds = 1\nmax_breaker_cooldown_seconds = 4\n"
        )
        let scaled = try DaemonConfiguration(parsing: text, file: "t.toml", environment: [:]).daemon
        #expect(scaled.maxBackoffSeconds == 5)
        #expect(scaled.breakerCooldownSeconds == 1)
        #expect(scaled.maxBreakerCooldownSeconds == 4)
    }

    @Test func refusesNonPositiveTimingsAndABreakerCapBelowItsFirstCooldown() {
        let text = Self.valid.replacingOccurrences(
            of: "[daemon]\n",
            with: "[daemon]\nmax_backoff_seconds = 0\nbreaker_cooldown_seconds = 10\nmax_breaker_cooldown_seconds = 3\n"
        )
        let error = #expect(throws: ConfigurationFileError.self) {
            try DaemonConfiguration(parsing: text, file: "t.toml", environment: [:])
        }
        #expect(error?.issues.map(\.keyPath) == ["daemon.max_backoff_seconds", "daemon.max_breaker_cooldown_seconds"])
        #expect(error?.issues.first?.message == "must be a positive number of seconds, found 0")
        #expect(error?.issues.last?.message.contains("at least breaker_cooldown_seconds (10)") == true)
    }

    @Test func retryLimitsDefaultToFiftyAttemptsAndSeventyTwoHoursAndAreRead() throws {
        let defaults = try DaemonConfiguration(parsing: Self.valid, file: "test.toml", environment: [:])
        #expect(defaults.daemon.maxAttempts == 50)
        #expect(defaults.daemon.maxRetryHours == 72)
        let text = Self.valid.replacingOccurrences(
            of: "base_currency   = \"INR\"\n",
            with: "base_currency   = \"INR\"\nmax_attempts = 8\nmax_retry_hours = 24\n"
        )
        let configured = try DaemonConfiguration(parsing: text, file: "test.toml", environment: [:])
        #expect(configured.daemon.maxAttempts == 8)
        #expect(configured.daemon.maxRetryHours == 24)
    }

    @Test("without bulk_threshold paths are chosen by budget; setting it pins the fixed threshold")
    func bulkThresholdSetPinsTheFixedThreshold() throws {
        let defaults = try DaemonConfiguration(parsing: Self.valid, file: "test.toml", environment: [:])
        #expect(defaults.daemon.bulkThreshold == 500 && !defaults.daemon.fixedBulkThreshold)
        let text = Self.valid.replacingOccurrences(
            of: "base_currency   = \"INR\"\n",
            with: "base_currency   = \"INR\"\nbulk_threshold = 100\n"
        )
        let configured = try DaemonConfiguration(parsing: text, file: "test.toml", environment: [:])
        #expect(configured.daemon.bulkThreshold == 100 && configured.daemon.fixedBulkThreshold)
    }

    @Test func rejectsRetryLimitsBelowOneOrBeyondTenYears() {
        let text = "[daemon]\nmax_attempts = 0\nmax_retry_hours = 87601\n"
        let error = #expect(throws: ConfigurationFileError.self) {
            try DaemonConfiguration(parsing: text, file: "t.toml", environment: [:])
        }
        #expect(error?.issues.map(\.keyPath) == ["daemon.max_attempts", "daemon.max_retry_hours"])
    }

    @Test func reportsTOMLSyntaxErrorsWithTheirPosition() {
        let error = #expect(throws: ConfigurationFileError.self) {
            try DaemonConfiguration(parsing: "[daemon\nx = 1", file: "broken.toml", environment: [:])
        }
        #expect(error?.description.hasPrefix("broken.toml: not valid TOML at line 1") == true)
    }

    @Test func reportsAMissingFileByName() {
        let error = #expect(throws: ConfigurationFileError.self) {
            try DaemonConfiguration.load(path: "/nonexistent/catalogsyncd.toml", environment: [:])
        }
        #expect(error?.description.hasPrefix("/nonexistent/catalogsyncd.toml: cannot read the file") == true)
    }
}
