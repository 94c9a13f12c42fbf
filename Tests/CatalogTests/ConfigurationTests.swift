import Catalog
import Foundation
import Testing

struct ConfigurationTests {
    struct BadChannel: CustomTestStringConvertible, Sendable {
        let name: String
        let currency: Currency
        let pricing: [String: String]
        let key: String

        var testDescription: String { name }
    }

    static let badChannels: [BadChannel] = [
        BadChannel(
            name: "JPY has no minor unit for ending:0.99",
            currency: .jpy,
            pricing: ["rounding": "ending:0.99"],
            key: "channels[ch].pricing.rounding"
        ),
        BadChannel(
            name: "JPY step finer than a yen",
            currency: .jpy,
            pricing: ["rounding": "nearest:0.5"],
            key: "channels[ch].pricing.rounding"
        ),
        BadChannel(
            name: "USD step finer than a cent",
            currency: .usd,
            pricing: ["rounding": "up:0.001"],
            key: "channels[ch].pricing.rounding"
        ),
        BadChannel(
            name: "zero step",
            currency: .usd,
            pricing: ["rounding": "nearest:0"],
            key: "channels[ch].pricing.rounding"
        ),
        BadChannel(
            name: "ending of a whole unit or more",
            currency: .usd,
            pricing: ["rounding": "ending:1.5"],
            key: "channels[ch].pricing.rounding"
        ),
        BadChannel(
            name: "min above max",
            currency: .usd,
            pricing: ["min": "10", "max": "5"],
            key: "channels[ch].pricing.min"
        ),
        BadChannel(
            name: "JPY min with cents",
            currency: .jpy,
            pricing: ["min": "4.99"],
            key: "channels[ch].pricing.min"
        ),
        BadChannel(
            name: "USD max with a tenth of a cent",
            currency: .usd,
            pricing: ["max": "10.005"],
            key: "channels[ch].pricing.max"
        ),
        BadChannel(
            name: "markup of -100 % or less",
            currency: .usd,
            pricing: ["markup_percent": "-100"],
            key: "channels[ch].pricing.markup_percent"
        ),
    ]

    @Test(arguments: badChannels)
    func projectorRejectsARuleThatCannotApplyToTheCurrency(_ bad: BadChannel) {
        #expect {
            _ = try Fixtures.projector("ch", currency: bad.currency, pricing: bad.pricing)
        } throws: { error in
            (error as? ConfigurationError)?.key == bad.key
        }
    }

    @Test func jpyEndingErrorSaysWhy() {
        #expect {
            _ = try Fixtures.projector("amazon-jp", currency: .jpy, pricing: ["rounding": "ending:0.99"])
        } throws: { error in
            let error = error as! ConfigurationError
            return error.description.hasPrefix("channels[amazon-jp].pricing.rounding: ")
                && error.message.contains("JPY")
        }
    }

    @Test func missingFXRateIsAnErrorNamingTheRate() {
        let fx = FXTable(base: .inr, rates: [.usd: Fixtures.decimal("0.01185")])
        let channel = ChannelRules(name: "amazon-jp", currency: .jpy, language: "ja_JP")
        #expect(throws: ConfigurationError.self) { try ChannelProjector(channel: channel, fx: fx) }
        do {
            _ = try ChannelProjector(channel: channel, fx: fx)
        } catch {
            #expect(error.key == "fx.JPY")
            #expect(error.message.contains("amazon-jp"))
        }
    }

    @Test func baseCurrencyNeedsNoRate() throws {
        let fx = FXTable(base: .inr, rates: [:])
        #expect(fx.rate(to: .inr) == 1)
        #expect(fx.rate(to: .usd) == nil)
        _ = try ChannelProjector(channel: ChannelRules(name: "flipkart", currency: .inr, language: "en_IN"), fx: fx)
    }

    @Test func invalidInventoryRuleNamesTheChannelKey() {
        let channel = ChannelRules(
            name: "ebay-uk",
            currency: .gbp,
            language: "en_GB",
            inventory: InventoryRule(sharePercent: 150)
        )
        #expect {
            _ = try ChannelProjector(channel: channel, fx: Fixtures.fx)
        } throws: { error in
            (error as? ConfigurationError)?.key == "channels[ebay-uk].inventory.share_percent"
        }
    }

    @Test func pricingTableOfTheDesignParses() throws {
        let rule = try PricingRule(fields: [
            "markup_percent": "35", "add": "1.50", "rounding": "ending:0.99", "min": "4.99",
        ])
        #expect(
            rule
                == PricingRule(
                    markupPercent: 35,
                    add: Fixtures.decimal("1.5"),
                    rounding: .ending(fraction: Fixtures.decimal("0.99")),
                    minimum: Fixtures.decimal("4.99")
                )
        )
        #expect(try PricingRule(fields: [:]) == PricingRule())
        #expect(try PricingRule.Rounding(parsing: "up:10") == .up(step: 10))
        #expect(try PricingRule.Rounding(parsing: "nearest:0.05") == .nearest(step: Fixtures.decimal("0.05")))
        #expect(try PricingRule.Rounding(parsing: "none") == PricingRule.Rounding.none)
    }

    @Test(arguments: [
        (["markup": "35"], "markup"),
        (["add": "1,50"], "add"),
        (["add": "-1"], "add"),
        (["min": "4.99 "], "min"),
        (["max": "1e3"], "max"),
        (["markup_percent": "thirty"], "markup_percent"),
        (["rounding": "round:5"], "rounding"),
        (["rounding": "ending"], "rounding"),
        (["rounding": "up:x"], "rounding"),
    ])
    func pricingFieldErrorNamesTheKey(_ fields: [String: String], key: String) {
        #expect {
            _ = try PricingRule(fields: fields)
        } throws: { error in
            let error = error as! ConfigurationError
            return error.key == key && (key == "markup" || error.message.contains(fields[key]!))
        }
    }

    @Test(arguments: [
        (["share": 50], "share"),
        (["share_percent": 101], "share_percent"),
        (["share_percent": -1], "share_percent"),
        (["buffer": -2], "buffer"),
        (["max": -1], "max"),
    ])
    func inventoryFieldErrorNamesTheKey(_ fields: [String: Int], key: String) {
        #expect {
            _ = try InventoryRule(fields: fields)
        } throws: { error in
            (error as? ConfigurationError)?.key == key
        }
    }

    @Test func inventoryTableParsesWithDefaults() throws {
        #expect(try InventoryRule(fields: ["buffer": 2, "max": 500]) == InventoryRule(buffer: 2, maximum: 500))
        #expect(try InventoryRule(fields: [:]) == InventoryRule(sharePercent: 100, buffer: 0, maximum: nil))
    }

    @Test(arguments: [
        (["USD": "abc"], "USD"),
        (["USD": "0"], "USD"),
        (["USD": "-0.01"], "USD"),
        (["XYZ": "1"], "XYZ"),
    ])
    func fxTableErrorNamesTheCurrency(_ table: [String: String], key: String) {
        #expect {
            _ = try FXTable(base: .inr, parsing: table)
        } throws: { error in
            (error as? ConfigurationError)?.key == key
        }
    }

    @Test func fxTableParsesExactRates() throws {
        let fx = try FXTable(base: .inr, parsing: ["usd": "0.01185", "JPY": "1.78"])
        #expect(fx.rate(to: .usd) == Fixtures.decimal("0.01185"))
        #expect(fx.rate(to: .jpy) == Fixtures.decimal("1.78"))
        #expect(fx.rate(to: .inr) == 1)
    }

    @Test func prefixedErrorKeepsTheMessage() {
        let error = ConfigurationError(key: "rounding", message: "bad").prefixed(by: "channels[x].pricing")
        #expect(error.key == "channels[x].pricing.rounding")
        #expect(error.description == "channels[x].pricing.rounding: bad")
    }
}
