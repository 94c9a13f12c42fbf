import ControlAPI
import CurlHTTP
import Foundation
import ProcessTestSupport

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

    /// `catalogsync_requests_total` from `GET /metrics`, summed per `platform` label.
    func requestsByPlatform() async throws -> [String: Int] {
        let response = try await client.get("http://localhost/metrics")
        var totals: [String: Int] = [:]
        for line in String(decoding: response.body, as: UTF8.self).split(separator: "\n")
        where line.hasPrefix("catalogsync_requests_total{") {
            guard let platformStart = line.range(of: "platform=\""),
                let value = line.split(separator: " ").last.flatMap({ Double($0) })
            else { continue }
            let platform = line[platformStart.upperBound...].prefix { $0 != "\"" }
            totals[String(platform), default: 0] += Int(value)
        }
        return totals
    }

    /// Runs `catalogctl arguments` against this daemon's socket.
    func catalogctl(_ arguments: [String]) async throws -> ChildRun.Result {
        try await ChildRun.run([ChildProcess.binary("catalogctl").path, "--socket", socket] + arguments)
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

    /// Waits until `sku` is dead-lettered on every channel of `channels` and returns its letters;
    /// throws with where the SKU stands on each channel (state, attempts, last error) when that does
    /// not happen within `limit`.
    ///
    /// The refused product shares batches with good ones and meets the same injected faults, so it
    /// may back off a few times first; the end-to-end daemon settings cap backoff at 5 s.
    func waitForDeadLetters(
        of sku: String,
        on channels: Set<String>,
        within limit: Duration = .seconds(180)
    ) async throws -> [DeadLetterResponse.DeadLetter] {
        let deadline = ContinuousClock.now + limit
        while true {
            let letters = try await deadLetters().deadLetters.filter { $0.sku == sku }
            if Set(letters.map(\.channel)).isSuperset(of: channels) { return letters }
            guard ContinuousClock.now < deadline else {
                let missing = channels.subtracting(letters.map(\.channel)).sorted()
                throw EndToEndError(
                    "\(sku) not dead-lettered on \(missing) within \(limit): \(await listingSummary(of: sku))"
                )
            }
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

    /// `POST` with an empty body (`/v1/channels/amazon-de/pause`); throws unless it succeeds.
    func post(_ path: String) async throws {
        let response = try await client.execute(HTTPRequest(method: .post, url: "http://localhost\(path)"))
        guard response.isSuccess else { throw EndToEndError("\(path): HTTP \(response.status) \(response.bodyText)") }
    }

    /// `GET /v1/status`.
    func status() async throws -> StatusResponse {
        try await get("/v1/status")
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
