import CurlHTTP
import CurlHTTPTestSupport
import Glibc
import Testing

/// Runs `operation` and captures its outcome, keeping the typed error.
func outcome(
    of operation: () async throws(HTTPClientError) -> HTTPResponse
) async -> Result<HTTPResponse, HTTPClientError> {
    do {
        return .success(try await operation())
    } catch {
        return .failure(error)
    }
}

/// Runs `operation`, expecting it to throw an ``HTTPClientError``, and returns that error.
func expectHTTPClientError(
    _ operation: () async throws(HTTPClientError) -> HTTPResponse,
    sourceLocation: SourceLocation = #_sourceLocation
) async -> HTTPClientError? {
    do {
        let response = try await operation()
        Issue.record("expected an error, got status \(response.status)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

@Suite("HTTPClient failures are typed and classified")
struct HTTPClientErrorTests {
    @Test("a total timeout is classified as timeout and transient")
    func totalTimeoutIsTimeout() async throws {
        try await withServerAndClient { server, client in
            let request = HTTPRequest(url: server.url("/sleep?ms=30000"), timeout: .milliseconds(300))
            let error = await expectHTTPClientError { () throws(HTTPClientError) in try await client.execute(request) }
            #expect(error?.kind == .timeout)
            #expect(error?.curlCode == 28)
            #expect(error?.isTransient == true)
            #expect(error?.url == request.url)
        }
    }

    @Test("connecting to a closed port is classified as connect and transient")
    func closedPortIsConnect() async throws {
        // A port held by a socket that is bound but not listening: connecting is refused, and no other
        // server (another test's, in parallel) can take the port meanwhile, as it could a freed one.
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(holder, $0, length) == 0 && getsockname(holder, $0, &length) == 0
            }
        }
        try #require(bound)
        let url = "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))/hello"
        let client = try HTTPClient()
        let error = await expectHTTPClientError { () throws(HTTPClientError) in try await client.get(url) }
        await client.shutdown()
        #expect(error?.kind == .connect)
        #expect(error?.curlCode == 7)
        #expect(error?.isTransient == true)
    }

    @Test("a connection closed mid-body is classified as reset and transient")
    func closeMidBodyIsReset() async throws {
        try await withServerAndClient { server, client in
            let error = await expectHTTPClientError { () throws(HTTPClientError) in
                try await client.get(server.url("/close-mid-body"))
            }
            #expect(error?.kind == .reset)
            #expect(error?.isTransient == true)
            // The client recovers: the broken connection is not reused.
            let next = try await client.get(server.url("/hello"))
            #expect(next.status == 200)
        }
    }

    @Test("a connection closed before any response is classified as reset and transient")
    func closeBeforeResponseIsReset() async throws {
        try await withServerAndClient { server, client in
            let error = await expectHTTPClientError { () throws(HTTPClientError) in
                try await client.get(server.url("/close-before-response"))
            }
            #expect(error?.kind == .reset)
            #expect(error?.curlCode == 52)
            #expect(error?.isTransient == true)
        }
    }

    @Test("an unresolvable host is classified as dns")
    func unresolvableHostIsDNS() async throws {
        // `.invalid` is reserved (RFC 2606) and never resolves; the resolver answers locally.
        let client = try HTTPClient()
        let error = await expectHTTPClientError { () throws(HTTPClientError) in
            try await client.get("http://no-such-host.invalid/")
        }
        await client.shutdown()
        #expect(error?.kind == .dns)
        #expect(error?.isTransient == true)
    }

    @Test("cancelling the calling task aborts a slow request with .cancelled", .timeLimit(.minutes(1)))
    func cancellationAbortsTransfer() async throws {
        try await withServerAndClient { server, client in
            let url = server.url("/sleep?ms=120000")
            let task = Task {
                await outcome { () throws(HTTPClientError) in
                    try await client.execute(HTTPRequest(url: url, timeout: .seconds(120)))
                }
            }
            while server.acceptedConnections == 0 {
                try await Task.sleep(for: .milliseconds(10))
            }
            task.cancel()
            guard case .failure(let error) = await task.value else {
                Issue.record("expected cancellation, got a response")
                return
            }
            #expect(error.kind == .cancelled)
            #expect(error.isTransient == false)
            let next = try await client.get(server.url("/hello"))
            #expect(next.status == 200)
        }
    }

    @Test("a request from an already cancelled task fails with .cancelled without being sent")
    func alreadyCancelledTaskIsRefused() async throws {
        try await withServerAndClient { server, client in
            let url = server.url("/hello")
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return await outcome { () throws(HTTPClientError) in try await client.get(url) }
            }
            guard case .failure(let error) = await task.value else {
                Issue.record("expected cancellation, got a response")
                return
            }
            #expect(error.kind == .cancelled)
            #expect(server.acceptedConnections == 0)
        }
    }

    @Test("a redirect loop past maximumRedirects is tooManyRedirects")
    func redirectLoopIsTooManyRedirects() async throws {
        var configuration = HTTPClientConfiguration()
        configuration.maximumRedirects = 3
        try await withServerAndClient(configuration: configuration) { server, client in
            let error = await expectHTTPClientError { () throws(HTTPClientError) in
                try await client.get(server.url("/redirect-loop"))
            }
            #expect(error?.kind == .tooManyRedirects)
            #expect(error?.isTransient == false)
        }
    }

    @Test("redirects are returned as responses when not followed")
    func redirectIsAResponseByDefault() async throws {
        try await withServerAndClient { server, client in
            let response = try await client.get(server.url("/redirect-loop"))
            #expect(response.status == 302)
            #expect(response.headers["location"] == "/redirect-loop")
        }
    }

    @Test("a body over maximumResponseBodySize is responseTooLarge")
    func oversizedResponseIsRefused() async throws {
        var configuration = HTTPClientConfiguration()
        configuration.maximumResponseBodySize = 1000
        try await withServerAndClient(configuration: configuration) { server, client in
            let error = await expectHTTPClientError { () throws(HTTPClientError) in
                try await client.get(server.url("/large?bytes=5000"))
            }
            #expect(error?.kind == .responseTooLarge)
            #expect(error?.message.contains("1000") == true)
        }
    }

    @Test("a header name that is not a token is rejected naming the header")
    func invalidHeaderNameIsRejected() async throws {
        try await withServerAndClient { server, client in
            let request = HTTPRequest(url: server.url("/hello"), headers: ["Bad Header": "x"])
            let error = await expectHTTPClientError { () throws(HTTPClientError) in try await client.execute(request) }
            #expect(error?.kind == .invalidRequest)
            #expect(error?.message.contains("Bad Header") == true)
            #expect(server.acceptedConnections == 0)
        }
    }

    @Test("a header value with a line break is rejected naming the header")
    func headerInjectionIsRejected() async throws {
        try await withServerAndClient { server, client in
            let request = HTTPRequest(url: server.url("/hello"), headers: ["X-Sku": "A1\r\nX-Evil: 1"])
            let error = await expectHTTPClientError { () throws(HTTPClientError) in try await client.execute(request) }
            #expect(error?.kind == .invalidRequest)
            #expect(error?.message.contains("X-Sku") == true)
        }
    }

    @Test("a non-HTTP URL is rejected as invalidRequest")
    func unsupportedSchemeIsRejected() async throws {
        let client = try HTTPClient()
        let error = await expectHTTPClientError { () throws(HTTPClientError) in
            try await client.get("file:///etc/passwd")
        }
        await client.shutdown()
        #expect(error?.kind == .invalidRequest)
    }

    @Test("shutdown fails requests in flight and later requests with .shutdown", .timeLimit(.minutes(1)))
    func shutdownFailsRequests() async throws {
        let server = try await TestHTTPServer.start()
        let client = try HTTPClient()
        let url = server.url("/sleep?ms=120000")
        let inFlight = Task { await outcome { () throws(HTTPClientError) in try await client.get(url) } }
        while server.acceptedConnections == 0 {
            try await Task.sleep(for: .milliseconds(10))
        }
        await client.shutdown()
        guard case .failure(let error) = await inFlight.value else {
            Issue.record("expected shutdown, got a response")
            return
        }
        #expect(error.kind == .shutdown)
        let later = await expectHTTPClientError { () throws(HTTPClientError) in
            try await client.get(server.url("/hello"))
        }
        #expect(later?.kind == .shutdown)
        await client.shutdown()  // idempotent
        try await server.shutdown()
    }
}
