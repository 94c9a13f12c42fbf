import CurlHTTP
import Hummingbird
import Logging
import Sync
import Synchronization
import Testing
import TwinSupport

/// A twin in a Hummingbird application on 127.0.0.1 (port 0), with the real libcurl client.
struct LoopbackTwinServer {
    let baseURL: String
    let client: HTTPClient

    /// Runs `body` against `twin` under `/<platform>`, then stops server and client.
    static func with<T>(_ twin: some PlatformTwin, _ body: (LoopbackTwinServer) async throws -> T) async throws -> T {
        let router = Router(context: BasicRequestContext.self)
        twin.addRoutes(to: router.group(RouterPath(twin.platform)))
        let port = Mutex<Int?>(nil)
        var logger = Logger(label: "rest-twin-test")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } },
            logger: logger
        )
        let task = Task { try await app.runService() }
        var bound: Int?
        for _ in 0..<500 {
            bound = port.withLock { $0 }
            if bound != nil { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        let client = try HTTPClient(configuration: .init())
        let server = LoopbackTwinServer(baseURL: "http://127.0.0.1:\(try #require(bound))", client: client)
        do {
            let result = try await body(server)
            await client.shutdown()
            task.cancel()
            _ = await task.result
            return result
        } catch {
            await client.shutdown()
            task.cancel()
            _ = await task.result
            throw error
        }
    }

    /// An adapter context for `account` and `channel` over this server's client.
    func context(
        account: AccountSettings,
        channel: ChannelSettings,
        quotas: [OperationQuota],
        data: any AdapterDataStore
    ) -> AdapterContext {
        var logger = Logger(label: "rest-adapter-test")
        logger.logLevel = .critical
        return AdapterContext(
            account: account,
            channel: channel,
            http: client,
            rateLimiter: RateLimiter(quotas: quotas),
            tokens: TokenCache(),
            requestTimeout: .seconds(10),
            logger: logger,
            data: data
        )
    }
}
