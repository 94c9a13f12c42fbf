import Catalog
import Foundation
import Testing

@testable import DHLAdapter

@Suite("DHL landed cost: the amount a channel price adds")
struct LandedCostPricingTests {
    static let fx = FXTable(base: .inr, rates: [.usd: Decimal(string: "0.01128")!, .jpy: Decimal(string: "1.745")!])

    @Test("an estimate in the channel's currency is added as it is")
    func sameCurrency() throws {
        let estimate = Money(minorUnits: 255_100, currency: .inr)
        let added = LandedCostPricing.amountToAdd(estimate: estimate, channelCurrency: .inr) { _, _ in nil }
        #expect(added == estimate)
    }

    @Test("an INR estimate converts to USD exactly and rounds up to the cent")
    func convertsAndRoundsUp() throws {
        // 2551.00 INR × 0.01128 = 28.77528 USD → 28.78 (up, never under-charging).
        let estimate = Money(minorUnits: 255_100, currency: .inr)
        let conversion = LandedCostPricing.conversion(using: Self.fx)
        let added = LandedCostPricing.amountToAdd(estimate: estimate, channelCurrency: .usd, convert: conversion)
        #expect(added == Money(minorUnits: 2878, currency: .usd))
        // To JPY (no minor unit): 2551 × 1.745 = 4451.495 → 4452.
        let yen = LandedCostPricing.amountToAdd(estimate: estimate, channelCurrency: .jpy, convert: conversion)
        #expect(yen == Money(minorUnits: 4452, currency: .jpy))
    }

    @Test("a cross rate goes through the base currency; a missing rate gives nil")
    func crossRateAndMissingRate() throws {
        let conversion = LandedCostPricing.conversion(using: Self.fx)
        // 10.00 USD → INR 886.524822… → JPY 1547.0 (10 / 0.01128 × 1.745 = 1546.99…) → 1547.
        let yen = LandedCostPricing.amountToAdd(
            estimate: Money(minorUnits: 1000, currency: .usd),
            channelCurrency: .jpy,
            convert: conversion
        )
        #expect(yen == Money(minorUnits: 1547, currency: .jpy))
        let missing = LandedCostPricing.amountToAdd(
            estimate: Money(minorUnits: 1000, currency: .usd),
            channelCurrency: .eur,
            convert: conversion
        )
        #expect(missing == nil)
    }

    @Test("stored estimates round-trip through their JSON form")
    func storedForm() throws {
        let estimate = LandedCostEstimate(
            destination: "GB",
            total: Money(minorUnits: 255_100, currency: .inr),
            duties: Money(minorUnits: 6750, currency: .inr),
            taxes: Money(minorUnits: 10350, currency: .inr),
            shipping: Money(minorUnits: 238_000, currency: .inr),
            fetchedAt: Date(timeIntervalSince1970: 1_763_600_000)
        )
        let text = estimate.encoded()
        #expect(text.contains(#""currency":"INR""#) && text.contains(#""duties":"67.50""#))
        #expect(LandedCostEstimate.decode(text, destination: "GB") == estimate)
        #expect(LandedCostEstimate.decode("{\"total\": 1}", destination: "GB") == nil)
    }
}
