import Foundation
import Testing

extension DaemonProcessSuites {
    /// The control socket's limits on clients.
    @Suite(.serialized)
    struct ControlSocketLimitTests {
        typealias RunningDaemon = DaemonProcessTests.RunningDaemon

        @Test func aClientThatStallsMidRequestIsDisconnectedAfterTheIdleTime() async throws {
            let state = try TemporaryDirectory()
            let sandbox = try String(contentsOfFile: "config/sandbox.toml", encoding: .utf8)
            let config = try state.write(
                "catalogsyncd.toml",
                sandbox.replacingOccurrences(of: "[daemon]\n", with: "[daemon]\ncontrol_idle_seconds = 1\n")
            )
            let daemon = try RunningDaemon(reusing: state, config: config)
            _ = try await Blocking.run { try daemon.waitUntilReady() }
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
    }
}
