import CurlHTTP
import Foundation

/// `marketplace-sandbox` (by default `--quotas off`) as a child process on a free port, for the benchmarks.
public final class SandboxChild: Sendable {
    /// `http://127.0.0.1:PORT`, as the sandbox printed it.
    public let baseURL: String
    private let process: Process

    /// Starts `binary` with `--port 0` and `arguments`; returns once it prints where it listens.
    public init(binary: String, arguments: [String] = ["--quotas", "off"]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--port", "0"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        var line = Data()
        while true {
            let byte = pipe.fileHandleForReading.readData(ofLength: 1)
            guard !byte.isEmpty, byte.first != UInt8(ascii: "\n") else { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "http://") else { throw BenchError("sandbox did not start: \(text)") }
        baseURL = String(text[range.lowerBound...])
        self.process = process
    }

    /// The 429s the Amazon twin has answered so far (`/_sandbox/stats`).
    public func throttled(using http: HTTPClient) async throws -> Int {
        let response = try await http.get("\(baseURL)/_sandbox/stats")
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        let amazon = (object?["platforms"] as? [String: Any])?["amazon"] as? [String: Any]
        guard let throttled = amazon?["throttled"] as? Int else { throw BenchError("no stats: \(response.bodyText)") }
        return throttled
    }

    /// Terminates the sandbox and waits for it to exit.
    public func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

/// A benchmark that cannot go on, and why.
public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Duration {
    /// The duration in seconds, fractions included.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
