import CurlHTTP
import Foundation

/// `marketplace-sandbox` as a child process on a free loopback port, with its inspection endpoints.
final class SandboxProcess: Sendable {
    /// A listing as `GET /_sandbox/listings` shows it.
    struct Listing: Decodable, Hashable, Sendable {
        var sku: String
        var marketplace: String
        var title: String?
        var price: String?
        var currency: String?
        var quantity: Int?
        /// Every price the listing has had, oldest first (twins that keep a history).
        var priceHistory: [String]?
        /// The landed cost quoted per destination country (DHL Express estimates).
        var landedCosts: [String: String]?

        private enum CodingKeys: String, CodingKey {
            case sku, marketplace, title, price, currency, quantity
            case priceHistory = "price_history"
            case landedCosts = "landed_costs"
        }
    }

    /// One platform's counters from `GET /_sandbox/stats`.
    struct Counts: Decodable, Sendable {
        var requests: Int
        var throttled: Int
        var faults: [String: Int]
    }

    let child: ChildProcess
    /// `http://127.0.0.1:PORT`.
    let baseURL: String
    let http: HTTPClient

    /// Starts the sandbox with `arguments` (`--faults`, `--quotas`, ...) and waits until it listens.
    init(arguments: [String]) throws {
        child = try ChildProcess("marketplace-sandbox", arguments: ["--port", "0"] + arguments, captureOutput: true)
        var url: String?
        while url == nil, let line = child.readLine() {
            if let range = line.range(of: "http://") { url = String(line[range.lowerBound...]) }
        }
        guard let url else { throw EndToEndError("marketplace-sandbox exited before it listened") }
        baseURL = url.trimmingCharacters(in: .whitespaces)
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        http = try HTTPClient(configuration: configuration)
    }

    /// Every listing of `platform`.
    func listings(platform: String) async throws -> [Listing] {
        struct Page: Decodable { var listings: [Listing] }
        let response = try await http.get("\(baseURL)/_sandbox/listings?platform=\(platform)")
        guard response.status == 200 else {
            throw EndToEndError("listings: HTTP \(response.status) \(response.bodyText)")
        }
        return try JSONDecoder().decode(Page.self, from: Data(response.body)).listings
    }

    /// The counters of every platform.
    func stats() async throws -> [String: Counts] {
        struct Stats: Decodable { var platforms: [String: Counts] }
        let response = try await http.get("\(baseURL)/_sandbox/stats")
        return try JSONDecoder().decode(Stats.self, from: Data(response.body)).platforms
    }

    /// Changes the injected faults at run time.
    func setFaults(_ spec: String, latencyMilliseconds: Int = 0) async throws {
        let body = #"{"faults":"\#(spec)","latency_ms":\#(latencyMilliseconds)}"#
        let response = try await http.execute(
            HTTPRequest(
                method: .post,
                url: "\(baseURL)/_sandbox/faults",
                headers: ["Content-Type": "application/json"],
                body: Array(body.utf8)
            )
        )
        guard response.isSuccess else { throw EndToEndError("faults: HTTP \(response.status) \(response.bodyText)") }
    }

    func stop() async {
        _ = child.terminate()
        await http.shutdown()
    }
}

/// A failure of the end-to-end harness, with what happened.
struct EndToEndError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
