import Foundation
import ProcessTestSupport

/// A built executable of this package run as a child process, killed when the value goes away.
final class ChildProcess: @unchecked Sendable {
    // @unchecked: `Process` is not Sendable; this wrapper only starts it once in `init` and afterwards
    // calls its thread-safe members (`isRunning`, `processIdentifier`, `terminate`; `waitForExit` waits in the kernel).
    let process = Process()
    let name: String
    private let output: Pipe?

    /// Starts `.build/…/<name>` (next to the test bundle) with `arguments`. With `captureOutput`,
    /// stdout is readable line by line through ``readLine()``; stderr goes to `log` when given.
    init(_ name: String, arguments: [String], captureOutput: Bool = false, log: String? = nil) throws {
        self.name = name
        process.executableURL = Self.binary(name)
        process.arguments = arguments
        if captureOutput {
            let pipe = Pipe()
            process.standardOutput = pipe
            output = pipe
        } else {
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            output = nil
        }
        if let log {
            FileManager.default.createFile(atPath: log, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: log)
        } else {
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        }
        try process.run()
    }

    /// The path of a product built next to the test bundle.
    static func binary(_ name: String) -> URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
    }

    /// The next line the process writes to stdout (blocking), or `nil` at end of output.
    func readLine() -> String? {
        guard let handle = output?.fileHandleForReading else { return nil }
        var line = Data()
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if byte.first == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
    }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) {
        if process.isRunning { kill(process.processIdentifier, signal) }
    }

    /// Sends SIGTERM and waits; returns the exit status.
    func terminate() -> Int32 {
        send(SIGTERM)
        return process.waitForExit()
    }

    /// SIGKILL, as a crash would; waits for the process to be gone.
    func kill9() {
        send(SIGKILL)
        _ = process.waitForExit()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            _ = process.waitForExit()
        }
    }
}
