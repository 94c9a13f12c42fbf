import CurlHTTP
import Foundation
import ProcessTestSupport
import Sandbox
import Testing

@Suite("Sandbox server: faults and inspection")
struct SandboxServerTests {
    /// Runs `body` with a started sandbox and a libcurl client.
    static func withSandbox(
        faults: FaultSpec = FaultSpec(),
        timeoutFaultDelay: Duration = .seconds(30),
        tokenOutage: Duration = .zero,
        lenientContracts: Set<String> = [],
        _ body: (String, HTTPClient) async throws -> Void
    ) async throws {
        var configuration = SandboxServer.Configuration()
        configuration.temporarilyLenientContracts = lenientContracts
        configuration.logLevel = .critical
        configuration.faults = faults
        configuration.timeoutFaultDelay = timeoutFaultDelay
        configuration.tokenOutage = tokenOutage
        let server = SandboxServer(configuration: configuration)
        let task = Task { try await server.run() }
        let client = try HTTPClient(configuration: .init())
        let url = await server.waitUntilReady()
        #expect(server.environment.address.baseURL == url)
        var failure: (any Error)?
        do { try await body(url, client) } catch { failure = error }
        await client.shutdown()
        task.cancel()
        _ = await task.result
        if let failure { throw failure }
    }

    static func json(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    static func tokenRequest(_ url: String) -> HTTPRequest {
        HTTPRequest(
            method: .post,
            url: url + "/amazon/auth/o2/token",
            headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: Array("grant_type=refresh_token&refresh_token=r&client_id=c&client_secret=s".utf8),
            timeout: .seconds(10)
        )
    }

    @Test("an injected 500 answers an SP-API-style InternalFailure and is counted as fault 500")
    func injected500() async throws {
        try await Self.withSandbox(faults: FaultSpec([.internalError: 1.0])) { url, client in
            let response = try await client.execute(Self.tokenRequest(url))
            #expect(response.status == 500)
            #expect(response.bodyText.contains(#""code":"InternalFailure""#))
            let stats = try Self.json(try await client.execute(HTTPRequest(method: .get, url: url + "/_sandbox/stats")))
            let amazon = try #require((stats["platforms"] as? [String: Any])?["amazon"] as? [String: Any])
            #expect(amazon["requests"] as? Int == 1)
            #expect(amazon["throttled"] as? Int == 0)
            #expect((amazon["faults"] as? [String: Int])?["500"] == 1)
        }
    }

    @Test("a token outage answers 500 on every platform's token endpoint, and only there, until it ends")
    func tokenOutageTakesDownTokenEndpointsOnly() async throws {
        try await Self.withSandbox(tokenOutage: .seconds(5)) { url, client in
            let refused = try await client.execute(Self.tokenRequest(url))
            #expect(refused.status == 500)
            #expect(refused.bodyText.contains("sandbox token outage"))
            let ebay = try await client.execute(HTTPRequest(method: .post, url: url + "/ebay/identity/v1/oauth2/token"))
            #expect(ebay.status == 500)
            // Not a token path: the twin answers (an unauthenticated call, so 401/403, not the outage's 500).
            let listing = try await client.execute(
                HTTPRequest(
                    method: .get,
                    url: url + "/amazon/listings/2021-08-01/items/A1/SKU-1?marketplaceIds=ATVPDKIKX0DER"
                )
            )
            #expect(listing.status != 500)
            let stats = try Self.json(try await client.execute(HTTPRequest(method: .get, url: url + "/_sandbox/stats")))
            let amazon = try #require((stats["platforms"] as? [String: Any])?["amazon"] as? [String: Any])
            #expect((amazon["faults"] as? [String: Int])?["token-outage"] == 1)
            // After the outage the token endpoint issues tokens again.
            let deadline = ContinuousClock.now + .seconds(20)
            var status = refused.status
            while status == 500, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                status = try await client.execute(Self.tokenRequest(url)).status
            }
            #expect(status == 200)
        }
    }

    @Test("an injected 429 carries Retry-After: 1 and counts as a fault, not a throttle")
    func injected429() async throws {
        try await Self.withSandbox(faults: FaultSpec([.tooManyRequests: 1.0])) { url, client in
            let response = try await client.execute(Self.tokenRequest(url))
            #expect(response.status == 429)
            #expect(response.headers["Retry-After"] == "1")
            let stats = try Self.json(try await client.execute(HTTPRequest(method: .get, url: url + "/_sandbox/stats")))
            let amazon = try #require((stats["platforms"] as? [String: Any])?["amazon"] as? [String: Any])
            #expect(amazon["throttled"] as? Int == 0)
            #expect((amazon["faults"] as? [String: Int])?["429"] == 1)
        }
    }

    @Test("an injected reset reaches the libcurl client as a transport error, and curl sees it too")
    func injectedReset() async throws {
        try await Self.withSandbox(faults: FaultSpec([.reset: 1.0])) { url, client in
            await #expect {
                _ = try await client.execute(Self.tokenRequest(url))
            } throws: { error in
                guard let error = error as? HTTPClientError else { return false }
                return error.kind == .reset && error.isTransient
            }
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            curl.arguments = ["curl", "-sS", "-o", "/dev/null", "-d", "a=b", url + "/amazon/auth/o2/token"]
            curl.standardError = FileHandle.nullDevice
            try curl.run()
            #expect(curl.waitForExit() != 0)
        }
    }

    @Test("an injected timeout stalls, then answers 503")
    func injectedTimeout() async throws {
        try await Self.withSandbox(faults: FaultSpec([.timeout: 1.0]), timeoutFaultDelay: .milliseconds(50)) {
            url,
            client in
            let response = try await client.execute(Self.tokenRequest(url))
            #expect(response.status == 503)
        }
    }

    @Test("inspection routes are never faulted, and POST /_sandbox/faults changes faults at run time")
    func runtimeFaults() async throws {
        try await Self.withSandbox(faults: FaultSpec([.internalError: 1.0])) { url, client in
            let listings = try await client.execute(
                HTTPRequest(method: .get, url: url + "/_sandbox/listings?platform=amazon")
            )
            #expect(listings.status == 200)
            #expect(listings.bodyText == #"{"listings":[]}"#)
            let change = try await client.execute(
                HTTPRequest(
                    method: .post,
                    url: url + "/_sandbox/faults",
                    headers: ["Content-Type": "application/json"],
                    body: Array(#"{"faults":"","latency_ms":0}"#.utf8)
                )
            )
            #expect(change.status == 200)
            #expect(try await client.execute(Self.tokenRequest(url)).status == 200)
            let bad = try await client.execute(
                HTTPRequest(method: .post, url: url + "/_sandbox/faults", body: Array(#"{"faults":"oops:1"}"#.utf8))
            )
            #expect(bad.status == 400)
            #expect(bad.bodyText.contains("oops:1"))
        }
    }

    @Test("/_sandbox/listings shows twin listings sorted by marketplace and SKU; unknown platforms are 404")
    func listingsShape() async throws {
        // Minimal listing bodies: this checks the inspection route, not Amazon's product type definition.
        try await Self.withSandbox(lenientContracts: ["product-type-definitions"]) { url, client in
            let token = try #require(
                try Self.json(try await client.execute(Self.tokenRequest(url)))["access_token"] as? String
            )
            for (sku, marketplace) in [("B", "A1PA6795UKMFR9"), ("A", "A1PA6795UKMFR9"), ("C", "A1F83G8C2ARO7P")] {
                let currency = marketplace == "A1F83G8C2ARO7P" ? "GBP" : "EUR"
                let body =
                    #"{"productType":"FOOD","attributes":{"item_name":[{"value":"T \#(sku)"}],"purchasable_offer":[{"currency":"\#(currency)","our_price":[{"schedule":[{"value_with_tax":5.5}]}]}],"fulfillment_availability":[{"fulfillment_channel_code":"DEFAULT","quantity":2}]}}"#
                let put = try await client.execute(
                    HTTPRequest(
                        method: .put,
                        url: url + "/amazon/listings/2021-08-01/items/S/\(sku)?marketplaceIds=\(marketplace)",
                        headers: ["Content-Type": "application/json", "x-amz-access-token": token],
                        body: Array(body.utf8)
                    )
                )
                #expect(put.bodyText.contains("ACCEPTED"))
            }
            let all = try Self.json(
                try await client.execute(HTTPRequest(method: .get, url: url + "/_sandbox/listings?platform=amazon"))
            )
            let listings = try #require(all["listings"] as? [[String: Any]])
            #expect(listings.map { "\($0["marketplace"]!)/\($0["sku"]!)" } == ["DE/A", "DE/B", "UK/C"])
            #expect(
                Set(listings[0].keys) == [
                    "sku", "marketplace", "title", "price", "currency", "quantity", "price_history",
                ]
            )
            #expect(listings[0]["price"] as? String == "5.5")
            #expect(listings[0]["price_history"] as? [String] == ["5.5"])
            let uk = try Self.json(
                try await client.execute(
                    HTTPRequest(method: .get, url: url + "/_sandbox/listings?platform=amazon&marketplace=UK")
                )
            )
            #expect((uk["listings"] as? [[String: Any]])?.count == 1)
            let unknown = try await client.execute(
                HTTPRequest(method: .get, url: url + "/_sandbox/listings?platform=no-such-platform")
            )
            #expect(unknown.status == 404)
            #expect(try Self.json(unknown)["error"] != nil)
        }
    }
}
