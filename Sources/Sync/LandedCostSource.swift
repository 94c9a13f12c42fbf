import Catalog
import Foundation

/// One SKU's landed cost to one destination country, as the channel that keeps it stored it: what
/// shipping one unit there costs beyond the goods themselves (shipping, import duties, import taxes).
public struct LandedCost: Sendable, Hashable {
    /// One named part of the total (`duties`, `taxes`, `shipping`).
    public struct Part: Sendable, Hashable {
        public var name: String
        public var amount: Money

        public init(name: String, amount: Money) {
            self.name = name
            self.amount = amount
        }
    }

    /// The destination country (ISO 3166 alpha-2).
    public var destination: String
    /// Everything together, in the source's currency.
    public var total: Money
    /// The parts of ``total``, in the source's order; empty when the source does not break it down.
    public var parts: [Part]
    /// When the source fetched it.
    public var fetchedAt: Date

    public init(destination: String, total: Money, parts: [Part] = [], fetchedAt: Date) {
        self.destination = destination
        self.total = total
        self.parts = parts
        self.fetchedAt = fetchedAt
    }
}

/// The per-SKU landed costs one channel keeps (DHL Express estimates, in the account's adapter data)
/// for other channels' prices to add: a channel with `pricing = { …, add_landed_cost = "<that channel>" }`
/// adds the landed cost of each SKU to its own destination country.
///
/// Built by the platform's ``AdapterFactory/landedCostSource(channel:data:fx:)`` for each configuration;
/// the engine and the daemon see only this protocol, never the platform's storage format.
public protocol LandedCostSource: Sendable {
    /// The destination countries (ISO 3166 alpha-2) the channel keeps landed costs for.
    var destinations: [String] { get }

    /// Every stored landed cost of `sku`, one per destination.
    func landedCosts(of sku: SKU) async throws -> [LandedCost]

    /// What a price in `currency` adds for each SKU shipped to `destination`: its landed cost converted
    /// to `currency` and rounded up to the currency's minor unit. `skus` `nil` asks for every SKU with a
    /// landed cost there. A SKU without one, or whose landed cost cannot be converted, is absent.
    func amountsToAdd(to destination: String, currency: Currency, skus: [SKU]?) async throws -> [SKU: Money]
}
