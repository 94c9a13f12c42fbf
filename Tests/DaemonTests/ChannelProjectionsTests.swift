import Catalog
import Daemon
import Foundation
import Testing

struct ChannelProjectionsTests {
    private static func configuration(channels: String) throws -> DaemonConfiguration {
        let text = """
            [fx]
            USD = "0.012"
            JPY = "1.78"

            [accounts.amazon-fe]
            platform = "amazon"
            region = "fe"

            \(channels)
            """
        return try DaemonConfiguration(parsing: text, file: "t.toml", environment: [:])
    }

    @Test func buildsAProjectorThatPricesThroughTheChannelRules() throws {
        let configuration = try Self.configuration(
            channels: """
                [[channels]]
                name = "amazon-jp"
                account = "amazon-fe"
                marketplace = "JP"
                currency = "JPY"
                language = "ja_JP"
                pricing = { markup_percent = "50", rounding = "up:10" }
                inventory = { share_percent = 50, buffer = 1 }
                """
        )
        let projections = try configuration.makeChannelProjections()
        let projector = try #require(projections.projectors["amazon-jp"])
        #expect(projections.rules["amazon-jp"]?.language == "ja_JP")
        let product = Product(
            sku: try SKU(validating: "PETHA-AGRA-500G"),
            title: "Agra Petha 500 g",
            price: try #require(Money(parsing: "250.00", currency: .inr)),
            quantity: 11
        )
        // 250 INR × 1.78 = 445 JPY; × 1.5 = 667.5; up to a multiple of 10 = 670.
        #expect(projector.price(for: product) == Money(minorUnits: 670, currency: .jpy))
        // floor(11 × 50 %) = 5, minus a buffer of 1.
        #expect(projector.quantity(for: product) == 4)
    }

    @Test func reportsEveryChannelProblemAtItsFilePosition() throws {
        let configuration = try Self.configuration(
            channels: """
                [[channels]]
                name = "amazon-jp"
                account = "amazon-fe"
                marketplace = "JP"
                currency = "JPY"
                pricing = { rounding = "ending:0.99" }

                [[channels]]
                name = "amazon-sg"
                account = "amazon-fe"
                marketplace = "SG"
                pricing = { markup_percent = "ten" }
                inventory = { share_percent = 150 }
                """
        )
        // No platform rules: amazon-sg's currency cannot be derived, which is one more problem.
        let error = #expect(throws: ConfigurationFileError.self) {
            try configuration.makeChannelProjections(platforms: .init())
        }
        let keyPaths = Set(try #require(error).issues.map(\.keyPath))
        #expect(
            keyPaths == [
                "channels[0].pricing.rounding", "channels[1].pricing.markup_percent",
                "channels[1].inventory.share_percent", "channels[1].currency",
            ]
        )
        #expect(try #require(error).description.split(separator: "\n").allSatisfy { $0.hasPrefix("t.toml: ") })
    }

    @Test func usesTheDerivedCurrencyWhenTheChannelSetsNone() throws {
        let configuration = try Self.configuration(
            channels: """
                [[channels]]
                name = "amazon-jp"
                account = "amazon-fe"
                marketplace = "JP"
                """
        )
        let projections = try configuration.makeChannelProjections(
            platforms: .init(currency: { channel, account in
                channel.marketplace == "JP" && account?.platform == "amazon" ? .jpy : nil
            })
        )
        #expect(projections.rules["amazon-jp"]?.currency == .jpy)
        #expect(projections.rules["amazon-jp"]?.language == DaemonConfiguration.defaultLanguage)
    }

    @Test func aDerivedCurrencyWithoutAnFXRateIsAnError() throws {
        let configuration = try Self.configuration(
            channels: """
                [[channels]]
                name = "amazon-au"
                account = "amazon-fe"
                marketplace = "AU"
                """
        )
        let error = #expect(throws: ConfigurationFileError.self) {
            try configuration.makeChannelProjections(platforms: .init(currency: { _, _ in Currency(code: "AUD") }))
        }
        #expect(error?.issues.map(\.keyPath) == ["channels[0].currency"])
        #expect(error?.issues.first?.message.contains("AUD") == true)
    }
}
