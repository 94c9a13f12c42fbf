import Catalog
import ControlAPI
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Store
import UnixSignals

/// The running daemon: configuration, store, control socket and systemd notifications under one
/// service group that drains on `SIGTERM`/`SIGINT`.
public struct DaemonRuntime: Sendable {
    /// The daemon's version, reported by `status`.
    public static let version = "0.1.0"

    /// How the daemon was started (the command line of `catalogsyncd`).
    public struct Options: Sendable {
        public var configPath: String
        /// Overrides the configured state directory.
        public var stateDirectory: String?
        /// Overrides the configured control socket.
        public var socketPath: String?
        /// A catalog imported when the store is new (the sandbox's sample catalog).
        public var seedCatalog: String?

        public init(
            configPath: String,
            stateDirectory: String? = nil,
            socketPath: String? = nil,
            seedCatalog: String? = nil
        ) {
            self.configPath = configPath
            self.stateDirectory = stateDirectory
            self.socketPath = socketPath
            self.seedCatalog = seedCatalog
        }
    }

    let options: Options
    let logger: Logger

    public init(options: Options, logger: Logger = Logger(label: "catalogsyncd")) {
        self.options = options
        self.logger = logger
    }

    /// Runs until a graceful-shutdown signal; returns after the socket is closed.
    public func run() async throws {
        var environment = ProcessInfo.processInfo.environment
        if let stateDirectory = options.stateDirectory { environment["STATE_DIRECTORY"] = stateDirectory }
        let configuration = try DaemonConfiguration.load(path: options.configPath, environment: environment)
        let projections = try configuration.makeChannelProjections()
        let stateDirectory = configuration.daemon.stateDirectory
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        let socketPath =
            options.socketPath
            ?? (options.stateDirectory.map { "\($0)/control.sock" } ?? configuration.daemon.controlSocket
                ?? "\(stateDirectory)/control.sock")
        let databasePath = "\(stateDirectory)/catalog.sqlite"
        let isNewStore = !FileManager.default.fileExists(atPath: databasePath)
        let store = try CatalogStore(
            configuration: .init(path: databasePath, channels: configuration.channels.map(\.name))
        )
        if isNewStore, let seed = options.seedCatalog {
            let report = try CatalogImporter(store: store).importFile(at: URL(fileURLWithPath: seed))
            logger.info(
                "seeded the catalog",
                metadata: ["file": "\(seed)", "inserted": "\(report.inserted)", "errors": "\(report.errors.count)"]
            )
        }
        let notifier = SystemdNotifier()
        // --- Control plane (ctl): running state, FX overrides, SIGHUP reload, metrics, watchdog. ---
        // The engine replaces `sync` and `isEngineHealthy`, and applies reloads in `onApply`.
        let sync: any SyncControl = IdleSyncControl()
        let isEngineHealthy: @Sendable () async -> Bool = { true }
        let overridesPath = "\(stateDirectory)/fx-overrides.json"
        var overrides = try FXOverrides.load(path: overridesPath)
        _ = overrides.dropSuperseded(by: configuration)
        let effective = overrides.applied(to: configuration)
        let runtime = RuntimeState(
            .init(
                configuration: effective,
                projections: overrides.entries.isEmpty ? projections : try effective.makeChannelProjections(),
                store: store,
                fxOverrides: overrides.rates
            )
        )
        let reloader = ConfigurationReloader(
            runtime: runtime,
            configPath: options.configPath,
            environment: environment,
            fileConfiguration: configuration,
            overrides: overrides,
            overridesPath: overridesPath,
            notifier: notifier,
            logger: logger,
            wake: { channels in await sync.wake(channels: channels) },
            onApply: { _, _ in }
        )
        DaemonMetrics.shared.bootstrap()
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        var controlServices: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: ReloadSignalService(signals: hangups, reloader: reloader))
        ]
        if let interval = notifier.watchdogInterval {
            controlServices.append(
                .init(
                    service: WatchdogService(
                        notifier: notifier,
                        interval: interval,
                        runtime: runtime,
                        isEngineHealthy: isEngineHealthy,
                        logger: logger
                    )
                )
            )
        }
        let routes = ControlRoutes(
            runtime: runtime,
            sync: sync,
            reloader: reloader,
            metrics: DaemonMetrics.shared,
            configPath: options.configPath,
            startedAt: .now
        )
        // --- end of the control plane's part ---
        let logger = self.logger
        let channelCount = configuration.channels.count
        let app = ControlServer.application(
            routes: routes,
            socketPath: socketPath,
            logger: logger,
            services: [],
            onReady: {
                logger.info("ready", metadata: ["socket": "\(socketPath)", "channels": "\(channelCount)"])
                try? notifier.ready(status: "serving \(channelCount) channels on \(socketPath)")
            }
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: app)] + controlServices,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
        try? notifier.stopping(status: "stopped")
        unlink(socketPath)
    }
}
