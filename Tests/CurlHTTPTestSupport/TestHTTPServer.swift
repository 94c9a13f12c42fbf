import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 (port chosen by the kernel) or on a Unix socket, for client tests.
///
/// It counts the connections it accepts, so tests can show keep-alive reuse, and it misbehaves on request. Routes:
/// - `GET /hello`: `200`, body `hello`.
/// - `POST /echo`: `200`, the request body back, plus `X-Body-Length`.
/// - any method on `/method`: `200`, body `<METHOD> <request body length>`.
/// - `GET /echo-headers`: `200`, one `name: value` line per request header.
/// - `GET /headers`: `200` with `Set-Cookie` twice, `X-Amzn-RateLimit-Limit` and `Retry-After`.
/// - `GET /status?code=N`: status `N` with `Retry-After: 7`, body `status N`.
/// - `GET /sleep?ms=N`: waits `N` ms, then `200`, body `slept`.
/// - `GET /large?bytes=N`: the `N` bytes of ``largeBody(count:)``.
/// - `GET /gzip`: ``gzipPlainText`` compressed with gzip, sent with `Content-Encoding: gzip`.
/// - `GET /close-mid-body`: announces 100,000 bytes, sends 10, closes the connection.
/// - `GET /close-before-response`: closes the connection without answering.
/// - `GET /redirect-loop`: `302` back to itself.
public final class TestHTTPServer: Sendable {
    /// Where the server listens.
    public enum Address: Sendable {
        /// 127.0.0.1, port 0 (the kernel picks a free one).
        case loopback
        /// A Unix-domain socket at this path (an existing file there is replaced).
        case unixSocket(path: String)
    }

    /// The text served compressed by `/gzip`.
    public static let gzipPlainText = String(repeating: "CatalogSync keeps listings true. ", count: 200)

    /// A `/large` body of `count` bytes: 0, 1, ..., 250, 0, 1, ... (a prime period, so shifted or dropped chunks
    /// show up). Built by copying whole periods, which stays fast in debug builds.
    public static func largeBody(count: Int) -> [UInt8] {
        let period = (0..<251).map { UInt8($0) }
        var body: [UInt8] = []
        body.reserveCapacity(count)
        while body.count + period.count <= count {
            body.append(contentsOf: period)
        }
        body.append(contentsOf: period[0..<(count - body.count)])
        return body
    }

    /// The TCP port, or `nil` for a Unix socket.
    public let port: Int?
    /// `http://127.0.0.1:<port>`, or `http://localhost` for a Unix socket.
    public let baseURL: String
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let counter: ConnectionCounter

    private init(port: Int?, group: MultiThreadedEventLoopGroup, channel: any Channel, counter: ConnectionCounter) {
        self.port = port
        self.baseURL = port.map { "http://127.0.0.1:\($0)" } ?? "http://localhost"
        self.group = group
        self.channel = channel
        self.counter = counter
    }

    /// Starts a server on one event-loop thread.
    public static func start(_ address: Address = .loopback) async throws -> TestHTTPServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let counter = ConnectionCounter()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                counter.recordAccepted()
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(TestHTTPHandler())
                }
            }
        do {
            switch address {
            case .loopback:
                let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
                return TestHTTPServer(
                    port: channel.localAddress?.port,
                    group: group,
                    channel: channel,
                    counter: counter
                )
            case .unixSocket(let path):
                let channel = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true)
                    .get()
                return TestHTTPServer(port: nil, group: group, channel: channel, counter: counter)
            }
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// The number of client connections accepted so far.
    public var acceptedConnections: Int {
        counter.count
    }

    /// `baseURL` followed by `path`, e.g. `url("/hello")`.
    public func url(_ path: String) -> String {
        baseURL + path
    }

    /// Closes the listening socket and every connection.
    public func shutdown() async throws {
        try? await channel.close()
        try await group.shutdownGracefully()
    }
}

/// Counts accepted connections across event-loop threads.
final class ConnectionCounter: Sendable {
    private let total = Atomic<Int>(0)

    func recordAccepted() {
        total.add(1, ordering: .relaxed)
    }

    var count: Int {
        total.load(ordering: .relaxed)
    }
}
