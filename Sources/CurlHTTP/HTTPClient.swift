/// An async/await HTTP client on libcurl: one multi handle, one thread, pooled connections.
///
/// Create one per process (or one per transport: TCP, or the control Unix socket), share it freely, and call
/// ``shutdown()`` before the process exits so libcurl and OpenSSL are torn down in order.
///
/// ```swift
/// let client = try HTTPClient(configuration: .init())
/// let response = try await client.execute(HTTPRequest(url: "https://sellingpartnerapi-eu.amazon.com/..."))
/// if response.status == 429, let retryAfter = response.headers["Retry-After"] { ... }
/// await client.shutdown()
/// ```
///
/// Transport failures throw ``HTTPClientError``; every HTTP status, 4xx and 5xx included, is an ``HTTPResponse``.
/// Cancelling the calling task aborts the transfer and throws ``HTTPClientError/Kind/cancelled``.
public final class HTTPClient: Sendable {
    /// How the client connects, times out and pools connections.
    public typealias Configuration = HTTPClientConfiguration

    /// Counters since the client was created.
    public struct Statistics: Sendable, Hashable {
        /// Transfers that were started and finished: with a response, a transport error, or cancelled.
        public var completedRequests: Int
        /// TCP or Unix-socket connections opened (`CURLINFO_NUM_CONNECTS`); reused connections are not counted.
        public var openedConnections: Int
    }

    /// The configuration the client was created with.
    public let configuration: HTTPClientConfiguration
    private let engine: CurlMultiEngine

    /// Starts a client and its engine thread.
    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) throws(HTTPClientError) {
        self.configuration = configuration
        self.engine = try CurlMultiEngine(configuration: configuration)
        try engine.start()
    }

    deinit {
        engine.requestStop()
    }

    /// Sends `request` and returns the response, whatever its status.
    ///
    /// - Throws: ``HTTPClientError`` when no response arrived: DNS, connect, TLS, timeout, reset, cancellation...
    public func execute(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse {
        let pending = PendingRequest(request)
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if pending.install(continuation) {
                    engine.submit(pending)
                }
            }
        } onCancel: {
            pending.markCancelled()
            engine.cancel(pending)
        }
        return try outcome.get()
    }

    /// Sends a `GET` for `url` with optional header fields.
    public func get(_ url: String, headers: HTTPHeaders = [:]) async throws(HTTPClientError) -> HTTPResponse {
        try await execute(HTTPRequest(method: .get, url: url, headers: headers))
    }

    /// The counters so far.
    public var statistics: Statistics {
        Statistics(
            completedRequests: engine.completedRequests.load(ordering: .relaxed),
            openedConnections: engine.openedConnections.load(ordering: .relaxed)
        )
    }

    /// Fails requests still in flight with ``HTTPClientError/Kind/shutdown``, closes every connection and frees
    /// the multi handle. Returns once libcurl is torn down; later requests fail with `.shutdown`. Idempotent.
    public func shutdown() async {
        await engine.stop()
    }

    /// The version of the libcurl library in use, e.g. `"7.88.1"`, for the daemon's start-up log.
    public static var libcurlVersion: String {
        CurlGlobal.version
    }

    /// Whether the loaded libcurl reports `CURL_VERSION_THREADSAFE` (thread-safe global initialisation).
    public static var libcurlIsThreadSafe: Bool {
        CurlGlobal.isThreadSafe
    }
}
