import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// The control socket: Hummingbird serving HTTP/1.1 + JSON on a Unix socket, mode 0660.
enum ControlServer {
    /// The group whose members may change state through the socket.
    static let groupName = "catalogsync"

    /// An application serving `routes` on the socket at `path`; `onReady` runs once it accepts connections.
    static func application(
        routes: ControlRoutes,
        socketPath: String,
        settings: DaemonSettings = DaemonSettings(),
        logger: Logger,
        services: [any Service],
        onReady: @escaping @Sendable () async -> Void
    ) -> some ApplicationProtocol {
        let router = Router(context: ControlRequestContext.self)
        router.add(middleware: RequestCountingMiddleware(metrics: routes.metrics))
        router.add(middleware: JSONErrorMiddleware())
        routes.register(on: router)
        // Bound under a private name and renamed into place (``ControlSocketFile``), with its mode
        // and group set before it appears.
        let bindPath = ControlSocketFile.bindPath(for: socketPath)
        return Application(
            router: router,
            // A client that stalls while sending a request is cut after the idle time; a response in
            // progress (an events stream) is not. Connections past the cap wait in the backlog.
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(settings.controlIdleSeconds)))),
            configuration: .init(
                address: .unixDomainSocket(path: bindPath),
                serverName: "catalogsyncd",
                availableConnectionsDelegate: MaximumAvailableConnections(settings.controlMaxConnections)
            ),
            services: services,
            onServerRunning: { _ in
                chmod(bindPath, 0o660)
                if let group = getgrnam(groupName) { chown(bindPath, getuid(), group.pointee.gr_gid) }
                ControlSocketFile.publish(bindPath, at: socketPath)
                await onReady()
            },
            logger: logger
        )
    }
}
