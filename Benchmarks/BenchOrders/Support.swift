import Catalog
import Foundation
import Synchronization

/// `marketplace-sandbox` (quotas published) as a child process on a free port.
final class SandboxChild: Sendable {
    let baseURL: String
    private let process: Process

    init(binary: String, arguments: [String] = []) throws {
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

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

/// When each watched SKU's new quantity was first acknowledged on each channel.
final class QuantityAcks: Sendable {
    private let acks = Mutex<[SKU: [String: ContinuousClock.Instant]]>([:])

    /// Records acknowledgements of `sku` from now on.
    func watch(_ sku: SKU) {
        acks.withLock { $0[sku] = [:] }
    }

    func record(sku: SKU, channel: String) {
        let now = ContinuousClock.now
        acks.withLock { acks in
            guard acks[sku] != nil, acks[sku]?[channel] == nil else { return }
            acks[sku]?[channel] = now
        }
    }

    /// The latest first acknowledgement of `sku` among `channels`, `nil` until all have one.
    func lastAck(sku: SKU, channels: [String]) -> ContinuousClock.Instant? {
        acks.withLock { acks in
            let times = channels.compactMap { acks[sku]?[$0] }
            return times.count == channels.count ? times.max() : nil
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
