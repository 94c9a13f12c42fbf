import Foundation
import Testing

extension DaemonProcessSuites {
    /// The control socket's limits on clients.
    @Suite(.serialized)
    struct ControlSocketLimitTests {
        typealias RunningDaemon = DaemonProcessTests.RunningDaemon

        @Test func aClientThatStallsMidRequestIsDisconnectedAfterTheIdleTime() async throws {
            let (state, daemon) = try await Self.sandboxDaemon("control_idle_seconds = 1")
            let descriptor = try ControlPlaneTests.connect("\(state.path)/control.sock")
            defer { close(descriptor) }
            // Bound the wait: without an idle timeout, recv gives up after 20 s with EAGAIN instead of EOF.
            var bound = timeval(tv_sec: 20, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &bound, socklen_t(MemoryLayout<timeval>.size))
            let partial = Array("GET /v1/status HTTP/1.1\r\nHost: local".utf8)
            _ = partial.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            let (received, code) = try await Blocking.run { () -> (Int, Int32) in
                var byte: UInt8 = 0
                let received = recv(descriptor, &byte, 1, 0)
                return (received, errno)
            }
            #expect(received == 0, "the daemon closed the stalled connection (recv: \(received), errno \(code))")
            #expect(try await daemon.request(.get, "/v1/status").status == 200, "other clients are served")
            #expect(await daemon.terminate() == 0)
        }

        @Test func aClientTricklingItsRequestHeadIsCutAtTheDeadlineThoughItNeverFallsSilent() async throws {
            let (state, daemon) = try await Self.sandboxDaemon("control_idle_seconds = 1")
            let descriptor = try ControlPlaneTests.connect("\(state.path)/control.sock")
            defer { close(descriptor) }
            // A request head of 400 bytes sent one byte every 100 ms (40 s in all): the connection is never
            // silent for a tenth of the 1 s limit, but its head is not complete within it.
            let head = Array(
                ("GET /v1/status HTTP/1.1\r\nHost: local\r\nX-Slow: " + String(repeating: "a", count: 340)).utf8
            )
            let sentBeforeClose = try await Blocking.run { () -> Int in
                for (index, byte) in head.enumerated() {
                    var one = byte
                    if Glibc.send(descriptor, &one, 1, Int32(MSG_NOSIGNAL)) != 1 { return index }
                    var probe: UInt8 = 0
                    if recv(descriptor, &probe, 1, Int32(MSG_DONTWAIT)) == 0 { return index + 1 }
                    usleep(100_000)  // the slow client's pace, not a wait for the daemon
                }
                return head.count
            }
            #expect(sentBeforeClose < head.count, "the daemon waited for the whole trickled head")
            #expect(try await daemon.request(.get, "/v1/status").status == 200, "other clients are served")
            #expect(await daemon.terminate() == 0)
        }

        @Test func aConnectionPastTheCapWaitsUnansweredUntilAServedOneCloses() async throws {
            let (state, daemon) = try await Self.sandboxDaemon("control_max_connections = 1")
            let socket = "\(state.path)/control.sock"
            // First is accepted and answered, and keeps its connection (keep-alive): it holds the only place.
            let first = try ControlPlaneTests.connect(socket)
            defer { close(first) }
            try Self.write(first, "GET /v1/status HTTP/1.1\r\nHost: local\r\n\r\n")
            let opening = try await Blocking.run { try Self.readResponse(first) }
            #expect(opening.hasPrefix("HTTP/1.1 200"), "\(opening)")
            // Second connects (the kernel's backlog takes it) and sends a whole request.
            let second = try ControlPlaneTests.connect(socket)
            defer { close(second) }
            try Self.write(second, "GET /v1/status HTTP/1.1\r\nHost: local\r\n\r\n")
            // First asks again and is answered: the daemon is serving, but only first.
            try Self.write(first, "GET /v1/status HTTP/1.1\r\nHost: local\r\n\r\n")
            let answer = try await Blocking.run { try Self.readResponse(first) }
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
            // Second, whose request was sent before first's second one, has had no answer: no place for it.
            var byte: UInt8 = 0
            let early = recv(second, &byte, 1, Int32(MSG_DONTWAIT))
            #expect(early == -1 && (errno == EAGAIN || errno == EWOULDBLOCK), "answered past the cap: \(early)")
            // First closes: second is accepted and answered.
            close(first)
            let late = try await Blocking.run { try Self.readResponse(second) }
            #expect(late.hasPrefix("HTTP/1.1 200"), "\(late)")
            #expect(await daemon.terminate() == 0)
        }

        /// A ready daemon on the sandbox configuration with `setting` added to its `[daemon]` table.
        static func sandboxDaemon(_ setting: String) async throws -> (TemporaryDirectory, RunningDaemon) {
            let state = try TemporaryDirectory()
            let sandbox = try String(contentsOfFile: "config/sandbox.toml", encoding: .utf8)
            let config = try state.write(
                "catalogsyncd.toml",
                sandbox.replacingOccurrences(of: "[daemon]\n", with: "[daemon]\n\(setting)\n")
            )
            let daemon = try RunningDaemon(reusing: state, config: config)
            _ = try await Blocking.run { try daemon.waitUntilReady() }
            return (state, daemon)
        }

        static func write(_ descriptor: Int32, _ text: String) throws {
            let bytes = Array(text.utf8)
            let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            try #require(sent == bytes.count)
        }

        /// One HTTP response's head and `Content-Length` body from `descriptor` (at most 20 s per read).
        static func readResponse(_ descriptor: Int32) throws -> String {
            var bound = timeval(tv_sec: 20, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &bound, socklen_t(MemoryLayout<timeval>.size))
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let text = String(decoding: received, as: UTF8.self)
                if let end = text.range(of: "\r\n\r\n") {
                    let head = text[..<end.lowerBound].lowercased()
                    let length =
                        head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                        .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) }
                        ?? 0
                    if text.utf8.count - text.utf8.distance(from: text.startIndex, to: end.upperBound) >= length {
                        return text
                    }
                }
                let count = recv(descriptor, &buffer, buffer.count, 0)
                guard count > 0 else { return String(decoding: received, as: UTF8.self) }
                received += buffer[0..<count]
            }
        }
    }
}
