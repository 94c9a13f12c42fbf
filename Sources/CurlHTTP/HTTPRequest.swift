/// An HTTP request method such as `GET` or `PATCH`.
public struct HTTPMethod: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The method token as sent on the request line.
    public var rawValue: String

    /// Creates a method from its token, e.g. `HTTPMethod(rawValue: "PROPFIND")`.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public static let get = HTTPMethod(rawValue: "GET")
    public static let head = HTTPMethod(rawValue: "HEAD")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let patch = HTTPMethod(rawValue: "PATCH")
    public static let delete = HTTPMethod(rawValue: "DELETE")

    public var description: String { rawValue }
}

/// One HTTP request: method, absolute URL, header fields, an optional body and an optional timeout.
public struct HTTPRequest: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The absolute `http://` or `https://` URL. With a Unix-socket client the host part is only used for `Host:`.
    public var url: String
    /// Header fields sent in order. `Expect: 100-continue` is suppressed unless set here.
    public var headers: HTTPHeaders
    /// The request body, sent with a `Content-Length`; `nil` sends none.
    public var body: [UInt8]?
    /// The total time allowed for this request, connection included; `nil` uses the client's default.
    public var timeout: Duration?

    /// Creates a request.
    public init(
        method: HTTPMethod = .get,
        url: String,
        headers: HTTPHeaders = [:],
        body: [UInt8]? = nil,
        timeout: Duration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}
