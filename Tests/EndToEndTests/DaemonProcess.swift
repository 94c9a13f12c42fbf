import ControlAPI
import CurlHTTP
import Foundation

/// `catalogsyncd` as a child process against a sandbox, with its control socket.
final class DaemonProcess: Sendable {
    let child: ChildProcess
    let socket: String
    let client: HTTPClient

    /// Starts the daemon with `config` on `stateDirectory`, every account pointed at `sandboxURL`, and
    /// waits until its socket answers.
    init(config: String, stateDirectory: String, sandboxURL: String) async throws {
        socket = "\(stateDirectory)/control.sock"
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        unlink(socket)
        child = try ChildProcess(
            "catalogsyncd",
            arguments: ["--config", config, "--state-directory", stateDirectory, "--sandbox-url", sandboxURL],
            log: "\(stateDirectory)/daemon.log"
        )
        var configuration = HTTPClient.Configuration()
        configuration.unixSocketPath = socket
        configuration.httpVersion = .http1Only
        client = try HTTPClient(configuration: configuration)
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            if let response = try? await client.get("http://localhost/v1/status"), response.status == 200 { break }
            guard child.process.isRunning, ContinuousClock.now < deadline else {
                let log = (try? String(contentsOfFile: "\(stateDirectory)/daemon.log", encoding: .utf8)) ?? ""
                throw EndToEndError("catalogsyncd did not start: \(log.suffix(2_000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Sends `body` to `POST /v1/import` and returns the report.
    @discardableResult
    func importCatalog(_ csv: String) async throws -> ImportResponse {
        let response = try await client.execute(
            HTTPRequest(
                method: .post,
                url: "http://localhost/v1/import",
                headers: ["Content-Type": "text/csv"],
                body: Array(csv.utf8)
            )
        )
        guard response.isSuccess else { throw EndToEndError("import: HTTP \(response.status) \(response.bodyText)") }
        let report = try JSONDecoder().decode(ImportResponse.self, from: Data(response.body))
        guard report.errors.isEmpty else { throw EndToEndError("import refused rows: \(report.errors.prefix(3))") }
        return report
    }

    /// `GET /v1/queue`.
    func queue() async throws -> QueueResponse {
        try await get("/v1/queue")
    }

    /// `GET /v1/dead-letters`.
    func deadLetters() async throws -> DeadLetterResponse {
        try await get("/v1/dead-letters")
    }

    /// The dead letters once there are at least `count`, or whatever there is after `limit`.
    ///
    /// The refused product shares its batches with good ones, so it meets the same injected faults; a
    /// run of them can leave it backing off for up to the engine's backoff cap (300 s) after every other
    /// SKU has converged. The default limit covers that cap.
    func deadLetters(atLeast count: Int, within limit: Duration = .seconds(420)) async throws
        -> [DeadLetterResponse.DeadLetter]
    {
        let deadline = ContinuousClock.now + limit
        while true {
            let letters = try await deadLetters().deadLetters
            if letters.count >= count || ContinuousClock.now >= deadline { return letters }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// One line per channel of where `sku` stands (state, attempts, next attempt, last error), for
    /// failure messages.
    func listingSummary(of sku: String) async -> String {
        guard let response: ListingStateResponse = try? await get("/v1/products/\(sku)/listings") else {
            return "(no listing state for \(sku))"
        }
        return response.listings.map { listing in
            "\(listing.channel): \(listing.state.rawValue), attempts \(listing.attempts), next "
                + "\(listing.nextAttemptAt ?? "-"), last error \(listing.lastError ?? "-")"
        }.joined(separator: "; ")
    }

    func get<Response: Decodable>(_ path: String) async throws -> Response {
        let response = try await client.get("http://localhost\(path)")
        guard response.isSuccess else { throw EndToEndError("\(path): HTTP \(response.status) \(response.bodyText)") }
        return try JSONDecoder().decode(Response.self, from: Data(response.body))
    }

    /// SIGTERM; returns the exit status.
    func stop() async -> Int32 {
        await client.shutdown()
        return child.terminate()
    }

    /// SIGKILL, as a crash would.
    func crash() async {
        child.kill9()
        await client.shutdown()
    }
}
