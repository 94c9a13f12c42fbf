import ArgumentParser
import ControlAPI
import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Catalogctl {
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Follow sync outcomes as they happen, one line per event (Ctrl-C to stop).",
            discussion: """
                Each line: time, channel, SKU, facet, outcome (accepted, rejected, retrying, throttled; for orders: sold, restored, oversold; drifted: a listing the platform shows otherwise, queued again) and \
                the marketplace's message. --json prints the daemon's NDJSON as is, one object per line. \
                When the daemon stops, watch says so and exits with 3.
                """
        )
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let client = connection.client
            let stream: EventStream
            do {
                stream = try EventStream(socketPath: client.socketPath)
            } catch let error as EventStream.Failure {
                switch error {
                case .unreachable(let reason):
                    ControlClient.fail(
                        client.unreachableMessage(reason),
                        status: ControlClient.Status.daemonUnreachable
                    )
                case .refused(let message):
                    ControlClient.fail("catalogctl: \(message)", status: ControlClient.Status.failed)
                }
            }
            let decoder = JSONDecoder()
            while let line = try stream.nextLine() {
                guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) else { continue }
                if output.json {
                    print(String(decoding: line, as: UTF8.self))
                } else if let event = try? decoder.decode(SyncEvent.self, from: Data(line)) {
                    var text =
                        "\(event.time)  \(event.channel)  \(event.sku)  \(event.facet.rawValue)  "
                        + event.outcome.rawValue
                    if let after = event.retryAfterSeconds { text += " (again in \(after) s)" }
                    if let message = event.message { text += ": \(message)" }
                    print(text)
                }
                fflush(nil)
            }
            ControlClient.fail(
                "catalogctl: the daemon ended the event stream (it stopped or is restarting)",
                status: ControlClient.Status.daemonUnreachable
            )
        }
    }
}

/// `GET /v1/events` read straight from the Unix socket: HTTP/1.1 with a chunked body that never
/// ends by itself, split into lines as they arrive.
final class EventStream {
    enum Failure: Error {
        case unreachable(String)
        case refused(String)
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Bytes of the current chunk not yet read.
    private var chunkRemaining = 0
    private var body: [UInt8] = []
    private var finished = false

    init(socketPath: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure.unreachable(String(cString: strerror(errno))) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8)
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(descriptor)
            throw Failure.unreachable("the socket path is too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw Failure.unreachable(reason)
        }
        let request = Array("GET /v1/events HTTP/1.1\r\nHost: localhost\r\nAccept: application/x-ndjson\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        try readHead()
    }

    deinit { close(descriptor) }

    /// The next line of the body (without its newline), or `nil` when the daemon ended the stream.
    func nextLine() throws -> [UInt8]? {
        while true {
            if let newline = body.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(body[..<newline])
                body.removeSubrange(...newline)
                return line
            }
            if finished {
                return body.isEmpty
                    ? nil
                    : {
                        defer { body = [] }
                        return body
                    }()
            }
            try readChunkData()
        }
    }

    private func readHead() throws {
        while !buffer.contains(subsequence: [13, 10, 13, 10]) {
            guard try fill() else { throw Failure.unreachable("the daemon closed the connection") }
        }
        let end = buffer.firstRange(of: [13, 10, 13, 10])!
        let head = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
        buffer.removeSubrange(..<end.upperBound)
        let status = head.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
        guard status == 200 else {
            throw Failure.refused("the daemon refused to stream events (HTTP \(status))")
        }
    }

    /// Moves the next piece of chunk data into `body`.
    private func readChunkData() throws {
        if chunkRemaining == 0 {
            while !buffer.contains(subsequence: [13, 10]) {
                guard try fill() else {
                    finished = true
                    return
                }
            }
            let end = buffer.firstRange(of: [13, 10])!
            let sizeText = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
            buffer.removeSubrange(..<end.upperBound)
            if sizeText.isEmpty { return }  // the CRLF after the previous chunk's data
            let size = Int(sizeText.split(separator: ";")[0], radix: 16) ?? 0
            if size == 0 {
                finished = true
                return
            }
            chunkRemaining = size
        }
        if buffer.isEmpty {
            guard try fill() else {
                finished = true
                return
            }
        }
        let take = min(chunkRemaining, buffer.count)
        body += buffer[..<take]
        buffer.removeSubrange(..<take)
        chunkRemaining -= take
    }

    /// Reads more bytes; `false` at end of stream.
    private func fill() throws -> Bool {
        var bytes = [UInt8](repeating: 0, count: 64 * 1024)
        let count = bytes.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            if errno == EINTR { return true }
            throw Failure.unreachable(String(cString: strerror(errno)))
        }
        buffer += bytes[..<count]
        return count > 0
    }
}

extension Array where Element == UInt8 {
    fileprivate func contains(subsequence: [UInt8]) -> Bool { firstRange(of: subsequence) != nil }
}
