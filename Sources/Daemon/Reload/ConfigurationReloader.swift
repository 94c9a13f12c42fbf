import Catalog
import Foundation
import Logging
import Store
import Synchronization

/// Applies a new configuration to the running daemon: on `SIGHUP` (the file re-read) and when an FX
/// rate is set through the control API.
///
/// A new configuration is checked whole (``DaemonConfiguration/load(path:environment:platforms:)`` and
/// ``DaemonConfiguration/makeChannelProjections(platforms:)``) before anything changes; an invalid one
/// keeps the old one running, is logged, and shows in status as `last_reload_error`. A valid one:
/// swaps the ``RuntimeState`` the control routes read, drops the marks of removed channels, rebuilds
/// the dirty set of exactly the added and changed channels (desired vs acked hashes, so only listings
/// whose price, stock or content really changed are queued), calls ``onApply`` (the sync engine's
/// hook) and wakes the affected workers. The queue is never dropped.
public final class ConfigurationReloader: Sendable {
    /// What a reload or an FX change did.
    public struct Outcome: Sendable {
        public var diff: ConfigurationDiff
        /// Pairs newly marked dirty by the rebuild of the affected channels.
        public var marked: Int
    }

    /// The file configuration (before FX overrides) and the overrides, changed only together.
    private struct Sources: Sendable {
        var file: DaemonConfiguration
        var overrides: FXOverrides
    }

    /// The running state the control routes read.
    public let runtime: RuntimeState
    private let configPath: String
    private let environment: [String: String]
    private let overridesPath: String
    private let notifier: SystemdNotifier
    private let logger: Logger
    private let sources: Mutex<Sources>
    private let serial = ReloadSerializer()
    private let wake: @Sendable ([String]?) async -> Void
    /// The sync engine's part of applying: new channels, accounts, projectors. Runs after the
    /// runtime state is swapped and the affected listings are marked; an error is logged and reported.
    private let onApply: @Sendable (DaemonConfiguration, ConfigurationDiff) async throws -> Void

    /// A reloader of the configuration at `configPath`, whose running state is `runtime`.
    ///
    /// - Parameters:
    ///   - fileConfiguration: the configuration as read from the file at startup (without overrides).
    ///   - overrides: the FX overrides in force, saved to `overridesPath` when they change.
    public init(
        runtime: RuntimeState,
        configPath: String,
        environment: [String: String],
        fileConfiguration: DaemonConfiguration,
        overrides: FXOverrides,
        overridesPath: String,
        notifier: SystemdNotifier,
        logger: Logger,
        wake: @escaping @Sendable ([String]?) async -> Void,
        onApply: @escaping @Sendable (DaemonConfiguration, ConfigurationDiff) async throws -> Void = { _, _ in }
    ) {
        self.runtime = runtime
        self.configPath = configPath
        self.environment = environment
        self.overridesPath = overridesPath
        self.notifier = notifier
        self.logger = logger
        self.sources = Mutex(Sources(file: fileConfiguration, overrides: overrides))
        self.wake = wake
        self.onApply = onApply
    }

    /// Re-reads the configuration file and applies it; an invalid file keeps the running configuration.
    /// Returns the outcome, or `nil` when the file was refused.
    @discardableResult
    public func reload() async -> Outcome? {
        await serial.run { [self] () async -> Outcome? in
            try? notifier.reloading(status: "reloading \(configPath)")
            let file: DaemonConfiguration
            var overrides = sources.withLock { $0.overrides }
            let effective: DaemonConfiguration
            let projections: ChannelProjections
            do {
                file = try DaemonConfiguration.load(path: configPath, environment: environment)
                if file.channels.isEmpty {
                    throw ConfigurationFileError(
                        file: file.file,
                        issues: [
                            ConfigurationIssue(
                                keyPath: "channels",
                                message: "the file defines no [[channels]]; a reload never removes every channel "
                                    + "(stop the daemon to stop syncing)"
                            )
                        ]
                    )
                }
                let dropped = overrides.dropSuperseded(by: file)
                if !dropped.isEmpty {
                    logger.notice(
                        "the configuration file changed these FX rates; its values replace the overrides",
                        metadata: ["currencies": "\(dropped.joined(separator: ","))"]
                    )
                }
                effective = overrides.applied(to: file)
                projections = try effective.makeChannelProjections()
                try Self.checkAdapters(effective, projections: projections)
            } catch {
                let message = "\(error)"
                runtime.update { $0.lastReloadError = message }
                logger.error(
                    "reload refused, the previous configuration keeps running",
                    metadata: ["error": "\(message)"]
                )
                try? notifier.ready(status: "reload refused (previous configuration running): \(message)")
                return nil
            }
            do {
                try overrides.save(path: overridesPath)
            } catch {
                logger.error(
                    "cannot save the FX overrides",
                    metadata: ["path": "\(overridesPath)", "error": "\(error)"]
                )
            }
            sources.withLock { $0 = Sources(file: file, overrides: overrides) }
            let outcome = await apply(effective, projections: projections, overrides: overrides, clearsError: true)
            try? notifier.ready(status: Self.summary(outcome, channels: effective.channels.count))
            return outcome
        }
    }

    /// Sets the FX rate of `currencyCode` on the running daemon (persisted as an override).
    ///
    /// - Parameter force: accepts a change beyond `fx_max_change_factor` of the rate in force.
    /// - Throws: ``ConfigurationFileError`` naming the key (`fx.JPY`, `channels[9].pricing.rounding`) when
    ///   the rate is not a positive decimal, is implausible (``FXRateGuard``), moves too far without
    ///   `force`, makes a catalog price overflow, or a channel's rules cannot apply with it; nothing
    ///   changes then.
    public func setFXRate(currencyCode: String, rate text: String, force: Bool = false) async throws -> Outcome {
        try await serial.run { [self] () async throws -> Outcome in
            let (file, current) = sources.withLock { ($0.file, $0.overrides) }
            let parsed: FXTable
            do {
                parsed = try FXTable(base: file.daemon.baseCurrency, parsing: [currencyCode: text])
            } catch let error as ConfigurationError {
                throw ConfigurationFileError(
                    file: "PUT /v1/fx",
                    issues: [ConfigurationIssue(keyPath: "fx.\(error.key)", message: error.message)]
                )
            }
            guard let (currency, rate) = parsed.rates.first else {
                throw ConfigurationFileError(
                    file: "PUT /v1/fx",
                    issues: [
                        ConfigurationIssue(
                            keyPath: "fx.\(currencyCode)",
                            message: "is the base currency \(file.daemon.baseCurrency.code); its rate is always 1"
                        )
                    ]
                )
            }
            try FXRateGuard.check(
                currency: currency,
                rate: rate,
                previous: current.applied(to: file).fxRates[currency],
                base: file.daemon.baseCurrency,
                maxFactor: file.daemon.fxMaxChangeFactor,
                force: force
            )
            var overrides = current
            let fileRate = file.fxRates[currency]
            overrides.entries[currency.code] =
                fileRate == rate ? nil : FXOverrides.Entry(rate: rate, fileRate: fileRate)
            let effective = overrides.applied(to: file)
            let projections = try effective.makeChannelProjections()
            try Self.checkAdapters(effective, projections: projections)
            try FXRateGuard.checkPrices(
                currency: currency,
                projections: projections,
                highestPrice: try runtime.snapshot.store.highestPriceMinorUnits(),
                base: file.daemon.baseCurrency
            )
            try overrides.save(path: overridesPath)
            sources.withLock { $0.overrides = overrides }
            let outcome = await apply(effective, projections: projections, overrides: overrides, clearsError: false)
            logger.notice(
                "FX rate set",
                metadata: ["currency": "\(currency.code)", "rate": "\(rate)", "marked": "\(outcome.marked)"]
            )
            return outcome
        }
    }

    /// Swaps the running state to `effective`, re-marks exactly the affected listings, runs the
    /// engine's hook and wakes the affected channels.
    private func apply(
        _ effective: DaemonConfiguration,
        projections: ChannelProjections,
        overrides: FXOverrides,
        clearsError: Bool
    ) async -> Outcome {
        let before = runtime.snapshot
        let diff = ConfigurationDiff(from: before.configuration, to: effective)
        var store = before.store
        if !diff.addedChannels.isEmpty || !diff.removedChannels.isEmpty {
            do {
                store = try CatalogStore(
                    configuration: .init(
                        path: before.store.configuration.path,
                        channels: effective.channels.map(\.name)
                    )
                )
            } catch {
                logger.error("cannot reopen the store with the new channels", metadata: ["error": "\(error)"])
            }
        }
        runtime.update { state in
            state.configuration = effective
            state.projections = projections
            state.store = store
            state.fxOverrides = overrides.rates
            if clearsError { state.lastReloadError = nil }
        }
        // A price adding a landed cost also changes with the FX rate of the landed cost's currency.
        let changedRates = Set(diff.changedFXRates)
        let landedCostAffected = runtime.snapshot.landedCosts.inputs.compactMap { name, input in
            projections.rules[input.source].map { changedRates.contains($0.currency) } == true ? name : nil
        }
        let affected = Set(diff.addedChannels + diff.changedChannels + landedCostAffected).sorted()
        var marked = 0
        do {
            try store.dropMarks(channels: diff.removedChannels)
            let projectors = effective.channels.filter { affected.contains($0.name) }
                .compactMap { projections.projectors[$0.name] }
            if !projectors.isEmpty {
                marked = try await runtime.snapshot.rebuildDirtySet(projectors: projectors).newlyMarked
            }
        } catch {
            logger.error("cannot re-mark the affected listings", metadata: ["error": "\(error)"])
        }
        do {
            try await onApply(effective, diff)
        } catch {
            logger.error("the sync engine could not apply the configuration", metadata: ["error": "\(error)"])
        }
        if !affected.isEmpty { await wake(affected) }
        logger.notice(
            "configuration applied",
            metadata: [
                "added": "\(diff.addedChannels)", "removed": "\(diff.removedChannels)",
                "changed": "\(diff.changedChannels)", "marked": "\(marked)",
            ]
        )
        return Outcome(diff: diff, marked: marked)
    }

    /// Refuses a configuration the daemon would refuse at start: platform settings its adapter
    /// rejects, unknown keys, an `add_landed_cost` that cannot work (DESIGN §5: at load and reload).
    private static func checkAdapters(
        _ configuration: DaemonConfiguration,
        projections: ChannelProjections
    ) throws(ConfigurationFileError) {
        let issues = EngineAssembly.check(configuration, projections: projections)
        if !issues.isEmpty { throw ConfigurationFileError(file: configuration.file, issues: issues) }
    }

    private static func summary(_ outcome: Outcome, channels: Int) -> String {
        let diff = outcome.diff
        return "serving \(channels) channels; reloaded: \(diff.addedChannels.count) added, "
            + "\(diff.removedChannels.count) removed, \(diff.changedChannels.count) changed, "
            + "\(outcome.marked) listings queued"
    }
}

/// Runs reloads and FX changes one at a time, in arrival order.
private actor ReloadSerializer {
    private var tail: Task<Void, Never>?

    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = tail
        let task = Task { () async throws -> T in
            await previous?.value
            return try await body()
        }
        tail = Task { _ = try? await task.value }
        return try await task.value
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
        let previous = tail
        let task = Task { () async -> T in
            await previous?.value
            return await body()
        }
        tail = Task { _ = await task.value }
        return await task.value
    }
}
