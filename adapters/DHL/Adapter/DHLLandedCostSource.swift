import Catalog
import Foundation
import Sync

/// The landed-cost estimates one DHL Express channel keeps, as other channels' prices add them
/// (`pricing = { …, add_landed_cost = "<DHL channel>" }`).
///
/// Reads the estimates the ``DHLAdapter`` stored in the account's data store
/// (``LandedCostEstimate``, `landed-cost/<SKU>/<DEST>`) and turns each into the amount a price adds
/// with ``LandedCostPricing/amountToAdd(estimate:channelCurrency:convert:)``: the estimate's total,
/// converted with the FX table and rounded up to the channel currency's minor unit.
public struct DHLLandedCostSource: LandedCostSource {
    /// The DHL channel's destination countries.
    public let destinations: [String]
    private let data: any AdapterDataStore
    private let convert: LandedCostPricing.Conversion

    /// The estimates in `data` (the DHL account's store) for `destinations`, converted with `fx`.
    public init(destinations: [String], data: any AdapterDataStore, fx: FXTable) {
        self.destinations = destinations
        self.data = data
        convert = LandedCostPricing.conversion(using: fx)
    }

    /// Every stored estimate of `sku`, by destination (sorted), with duties, taxes and shipping as parts.
    public func landedCosts(of sku: SKU) async throws -> [LandedCost] {
        try await LandedCostEstimate.estimates(for: sku, in: data).values
            .sorted { $0.destination < $1.destination }
            .map(Self.landedCost)
    }

    /// Each SKU's estimate to `destination` as an amount of `currency`, rounded up.
    public func amountsToAdd(to destination: String, currency: Currency, skus: [SKU]?) async throws -> [SKU: Money] {
        var estimates: [SKU: LandedCostEstimate] = [:]
        if let skus {
            for sku in skus {
                let key = LandedCostEstimate.key(sku: sku, destination: destination)
                if let text = try await data.value(for: key),
                    let estimate = LandedCostEstimate.decode(text, destination: destination)
                {
                    estimates[sku] = estimate
                }
            }
        } else {
            let prefix = LandedCostEstimate.keyPrefix
            let suffix = "/\(destination)"
            for (key, text) in try await data.values(withPrefix: prefix) where key.hasSuffix(suffix) {
                let sku = SKU(trusted: String(key.dropFirst(prefix.count).dropLast(suffix.count)))
                if let estimate = LandedCostEstimate.decode(text, destination: destination) {
                    estimates[sku] = estimate
                }
            }
        }
        return estimates.compactMapValues { estimate in
            LandedCostPricing.amountToAdd(estimate: estimate.total, channelCurrency: currency, convert: convert)
        }
    }

    private static func landedCost(_ estimate: LandedCostEstimate) -> LandedCost {
        LandedCost(
            destination: estimate.destination,
            total: estimate.total,
            parts: [
                .init(name: "duties", amount: estimate.duties),
                .init(name: "taxes", amount: estimate.taxes),
                .init(name: "shipping", amount: estimate.shipping),
            ],
            fetchedAt: estimate.fetchedAt
        )
    }
}
