import Catalog
import Foundation
import ListingOracle
import Testing

/// Hand-computed listings (the arithmetic is in each case's comment), checked against the test
/// oracle the end-to-end suites use and against the daemon's own `ChannelProjector`: a wrong oracle
/// or a wrong projector each fails here, and they cannot agree on a wrong value unnoticed.
struct ListingOracleTests {
    /// INR base; KWD is a 3-decimal currency, JPY a 0-decimal one.
    static let fx: [String: String] = ["USD": "0.01185", "EUR": "0.01090", "JPY": "1.78", "KWD": "0.00365"]

    struct PriceCase: Sendable, CustomTestStringConvertible {
        let name: String
        let currency: String
        let priceINR: String
        let pricing: [String: String]
        var override: String? = nil
        let expected: String
        var testDescription: String { name }
    }

    static let priceCases: [PriceCase] = [
        // 1000 × 0.01185 = 11.85
        .init(name: "none: plain conversion", currency: "USD", priceINR: "1000", pricing: [:], expected: "11.85"),
        // 100 × 0.01185 = 1.185 → half-up 1.19
        .init(name: "none: half-up on a tie", currency: "USD", priceINR: "100", pricing: [:], expected: "1.19"),
        // 25 × 1.78 = 44.5 → 45 (JPY has no minor unit)
        .init(name: "JPY: half-up to whole yen", currency: "JPY", priceINR: "25", pricing: [:], expected: "45"),
        // 1000 × 1.78 = 1780 × 1.40 = 2492 + 300 = 2792 → nearest 10 → 2790
        .init(
            name: "JPY: markup, add, nearest:10",
            currency: "JPY",
            priceINR: "1000",
            pricing: ["markup_percent": "40", "add": "300", "rounding": "nearest:10"],
            expected: "2790"
        ),
        // 1234.56 × 0.00365 = 4.506144 → 3 decimals → 4.506
        .init(name: "KWD: three decimals", currency: "KWD", priceINR: "1234.56", pricing: [:], expected: "4.506"),
        // 12.5 × 0.00365 = 0.045625 → 0.046
        .init(
            name: "KWD: half-up at the third decimal",
            currency: "KWD",
            priceINR: "12.5",
            pricing: [:],
            expected: "0.046"
        ),
        // 1000 × 0.01090 = 10.90 × 1.20 = 13.08 + 0.99 = 14.07
        .init(
            name: "markup and add",
            currency: "EUR",
            priceINR: "1000",
            pricing: ["markup_percent": "20", "add": "0.99"],
            expected: "14.07"
        ),
        // 11.85 × 0.90 = 10.665 → 10.67
        .init(
            name: "negative markup",
            currency: "USD",
            priceINR: "1000",
            pricing: ["markup_percent": "-10"],
            expected: "10.67"
        ),
        // 1010 × 0.01185 = 11.9685; /0.05 = 239.37 → 239 × 0.05 = 11.95
        .init(
            name: "nearest:0.05",
            currency: "USD",
            priceINR: "1010",
            pricing: ["rounding": "nearest:0.05"],
            expected: "11.95"
        ),
        // 11.85 / 0.10 = 118.5 → half-up 119 → 11.90
        .init(
            name: "nearest:0.10 on a tie",
            currency: "USD",
            priceINR: "1000",
            pricing: ["rounding": "nearest:0.10"],
            expected: "11.90"
        ),
        // 11.85 / 0.25 = 47.4 → up 48 → 12.00
        .init(name: "up:0.25", currency: "USD", priceINR: "1000", pricing: ["rounding": "up:0.25"], expected: "12.00"),
        // 11.85 / 0.05 = 237 exactly → 11.85
        .init(
            name: "up: an exact multiple stays",
            currency: "USD",
            priceINR: "1000",
            pricing: ["rounding": "up:0.05"],
            expected: "11.85"
        ),
        // 11.85 → 11 + 0.99 = 11.99 ≥ 11.85
        .init(
            name: "ending:0.99",
            currency: "USD",
            priceINR: "1000",
            pricing: ["rounding": "ending:0.99"],
            expected: "11.99"
        ),
        // 1012 × 0.01185 = 11.9922 → 11.99 < 11.9922 → 12.99
        .init(
            name: "ending:0.99 past the ending goes to the next unit",
            currency: "USD",
            priceINR: "1012",
            pricing: ["rounding": "ending:0.99"],
            expected: "12.99"
        ),
        // 100 × 0.01185 = 1.185 → 1.99 → min 6.99
        .init(
            name: "min clamps after rounding",
            currency: "USD",
            priceINR: "100",
            pricing: ["rounding": "ending:0.99", "min": "6.99"],
            expected: "6.99"
        ),
        // 11.85 → max 10.00
        .init(name: "max clamps", currency: "USD", priceINR: "1000", pricing: ["max": "10.00"], expected: "10.00"),
        // price@channel wins over every rule
        .init(
            name: "a channel price overrides the rules",
            currency: "USD",
            priceINR: "1000",
            pricing: ["markup_percent": "45", "rounding": "ending:0.99", "min": "6.99"],
            override: "9.49",
            expected: "9.49"
        ),
    ]

    @Test("the oracle and the daemon's projector both give the hand-computed price", arguments: priceCases)
    func priceMatchesTheHandComputedValue(_ testCase: PriceCase) throws {
        let expected = ListingOracle.decimal(testCase.expected)
        var channel = ListingOracle.Channel(name: "test", currency: testCase.currency, language: "en_US")
        channel.markupPercent = testCase.pricing["markup_percent"].map(ListingOracle.decimal) ?? 0
        channel.add = testCase.pricing["add"].map(ListingOracle.decimal) ?? 0
        channel.rounding = testCase.pricing["rounding"] ?? "none"
        channel.min = testCase.pricing["min"].map(ListingOracle.decimal)
        channel.max = testCase.pricing["max"].map(ListingOracle.decimal)
        let oracle = ListingOracle(
            baseCurrency: "INR",
            fx: Self.fx.mapValues(ListingOracle.decimal),
            channels: [channel]
        )
        let paise = Int64(truncating: (ListingOracle.decimal(testCase.priceINR) * 100) as NSNumber)
        let product = ListingOracle.Product(
            sku: "S1",
            title: "t",
            basePriceMinorUnits: paise,
            quantity: 1,
            channelPrices: testCase.override.map { ["test": ListingOracle.decimal($0)] } ?? [:]
        )
        #expect(oracle.listing(of: product, on: "test")?.price == expected, "oracle")

        let currency = try #require(Currency(code: testCase.currency))
        let projector = try ChannelProjector(
            channel: ChannelRules(
                name: "test",
                currency: currency,
                language: "en_US",
                pricing: PricingRule(fields: testCase.pricing)
            ),
            fx: FXTable(base: .inr, parsing: Self.fx)
        )
        let catalogProduct = Product(
            sku: try SKU(validating: "S1"),
            title: "t",
            price: Money(minorUnits: paise, currency: .inr),
            quantity: 1,
            channelPrices: testCase.override.map { ["test": ListingOracle.decimal($0)] } ?? [:]
        )
        #expect(projector.project(catalogProduct).price.decimalAmount == expected, "ChannelProjector")
    }

    struct StockCase: Sendable, CustomTestStringConvertible {
        let name: String
        let quantity: Int
        let share: Int?
        let buffer: Int?
        let max: Int?
        let expected: Int
        var testDescription: String { name }
    }

    static let stockCases: [StockCase] = [
        // floor(100 × 25 %) = 25 − 2 = 23
        .init(name: "share and buffer", quantity: 100, share: 25, buffer: 2, max: nil, expected: 23),
        // floor(7 × 25 %) = 1 − 2 → never below 0
        .init(name: "buffer never goes below zero", quantity: 7, share: 25, buffer: 2, max: nil, expected: 0),
        // floor(10 × 33 %) = floor(3.3) = 3
        .init(name: "share floors", quantity: 10, share: 33, buffer: nil, max: nil, expected: 3),
        // floor(9000 × 10 %) = 900 − 2 = 898 → max 500
        .init(name: "max caps", quantity: 9_000, share: 10, buffer: 2, max: 500, expected: 500),
        .init(name: "all stock by default", quantity: 41, share: nil, buffer: nil, max: nil, expected: 41),
        .init(name: "no stock stays none", quantity: 0, share: nil, buffer: 1, max: nil, expected: 0),
    ]

    @Test("the oracle and the daemon's projector both give the hand-computed stock", arguments: stockCases)
    func stockMatchesTheHandComputedValue(_ testCase: StockCase) throws {
        var channel = ListingOracle.Channel(name: "test", currency: "USD", language: "en_US")
        channel.sharePercent = testCase.share ?? 100
        channel.buffer = testCase.buffer ?? 0
        channel.maxQuantity = testCase.max
        let oracle = ListingOracle(baseCurrency: "INR", fx: ["USD": 1], channels: [channel])
        #expect(oracle.quantity(testCase.quantity, on: channel) == testCase.expected, "oracle")

        var fields: [String: Int] = [:]
        fields["share_percent"] = testCase.share
        fields["buffer"] = testCase.buffer
        fields["max"] = testCase.max
        let projector = try ChannelProjector(
            channel: ChannelRules(
                name: "test",
                currency: .usd,
                language: "en_US",
                inventory: InventoryRule(fields: fields)
            ),
            fx: FXTable(base: .inr, parsing: ["USD": "1"])
        )
        let product = Product(
            sku: try SKU(validating: "S1"),
            title: "t",
            price: Money(minorUnits: 100, currency: .inr),
            quantity: testCase.quantity
        )
        #expect(projector.project(product).quantity == testCase.expected, "ChannelProjector")
    }

    @Test("the most specific translation of a channel's language wins, then the plain title")
    func titleFollowsTheMostSpecificLanguage() {
        let oracle = ListingOracle(baseCurrency: "INR", fx: [:], channels: [])
        let product = ListingOracle.Product(
            sku: "S1",
            title: "Brass lamp",
            basePriceMinorUnits: 100,
            quantity: 1,
            titleTranslations: ["de": "Messinglampe", "fr": "Lampe", "fr_CA": "Lampe en laiton"]
        )
        #expect(oracle.title(of: product, language: "de_DE") == "Messinglampe")
        #expect(oracle.title(of: product, language: "fr_CA") == "Lampe en laiton")
        #expect(oracle.title(of: product, language: "fr_FR") == "Lampe")
        #expect(oracle.title(of: product, language: "ja_JP") == "Brass lamp")
    }

    @Test("a landed cost is converted, rounded up to the channel's minor unit and added before rounding")
    func landedCostIsConvertedRoundedUpAndAdded() {
        var channel = ListingOracle.Channel(name: "ebay-us", currency: "USD", language: "en_US")
        channel.addsLandedCostFrom = "dhl-express"
        let oracle = ListingOracle(
            baseCurrency: "INR",
            fx: ["USD": ListingOracle.decimal("0.01185")],
            channels: [channel]
        )
        // 1234.50 × 0.01185 = 14.628825 → up 14.63
        #expect(
            oracle.landedCostToAdd(ListingOracle.decimal("1234.50"), in: "INR", to: "USD")
                == ListingOracle.decimal("14.63")
        )
        let product = ListingOracle.Product(sku: "S1", title: "t", basePriceMinorUnits: 100_000, quantity: 1)
        // 11.85 + 14.63 = 26.48
        let listing = oracle.listing(of: product, on: "ebay-us", landedCost: ListingOracle.decimal("1234.50"))
        #expect(listing?.price == ListingOracle.decimal("26.48"))
        #expect(oracle.listing(of: product, on: "ebay-us") == nil, "no estimate: no price")
    }

    @Test("a channel without a currency prices in its marketplace's, per the oracle's own table")
    func channelWithoutCurrencyTakesItsMarketplaces() throws {
        let oracle = try ListingOracle(
            configuration: """
                [daemon]
                base_currency = "INR"
                [fx]
                EUR = "0.01090"
                [[channels]]
                name = "amazon-de"
                account = "amazon-eu"
                marketplace = "DE"
                language = "de_DE"
                pricing = { markup_percent = "20", add = "0.99", min = "4.99" }
                inventory = { share_percent = 10, buffer = 2, max = 500 }
                """
        )
        let channel = try #require(oracle.channels["amazon-de"])
        #expect(channel.currency == "EUR")
        #expect(channel.min == ListingOracle.decimal("4.99"))
        #expect(channel.maxQuantity == 500)
        let product = ListingOracle.Product(sku: "S1", title: "t", basePriceMinorUnits: 100_000, quantity: 100)
        // 1000 × 0.01090 × 1.20 + 0.99 = 14.07; floor(100 × 10 %) − 2 = 8
        #expect(oracle.listing(of: product, on: "amazon-de")?.price == ListingOracle.decimal("14.07"))
        #expect(oracle.listing(of: product, on: "amazon-de")?.quantity == 8)
    }
}
