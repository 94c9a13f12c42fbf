import CurlHTTP
import CurlHTTPTestSupport
import Testing

@Suite(
    "HTTPClient over TLS against nginx (skipped without nginx and openssl)",
    .enabled(if: TLSTestServer.isAvailable)
)
struct HTTPClientTLSTests {
    /// Runs `body` with a TLS server and a client trusting its certificate (unless `trustsServer` is false).
    func withTLSServer(
        httpVersion: HTTPClientConfiguration.HTTPVersionPolicy = .http2OverTLS,
        trustsServer: Bool = true,
        _ body: (TLSTestServer, HTTPClient) async throws -> Void
    ) async throws {
        let server = try #require(try await TLSTestServer.start())
        defer { server.shutdown() }
        var configuration = HTTPClientConfiguration()
        configuration.httpVersion = httpVersion
        if trustsServer {
            configuration.certificateAuthorityFile = server.certificateFile
        }
        let client = try HTTPClient(configuration: configuration)
        do {
            try await body(server, client)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }

    @Test("50 concurrent requests negotiate HTTP/2 through ALPN and share one multiplexed connection")
    func http2MultiplexesOverOneConnection() async throws {
        try await withTLSServer { server, client in
            let versions = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<50 {
                    let url = server.url("/item/\(index)")
                    group.addTask {
                        let response = try await client.get(url)
                        #expect(response.status == 200)
                        #expect(response.bodyText == "tls")
                        return response.httpVersion
                    }
                }
                var versions: [String] = []
                for try await version in group { versions.append(version) }
                return versions
            }
            #expect(versions.count == 50)
            #expect(versions.allSatisfy { $0 == "2" })
            #expect(client.statistics.openedConnections == 1)
        }
    }

    @Test("http1Only keeps HTTP/1.1 over TLS")
    func http1OnlyStaysOnHTTP11() async throws {
        try await withTLSServer(httpVersion: .http1Only) { server, client in
            let response = try await client.get(server.url("/"))
            #expect(response.status == 200)
            #expect(response.httpVersion == "1.1")
        }
    }

    @Test("an untrusted certificate fails as a non-transient tls error: verification is always on")
    func untrustedCertificateIsTLSError() async throws {
        try await withTLSServer(trustsServer: false) { server, client in
            let error = await expectHTTPClientError { () throws(HTTPClientError) in
                try await client.get(server.url("/"))
            }
            #expect(error?.kind == .tls)
            #expect(error?.curlCode == 60)
            #expect(error?.isTransient == false)
        }
    }
}
