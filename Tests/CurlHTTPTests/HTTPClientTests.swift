import CurlHTTP
import CurlHTTPTestSupport
import Foundation
import Testing

/// Runs `body` with a fresh loopback server and a client, shutting both down afterwards.
func withServerAndClient(
    _ address: TestHTTPServer.Address = .loopback,
    configuration: HTTPClientConfiguration = HTTPClientConfiguration(),
    _ body: (TestHTTPServer, HTTPClient) async throws -> Void
) async throws {
    let server = try await TestHTTPServer.start(address)
    let client = try HTTPClient(configuration: configuration)
    do {
        try await body(server, client)
    } catch {
        await client.shutdown()
        try await server.shutdown()
        throw error
    }
    await client.shutdown()
    try await server.shutdown()
}

/// Byte-for-byte equality through `memcmp`, fast for tens of megabytes in debug builds.
func sameBytes(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    lhs.count == rhs.count
        && lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0 }
        }
}

@Suite("HTTPClient against a loopback HTTP/1.1 server")
struct HTTPClientTests {
    @Test("the loaded libcurl is Debian 12's thread-safe build or newer")
    func libcurlIsThreadSafe() {
        #expect(HTTPClient.libcurlIsThreadSafe)
        #expect(HTTPClient.libcurlVersion.split(separator: ".").count == 3)
    }

    @Test("a GET returns status, body and HTTP/1.1")
    func getReturnsStatusAndBody() async throws {
        try await withServerAndClient { server, client in
            let response = try await client.get(server.url("/hello"))
            #expect(response.status == 200)
            #expect(response.bodyText == "hello")
            #expect(response.httpVersion == "1.1")
            #expect(response.headers["content-length"] == "5")
        }
    }

    @Test("500 requests at 10 in flight reuse keep-alive connections: at most 10 are opened")
    func keepAliveReusesConnections() async throws {
        try await withServerAndClient(configuration: HTTPClientConfiguration(concurrency: 10)) { server, client in
            let total = 500
            let inFlight = 10
            try await withThrowingTaskGroup(of: Int.self) { group in
                var next = 0
                var statuses: [Int] = []
                for _ in 0..<inFlight {
                    let url = server.url("/hello?n=\(next)")
                    group.addTask { try await client.get(url).status }
                    next += 1
                }
                while let status = try await group.next() {
                    statuses.append(status)
                    if next < total {
                        let url = server.url("/hello?n=\(next)")
                        group.addTask { try await client.get(url).status }
                        next += 1
                    }
                }
                #expect(statuses.count == total)
                #expect(statuses.allSatisfy { $0 == 200 })
            }
            #expect(server.acceptedConnections >= 1)
            #expect(server.acceptedConnections <= inFlight)
            #expect(client.statistics.openedConnections == server.acceptedConnections)
            #expect(client.statistics.completedRequests == total)
        }
    }

    @Test("an HTTP error status is a response, not a thrown error")
    func errorStatusIsAResponse() async throws {
        try await withServerAndClient { server, client in
            let response = try await client.get(server.url("/status?code=503"))
            #expect(response.status == 503)
            #expect(!response.isSuccess)
            #expect(response.headers["Retry-After"] == "7")
            #expect(response.bodyText == "status 503")
        }
    }

    @Test("response headers: case-insensitive lookup, repeated fields keep every value in order")
    func responseHeadersAreExposed() async throws {
        try await withServerAndClient { server, client in
            let response = try await client.get(server.url("/headers"))
            #expect(response.headers["x-amzn-ratelimit-limit"] == "0.5")
            #expect(response.headers["X-AMZN-RATELIMIT-LIMIT"] == "0.5")
            #expect(response.headers["retry-after"] == "7")
            #expect(response.headers.values(for: "set-cookie") == ["session=a", "region=eu"])
            #expect(response.headers["X-Not-Sent"] == nil)
        }
    }

    @Test("request headers arrive as sent, with a User-Agent and without Expect: 100-continue")
    func requestHeadersAreSent() async throws {
        try await withServerAndClient { server, client in
            let headers: HTTPHeaders = ["X-Seller-Id": "A1B2", "Authorization": "Bearer token-1", "X-Empty": ""]
            let body = [UInt8](repeating: 7, count: 2 * 1024 * 1024)
            let request = HTTPRequest(method: .post, url: server.url("/echo-headers"), headers: headers, body: body)
            let lines = try await client.execute(request).bodyText.split(separator: "\n").map(String.init)
            #expect(lines.contains("x-seller-id: A1B2"))
            #expect(lines.contains("authorization: Bearer token-1"))
            #expect(lines.contains("x-empty: "))
            #expect(lines.contains("user-agent: CatalogSync-CurlHTTP"))
            #expect(!lines.contains { $0.hasPrefix("expect:") })
        }
    }

    @Test(
        "methods with and without a body reach the server as given",
        arguments: [
            (HTTPMethod.get, nil as [UInt8]?, "GET 0"),
            (.post, [1, 2, 3], "POST 3"),
            (.post, nil, "POST 0"),
            (.put, [1, 2, 3, 4], "PUT 4"),
            (.patch, [1], "PATCH 1"),
            (.delete, nil, "DELETE 0"),
        ]
    )
    func methodsAreSent(method: HTTPMethod, body: [UInt8]?, expected: String) async throws {
        try await withServerAndClient { server, client in
            let response = try await client.execute(HTTPRequest(method: method, url: server.url("/method"), body: body))
            #expect(response.bodyText == expected)
        }
    }

    @Test("HEAD returns the headers of the response without a body")
    func headHasNoBody() async throws {
        try await withServerAndClient { server, client in
            let response = try await client.execute(HTTPRequest(method: .head, url: server.url("/hello")))
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
            #expect(response.headers["Content-Length"] == "5")
        }
    }

    @Test("a 20 MB request body is sent whole and echoed back byte for byte")
    func largeRequestBodyIsEchoed() async throws {
        try await withServerAndClient { server, client in
            let size = 20 * 1024 * 1024
            var body = TestHTTPServer.largeBody(count: size)
            body[size / 2] = 0xFF  // not part of the pattern: a byte the server must carry through
            let response = try await client.execute(HTTPRequest(method: .post, url: server.url("/echo"), body: body))
            #expect(response.status == 200)
            #expect(response.headers["X-Body-Length"] == "\(size)")
            #expect(response.body.count == size)
            #expect(sameBytes(response.body, body))
        }
    }

    @Test("a 25 MB response body arrives whole")
    func largeResponseBodyArrives() async throws {
        try await withServerAndClient { server, client in
            let size = 25 * 1024 * 1024
            let response = try await client.get(server.url("/large?bytes=\(size)"))
            #expect(response.body.count == size)
            #expect(sameBytes(response.body, TestHTTPServer.largeBody(count: size)))
        }
    }

    @Test("a gzip response is decoded")
    func gzipResponseIsDecoded() async throws {
        try await withServerAndClient { server, client in
            let response = try await client.get(server.url("/gzip"))
            #expect(response.headers["Content-Encoding"] == "gzip")
            #expect(Int(response.headers["Content-Length"] ?? "") ?? .max < response.body.count)
            #expect(response.bodyText == TestHTTPServer.gzipPlainText)
        }
    }

    @Test("the Unix-socket transport reaches a server listening on a socket path")
    func unixSocketTransport() async throws {
        let path = NSTemporaryDirectory() + "curlhttp-\(UInt32.random(in: 0...UInt32.max)).sock"
        defer { unlink(path) }
        var configuration = HTTPClientConfiguration()
        configuration.unixSocketPath = path
        try await withServerAndClient(.unixSocket(path: path), configuration: configuration) { server, client in
            for _ in 0..<3 {
                let response = try await client.get("http://localhost/hello")
                #expect(response.status == 200)
                #expect(response.bodyText == "hello")
            }
            #expect(server.acceptedConnections == 1)
        }
    }
}
