import Catalog
import Foundation

/// Where a listing as the platform shows it differs from the desired listing whose hashes it
/// acknowledged: the facets to send again and the reason an operator reads.
///
/// The comparison is pure: a price is equal when the shown amount, rounded half-up to the currency's
/// minor unit, is the desired amount (`22.990` shows as `22.99`); a quantity when it is the same
/// number; a title when it is the same text after trimming white space (only when the platform
/// reported one). A missing listing drifts in every facet the platform keeps. Availability and issues
/// are shown, never repaired by a push: a suppressed listing needs the operator.
public struct ListingDrift: Sendable, Hashable {
    /// The facets whose shown value differs.
    public var facets: Set<Facet>
    /// `drift: price 24.99 on amazon-de, expected 22.99` (several differences joined by `; `).
    public var reason: String

    /// The drift of `read` from `desired` in `checked` facets, or `nil` when they agree (or the read
    /// failed: nothing is concluded from a failure).
    public static func compare(desired: DesiredListing, read: ListingRead, checked: Set<Facet>) -> ListingDrift? {
        let channel = desired.channel
        switch read {
        case .failed:
            return nil
        case .missing:
            guard !checked.isEmpty else { return nil }
            return ListingDrift(facets: checked, reason: "drift: listing missing on \(channel)")
        case .found(let live):
            var facets = Set<Facet>()
            var parts: [String] = []
            if checked.contains(.price), let shown = live.price {
                let sameCurrency = live.currencyCode.map { $0.uppercased() == desired.price.currency.code } ?? true
                let minor = minorUnits(shown, currency: desired.price.currency)
                if !sameCurrency || minor != desired.price.minorUnits {
                    facets.insert(.price)
                    let text =
                        sameCurrency
                        ? Money(minorUnits: minor ?? 0, currency: desired.price.currency).amountString
                        : "\(shown) \(live.currencyCode ?? "")"
                    let expected = sameCurrency ? desired.price.amountString : desired.price.description
                    parts.append("price \(text) on \(channel), expected \(expected)")
                }
            }
            if checked.contains(.quantity), let shown = live.quantity, shown != desired.quantity {
                facets.insert(.quantity)
                parts.append("quantity \(shown) on \(channel), expected \(desired.quantity)")
            }
            if checked.contains(.content), let shown = live.title,
                shown.trimmingCharacters(in: .whitespacesAndNewlines)
                    != desired.content.title.trimmingCharacters(in: .whitespacesAndNewlines)
            {
                facets.insert(.content)
                parts.append("title \"\(shown)\" on \(channel), expected \"\(desired.content.title)\"")
            }
            guard !facets.isEmpty else { return nil }
            return ListingDrift(facets: facets, reason: "drift: " + parts.joined(separator: "; "))
        }
    }

    /// `amount` in minor units of `currency`, rounded half-up; `nil` when it does not fit.
    static func minorUnits(_ amount: Decimal, currency: Currency) -> Int64? {
        var scaled = amount
        for _ in 0..<currency.exponent { scaled *= 10 }
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        let number = NSDecimalNumber(decimal: rounded)
        guard Decimal(number.int64Value) == rounded else { return nil }
        return number.int64Value
    }
}
