import Catalog

/// Where one channel's price takes its per-SKU landed cost from: the channel that keeps the landed costs
/// (`pricing.add_landed_cost`) and the destination country this channel sells to.
///
/// A SKU whose landed cost is missing is never priced without it: the engine holds the SKU on this
/// channel (nothing is sent; it is retried later, with ``holdReason(sku:currency:)`` as its last error),
/// and when the source channel records an outcome for the SKU the engine marks it dirty here again.
public struct LandedCostInput: Sendable {
    /// The name of the channel that keeps the landed costs (`dhl-express`).
    public var source: String
    /// The destination country this channel sells to (ISO 3166 alpha-2).
    public var destination: String
    /// The source's landed costs.
    public var costs: any LandedCostSource

    public init(source: String, destination: String, costs: any LandedCostSource) {
        self.source = source
        self.destination = destination
        self.costs = costs
    }

    /// The amounts a price in `currency` adds for `skus`; SKUs without one are absent.
    public func amounts(for skus: [SKU], currency: Currency) async throws -> [SKU: Money] {
        try await costs.amountsToAdd(to: destination, currency: currency, skus: skus)
    }

    /// Why `sku`'s price in `currency` cannot be computed, naming the SKU, the destination and the source.
    public func holdReason(sku: SKU, currency: Currency) async -> String {
        let prefix = "price held: the landed cost of SKU \(sku) to \(destination) from channel \(source)"
        let stored: LandedCost?
        do {
            stored = try await costs.landedCosts(of: sku).first { $0.destination == destination }
        } catch {
            return "\(prefix) cannot be read: \(error)"
        }
        guard let stored else { return "\(prefix) is not known yet; retried when \(source) estimates it" }
        return "\(prefix) (\(stored.total)) cannot be converted to \(currency.code): no FX rate"
    }
}
