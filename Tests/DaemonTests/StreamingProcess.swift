import Foundation
import Synchronization
import Testing

/// A child process whose output is read line by line as it arrives (`catalogctl watch`), so a test can
/// wait for a line, act, and stop the process while it still runs.
final class StreamingProcess {
    /// Lines of one output stream, collected by Foundation's reading thread.
    final class Lines: Sendable {
        private let state = Mutex<(partial: [UInt8], lines: [String])>(([], []))

        /// Adds `data`; every complete line becomes readable.
        func append(_ data: Data) {
            state.withLock { state in
                state.partial += data
                while let newline = state.partial.firstIndex(of: UInt8(ascii: "\n")) {
                    state.lines.append(String(decoding: state.partial[..<newline], as: UTF8.self))
                    state.partial.removeSubrange(...newline)
                }
            }
        }

        /// Every complete line so far.
        var all: [String] { state.withLock { $0.lines } }
    }

    let process = Process()
    /// Standard output, line by line.
    let output = Lines()
    /// Standard error, line by line.
    let errors = Lines()

    /// Starts `executable` with `arguments`.
    init(_ executable: URL, _ arguments: [String]) throws {
        process.executableURL = executable
        process.arguments = arguments
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        Self.collect(outputPipe, into: output)
        Self.collect(errorPipe, into: errors)
        try process.run()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    /// Reads `pipe` into `lines` as data arrives, until its end.
    private static func collect(_ pipe: Pipe, into lines: Lines) {
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil  // end of stream
            } else {
                lines.append(data)
            }
        }
    }

    /// The first line of `lines` that satisfies `predicate`, waiting up to `timeout` for it.
    func line(
        in lines: Lines? = nil,
        within timeout: Duration,
        where predicate: (String) -> Bool
    ) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let line = (lines ?? output).all.first(where: predicate) { return line }
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The exit status once the process has ended, waiting up to `timeout`; `nil` if it still runs.
    func exitStatus(within timeout: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }
}

extension StreamingProcess {
    /// `marketplace-sandbox --port 0` with `arguments`, started beside the test binary, and the base URL
    /// it listens on (terminate it with `process.terminate()`).
    static func sandbox(_ arguments: [String]) async throws -> (StreamingProcess, baseURL: String) {
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let sandbox = try StreamingProcess(
            binaries.appendingPathComponent("marketplace-sandbox"),
            ["--port", "0"] + arguments
        )
        let listening = try #require(
            try await sandbox.line(within: .seconds(60)) { $0.contains("listening on http://") },
            "marketplace-sandbox did not start: \(sandbox.errors.all.joined(separator: "\n"))"
        )
        return (sandbox, String(try #require(listening.split(separator: " ").last)))
    }
}
