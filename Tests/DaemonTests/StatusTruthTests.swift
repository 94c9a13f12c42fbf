import ControlAPI
import Foundation
import ProcessTestSupport
import Testing

extension DaemonProcessSuites {
    /// Status tells the truth: a reload that would remove every channel is refused, and a channel the
    /// engine cannot run says so (and why) instead of showing `running` with work that never moves.
    @Suite(.serialized)
    struct StatusTruthTests {
        typealias RunningDaemon = DaemonProcessTests.RunningDaemon

        @Test(arguments: ["", "[fx]\nEUR = \"0.01\"\n"])
        func aSighupWithoutChannelsIsRefusedAndEveryChannelKeepsRunning(replacement: String) async throws {
            let (daemon, config, _) = try await ControlPlaneTests.daemonWithEditableConfig()
            let before = try ControlPlaneTests.decode(StatusResponse.self, try await daemon.request(.get, "/v1/status"))
            try replacement.write(toFile: config, atomically: true, encoding: .utf8)
            let notices = try await Blocking.run { try ControlPlaneTests.reload(daemon) }
            #expect(notices.contains("reload refused"), "\(notices)")

            let after = try ControlPlaneTests.decode(StatusResponse.self, try await daemon.request(.get, "/v1/status"))
            #expect(after.channels.map(\.name) == before.channels.map(\.name))
            let error = try #require(after.lastReloadError)
            #expect(error.contains("\(config): channels: the file defines no [[channels]]"), "\(error)")
            #expect(await daemon.terminate() == 0)
        }

        /// A configuration whose `amazon-de` has a credentials file others may read and whose `acme` is
        /// on a platform no adapter serves; `amazon-us` (no credentials file named) is a control.
        static func brokenChannels(in state: TemporaryDirectory) throws -> String {
            let credentials = "\(state.path)/credentials"
            try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
            try state.write(
                "credentials/amazon-eu",
                "client_id = \"a\"\nclient_secret = \"b\"\nrefresh_token = \"c\"\n",
                mode: 0o644
            )
            return try state.write(
                "catalogsyncd.toml",
                """
                [daemon]
                credentials_directory = "\(credentials)"

                [fx]
                EUR = "0.011"
                USD = "0.012"

                [accounts.amazon-eu]
                platform    = "amazon"
                region      = "eu"
                seller_id   = "A2EXAMPLE"
                credentials = "amazon-eu"

                [accounts.acme]
                platform = "acme-market"

                [[channels]]
                name        = "amazon-de"
                account     = "amazon-eu"
                marketplace = "DE"

                [[channels]]
                name        = "acme"
                account     = "acme"
                marketplace = "GLOBAL"
                currency    = "USD"
                """
            )
        }

        @Test func aChannelThatCannotSyncShowsNotRunningWithTheReason() async throws {
            let state = try TemporaryDirectory()
            let config = try Self.brokenChannels(in: state)
            let daemon = try RunningDaemon(reusing: state, config: config, environment: ["CREDENTIALS_DIRECTORY": ""])
            _ = try await Blocking.run { try daemon.waitUntilReady() }
            let status = try ControlPlaneTests.decode(StatusResponse.self, try await daemon.request(.get, "/v1/status"))
            let channels = Dictionary(uniqueKeysWithValues: status.channels.map { ($0.name, $0) })
            let amazon = try #require(channels["amazon-de"])
            #expect(amazon.state == .notRunning)
            #expect(amazon.stateReason?.contains("\(state.path)/credentials/amazon-eu") == true, "\(amazon)")
            #expect(amazon.stateReason?.contains("644") == true, "\(amazon)")
            let acme = try #require(channels["acme"])
            #expect(acme.state == .notRunning)
            #expect(acme.stateReason?.contains("acme-market") == true, "\(acme)")
            #expect(await daemon.terminate() == 0)
        }

        @Test func syncWaitWithoutATimeoutReturnsOnAChannelThatIsNotRunningWithTheReason() async throws {
            let state = try TemporaryDirectory()
            let config = try Self.brokenChannels(in: state)
            let daemon = try RunningDaemon(reusing: state, config: config, environment: ["CREDENTIALS_DIRECTORY": ""])
            _ = try await Blocking.run { try daemon.waitUntilReady() }
            let imported = try await daemon.request(
                .post,
                "/v1/import",
                body: "sku,title,price,quantity\nA-1,Attar,10.00,1\n"
            )
            #expect(imported.status == 200)
            let socket = "\(daemon.state.path)/control.sock"
            let run = try await Blocking.run {
                try CatalogctlTests.catalogctl(["sync", "--channel", "acme", "--wait"], socket: socket)
            }
            #expect(run.status == 1, "\(run.output)\(run.errors)")
            #expect(run.errors.contains("channel acme is not running"), "\(run.errors)")
            #expect(run.errors.contains("acme-market"), "\(run.errors)")

            let table = try await Blocking.run { try CatalogctlTests.catalogctl(["channels"], socket: socket) }
            #expect(table.output.contains("NOT RUNNING"), "\(table.output)")
            #expect(await daemon.terminate() == 0)
        }
    }
}
