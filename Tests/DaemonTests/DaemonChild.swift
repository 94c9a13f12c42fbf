import Foundation
import ProcessTestSupport

/// `catalogsyncd` as a child process started the way systemd or an operator would: optionally behind a wrapper
/// command (`unshare …`), with a chosen environment, its standard error kept for the test to read.
///
/// Unlike `DaemonProcessTests.RunningDaemon` it adds no `--state-directory` of its own unless asked, so tests
/// can give the state directory the way systemd does (`$STATE_DIRECTORY`).
final class DaemonChild {
    /// A scratch directory: the notify socket, and the state directory unless the test names another.
    let state: TemporaryDirectory
    let process = Process()
    let notifications: DatagramReceiver
    /// Where the daemon's standard error goes (a file: a pipe nobody drains could block the daemon).
    private var logPath: String { "\(state.path)/stderr.log" }
    /// Where the daemon's socket is when the state directory is given on the command line.
    var defaultSocket: String { "\(state.path)/control.sock" }

    /// Starts `wrapper + [catalogsyncd] + arguments` (`--state-directory` on the scratch directory unless
    /// `stateDirectoryOption` is false), with `NOTIFY_SOCKET` set and `environment` added, in `workingDirectory`
    /// (default: this process's).
    init(
        wrapper: [String] = [],
        arguments: [String],
        stateDirectoryOption: Bool = true,
        environment extra: [String: String] = [:],
        workingDirectory: String? = nil
    ) throws {
        state = try TemporaryDirectory()
        notifications = try DatagramReceiver(path: "\(state.path)/notify.sock")
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("catalogsyncd").path
        let command =
            wrapper + [binary] + arguments + (stateDirectoryOption ? ["--state-directory", state.path] : [])
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = notifications.name
        environment.merge(extra) { $1 }
        process.environment = environment
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
    }

    /// Reads datagrams from the notify socket until one contains `message`; returns everything received.
    func waitFor(_ message: String) throws -> String {
        var received = ""
        while !received.contains(message) { received += try notifications.receive() + "\n" }
        return received
    }

    /// Waits for `READY=1`.
    func waitUntilReady() throws -> String { try waitFor("READY=1") }

    /// Sends `SIGTERM`, waits for the exit; returns the exit status and everything the daemon logged.
    func terminate() -> (status: Int32, log: String) {
        Foundation.kill(process.processIdentifier, SIGTERM)
        let status = process.waitForExit()
        return (status, (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
    }

    /// Kills the child (and, through `--kill-child`, what a wrapper started) and reaps it.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        _ = process.waitForExit()
    }

    /// The lines of `log` logged at error level or above (swift-log's `LEVEL label:` prefix).
    static func errorLines(_ log: String) -> [Substring] {
        log.split(separator: "\n").filter { line in
            [" error ", " critical "].contains { line.contains($0) }
        }
    }

    deinit { kill() }
}
