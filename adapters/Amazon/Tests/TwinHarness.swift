import CurlHTTP
import Foundation
import Sandbox
import Synchronization
import Testing

@testable import AmazonTwin

/// A sandbox server on loopback with the real libcurl client, for the twin's tests.
struct TwinHarness {
    static let sellerID = "A2SELLERTEST"
    static let germany = "A1PA6795UKMFR9"
    static let france = "A13V1IB3VIYZZH"
    static let unitedKingdom = "A1F83G8C2ARO7P"

    let baseURL: String
    let client: HTTPClient
    /// The Amazon twin the sandbox runs, for reading its state directly.
    let twin: AmazonTwin

    /// The sandbox's port.
    var port: Int { Int(baseURL.split(separator: ":").last.map(String.init) ?? "") ?? 0 }

    /// Runs `body` against a fresh sandbox (quotas off unless asked for), then stops both.
    ///
    /// `checksDefinitions`: whether PUTs and feed `UPDATE`s are refused for failing the official PRODUCT
    /// definition. Off by default only while the older tests' hand-written bodies are minimal (TEMPORARY,
    /// issue 12, like the sandbox's default).
    static func with<T>(
        checksDefinitions: Bool = false,
        quotasEnabled: Bool = false,
        tokenLifetime: Duration = .seconds(3600),
        quotaRateScale: Double = 1,
        processingDelay: Duration = .milliseconds(20),
        _ body: (TwinHarness) async throws -> T
    ) async throws -> T {
        var configuration = SandboxServer.Configuration()
        configuration.processingDelay = processingDelay
        configuration.logLevel = .critical  // a cancelled server logs its channels' cancellation
        configuration.quotasEnabled = quotasEnabled
        configuration.tokenLifetime = tokenLifetime
        configuration.temporarilyLenientContracts = checksDefinitions ? [] : [AmazonTwin.definitionsContract]
        let built = Mutex<AmazonTwin?>(nil)
        let server = SandboxServer(configuration: configuration) { environment in
            let twin = AmazonTwin(environment: environment, quotaRateScale: quotaRateScale)
            built.withLock { $0 = twin }
            return [twin]
        }
        let task = Task { try await server.run() }
        let client = try HTTPClient(configuration: .init())
        let baseURL = await server.waitUntilReady()
        let twin = try #require(built.withLock { $0 }, "the sandbox built its Amazon twin")
        let harness = TwinHarness(baseURL: baseURL, client: client, twin: twin)
        defer { task.cancel() }
        do {
            let result = try await body(harness)
            await client.shutdown()
            task.cancel()
            _ = await task.result
            return result
        } catch {
            await client.shutdown()
            task.cancel()
            _ = await task.result
            throw error
        }
    }

    /// A fresh LWA access token.
    func token(refreshToken: String = "Atzr|test-refresh") async throws -> String {
        let response = try await client.execute(
            HTTPRequest(
                method: .post,
                url: baseURL + "/amazon/auth/o2/token",
                headers: ["Content-Type": "application/x-www-form-urlencoded"],
                body: Array(
                    "grant_type=refresh_token&refresh_token=\(refreshToken)&client_id=app&client_secret=s".utf8
                ),
                timeout: .seconds(10)
            )
        )
        #expect(response.status == 200, "token: \(response.bodyText)")
        return try #require(Self.object(response)["access_token"] as? String)
    }

    /// Sends an SP-API call with `token`; `body` is JSON text.
    func call(
        _ method: HTTPMethod,
        _ path: String,
        token: String?,
        body: String? = nil,
        contentType: String = "application/json"
    ) async throws -> HTTPResponse {
        var pairs = [("Content-Type", contentType)]
        if let token { pairs.append(("x-amz-access-token", token)) }
        let headers = HTTPHeaders(pairs)
        return try await client.execute(
            HTTPRequest(
                method: method,
                url: baseURL + path,
                headers: headers,
                body: body.map { Array($0.utf8) },
                timeout: .seconds(10)
            )
        )
    }

    /// The Listings Items path of `sku` for `marketplaceIds`.
    static func itemPath(_ sku: String, seller: String = sellerID, marketplaceIds: String = germany, query: String = "")
        -> String
    {
        "/amazon/listings/2021-08-01/items/\(seller)/\(sku)?marketplaceIds=\(marketplaceIds)" + query
    }

    /// A PUT body for a German listing; `extra` adds or replaces attributes (JSON members text).
    static func putBody(
        title: String? = "Agra Petha 500 g",
        price: String = "24.99",
        currency: String = "EUR",
        quantity: Int = 10,
        marketplaceID: String = germany
    ) -> String {
        var attributes: [String] = []
        if let title {
            attributes.append(
                #""item_name":[{"value":"\#(title)","language_tag":"de_DE","marketplace_id":"\#(marketplaceID)"}]"#
            )
        }
        attributes.append(
            #""purchasable_offer":[{"marketplace_id":"\#(marketplaceID)","currency":"\#(currency)","audience":"ALL","our_price":[{"schedule":[{"value_with_tax":\#(price)}]}]}]"#
        )
        attributes.append(
            #""fulfillment_availability":[{"fulfillment_channel_code":"DEFAULT","quantity":\#(quantity)}]"#
        )
        return #"{"productType":"FOOD","requirements":"LISTING","attributes":{\#(attributes.joined(separator: ","))}}"#
    }

    /// The response body as a JSON object.
    static func object(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    /// The issue codes of a submission response.
    static func issueCodes(_ response: HTTPResponse) throws -> [String] {
        let issues = try #require(try object(response)["issues"] as? [[String: Any]])
        return issues.compactMap { $0["code"] as? String }
    }

    /// The twin's listings as `/_sandbox/listings` shows them.
    func sandboxListings(marketplace: String? = nil) async throws -> [[String: Any]] {
        let query = marketplace.map { "&marketplace=\($0)" } ?? ""
        let response = try await call(.get, "/_sandbox/listings?platform=amazon" + query, token: nil)
        #expect(response.status == 200)
        return try #require(try Self.object(response)["listings"] as? [[String: Any]])
    }
}
