import Foundation

/// An exact decimal number `mantissa × 10^-scale` held in an `Int128`.
///
/// The pricing fast path computes with these instead of Foundation `Decimal`, which is slow on
/// Linux. Every operation reports overflow instead of wrapping, so callers can fall back to the
/// `Decimal` definition when a value does not fit.
struct FixedDecimal: Hashable, Sendable {
    /// The digits, signed.
    var mantissa: Int128
    /// How many of the digits are after the decimal point; never negative.
    var scale: Int

    /// The largest scale handled; `10^scale` must fit an `Int128` with room to multiply.
    static let maximumScale = 30

    init(mantissa: Int128, scale: Int) {
        self.mantissa = mantissa
        self.scale = scale
    }

    /// `10^exponent` for `0...38`.
    static func powerOfTen(_ exponent: Int) -> Int128 {
        powersOfTen[exponent]
    }

    private static let powersOfTen: [Int128] = {
        var result: [Int128] = [1]
        for _ in 1...38 { result.append(result.last! * 10) }
        return result
    }()

    /// Parses `[-]digits[.digits]` exactly (at most 30 significant characters); `nil` for anything else,
    /// including exponents, grouping, spaces and a `+` sign.
    init?(parsing text: String) {
        var mantissa: Int128 = 0
        var scale = 0
        var sawDigit = false
        var sawPoint = false
        var negative = false
        var count = 0
        for (index, byte) in text.utf8.enumerated() {
            count += 1
            guard count <= 40 else { return nil }
            switch byte {
            case UInt8(ascii: "-") where index == 0:
                negative = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                mantissa = mantissa * 10 + Int128(byte - UInt8(ascii: "0"))
                if sawPoint { scale += 1 }
            case UInt8(ascii: ".") where !sawPoint && sawDigit:
                sawPoint = true
            default:
                return nil
            }
        }
        guard sawDigit, !text.hasSuffix("."), scale <= Self.maximumScale else { return nil }
        self.init(mantissa: negative ? -mantissa : mantissa, scale: scale)
    }

    /// The value of a Foundation `Decimal`, or `nil` when it does not fit (or is NaN).
    ///
    /// `Decimal`'s storage is not public on Linux, so this reads its plain `description` (`"-0.01185"`).
    init?(_ decimal: Decimal) {
        guard !decimal.isNaN else { return nil }
        self.init(parsing: decimal.description)
    }

    /// The same number as a Foundation `Decimal` (exact for up to 38 digits).
    var decimal: Decimal {
        let magnitude = mantissa.magnitude
        let high = UInt64(truncatingIfNeeded: magnitude >> 64)
        let low = UInt64(truncatingIfNeeded: magnitude)
        let twoToThe32 = Decimal(UInt64(1) << 32)
        let digits = high == 0 ? Decimal(low) : Decimal(high) * twoToThe32 * twoToThe32 + Decimal(low)
        return Decimal(sign: mantissa < 0 ? .minus : .plus, exponent: -scale, significand: digits)
    }

    /// The same number with trailing fractional zeros removed (`1.50` → `1.5`, scale 1).
    var normalized: FixedDecimal {
        var result = self
        while result.scale > 0, result.mantissa % 10 == 0 {
            result.mantissa /= 10
            result.scale -= 1
        }
        return result
    }

    /// The mantissa of this number written with `scale` fractional digits, or `nil` on overflow or
    /// when `scale` is smaller than this number's scale.
    func mantissa(atScale target: Int) -> Int128? {
        guard target >= scale, target - scale <= 38 else { return nil }
        let (product, overflow) = mantissa.multipliedReportingOverflow(by: Self.powerOfTen(target - scale))
        return overflow ? nil : product
    }

    var isZero: Bool { mantissa == 0 }
    var isNegative: Bool { mantissa < 0 }
}

extension FixedDecimal: Comparable {
    static func < (lhs: FixedDecimal, rhs: FixedDecimal) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        guard let left = lhs.mantissa(atScale: scale), let right = rhs.mantissa(atScale: scale) else {
            return lhs.decimal < rhs.decimal
        }
        return left < right
    }
}
