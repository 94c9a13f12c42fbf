import Foundation
import Testing

/// `make demo`'s daemon, `catalogsyncd --sandbox`, as a newcomer meets it: from any directory, stopped quietly.
@Suite(.serialized)
struct SandboxDemoTests {
    /// `make demo`'s daemon stopped with SIGTERM: exit 0, and nothing at error level (the embedded sandbox
    /// is shut down gracefully, not cancelled).
    @Test func aCleanStopOfTheSandboxDaemonLogsNoError() throws {
        let daemon = try DaemonChild(arguments: ["--sandbox"])
        _ = try daemon.waitUntilReady()
        let (status, log) = daemon.terminate()
        #expect(status == 0)
        #expect(DaemonChild.errorLines(log).isEmpty, "\(log)")
    }

    /// `catalogsyncd --sandbox` started outside the checkout (no `config/` around) runs its built-in sandbox:
    /// the sample catalog seeded, the Rivexa channel's spec found (a missing spec refuses to start).
    @Test func theSandboxRunsFromADirectoryWithoutConfigFiles() async throws {
        let elsewhere = try TemporaryDirectory()
        let daemon = try DaemonChild(
            arguments: ["--sandbox", "--paused", "--state-directory", "state"],
            stateDirectoryOption: false,
            workingDirectory: elsewhere.path
        )
        _ = try daemon.waitUntilReady()
        #expect(FileManager.default.fileExists(atPath: "\(elsewhere.path)/state/control.sock"))
        let (status, log) = daemon.terminate()
        #expect(status == 0)
        #expect(log.contains("seeded the catalog"), "\(log)")
    }
}
