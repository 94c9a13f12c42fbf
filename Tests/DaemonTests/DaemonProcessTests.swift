import ControlAPI
import CurlHTTP
import Foundation
import ProcessTestSupport
import Testing

/// `catalogsyncd` as a real child process with its real control socket.
@Suite(.serialized)
struct DaemonProcessTests {
    /// A running `catalogsyncd --sandbox` on a temporary state directory.
    final class RunningDaemon {
        let state: TemporaryDirectory
        let process = Process()
        let client: HTTPClient
        let notifications: DatagramReceiver

        /// Starts a daemon on `state` (a new temporary directory unless given: a restart reuses one),
        /// with its notify socket named `notifySocket` inside it: `--sandbox`, or with `config` the
        /// configuration file at that path (no seeded catalog then), plus `arguments`.
        init(
            reusing state: TemporaryDirectory? = nil,
            notifySocket: String = "notify.sock",
            config: String? = nil,
            arguments: [String] = [],
            environment extra: [String: String] = [:]
        ) throws {
            self.state = try state ?? TemporaryDirectory()
            notifications = try DatagramReceiver(path: "\(self.state.path)/\(notifySocket)")
            let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
                .appendingPathComponent("catalogsyncd")
            process.executableURL = binary
            // Paused: these tests look at the control plane and the queue, not at sending (the
            // end-to-end tests do that).
            process.arguments =
                (config.map { ["--config", $0] } ?? ["--sandbox"]) + ["--state-directory", self.state.path, "--paused"]
                + arguments
            var environment = ProcessInfo.processInfo.environment
            environment["NOTIFY_SOCKET"] = notifications.name
            environment.merge(extra) { $1 }
            process.environment = environment
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
            var configuration = HTTPClient.Configuration()
            configuration.unixSocketPath = "\(self.state.path)/control.sock"
            configuration.httpVersion = .http1Only
            client = try HTTPClient(configuration: configuration)
        }

        /// Waits for `READY=1` on the notify socket; returns everything received up to it.
        func waitUntilReady() throws -> String {
            var received = ""
            while !received.contains("READY=1") { received += try notifications.receive() + "\n" }
            return received
        }

        func request(_ method: HTTPMethod, _ path: String, body: String? = nil) async throws -> HTTPResponse {
            try await client.execute(
                HTTPRequest(method: method, url: "http://localhost\(path)", body: body.map { Array($0.utf8) })
            )
        }

        /// Sends `SIGTERM` and waits for the exit status.
        func terminate() async -> Int32 {
            await client.shutdown()
            process.terminate()
            return process.waitForExit()
        }

        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    @Test func startsSignalsReadyAndAnswersStatusOnItsSocket() async throws {
        let daemon = try RunningDaemon()
        let notices = try daemon.waitUntilReady()
        #expect(notices.contains("STATUS="))
        let response = try await daemon.request(.get, "/v1/status")
        #expect(response.status == 200)
        let status = try JSONDecoder().decode(StatusResponse.self, from: Data(response.body))
        #expect(status.channels.contains { $0.name == "amazon-de" })
        #expect(status.channels.allSatisfy { $0.pending > 0 }, "the seeded sample catalog is pending on every channel")
        #expect(await daemon.terminate() == 0)
    }

    @Test func importedProductsRoundTripAndBadRowsAreReportedByLine() async throws {
        let daemon = try RunningDaemon()
        _ = try daemon.waitUntilReady()
        let csv = "sku,title,price,quantity,title@hi\nROSE-1,\"Rose water, 250 ml\",350.00,7,गुलाब जल\nbad sku,x,1,1,\n"
        let imported = try await daemon.request(.post, "/v1/import", body: csv)
        #expect(imported.status == 200)
        let report = try JSONDecoder().decode(ImportResponse.self, from: Data(imported.body))
        #expect(report.inserted == 1)
        #expect(report.errors.map(\.line) == [3])
        let fetched = try await daemon.request(.get, "/v1/products/ROSE-1")
        let product = try JSONDecoder().decode(ProductResponse.self, from: Data(fetched.body)).product
        #expect(product.title == "Rose water, 250 ml")
        #expect(product.translations["hi"]?.title == "गुलाब जल")
        let missing = try await daemon.request(.get, "/v1/products/NO-SUCH-SKU")
        #expect(missing.status == 404)
        #expect(await daemon.terminate() == 0)
    }

    @Test func malformedRequestsGetJSONErrorsAndTheDaemonKeepsServing() async throws {
        let daemon = try RunningDaemon()
        _ = try daemon.waitUntilReady()
        let cases: [(HTTPMethod, String, String?, Int)] = [
            (.get, "/v1/no-such-route", nil, 404),
            (.post, "/v1/retry", "{not json", 400),
            (.post, "/v1/retry", "{\"channel\": 5}", 400),
            (.get, "/v1/products/bad%20sku", nil, 400),
            (.post, "/v1/import", String(repeating: "x", count: 65 * 1024 * 1024), 413),
        ]
        for (method, path, body, expected) in cases {
            let response = try await daemon.request(method, path, body: body)
            #expect(response.status == expected, "\(method.rawValue) \(path)")
            let error = try? JSONDecoder().decode(ErrorResponse.self, from: Data(response.body))
            #expect(error != nil, "\(path) answered \(response.bodyText)")
        }
        #expect(try await daemon.request(.get, "/v1/status").status == 200)
        #expect(await daemon.terminate() == 0)
    }

    @Test func fullSyncRebuildsTheDirtySetAndNamesAnUnknownChannel() async throws {
        let daemon = try RunningDaemon()
        _ = try daemon.waitUntilReady()
        let full = try await daemon.request(.post, "/v1/sync", body: "{\"full\": true}")
        #expect(full.status == 200, "\(full.bodyText)")
        let queued = try JSONDecoder().decode(QueuedResponse.self, from: Data(full.body))
        #expect(queued.queued == 0, "every seeded listing is already pending, so the rebuild adds none")
        let unknown = try await daemon.request(.post, "/v1/sync", body: "{\"full\": true, \"channel\": \"nope\"}")
        #expect(unknown.status == 404)
        #expect(await daemon.terminate() == 0)
    }

    @Test func restartKeepsEveryAcknowledgedImport() async throws {
        let daemon = try RunningDaemon()
        _ = try daemon.waitUntilReady()
        let imported = try await daemon.request(
            .post,
            "/v1/import",
            body: "sku,title,price,quantity\nKEEP-1,Kept,10.00,1\n"
        )
        #expect(imported.status == 200)
        kill(daemon.process.processIdentifier, SIGKILL)
        _ = daemon.process.waitForExit()
        await daemon.client.shutdown()

        let again = try RunningDaemon(reusing: daemon.state, notifySocket: "notify2.sock")
        _ = try again.waitUntilReady()
        let fetched = try await again.request(.get, "/v1/products/KEEP-1")
        #expect(fetched.status == 200)
        #expect(await again.terminate() == 0)
    }
}
