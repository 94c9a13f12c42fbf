import Catalog
import ControlAPI
import CurlHTTP
import Foundation
import Hummingbird
import Logging
import Sandbox
import ServiceLifecycle
import Store
import Sync
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
        /// How the sync engine claims, batches and backs off.
        public var engine = SyncEngine.Configuration()
        /// An already running sandbox (`marketplace-sandbox`) to point every account at, instead of
        /// the platforms' real hosts; credentials files are then not needed.
        public var sandboxURL: String?
        /// Runs the sandbox marketplaces in-process on loopback and points every account at them
        /// (`catalogsyncd --sandbox`).
        public var embeddedSandbox: SandboxServer.Configuration?
        /// Every channel starts paused (`catalogsyncd --paused`): inspect or edit the queue before
        /// anything is sent, then `catalogctl resume`.
        public var startPaused = false

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

    /// The HTTP engine's settings for talking to platforms: enough connections for every lane of
    /// every channel, HTTP/2 where the platform offers it.
    static func httpConfiguration(timeout: Duration) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(concurrency: 256)
        configuration.timeout = timeout
        configuration.connectTimeout = .seconds(10)
        configuration.userAgent = "CatalogSync/\(version) (Language=Swift; Platform=Linux)"
        return configuration
    }

    /// Logs the channels the engine cannot run, and why, and shows them in status.
    static func report(_ skipped: [EngineAssembly.Skipped], runtime: RuntimeState, logger: Logger) {
        runtime.update { state in
            state.notRunning = Dictionary(skipped.map { ($0.channel, $0.reason) }, uniquingKeysWith: { a, _ in a })
        }
        for channel in skipped {
            logger.warning(
                "channel not synced",
                metadata: ["channel": "\(channel.channel)", "reason": "\(channel.reason)"]
            )
        }
    }

    /// Logs the accounts whose orders cannot be polled, with why.
    static func reportOrders(_ skipped: [EngineAssembly.Skipped], logger: Logger) {
        for account in skipped {
            logger.warning(
                "orders not polled",
                metadata: ["account": "\(account.channel)", "reason": "\(account.reason)"]
            )
        }
    }

    /// Runs until a graceful-shutdown signal; returns after the socket is closed.
    public func run() async throws {
        var sandboxBaseURL = options.sandboxURL
        var sandboxTask: Task<Void, any Error>?
        // The embedded sandbox runs in a service group of its own, stopped gracefully after the daemon's
        // (cancelling its task would make Hummingbird log the CancellationError as an error).
        var sandboxGroup: ServiceGroup?
        if let sandboxConfiguration = options.embeddedSandbox {
            let server = SandboxServer(configuration: sandboxConfiguration)
            let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
            sandboxGroup = group
            sandboxTask = Task { try await group.run() }
            let url = await server.waitUntilReady()
            logger.info("sandbox marketplaces listening", metadata: ["url": "\(url)"])
            sandboxBaseURL = url
        }
        defer { sandboxTask?.cancel() }
        var environment = ProcessInfo.processInfo.environment
        if let stateDirectory = options.stateDirectory { environment["STATE_DIRECTORY"] = stateDirectory }
        let configuration = try DaemonConfiguration.load(
            path: options.configPath,
            environment: environment,
            platforms: nil
        )
        let projections = try configuration.makeChannelProjections()
        let adapterIssues = EngineAssembly.check(configuration, projections: projections)
        if !adapterIssues.isEmpty { throw ConfigurationFileError(file: configuration.file, issues: adapterIssues) }
        let stateDirectory = configuration.daemon.stateDirectory
        let stateLock = try StateDirectoryLock.creatingAndLocking(path: stateDirectory)
        defer { withExtendedLifetime(stateLock) {} }
        let socketPath = ControlSocketLocation.path(
            option: options.socketPath,
            stateDirectoryOption: options.stateDirectory,
            configured: configuration.daemon.controlSocket,
            environment: environment,
            stateDirectory: stateDirectory
        )
        try ControlSocketFile.checkNotServed(path: socketPath)
        let databasePath = "\(stateDirectory)/catalog.sqlite"
        let isNewStore = !FileManager.default.fileExists(atPath: databasePath)
        let store: CatalogStore
        do {
            store = try CatalogStore(
                configuration: .init(
                    path: databasePath,
                    channels: configuration.channels.map(\.name),
                    // Leases only keep two lanes from sending one SKU at once; the daemon releases every
                    // lease at start, so a long lease never delays recovery, and it must outlast a feed
                    // that waits for its quota and then for processing.
                    leaseDuration: .seconds(3600)
                )
            )
        } catch {
            throw StateDirectoryLock.Failure(description: "cannot open the store \(databasePath): \(error)")
        }
        if isNewStore, let seed = options.seedCatalog {
            let report = try CatalogImporter(store: store).importFile(at: URL(fileURLWithPath: seed))
            logger.info(
                "seeded the catalog",
                metadata: ["file": "\(seed)", "inserted": "\(report.inserted)", "errors": "\(report.errors.count)"]
            )
        }
        let released = try store.releaseAllLeases()
        if released > 0 {
            logger.info("resuming work a previous run had claimed", metadata: ["listings": "\(released)"])
        }
        let requestTimeout = Duration.seconds(configuration.daemon.requestTimeoutSeconds)
        let http = try HTTPClient(configuration: Self.httpConfiguration(timeout: requestTimeout))
        let hub = EventHub()
        let engineLogger = logger
        var engineConfiguration = options.engine
        engineConfiguration.bulkThreshold = configuration.daemon.bulkThreshold
        engineConfiguration.pathByBudget = !configuration.daemon.fixedBulkThreshold
        engineConfiguration.backoff.cap = .seconds(configuration.daemon.maxBackoffSeconds)
        engineConfiguration.breakerCooldown = .seconds(configuration.daemon.breakerCooldownSeconds)
        engineConfiguration.breakerMaximumCooldown = .seconds(configuration.daemon.maxBreakerCooldownSeconds)
        engineConfiguration.maximumAttempts = configuration.daemon.maxAttempts
        engineConfiguration.maximumRetryAge = .seconds(Int64(configuration.daemon.maxRetryHours) * 3600)
        engineConfiguration.verification.quotaShare = configuration.daemon.verifyQuotaShare
        engineConfiguration.verification.passInterval = .seconds(configuration.daemon.verifyIntervalSeconds)
        let engine = SyncEngine(store: store, configuration: engineConfiguration, logger: logger) { event in
            hub.publish(contentsOf: SyncEvent.events(for: event))
            if event.outcome == .rejected {
                engineLogger.debug("rejected", metadata: ["channel": "\(event.channel)", "sku": "\(event.sku)"])
            }
        }
        let assembly = EngineAssembly(
            http: http,
            options: .init(
                sandboxBaseURL: sandboxBaseURL,
                rateLimits: configuration.daemon.rateLimits,
                requestTimeout: requestTimeout,
                store: store
            ),
            logger: logger
        )
        let notifier = SystemdNotifier()
        // --- Control plane (ctl): running state, FX overrides, SIGHUP reload, metrics, watchdog. ---
        // The engine replaces `sync` and `isEngineHealthy`, and applies reloads in `onApply`.
        let sync: any SyncControl = EngineSyncControl(engine: engine, hub: hub, assembly: assembly)
        let isEngineHealthy: @Sendable () async -> Bool = { engine.isRunning }
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
        let onOrdersApplied: @Sendable ([AppliedOrderLine]) -> Void = { applied in
            hub.publish(contentsOf: OrderPollingService.events(for: applied))
            engine.wake(channels: nil)
        }
        let (orderPollers, _, orderSkipped) = assembly.reconcileOrderPollers(
            for: runtime.snapshot.configuration,
            projections: runtime.snapshot.projections,
            credentials: CredentialStore(settings: configuration.daemon),
            store: store,
            onApplied: onOrdersApplied
        )
        let orderPolling = OrderPollingService(pollers: orderPollers)
        Self.reportOrders(orderSkipped, logger: logger)
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
            onApply: { [logger] effective, _ in
                let snapshot = runtime.snapshot
                let (channels, skipped) = assembly.channels(
                    for: effective,
                    projections: snapshot.projections,
                    credentials: CredentialStore(settings: effective.daemon)
                )
                Self.report(skipped, runtime: runtime, logger: logger)
                engine.reconfigure(channels)
                let orders = assembly.reconcileOrderPollers(
                    for: effective,
                    projections: snapshot.projections,
                    credentials: CredentialStore(settings: effective.daemon),
                    store: store,
                    onApplied: onOrdersApplied
                )
                Self.reportOrders(orders.skipped, logger: logger)
                orderPolling.replace(stopping: orders.stop, starting: orders.start)
            }
        )
        if options.startPaused {
            for channel in configuration.channels { _ = engine.pause(channel: channel.name) }
        }
        let (engineChannels, skipped) = assembly.channels(
            for: runtime.snapshot.configuration,
            projections: runtime.snapshot.projections,
            credentials: CredentialStore(settings: configuration.daemon)
        )
        Self.report(skipped, runtime: runtime, logger: logger)
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
            settings: configuration.daemon,
            logger: logger,
            services: [
                SyncEngineService(engine: engine, channels: engineChannels), orderPolling,
            ],
            onReady: {
                logger.info("ready", metadata: ["socket": "\(socketPath)", "channels": "\(channelCount)"])
                try? notifier.ready(status: "serving \(channelCount) channels on \(socketPath)")
            }
        )
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: app)] + controlServices,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(configuration.daemon.drainSeconds)
        let group = ServiceGroup(configuration: groupConfiguration)
        try await group.run()
        hub.finish()
        await http.shutdown()
        try? notifier.stopping(status: "stopped")
        ControlSocketFile.removeIfUnserved(path: socketPath)
        await sandboxGroup?.triggerGracefulShutdown()
        _ = await sandboxTask?.result
    }
}
