import CurlHTTP
import Sync
import TwinSupport

/// A twin in a Hummingbird application on 127.0.0.1 (port 0), with the real libcurl client.
public struct LoopbackTwinServer {
    /// The server's root URL (`http://127.0.0.1:PORT`); the twin's routes are under `/<platform>`.
    public let baseURL: String
    /// The libcurl client the tests and adapters talk to the twin with.
    public let client: HTTPClient

    /// Runs `body` against `twin` under `/<platform>`, then stops server and client.
    public static func with<T>(
        _ twin: some PlatformTwin,
        _ body: (LoopbackTwinServer) async throws -> T
    ) async throws -> T {
        try await withTwinServer(twin) { root in
            let client = try HTTPClient(configuration: .init())
            do {
                let result = try await body(LoopbackTwinServer(baseURL: root, client: client))
                await client.shutdown()
                return result
            } catch {
                await client.shutdown()
                throw error
            }
        }
    }

    /// An adapter context for `account` and `channel` over this server's client, with quiet logs.
    public func context(
        account: AccountSettings,
        channel: ChannelSettings,
        quotas: [OperationQuota],
        data: any AdapterDataStore
    ) -> AdapterContext {
        .forTests(
            account: account,
            channel: channel,
            http: client,
            rateLimiter: RateLimiter(quotas: quotas),
            data: data,
            quiet: true
        )
    }
}
