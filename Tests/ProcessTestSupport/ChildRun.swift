import Foundation

/// Runs a short-lived child (a Python validator, a command-line tool) to completion from an async test
/// without holding a thread of Swift's cooperative pool: output goes to files, not pipes, and the exit
/// is polled in the kernel (``Foundation/Process/exitStatus(checkingEvery:)``).
///
/// On a 2-core machine the pool has two threads; a test that blocks one in `readDataToEndOfFile()` or
/// `waitid` for a second starves every twin served in-process by the other tests, whose requests then
/// time out.
public enum ChildRun {
    /// What the child printed and how it ended.
    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        public var errors: String
    }

    /// Runs `arguments` through `/usr/bin/env` (so `python3` is found on `PATH`), with `input` on its
    /// standard input when given.
    public static func run(_ arguments: [String], input: Data? = nil) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (outputFile, errorFile, inputFile) = (
            directory.appendingPathComponent("out"), directory.appendingPathComponent("err"),
            directory.appendingPathComponent("in")
        )
        for file in [outputFile, errorFile] { FileManager.default.createFile(atPath: file.path, contents: nil) }
        FileManager.default.createFile(atPath: inputFile.path, contents: input ?? Data())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let (stdout, stderr, stdin) = (
            try FileHandle(forWritingTo: outputFile), try FileHandle(forWritingTo: errorFile),
            try FileHandle(forReadingFrom: inputFile)
        )
        defer { for handle in [stdout, stderr, stdin] { try? handle.close() } }
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        let status = await process.exitStatus()
        return Result(
            status: status,
            output: String(decoding: try Data(contentsOf: outputFile), as: UTF8.self),
            errors: String(decoding: try Data(contentsOf: errorFile), as: UTF8.self)
        )
    }
}
