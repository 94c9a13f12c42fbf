import AmazonTwin
import DHLTwin
import EbayTwin
import FlipkartTwin
import Hummingbird
import Logging
import RivexaTwin
import ServiceLifecycle
import ShiprocketTwin
import ShopcluesTwin
import Synchronization
import TwinSupport
import WalmartTwin

/// Every platform twin in one Hummingbird server on loopback (HTTP/1.1), each under `/<platform>`,
/// behind fault injection and latency, with platform-neutral inspection under `/_sandbox`.
///
/// Run it as a ServiceLifecycle `Service` (``run()``) and ask ``waitUntilReady()`` for its base URL.
public final class SandboxServer: Service, Sendable {
    /// The sandbox's options.
    public struct Configuration: Sendable {
        /// The address to listen on (loopback).
        public var host = "127.0.0.1"
        /// The port; 0 picks any free port.
        public var port = 0
        /// Faults injected in front of every platform route.
        public var faults = FaultSpec()
        /// Delay before every platform request is handled.
        public var latency: Duration = .zero
        /// `true` enforces the platforms' published quotas (`--quotas published`).
        public var quotasEnabled = true
        /// Seeds fault draws and the twins' ids.
        public var seed: UInt64 = 1
        /// How long issued access tokens live.
        public var tokenLifetime: Duration = .seconds(3600)
        /// How long asynchronous work (feeds) takes.
        public var processingDelay: Duration = .milliseconds(500)
        /// Every published quota rate times this (a seller with raised quotas).
        public var quotaMultiplier: Double = 1
        /// Contract checks the twins skip (``TwinEnvironment/temporarilyLenientContracts``): none by default.
        /// Only tests that send hand-made minimal bodies to exercise something else name one (the Amazon
        /// twin's product type definition check, ``AmazonTwin/definitionsContract``).
        public var temporarilyLenientContracts: Set<String> = []
        /// How long a `timeout` fault stalls before answering 503.
        public var timeoutFaultDelay: Duration = .seconds(30)
        /// For this long from each platform's first token request, its token endpoint answers 500:
        /// identity providers that are down when the daemon starts.
        public var tokenOutage: Duration = .zero
        /// The server's log level (its own request logs are debug).
        public var logLevel: Logger.Level = .warning

        /// The defaults: any port on 127.0.0.1, no faults, published quotas.
        public init() {}
    }

    private enum Readiness {
        case waiting([CheckedContinuation<String, Never>])
        case ready(String)
    }

    /// The options the server was made with.
    public let configuration: Configuration
    /// What the twins share: options, counters, the base URL once known.
    public let environment: TwinEnvironment
    /// The mounted twins.
    public let twins: [any PlatformTwin]
    let injector: FaultInjector
    private let readiness = Mutex<Readiness>(.waiting([]))

    /// A server with `twins` (by default ``allTwins(environment:)``).
    public init(configuration: Configuration = .init(), twins: ((TwinEnvironment) -> [any PlatformTwin])? = nil) {
        self.configuration = configuration
        var environment = TwinEnvironment(
            quotasEnabled: configuration.quotasEnabled,
            seed: configuration.seed,
            stats: SandboxStats(),
            address: SandboxAddress(),
            tokenLifetime: configuration.tokenLifetime,
            processingDelay: configuration.processingDelay,
            quotaMultiplier: configuration.quotaMultiplier
        )
        environment.temporarilyLenientContracts = configuration.temporarilyLenientContracts
        self.environment = environment
        self.twins = (twins ?? Self.allTwins)(environment)
        injector = FaultInjector(
            spec: configuration.faults,
            latency: configuration.latency,
            seed: configuration.seed,
            timeoutDelay: configuration.timeoutFaultDelay
        )
    }

    /// The registry of platform twins: one line per platform.
    public static func allTwins(environment: TwinEnvironment) -> [any PlatformTwin] {
        [
            AmazonTwin(environment: environment),
            EbayTwin(environment: environment),
            FlipkartTwin(environment: environment),
            WalmartTwin(environment: environment),
            ShiprocketTwin(environment: environment),
            ShopcluesTwin(environment: environment),
            DHLTwin(environment: environment),
            RivexaTwin(environment: environment),
        ]
    }

    /// Serves until the task is cancelled or a graceful shutdown is triggered.
    public func run() async throws {
        var logger = Logger(label: "marketplace-sandbox")
        logger.logLevel = configuration.logLevel
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { [self] channel in
                let port = channel.localAddress?.port ?? configuration.port
                markReady("http://\(configuration.host):\(port)")
            },
            logger: logger
        )
        try await app.run()
    }

    /// The base URL (`http://127.0.0.1:PORT`) once the server listens.
    public func waitUntilReady() async -> String {
        await withCheckedContinuation { continuation in
            let url: String? = readiness.withLock { state in
                switch state {
                case .ready(let url): return url
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                }
            }
            if let url { continuation.resume(returning: url) }
        }
    }

    private func markReady(_ url: String) {
        environment.address.baseURL = url
        let waiters = readiness.withLock { state -> [CheckedContinuation<String, Never>] in
            defer { state = .ready(url) }
            if case .waiting(let waiters) = state { return waiters }
            return []
        }
        for waiter in waiters { waiter.resume(returning: url) }
    }

    private func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(
            middleware: FaultMiddleware(
                injector: injector,
                stats: environment.stats,
                platforms: Set(twins.map(\.platform)),
                tokenOutage: TokenOutage(
                    duration: configuration.tokenOutage,
                    paths: Dictionary(twins.map { ($0.platform, Set($0.tokenPaths)) }, uniquingKeysWith: { a, _ in a })
                )
            )
        )
        for twin in twins {
            twin.addRoutes(to: router.group(RouterPath(twin.platform)))
        }
        SandboxInspection(twins: twins, stats: environment.stats, injector: injector)
            .addRoutes(to: router.group("_sandbox"))
        SandboxTamper(twins: twins).addRoutes(to: router.group("_sandbox"))
        SandboxOrders(twins: twins.compactMap { $0 as? any OrderPlacingTwin }).addRoutes(to: router.group("_sandbox"))
        return router
    }
}
