import CCurl

/// The engine-thread state of one request in flight: its easy handle, the request body being sent and the response
/// being received. Only the engine thread touches it; curl's callbacks reach it through an unretained pointer
/// while the engine's table of active transfers keeps it alive.
final class CurlTransfer {
    let pending: PendingRequest
    let easy: UnsafeMutableRawPointer
    private let configuration: HTTPClientConfiguration
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var uploadOffset = 0
    private var responseFields: [HTTPHeaders.Field] = []
    private var responseBody: [UInt8] = []
    private(set) var exceededBodyLimit = false

    init(pending: PendingRequest, easy: UnsafeMutableRawPointer, configuration: HTTPClientConfiguration) {
        self.pending = pending
        self.easy = easy
        self.configuration = configuration
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    var url: String { pending.request.url }

    /// Sets every option the request needs on a freshly reset easy handle.
    func configure() throws(HTTPClientError) {
        let request = pending.request
        let context = Unmanaged.passUnretained(self).toOpaque()
        try set(CURLOPT_URL, request.url)
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_PRIVATE, pointer: context)
        try set(CURLOPT_ERRORBUFFER, pointer: errorBuffer)
        try check(ccurl_easy_setopt_write_function(easy, CURLOPT_WRITEFUNCTION, curlWriteBody), CURLOPT_WRITEFUNCTION)
        try set(CURLOPT_WRITEDATA, pointer: context)
        try check(
            ccurl_easy_setopt_write_function(easy, CURLOPT_HEADERFUNCTION, curlWriteHeader),
            CURLOPT_HEADERFUNCTION
        )
        try set(CURLOPT_HEADERDATA, pointer: context)
        try set(CURLOPT_TIMEOUT_MS, (request.timeout ?? configuration.timeout).curlMilliseconds)
        try set(CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.curlMilliseconds)
        try set(CURLOPT_MAXAGE_CONN, max(1, Int(configuration.maximumConnectionAge.components.seconds)))
        // An empty proxy disables libcurl's per-transfer look-up of http_proxy / https_proxy / no_proxy.
        try set(CURLOPT_PROXY, configuration.proxy ?? "")
        try set(CURLOPT_SSL_VERIFYPEER, 1)
        try set(CURLOPT_SSL_VERIFYHOST, 2)
        if let file = configuration.certificateAuthorityFile {
            try set(CURLOPT_CAINFO, file)
        }
        if let socketPath = configuration.unixSocketPath {
            try set(CURLOPT_UNIX_SOCKET_PATH, socketPath)
        }
        switch configuration.httpVersion {
        case .http1Only:
            try set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
        case .http2OverTLS:
            try set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
            try set(CURLOPT_PIPEWAIT, 1)
        }
        if configuration.acceptsCompressedResponses {
            try set(CURLOPT_ACCEPT_ENCODING, "")
        }
        if configuration.maximumRedirects > 0 {
            try set(CURLOPT_FOLLOWLOCATION, 1)
            try set(CURLOPT_MAXREDIRS, configuration.maximumRedirects)
            try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        }
        try configureMethodAndBody(request)
        try configureHeaders(request)
    }

    private func configureMethodAndBody(_ request: HTTPRequest) throws(HTTPClientError) {
        if let body = request.body {
            // POST semantics with a read callback: the body is streamed from the array, never copied, and sent
            // with a Content-Length. Other methods keep the POST machinery and change the request line.
            try set(CURLOPT_POST, 1)
            try check(
                ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)),
                CURLOPT_POSTFIELDSIZE_LARGE
            )
            try check(ccurl_easy_setopt_read_function(easy, curlReadBody), CURLOPT_READFUNCTION)
            try set(CURLOPT_READDATA, pointer: Unmanaged.passUnretained(self).toOpaque())
            if request.method != .post {
                try set(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
            }
        } else if request.method == .get {
            try set(CURLOPT_HTTPGET, 1)
        } else if request.method == .head {
            try set(CURLOPT_NOBODY, 1)
        } else if request.method == .post {
            try set(CURLOPT_POST, 1)
            try check(ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, 0), CURLOPT_POSTFIELDSIZE_LARGE)
            try set(CURLOPT_POSTFIELDS, "")
        } else {
            try set(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }
    }

    private func configureHeaders(_ request: HTTPRequest) throws(HTTPClientError) {
        var lines: [String] = []
        for field in request.headers {
            try HeaderValidation.validate(field, url: request.url)
            // curl drops a header given as "Name:"; "Name;" sends it with an empty value.
            lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        if request.body != nil && !request.headers.contains("Expect") {
            lines.append("Expect:")  // no 100-continue round trip before large bodies
        }
        if !request.headers.contains("User-Agent") {
            try set(CURLOPT_USERAGENT, configuration.userAgent)
        }
        guard !lines.isEmpty else { return }
        for line in lines {
            guard let extended = curl_slist_append(headerList, line) else {
                throw HTTPClientError(kind: .other, message: "out of memory building headers", url: request.url)
            }
            headerList = extended
        }
        try check(ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList), CURLOPT_HTTPHEADER)
    }

    // MARK: Callbacks (engine thread, inside curl_multi_perform)

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard responseBody.count + bytes.count <= configuration.maximumResponseBodySize else {
            exceededBodyLimit = true
            return 0  // curl aborts with CURLE_WRITE_ERROR
        }
        // Append through a typed buffer: one memcpy, also in unoptimised (debug) builds.
        responseBody.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
        return bytes.count
    }

    fileprivate func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) -> Int {
        if bytes.starts(with: "HTTP/".utf8) {
            responseFields.removeAll(keepingCapacity: true)  // a new response: interim 1xx or a followed redirect
        } else if let field = HeaderLine.parse(bytes) {
            responseFields.append(field)
        }
        return bytes.count
    }

    fileprivate func sendBody(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let body = pending.request.body else { return 0 }
        let count = min(buffer.count, body.count - uploadOffset)
        body.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[uploadOffset..<uploadOffset + count]))
        }
        uploadOffset += count
        return count
    }

    // MARK: Completion

    /// Builds the outcome once curl reported the transfer done with `code`.
    func outcome(_ code: CURLcode) -> PendingRequest.Outcome {
        guard code == CURLE_OK else {
            if code == CURLE_WRITE_ERROR && exceededBodyLimit {
                let limit = configuration.maximumResponseBodySize
                return .failure(
                    HTTPClientError(
                        kind: .responseTooLarge,
                        curlCode: Int(code.rawValue),
                        message: "response body exceeds maximumResponseBodySize (\(limit) bytes)",
                        url: url
                    )
                )
            }
            return .failure(HTTPClientError(curlCode: code, detail: String(cString: errorBuffer), url: url))
        }
        var status = 0
        var version = 0
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_HTTP_VERSION, &version)
        let response = HTTPResponse(
            status: status,
            headers: HTTPHeaders(responseFields),
            body: responseBody,
            httpVersion: Self.versionName(version)
        )
        return .success(response)
    }

    /// New connections this transfer opened (`CURLINFO_NUM_CONNECTS`).
    var newConnections: Int {
        var count = 0
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &count)
        return count
    }

    private static func versionName(_ version: Int) -> String {
        switch version {
        case CURL_HTTP_VERSION_1_0: "1.0"
        case CURL_HTTP_VERSION_1_1: "1.1"
        case CURL_HTTP_VERSION_2_0: "2"
        case CURL_HTTP_VERSION_3: "3"
        default: "unknown"
        }
    }

    // MARK: Option helpers

    private func set(_ option: CURLoption, _ value: Int) throws(HTTPClientError) {
        try check(ccurl_easy_setopt_long(easy, option, value), option)
    }

    private func set(_ option: CURLoption, _ value: String) throws(HTTPClientError) {
        try check(ccurl_easy_setopt_string(easy, option, value), option)
    }

    private func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer) throws(HTTPClientError) {
        try check(ccurl_easy_setopt_pointer(easy, option, pointer), option)
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(HTTPClientError) {
        guard code == CURLE_OK else {
            throw HTTPClientError(curlCode: code, detail: "setting curl option \(option.rawValue)", url: url)
        }
    }
}

// C callbacks: `context` is the unretained `CurlTransfer` set as WRITEDATA / HEADERDATA / READDATA.

private let curlWriteBody: curl_write_callback = { data, size, count, context in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

private let curlWriteHeader: curl_write_callback = { data, size, count, context in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    return transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
}

private let curlReadBody: curl_read_callback = { buffer, size, count, context in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    return transfer.sendBody(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
}
