import Foundation
import Testing

@testable import Catalog

/// The `Int128` fast path must give exactly the minor units of the `Decimal` definition.
struct FixedPointEquivalenceTests {
    /// SplitMix64: a small deterministic generator, so a failure reproduces.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    static func decimal(_ mantissa: Int64, scale: Int) -> Decimal {
        Decimal(sign: mantissa < 0 ? .minus : .plus, exponent: -scale, significand: Decimal(mantissa.magnitude))
    }

    static func randomRule(currency: Currency, using random: inout SplitMix64) -> PricingRule {
        let exponent = currency.exponent
        func amount(upTo bound: Int64) -> Decimal {
            decimal(Int64.random(in: 0...bound, using: &random), scale: Int.random(in: 0...exponent, using: &random))
        }
        let rounding: PricingRule.Rounding
        switch Int.random(in: 0..<4, using: &random) {
        case 0: rounding = .none
        case 1: rounding = .nearest(step: max(amount(upTo: 500), decimal(1, scale: exponent)))
        case 2: rounding = .up(step: max(amount(upTo: 500), decimal(1, scale: exponent)))
        default:
            let digits = Int.random(in: 0...exponent, using: &random)
            let bound = Int64(truncatingIfNeeded: FixedDecimal.powerOfTen(digits)) - 1
            rounding = .ending(fraction: decimal(Int64.random(in: 0...bound, using: &random), scale: digits))
        }
        let minimum = Bool.random(using: &random) ? amount(upTo: 2000) : nil
        var maximum = Bool.random(using: &random) ? amount(upTo: 200_000) : nil
        if let low = minimum, let high = maximum, high < low { maximum = low }
        return PricingRule(
            markupPercent: decimal(Int64.random(in: -9_999...50_000, using: &random), scale: 2),
            add: decimal(Int64.random(in: 0...99_999, using: &random), scale: Int.random(in: 0...3, using: &random)),
            rounding: rounding,
            minimum: minimum,
            maximum: maximum
        )
    }

    @Test(arguments: [1, 2, 3, 4])
    func fixedPointMatchesDecimalDefinitionOnRandomRules(seed: UInt64) throws {
        var random = SplitMix64(state: seed)
        let currencies: [Currency] = [.usd, .eur, .jpy, .aed, .gbp, Currency(code: "KWD")!, .inr]
        var compared = 0
        for _ in 0..<300 {
            let currency = currencies.randomElement(using: &random)!
            let rate = Self.decimal(
                Int64.random(in: 1...9_999_999, using: &random),
                scale: Int.random(in: 0...9, using: &random)
            )
            let rule = Self.randomRule(currency: currency, using: &random)
            let pricing = try ChannelPricing(rule: rule, currency: currency, rate: rate)
            for _ in 0..<50 {
                let base = Money(minorUnits: Int64.random(in: 0...10_000_000_000, using: &random), currency: .inr)
                // Half the prices add a landed cost (minor units of the channel currency).
                let landed = Bool.random(using: &random) ? Int64.random(in: 0...5_000_000, using: &random) : 0
                let fixed = try #require(pricing.fixedPointPrice(base, landedCost: landed))
                let reference = pricing.decimalPrice(base, landedCost: landed)
                #expect(fixed == reference, "rule \(rule) rate \(rate) \(currency) base \(base) landed \(landed)")
                if fixed != reference { return }
                compared += 1
            }
        }
        #expect(compared == 15_000)
    }

    @Test(arguments: [
        ("999.995", 0, "1000"),
        ("12.345", 2, "12.35"),
        ("12.344999", 2, "12.34"),
        ("7", 3, "7"),
    ])
    func minorUnitsRoundHalfUp(amount: String, exponent: Int, expected: String) throws {
        let currency = try #require(Currency.known.values.first { $0.exponent == exponent })
        let units = ChannelPricing.minorUnitsRoundingHalfUp(Fixtures.decimal(amount), currency: currency)
        #expect(Money(minorUnits: units, currency: currency) == Money(parsing: expected, currency: currency))
    }

    @Test func fixedDecimalParsesExactlyAndRejectsOtherSpellings() throws {
        #expect(FixedDecimal(parsing: "0.01185") == FixedDecimal(mantissa: 1185, scale: 5))
        #expect(FixedDecimal(parsing: "-12.5") == FixedDecimal(mantissa: -125, scale: 1))
        #expect(FixedDecimal(parsing: "1.50")?.normalized == FixedDecimal(mantissa: 15, scale: 1))
        let huge = String(repeating: "9", count: 40)
        for bad in ["", ".5", "5.", "1e3", "+1", "1,5", " 1", "1.2.3", "--1", "0x10", huge, "0." + huge] {
            #expect(FixedDecimal(parsing: bad) == nil, "\(bad)")
        }
        #expect(FixedDecimal(Fixtures.decimal("123.456"))?.decimal == Fixtures.decimal("123.456"))
    }

    @Test func overflowingInputsFallBackToTheDecimalDefinition() throws {
        let rate = Self.decimal(999_999_999_999_999_999, scale: 9)
        let pricing = try ChannelPricing(
            rule: PricingRule(markupPercent: Self.decimal(123_456_789_123_456_789, scale: 15)),
            currency: .usd,
            rate: rate
        )
        let base = Money(minorUnits: Int64.max / 1_000_000, currency: .inr)
        #expect(pricing.fixedPointPrice(base) == nil)
        #expect(pricing.price(base) == pricing.decimalPrice(base))
    }
}
