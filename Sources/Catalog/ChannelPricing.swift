import Foundation

/// A ``PricingRule`` checked against one currency and FX rate, ready to price products quickly.
///
/// ``fixedPointPrice(_:)`` does the arithmetic exactly in `Int128` fixed point; ``decimalPrice(_:)`` is the
/// definition written in Foundation `Decimal`. Both give the same minor units (the tests compare them over
/// many random cases); ``price(_:)`` uses the fixed-point path and falls back to `Decimal` when a value
/// would not fit 128 bits.
struct ChannelPricing: Hashable, Sendable {
    /// The currency prices come out in.
    let currency: Currency
    /// Units of ``currency`` per unit of the FX base.
    let rate: FixedDecimal
    /// `100 × 10^markupScale + markup mantissa`: `100 × (1 + markup / 100)` at scale `markupScale`.
    let markupFactor: Int128
    let markupScale: Int
    let add: FixedDecimal
    let rounding: CompiledRounding
    let minimum: Int64?
    let maximum: Int64?
    /// The rule as configured, for the `Decimal` definition.
    let rule: PricingRule
    let decimalRate: Decimal

    /// ``PricingRule/Rounding`` with its argument in minor units of the currency.
    enum CompiledRounding: Hashable, Sendable {
        case none
        case nearest(stepMinorUnits: Int128)
        case up(stepMinorUnits: Int128)
        case ending(fractionMinorUnits: Int128)
    }

    /// Checks `rule` against `currency` and `rate`.
    /// - Throws: ``ConfigurationError`` with a key relative to the channel (`pricing.rounding`, `pricing.min`).
    init(rule: PricingRule, currency: Currency, rate decimalRate: Decimal) throws(ConfigurationError) {
        let exponent = currency.exponent
        guard let rate = FixedDecimal(decimalRate), rate.mantissa > 0 else {
            throw ConfigurationError(key: "fx.\(currency.code)", message: "rate \(decimalRate) is not positive")
        }
        guard let markup = FixedDecimal(rule.markupPercent) else {
            throw ConfigurationError(
                key: "pricing.markup_percent",
                message: "\(rule.markupPercent) has more digits than exact pricing supports (30 decimals)"
            )
        }
        guard markup > FixedDecimal(mantissa: -100, scale: 0) else {
            throw ConfigurationError(
                key: "pricing.markup_percent",
                message: "\(rule.markupPercent) must be above -100 (a markup of -100 % gives the goods away)"
            )
        }
        guard let add = FixedDecimal(rule.add), !add.isNegative else {
            throw ConfigurationError(key: "pricing.add", message: "\(rule.add) must be zero or positive")
        }
        self.currency = currency
        self.rate = rate.normalized
        self.markupScale = markup.normalized.scale
        self.markupFactor = 100 * FixedDecimal.powerOfTen(markupScale) + markup.normalized.mantissa
        self.add = add.normalized
        self.rule = rule
        self.decimalRate = decimalRate
        self.minimum = try Self.minorUnits(rule.minimum, key: "pricing.min", currency: currency)
        self.maximum = try Self.minorUnits(rule.maximum, key: "pricing.max", currency: currency)
        if let minimum, let maximum, minimum > maximum {
            throw ConfigurationError(
                key: "pricing.min",
                message: "min \(rule.minimum!) is above max \(rule.maximum!)"
            )
        }
        switch rule.rounding {
        case .none:
            self.rounding = .none
        case .nearest(let step), .up(let step):
            guard let fixed = FixedDecimal(step), fixed.mantissa > 0 else {
                throw ConfigurationError(key: "pricing.rounding", message: "step \(step) must be positive")
            }
            guard let units = Self.minorUnits(of: fixed, exponent: exponent) else {
                throw ConfigurationError(
                    key: "pricing.rounding",
                    message: "step \(step) is finer than the minor unit of \(currency.code) (\(exponent) decimals)"
                )
            }
            if case .nearest = rule.rounding {
                self.rounding = .nearest(stepMinorUnits: units)
            } else {
                self.rounding = .up(stepMinorUnits: units)
            }
        case .ending(let fraction):
            guard let fixed = FixedDecimal(fraction), !fixed.isNegative,
                fixed < FixedDecimal(mantissa: 1, scale: 0)
            else {
                throw ConfigurationError(
                    key: "pricing.rounding",
                    message: "ending \(fraction) must be a fraction in [0, 1) such as 0.99"
                )
            }
            guard let units = Self.minorUnits(of: fixed, exponent: exponent) else {
                throw ConfigurationError(
                    key: "pricing.rounding",
                    message: "ending:\(fraction) cannot apply to \(currency.code), which has \(exponent) decimals"
                )
            }
            self.rounding = .ending(fractionMinorUnits: units)
        }
    }

    /// The channel price for `base`, exactly per the rule (saturating at `Int64.max` minor units, far above
    /// any real price). `landedCost` (minor units of ``currency``, not negative) is added to the marked-up
    /// price before rounding and clamping.
    func price(_ base: Money, landedCost: Int64 = 0) -> Int64 {
        fixedPointPrice(base, landedCost: landedCost) ?? decimalPrice(base, landedCost: landedCost)
    }

    /// The price computed in `Int128` fixed point, or `nil` when an intermediate value would overflow.
    func fixedPointPrice(_ base: Money, landedCost: Int64 = 0) -> Int64? {
        guard base.minorUnits >= 0, landedCost >= 0 else { return nil }
        let exponent = currency.exponent
        // marked = P / 10^eb × rate × factor / (100 × 10^ms) + add, at scale `scale`.
        let productScale = base.currency.exponent + rate.scale + markupScale + 2
        let scale = max(productScale, add.scale, exponent)
        guard scale <= 38 else { return nil }
        var marked = Int128(base.minorUnits)
        var overflow = false
        (marked, overflow) = marked.multipliedReportingOverflow(by: rate.mantissa)
        guard !overflow else { return nil }
        (marked, overflow) = marked.multipliedReportingOverflow(by: markupFactor)
        guard !overflow else { return nil }
        (marked, overflow) = marked.multipliedReportingOverflow(by: FixedDecimal.powerOfTen(scale - productScale))
        guard !overflow, let addend = add.mantissa(atScale: scale) else { return nil }
        (marked, overflow) = marked.addingReportingOverflow(addend)
        guard !overflow else { return nil }
        if landedCost > 0 {
            var landed = Int128(landedCost)
            (landed, overflow) = landed.multipliedReportingOverflow(by: FixedDecimal.powerOfTen(scale - exponent))
            guard !overflow else { return nil }
            (marked, overflow) = marked.addingReportingOverflow(landed)
            guard !overflow else { return nil }
        }

        // Round to minor units of the currency.
        let unit = FixedDecimal.powerOfTen(scale - exponent)
        var result: Int128
        switch rounding {
        case .none:
            result = Self.dividedRoundingHalfUp(marked, by: unit)
        case .nearest(let step):
            let (stepAtScale, stepOverflow) = step.multipliedReportingOverflow(by: unit)
            guard !stepOverflow else { return nil }
            result = Self.dividedRoundingHalfUp(marked, by: stepAtScale) * step
        case .up(let step):
            let (stepAtScale, stepOverflow) = step.multipliedReportingOverflow(by: unit)
            guard !stepOverflow else { return nil }
            let (quotient, remainder) = Self.divide(marked, by: stepAtScale)
            result = (remainder > 0 ? quotient + 1 : quotient) * step
        case .ending(let fraction):
            let major = FixedDecimal.powerOfTen(scale)
            var whole = Self.divide(marked, by: major).quotient
            if whole * major + fraction * unit < marked { whole += 1 }
            result = whole * FixedDecimal.powerOfTen(exponent) + fraction
        }
        if let minimum { result = max(result, Int128(minimum)) }
        if let maximum { result = min(result, Int128(maximum)) }
        return Int64(exactly: result) ?? Int64.max
    }

    /// The price computed with Foundation `Decimal`, the literal definition of DESIGN §5.
    func decimalPrice(_ base: Money, landedCost: Int64 = 0) -> Int64 {
        let exponent = currency.exponent
        let converted = base.decimalAmount * decimalRate
        var marked =
            converted * (1 + rule.markupPercent / 100) + rule.add
            + Money(minorUnits: landedCost, currency: currency).decimalAmount
        var rounded: Decimal
        switch rule.rounding {
        case .none:
            rounded = Decimal()
            NSDecimalRound(&rounded, &marked, exponent, .plain)
        case .nearest(let step):
            var steps = marked / step
            var whole = Decimal()
            NSDecimalRound(&whole, &steps, 0, .plain)
            rounded = whole * step
        case .up(let step):
            var steps = marked / step
            var whole = Decimal()
            NSDecimalRound(&whole, &steps, 0, .up)
            rounded = whole * step
        case .ending(let fraction):
            var whole = Decimal()
            NSDecimalRound(&whole, &marked, 0, .down)
            rounded = whole + fraction
            if rounded < marked { rounded += 1 }
        }
        if let minimum = rule.minimum, rounded < minimum { rounded = minimum }
        if let maximum = rule.maximum, rounded > maximum { rounded = maximum }
        return Self.minorUnitsRoundingHalfUp(rounded, currency: currency)
    }

    /// `amount` (in `currency`, as given) in minor units, rounded half-up when it has more digits.
    static func minorUnitsRoundingHalfUp(_ amount: Decimal, currency: Currency) -> Int64 {
        if let fixed = FixedDecimal(amount), !fixed.isNegative {
            let exponent = currency.exponent
            if let atScale = fixed.mantissa(atScale: max(fixed.scale, exponent)) {
                let rounded = dividedRoundingHalfUp(
                    atScale,
                    by: FixedDecimal.powerOfTen(max(fixed.scale, exponent) - exponent)
                )
                return Int64(exactly: rounded) ?? Int64.max
            }
        }
        var scaled = amount * Money.scale(currency.exponent)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        let number = NSDecimalNumber(decimal: rounded)
        if rounded > Decimal(Int64.max) { return Int64.max }
        if rounded < Decimal(Int64.min) { return Int64.min }
        return number.int64Value
    }

    /// `value / divisor` rounded half-up, for `value ≥ 0` and `divisor > 0`.
    static func dividedRoundingHalfUp(_ value: Int128, by divisor: Int128) -> Int128 {
        let (quotient, remainder) = divide(value, by: divisor)
        return remainder >= divisor - remainder ? quotient + 1 : quotient
    }

    /// `value / divisor` and the remainder, for `value ≥ 0` and `divisor > 0`; in 64 bits when both fit,
    /// since a 128-bit division is a slow library call.
    @inline(__always)
    static func divide(_ value: Int128, by divisor: Int128) -> (quotient: Int128, remainder: Int128) {
        if value >> 64 == 0, divisor >> 64 == 0 {
            let (quotient, remainder) = UInt64(truncatingIfNeeded: value).quotientAndRemainder(
                dividingBy: UInt64(truncatingIfNeeded: divisor)
            )
            return (Int128(quotient), Int128(remainder))
        }
        return value.quotientAndRemainder(dividingBy: divisor)
    }

    /// `value` in whole minor units of a currency with `exponent` decimals, or `nil` if it is finer.
    static func minorUnits(of value: FixedDecimal, exponent: Int) -> Int128? {
        let normalized = value.normalized
        guard normalized.scale <= exponent else { return nil }
        return normalized.mantissa(atScale: exponent)
    }

    private static func minorUnits(_ amount: Decimal?, key: String, currency: Currency) throws(ConfigurationError)
        -> Int64?
    {
        guard let amount else { return nil }
        guard let fixed = FixedDecimal(amount), !fixed.isNegative,
            let units = minorUnits(of: fixed, exponent: currency.exponent), let result = Int64(exactly: units)
        else {
            throw ConfigurationError(
                key: key,
                message: "\(amount) is not an amount of \(currency.code) (\(currency.exponent) decimals, not negative)"
            )
        }
        return result
    }
}
