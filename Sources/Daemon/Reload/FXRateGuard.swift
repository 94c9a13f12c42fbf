import Catalog
import Foundation

/// What `catalogctl fx set` (`PUT /v1/fx`) refuses before anything changes: a rate outside any
/// plausible magnitude, a rate under which a catalog price no longer fits in a price, and — unless
/// forced — a change beyond ``DaemonSettings/fxMaxChangeFactor`` of the rate in force, the usual sign
/// of a typo (`0.0121` for `0.0112`, or a rate given the wrong way round).
enum FXRateGuard {
    /// The smallest and largest rate accepted: units of any currency per one unit of another are
    /// far inside these bounds (1 INR ≈ 0.0035 KWD … 190 IDR).
    static let plausible = Decimal(string: "0.000001")!...Decimal(1_000_000)

    /// Refuses `rate` for `currency` when it is implausible or, without `force`, moves more than
    /// `maxFactor` from `previous`. Issues are keyed `fx.<CODE>` in the file `PUT /v1/fx`.
    static func check(
        currency: Currency,
        rate: Decimal,
        previous: Decimal?,
        base: Currency,
        maxFactor: Decimal,
        force: Bool
    ) throws(ConfigurationFileError) {
        let unit = "units of \(currency.code) per 1 \(base.code)"
        guard plausible.contains(rate) else {
            throw refusal(
                currency,
                "\(rate) is not a plausible rate (\(unit) must lie between \(plausible.lowerBound) and "
                    + "\(plausible.upperBound))"
            )
        }
        guard !force, let previous, previous > 0 else { return }
        let factor = rate > previous ? rate / previous : previous / rate
        guard factor > maxFactor else { return }
        var shown = Decimal()
        var exact = factor
        NSDecimalRound(&shown, &exact, 2, .plain)
        throw refusal(
            currency,
            "changes the rate from \(previous) to \(rate) \(unit), by a factor of \(shown): more than "
                + "fx_max_change_factor (\(maxFactor)). If that is right, set it again with --force "
                + "(catalogctl fx set \(currency.code) \(rate) --force; PUT /v1/fx {\"force\": true})"
        )
    }

    /// Refuses a rate under which the catalog's highest price, projected for any channel priced in
    /// `currency`, no longer fits (it would be sent saturated, 92233720368547758.07).
    static func checkPrices(
        currency: Currency,
        projections: ChannelProjections,
        highestPrice: Int64?,
        base: Currency
    ) throws(ConfigurationFileError) {
        guard let highestPrice else { return }
        let product = Product(
            sku: SKU(trusted: "FX-CHECK"),
            title: "",
            price: Money(minorUnits: highestPrice, currency: base),
            quantity: 0
        )
        for (name, projector) in projections.projectors.sorted(by: { $0.key < $1.key })
        where projector.channel.currency == currency {
            guard projector.price(for: product).minorUnits == Int64.max else { continue }
            let highest = Money(minorUnits: highestPrice, currency: base)
            throw refusal(
                currency,
                "with this rate the catalog's highest price (\(highest.amountString) \(base.code)) would not fit "
                    + "in a price on channel \(name)"
            )
        }
    }

    private static func refusal(_ currency: Currency, _ message: String) -> ConfigurationFileError {
        ConfigurationFileError(
            file: "PUT /v1/fx",
            issues: [ConfigurationIssue(keyPath: "fx.\(currency.code)", message: message)]
        )
    }
}
