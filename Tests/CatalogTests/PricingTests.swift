import Catalog
import Foundation
import Testing

struct PricingTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let priceINR: String
        let currency: Currency
        let pricing: [String: String]
        let expected: String

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // none: half-up to the minor unit.
        Case(name: "USD plain conversion", priceINR: "1000", currency: .usd, pricing: [:], expected: "11.85"),
        Case(name: "USD half-up on an exact tie", priceINR: "100", currency: .usd, pricing: [:], expected: "1.19"),
        Case(
            name: "USD just below a tie rounds down",
            priceINR: "99.99",
            currency: .usd,
            pricing: [:],
            expected: "1.18"
        ),
        Case(name: "JPY to whole yen", priceINR: "1000", currency: .jpy, pricing: [:], expected: "1780"),
        Case(name: "JPY half-up on a tie", priceINR: "25", currency: .jpy, pricing: [:], expected: "45"),
        Case(name: "JPY below half", priceINR: "100.28", currency: .jpy, pricing: [:], expected: "178"),
        Case(name: "GBP plain", priceINR: "2000", currency: .gbp, pricing: [:], expected: "18.70"),
        Case(
            name: "AED markup 10 %",
            priceINR: "500",
            currency: .aed,
            pricing: ["markup_percent": "10"],
            expected: "23.94"
        ),
        Case(
            name: "EUR markup 20 % and add 0.99",
            priceINR: "1000",
            currency: .eur,
            pricing: ["markup_percent": "20", "add": "0.99"],
            expected: "14.07"
        ),
        Case(
            name: "USD discount markup -10 %",
            priceINR: "1000",
            currency: .usd,
            pricing: ["markup_percent": "-10"],
            expected: "10.67"
        ),
        Case(
            name: "USD fractional markup 12.5 %",
            priceINR: "1000",
            currency: .usd,
            pricing: ["markup_percent": "12.5"],
            expected: "13.33"
        ),
        // nearest:S
        Case(
            name: "EUR nearest 0.05",
            priceINR: "1234.56",
            currency: .eur,
            pricing: ["rounding": "nearest:0.05"],
            expected: "13.45"
        ),
        Case(
            name: "JPY nearest 10",
            priceINR: "999.99",
            currency: .jpy,
            pricing: ["rounding": "nearest:10"],
            expected: "1780"
        ),
        Case(
            name: "JPY nearest 10 half-up on a tie",
            priceINR: "25",
            currency: .jpy,
            pricing: ["rounding": "nearest:10", "add": "0.5"],
            expected: "50"
        ),
        // up:S
        Case(
            name: "EUR up 0.10",
            priceINR: "1234.56",
            currency: .eur,
            pricing: ["rounding": "up:0.10"],
            expected: "13.50"
        ),
        Case(name: "JPY up 100", priceINR: "999.99", currency: .jpy, pricing: ["rounding": "up:100"], expected: "1800"),
        Case(name: "GBP up 1", priceINR: "2000", currency: .gbp, pricing: ["rounding": "up:1"], expected: "19.00"),
        Case(
            name: "USD up leaves an exact multiple alone",
            priceINR: "1000",
            currency: .usd,
            pricing: ["rounding": "up:0.05"],
            expected: "11.85"
        ),
        // ending:E
        Case(
            name: "USD DESIGN example: markup 35, add 1.50, ending 0.99, min 4.99",
            priceINR: "1499.50",
            currency: .usd,
            pricing: ["markup_percent": "35", "add": "1.50", "rounding": "ending:0.99", "min": "4.99"],
            expected: "25.99"
        ),
        Case(
            name: "GBP ending 0.49 moves to the next unit",
            priceINR: "2000",
            currency: .gbp,
            pricing: ["rounding": "ending:0.49"],
            expected: "19.49"
        ),
        Case(
            name: "USD ending 0.99 keeps a price already ending so",
            priceINR: "1000",
            currency: .usd,
            pricing: ["add": "0.14", "rounding": "ending:0.99"],
            expected: "11.99"
        ),
        Case(
            name: "AED ending 0.95 below the fraction stays in the unit",
            priceINR: "500",
            currency: .aed,
            pricing: ["rounding": "ending:0.95"],
            expected: "21.95"
        ),
        Case(
            name: "JPY ending 0 is the next whole yen",
            priceINR: "999.99",
            currency: .jpy,
            pricing: ["rounding": "ending:0"],
            expected: "1780"
        ),
        // clamps
        Case(name: "USD min clamps up", priceINR: "100", currency: .usd, pricing: ["min": "4.99"], expected: "4.99"),
        Case(
            name: "USD max clamps down",
            priceINR: "100000",
            currency: .usd,
            pricing: ["max": "999"],
            expected: "999.00"
        ),
        Case(
            name: "clamp applies after rounding",
            priceINR: "1000",
            currency: .usd,
            pricing: ["rounding": "ending:0.99", "max": "11.90"],
            expected: "11.90"
        ),
        Case(
            name: "EUR inside the clamps is untouched",
            priceINR: "1000",
            currency: .eur,
            pricing: ["min": "1", "max": "100"],
            expected: "10.90"
        ),
    ]

    @Test(arguments: cases)
    func channelPriceFollowsTheRules(_ testCase: Case) throws {
        let projector = try Fixtures.projector(currency: testCase.currency, pricing: testCase.pricing)
        let price = projector.price(for: Fixtures.product(priceINR: testCase.priceINR))
        #expect(price == Money(parsing: testCase.expected, currency: testCase.currency))
    }

    @Test func overrideIsUsedAsIsIgnoringFXAndRules() throws {
        let projector = try Fixtures.projector(
            "amazon-us",
            pricing: ["markup_percent": "35", "rounding": "ending:0.99", "min": "25"]
        )
        let product = Fixtures.product(
            channelPrices: ["amazon-us": Fixtures.decimal("19.95"), "amazon-de": Fixtures.decimal("17")]
        )
        #expect(projector.price(for: product) == Money(parsing: "19.95", currency: .usd))
    }

    @Test func overrideForAnotherChannelIsIgnored() throws {
        let projector = try Fixtures.projector("amazon-us")
        let product = Fixtures.product(channelPrices: ["amazon-de": Fixtures.decimal("17")])
        #expect(projector.price(for: product) == Money(parsing: "11.85", currency: .usd))
    }

    @Test func overrideWithMoreDigitsThanTheCurrencyRoundsHalfUp() throws {
        let projector = try Fixtures.projector("amazon-jp", currency: .jpy)
        let product = Fixtures.product(channelPrices: ["amazon-jp": Fixtures.decimal("1999.5")])
        #expect(projector.price(for: product) == Money(minorUnits: 2000, currency: .jpy))
    }

    @Test func baseCurrencyChannelConvertsAtOne() throws {
        let projector = try Fixtures.projector("flipkart", currency: .inr, pricing: ["markup_percent": "10"])
        #expect(
            projector.price(for: Fixtures.product(priceINR: "999.99")) == Money(minorUnits: 109_999, currency: .inr)
        )
    }

    @Test func aLandedCostIsAddedAfterMarkupAndAddBeforeRoundingAndClamping() throws {
        let projector = try Fixtures.projector(
            pricing: [
                "markup_percent": "45", "add": "2.50", "rounding": "ending:0.99", "max": "40",
                "add_landed_cost": "dhl-express",
            ]
        )
        #expect(projector.landedCostSource == "dhl-express")
        let product = Fixtures.product(priceINR: "450")
        let usd = { (text: String) in Money(parsing: text, currency: .usd) }
        // 450 × 0.01185 = 5.3325; × 1.45 + 2.50 = 10.232125; + 27.61 = 37.842125 → 37.99.
        #expect(projector.price(for: product, landedCost: usd("27.61")) == usd("37.99"))
        // + 30.00 = 40.232125 → 40.99, then the clamp to 40.
        #expect(projector.price(for: product, landedCost: usd("30.00")) == usd("40.00"))
        #expect(projector.project(product, landedCost: usd("27.61"))?.hashes.price == FacetHash(price: usd("37.99")!))
    }

    @Test func aPriceAddingALandedCostIsUnknownWithoutOneUnlessOverridden() throws {
        let projector = try Fixtures.projector(pricing: ["markup_percent": "45", "add_landed_cost": "dhl-express"])
        let product = Fixtures.product(priceINR: "450")
        #expect(projector.price(for: product, landedCost: nil) == nil)
        #expect(projector.project(product, landedCost: nil) == nil)
        #expect(projector.price(for: product, landedCost: Money(parsing: "27.61", currency: .eur)) == nil)
        let overridden = Fixtures.product(priceINR: "450", channelPrices: ["amazon-us": Fixtures.decimal("19.95")])
        #expect(projector.price(for: overridden, landedCost: nil) == Money(parsing: "19.95", currency: .usd))
        // A channel adding none ignores a landed cost handed to it.
        let plain = try Fixtures.projector(pricing: ["markup_percent": "45"])
        let landed = Money(parsing: "27.61", currency: .usd)
        #expect(plain.price(for: product, landedCost: landed) == plain.price(for: product))
    }

    @Test func addLandedCostMustNameAChannel() throws {
        #expect(try PricingRule(fields: ["add_landed_cost": "dhl-express"]).landedCostSource == "dhl-express")
        let error = #expect(throws: ConfigurationError.self) { try PricingRule(fields: ["add_landed_cost": " "]) }
        #expect(error?.key == "add_landed_cost")
    }
}
