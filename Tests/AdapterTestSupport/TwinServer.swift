import Hummingbird
import Logging
import TwinSupport

/// Runs `twin` in a Hummingbird application on 127.0.0.1 (a free port) for the duration of `body`,
/// which gets the server's root URL (`http://127.0.0.1:PORT`); the twin's routes are under `/<platform>`.
/// With `log`, every request the twin receives is recorded in it.
public func withTwinServer<Result>(
    _ twin: some PlatformTwin,
    log: RequestLog? = nil,
    _ body: (String) async throws -> Result
) async throws -> Result {
    let router = Router(context: BasicRequestContext.self)
    if let log { router.add(middleware: RequestLogMiddleware(log: log)) }
    twin.addRoutes(to: router.group(RouterPath(twin.platform)))
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
        logger: quietLogger
    )
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            defer { continuation.finish() }
            try await app.runService()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            // The server stopped before it listened: surface its error.
            try await group.waitForAll()
            throw CancellationError()
        }
        defer { group.cancelAll() }
        return try await body("http://127.0.0.1:\(port)")
    }
}

/// Like ``withTwinServer(_:log:_:)``, but `body` gets the twin's base URL
/// (`http://127.0.0.1:PORT/<platform>`).
public func withTwinEndpoint<Result>(
    _ twin: some PlatformTwin,
    log: RequestLog? = nil,
    _ body: (String) async throws -> Result
) async throws -> Result {
    let platform = twin.platform
    return try await withTwinServer(twin, log: log) { root in try await body(root + "/" + platform) }
}

/// A logger that keeps a cancelled server's messages out of the test output.
public let quietLogger: Logger = {
    var logger = Logger(label: "twin")
    logger.logLevel = .critical
    return logger
}()
