/// How an ``HTTPClient`` connects, times out and pools connections. Every field has a production default.
public struct HTTPClientConfiguration: Sendable {
    /// Which HTTP versions the client may negotiate.
    public enum HTTPVersionPolicy: Sendable, Hashable {
        /// HTTP/1.1 only, with keep-alive.
        case http1Only
        /// HTTP/2 over TLS when the server offers it through ALPN, multiplexed; HTTP/1.1 otherwise.
        /// Plain `http://` URLs always use HTTP/1.1: cleartext HTTP/2 (h2c) is never attempted, because
        /// Debian 12's libcurl 7.88 breaks it on connection reuse (curl issue #10634).
        case http2OverTLS
    }

    /// Connections kept open in the cache for reuse (`CURLMOPT_MAXCONNECTS`).
    ///
    /// Set it to at least the number of requests in flight, or connections are closed and reopened.
    public var maximumCachedConnections: Int = 64
    /// Open connections per host (`CURLMOPT_MAX_HOST_CONNECTIONS`); further requests wait in curl's queue,
    /// and that wait counts against their timeout. `0` means unlimited.
    public var maximumConnectionsPerHost: Int = 64
    /// The time allowed to establish a connection, TLS handshake included.
    public var connectTimeout: Duration = .seconds(10)
    /// The default total time for a request, from queueing to the last body byte.
    public var timeout: Duration = .seconds(60)
    /// Idle connections older than this are closed rather than reused (`CURLOPT_MAXAGE_CONN`).
    public var maximumConnectionAge: Duration = .seconds(60)
    /// The HTTP versions the client may use.
    public var httpVersion: HTTPVersionPolicy = .http2OverTLS
    /// A PEM file of CA certificates to trust instead of the system bundle. Verification is always on.
    public var certificateAuthorityFile: String?
    /// When set, every request goes over this Unix socket instead of TCP; the URL's host is sent as `Host:`.
    public var unixSocketPath: String?
    /// The proxy for every request, e.g. `http://proxy.internal:3128`. `nil` connects directly and ignores the
    /// `http_proxy` / `https_proxy` environment, so a daemon's egress does not depend on how it was started.
    public var proxy: String?
    /// Redirects followed per request; `0` (the default) returns 3xx responses as they are.
    public var maximumRedirects: Int = 0
    /// Advertise `gzip` and `deflate` (`Accept-Encoding`) and decode such responses.
    public var acceptsCompressedResponses: Bool = true
    /// Response bodies larger than this fail with ``HTTPClientError/Kind/responseTooLarge``.
    public var maximumResponseBodySize: Int = 512 * 1024 * 1024
    /// The `User-Agent` sent unless a request sets its own.
    public var userAgent: String = "CatalogSync-CurlHTTP"
    /// Easy handles kept for reuse after their transfer finished.
    public var idleHandlePoolSize: Int = 64

    /// Creates the default configuration.
    public init() {}

    /// Creates a configuration sized for `concurrency` requests in flight: the connection cache and the per-host
    /// limit both equal `concurrency`, so a keep-alive connection is never closed for lack of room.
    public init(concurrency: Int) {
        self.maximumCachedConnections = concurrency
        self.maximumConnectionsPerHost = concurrency
        self.idleHandlePoolSize = concurrency
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so that a positive duration never becomes curl's "no timeout" `0`.
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(max(milliseconds, 1))
    }
}
