import CCurl

/// Why a request got no HTTP response. An HTTP error status is not an error: it is an ``HTTPResponse``.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// What failed, coarse enough for a retry decision.
    public enum Kind: String, Sendable, Hashable {
        /// The host name could not be resolved.
        case dns
        /// The TCP (or Unix-socket) connection could not be opened, e.g. refused.
        case connect
        /// The TLS handshake or certificate verification failed.
        case tls
        /// The connect or total timeout expired.
        case timeout
        /// The connection was closed or reset while receiving the response.
        case reset
        /// Sending the request failed.
        case send
        /// The calling task was cancelled and the transfer aborted.
        case cancelled
        /// More redirects than the client's `maximumRedirects`.
        case tooManyRedirects
        /// The response body exceeded the client's `maximumResponseBodySize`.
        case responseTooLarge
        /// The request was rejected before sending: bad URL, header or option.
        case invalidRequest
        /// The client was shut down before the request finished.
        case shutdown
        /// Any other libcurl failure; see ``HTTPClientError/curlCode``.
        case other
    }

    /// What failed.
    public var kind: Kind
    /// The libcurl `CURLcode`, when libcurl reported the failure.
    public var curlCode: Int?
    /// A human-readable explanation (libcurl's error buffer when it has one).
    public var message: String
    /// The URL of the failed request.
    public var url: String

    /// Creates an error.
    public init(kind: Kind, curlCode: Int? = nil, message: String, url: String) {
        self.kind = kind
        self.curlCode = curlCode
        self.message = message
        self.url = url
    }

    /// Whether sending the same request again later may succeed.
    ///
    /// DNS, connect, timeout, reset and send failures are transient. TLS failures (certificate problems),
    /// malformed requests, redirect loops, oversized responses, cancellation and shutdown are not: retrying
    /// unchanged cannot help, or the caller asked to stop.
    public var isTransient: Bool {
        switch kind {
        case .dns, .connect, .timeout, .reset, .send:
            true
        case .tls, .cancelled, .tooManyRedirects, .responseTooLarge, .invalidRequest, .shutdown, .other:
            false
        }
    }

    public var description: String {
        let code = curlCode.map { " (curl \($0))" } ?? ""
        return "\(kind.rawValue) error\(code) for \(url): \(message)"
    }

    /// Maps a failed libcurl transfer to an error.
    init(curlCode code: CURLcode, detail: String, url: String) {
        let kind: Kind
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            kind = .dns
        case CURLE_COULDNT_CONNECT:
            kind = .connect
        case CURLE_OPERATION_TIMEDOUT:
            kind = .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED:
            kind = .tls
        case CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            kind = .reset
        case CURLE_SEND_ERROR:
            kind = .send
        case CURLE_TOO_MANY_REDIRECTS:
            kind = .tooManyRedirects
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT:
            kind = .invalidRequest
        default:
            kind = .other
        }
        let summary = String(cString: curl_easy_strerror(code))
        let message = detail.isEmpty ? summary : "\(summary): \(detail)"
        self.init(kind: kind, curlCode: Int(code.rawValue), message: message, url: url)
    }
}
