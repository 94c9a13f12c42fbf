/// The response to an ``HTTPRequest``. Any HTTP status, 4xx and 5xx included, arrives as a response, not an error.
public struct HTTPResponse: Sendable {
    /// The status code of the final response (after any followed redirects), e.g. `200` or `429`.
    public var status: Int
    /// The header fields of the final response, in wire order.
    public var headers: HTTPHeaders
    /// The body, already decoded when the server used `gzip` or `deflate`.
    public var body: [UInt8]
    /// The protocol version curl used, such as `"1.1"` or `"2"`.
    public var httpVersion: String

    /// Creates a response.
    public init(status: Int, headers: HTTPHeaders, body: [UInt8], httpVersion: String) {
        self.status = status
        self.headers = headers
        self.body = body
        self.httpVersion = httpVersion
    }

    /// The body decoded as UTF-8 (invalid sequences repaired), for logs and text APIs.
    public var bodyText: String {
        String(decoding: body, as: UTF8.self)
    }

    /// Whether the status is in `200..<300`.
    public var isSuccess: Bool {
        (200..<300).contains(status)
    }

    /// The delay a `Retry-After` header in seconds asks for (`nil` without one, or for the HTTP-date
    /// form); surrounding spaces are ignored, fractions kept, a negative number counts as 0.
    public var retryAfter: Duration? {
        guard let text = headers["Retry-After"] else { return nil }
        let trimmed = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        guard let seconds = Double(trimmed), seconds.isFinite else { return nil }
        return .milliseconds(Int64(max(0, seconds) * 1000))
    }
}
