import Catalog
import Foundation

/// How a channel's pricing rule `add_landed_cost = "dhl-express"` uses a DHL estimate (pure).
///
/// The rule: the estimate's ``LandedCostEstimate/total`` (shipping + duties + taxes for one unit to
/// the channel's destination) is converted to the channel's currency and added to the marked-up price
/// *before* rounding and clamping (DESIGN §5 step 2 → 3). The conversion is exact decimal arithmetic;
/// the converted amount is rounded **up** to the channel currency's minor unit, so the seller never
/// absorbs a fraction of a cent of landed cost.
public enum LandedCostPricing {
    /// Converts an amount (in the estimate's currency) to a target currency, exactly; `nil` when no
    /// rate is known.
    public typealias Conversion = @Sendable (_ amount: Money, _ to: Currency) -> Decimal?

    /// The amount to add to a channel price in `channelCurrency` for `estimate`, rounded up to the
    /// currency's minor unit; `nil` when `convert` has no rate (a configuration error to report).
    public static func amountToAdd(
        estimate: Money,
        channelCurrency: Currency,
        convert: Conversion
    ) -> Money? {
        let converted: Decimal
        if estimate.currency == channelCurrency {
            converted = estimate.decimalAmount
        } else {
            guard let value = convert(estimate, channelCurrency) else { return nil }
            converted = value
        }
        var scaled = converted * power10(channelCurrency.exponent)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .up)
        guard !rounded.isNaN else { return nil }
        let units = NSDecimalNumber(decimal: rounded).int64Value
        guard Decimal(units) == rounded else { return nil }
        return Money(minorUnits: units, currency: channelCurrency)
    }

    /// A conversion through an FX table of rates from one base currency: `amount / rate(from) ×
    /// rate(to)`, exact decimal arithmetic.
    public static func conversion(using fx: FXTable) -> Conversion {
        { amount, target in
            guard let from = fx.rate(to: amount.currency), from > 0, let to = fx.rate(to: target) else { return nil }
            return amount.decimalAmount / from * to
        }
    }

    private static func power10(_ exponent: Int) -> Decimal {
        var result = Decimal(1)
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}
