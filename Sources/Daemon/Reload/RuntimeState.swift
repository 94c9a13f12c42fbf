import Catalog
import Foundation
import Store
import Synchronization

/// What the running daemon acts on now: the effective configuration (the file plus FX overrides set
/// through the control API), its projections, the store, and why the last reload was refused.
///
/// Control routes read one ``Snapshot`` per request; the ``ConfigurationReloader`` swaps it whole, so
/// a request never sees half of an old and half of a new configuration.
public final class RuntimeState: Sendable {
    /// One consistent view of the running configuration.
    public struct Snapshot: Sendable {
        /// The effective configuration: the file's, with ``fxOverrides`` applied to `fxRates`.
        public var configuration: DaemonConfiguration
        /// The FX table, rules and projector of every channel of ``configuration``.
        public var projections: ChannelProjections
        /// The store, opened with the channels of ``configuration`` (reopened when they change).
        public var store: CatalogStore
        /// FX rates set through `PUT /v1/fx` that differ from the file (kept in the state directory).
        public var fxOverrides: [Currency: Decimal]
        /// Why the last `SIGHUP` reload was refused (the previous configuration kept running), or `nil`.
        public var lastReloadError: String?
        /// The configured channels the engine does not run, each with the reason (no adapter for its
        /// platform, a missing or unsafe credentials file), by channel name.
        public var notRunning: [String: String] = [:]

        public init(
            configuration: DaemonConfiguration,
            projections: ChannelProjections,
            store: CatalogStore,
            fxOverrides: [Currency: Decimal] = [:],
            lastReloadError: String? = nil
        ) {
            self.configuration = configuration
            self.projections = projections
            self.store = store
            self.fxOverrides = fxOverrides
            self.lastReloadError = lastReloadError
        }

        /// The configured channels, in file order.
        public var channels: [ChannelConfiguration] { configuration.channels }

        /// The projectors of the configured channels, in file order.
        public var projectors: [ChannelProjector] {
            configuration.channels.compactMap { projections.projectors[$0.name] }
        }

        /// The configured channel named `name`, or `nil`.
        public func channel(named name: String) -> ChannelConfiguration? {
            configuration.channels.first { $0.name == name }
        }

        /// Which channels keep landed costs and which channels' prices add them, over ``store``.
        public var landedCosts: LandedCostWiring {
            LandedCostWiring(configuration, projections: projections, store: store)
        }

        /// Rebuilds the dirty set of `projectors`' channels (`sync --full`, reload), comparing prices that
        /// add a landed cost with the landed costs stored now, exactly as the engine prices them.
        public func rebuildDirtySet(projectors: [ChannelProjector]) async throws -> RebuildReport {
            let landedCosts = try await landedCosts.amounts(for: projectors)
            return try await store.rebuildDirtySet(projectors: projectors, landedCosts: landedCosts)
        }
    }

    private let current: Mutex<Snapshot>

    /// State starting from `snapshot`.
    public init(_ snapshot: Snapshot) {
        current = Mutex(snapshot)
    }

    /// The state now.
    public var snapshot: Snapshot {
        current.withLock { $0 }
    }

    /// Changes the state atomically; returns what `body` returns.
    @discardableResult
    public func update<T: Sendable>(_ body: (inout Snapshot) -> T) -> T {
        current.withLock { body(&$0) }
    }
}
