import Foundation
import Testing

@testable import Daemon

/// The daemon as the shipped unit runs it: the socket in `$RUNTIME_DIRECTORY`, a quiet healthy start under the
/// watchdog, a quiet stop.
@Suite(.serialized)
struct SystemdServiceTests {
    @Test func withoutControlSocketInTheFileTheSocketGoesToTheRuntimeDirectory() async throws {
        let scratch = try TemporaryDirectory()
        let runtime = "\(scratch.path)/run"
        try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true)
        let config = try scratch.write(
            "catalogsyncd.toml",
            try String(contentsOfFile: "config/sandbox.toml", encoding: .utf8)
        )
        // As systemd starts it: --config only, the directories in the environment.
        let daemon = try DaemonChild(
            arguments: ["--config", config, "--paused"],
            stateDirectoryOption: false,
            environment: ["STATE_DIRECTORY": "\(scratch.path)/state", "RUNTIME_DIRECTORY": runtime]
        )
        _ = try daemon.waitUntilReady()
        #expect(FileManager.default.fileExists(atPath: "\(runtime)/control.sock"))
        #expect(!FileManager.default.fileExists(atPath: "\(scratch.path)/state/control.sock"))
        #expect(daemon.terminate().status == 0)
    }

    @Test func theSocketLocationFollowsOptionsThenFileThenRuntimeDirectory() {
        let systemd = ["RUNTIME_DIRECTORY": "/run/catalogsyncd:/run/other"]
        func path(_ option: String?, _ stateOption: String?, _ configured: String?, _ env: [String: String]) -> String {
            ControlSocketLocation.path(
                option: option,
                stateDirectoryOption: stateOption,
                configured: configured,
                environment: env,
                stateDirectory: "/var/lib/catalogsyncd"
            )
        }
        #expect(path(nil, nil, nil, systemd) == "/run/catalogsyncd/control.sock")
        #expect(path(nil, nil, nil, [:]) == "/var/lib/catalogsyncd/control.sock")
        #expect(path(nil, nil, "/srv/c.sock", systemd) == "/srv/c.sock")
        #expect(path(nil, "/tmp/s", "/srv/c.sock", systemd) == "/tmp/s/control.sock")
        #expect(path("/x.sock", "/tmp/s", "/srv/c.sock", systemd) == "/x.sock")
    }

    /// With `WATCHDOG_USEC` set (as `WatchdogSec=` does), the daemon starts, pings, and has logged no error.
    @Test func aHealthyStartUnderTheWatchdogLogsNoError() throws {
        let daemon = try DaemonChild(
            arguments: ["--sandbox", "--paused"],
            environment: ["WATCHDOG_USEC": "2000000"]
        )
        _ = try daemon.waitFor("WATCHDOG=1")
        let (status, log) = daemon.terminate()
        #expect(status == 0)
        #expect(DaemonChild.errorLines(log).isEmpty, "\(log)")
    }
}
