import ControlAPI
import Foundation
import ProcessTestSupport
import Testing

extension DaemonProcessSuites {
    /// One `catalogsyncd` per state directory and per control socket, with two real daemon processes.
    @Suite(.serialized)
    struct OneDaemonPerStateTests {
        typealias RunningDaemon = DaemonProcessTests.RunningDaemon

        static var binary: URL {
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
                .appendingPathComponent("catalogsyncd")
        }

        /// A second `catalogsyncd --sandbox --paused` with `arguments`, its output collected.
        static func second(_ arguments: [String]) throws -> StreamingProcess {
            try StreamingProcess(binary, ["--sandbox", "--paused"] + arguments)
        }

        @Test func aSecondDaemonOnTheSameStateDirectoryExitsNamingItAndTheFirstKeepsServing() async throws {
            let first = try RunningDaemon()
            _ = try await Blocking.run { try first.waitUntilReady() }
            let second = try Self.second(["--state-directory", first.state.path])
            let status = try await second.exitStatus(within: .seconds(60))
            #expect(status == 1, "the second daemon must not run")
            let message = try await second.line(in: second.errors, within: .seconds(5)) {
                $0.hasPrefix("catalogsyncd:")
            }
            #expect(message?.contains("another catalogsyncd") == true, "\(second.errors.all)")
            #expect(message?.contains(first.state.path) == true, "\(second.errors.all)")

            #expect(FileManager.default.fileExists(atPath: "\(first.state.path)/control.sock"))
            let answer = try await first.request(.get, "/v1/status")
            #expect(answer.status == 200, "the first daemon still owns its socket")
            #expect(await first.terminate() == 0)
        }

        @Test func aSecondDaemonOnTheSameSocketIsRefusedAndLeavesTheSocketToTheFirst() async throws {
            let first = try RunningDaemon()
            _ = try await Blocking.run { try first.waitUntilReady() }
            let socket = "\(first.state.path)/control.sock"
            let other = try TemporaryDirectory()
            let second = try Self.second(["--state-directory", other.path, "--socket", socket])
            let status = try await second.exitStatus(within: .seconds(60))
            #expect(status == 1, "the second daemon must not take over the socket")
            let message = try await second.line(in: second.errors, within: .seconds(5)) {
                $0.hasPrefix("catalogsyncd:")
            }
            #expect(message?.contains("control socket \(socket)") == true, "\(second.errors.all)")

            #expect(try await first.request(.get, "/v1/status").status == 200)
            #expect(await first.terminate() == 0)
        }

        @Test func aStoppingDaemonLeavesASocketThatAnotherProcessNowServes() async throws {
            let daemon = try RunningDaemon()
            _ = try await Blocking.run { try daemon.waitUntilReady() }
            let socket = "\(daemon.state.path)/control.sock"
            // Another process has replaced the socket file (as a second daemon did before the lock).
            unlink(socket)
            let listener = try Self.listen(on: socket)
            defer { close(listener) }

            #expect(await daemon.terminate() == 0)
            #expect(FileManager.default.fileExists(atPath: socket), "the daemon removed a socket it no longer served")
        }

        @Test func aStoppingDaemonRemovesItsOwnSocket() async throws {
            let daemon = try RunningDaemon()
            _ = try await Blocking.run { try daemon.waitUntilReady() }
            #expect(await daemon.terminate() == 0)
            #expect(!FileManager.default.fileExists(atPath: "\(daemon.state.path)/control.sock"))
        }

        @Test func aStateDirectoryThatCannotBeCreatedIsNamed() async throws {
            let parent = try TemporaryDirectory()
            let blocker = try parent.write("not-a-directory", "")
            let daemon = try Self.second(["--state-directory", "\(blocker)/state"])
            #expect(try await daemon.exitStatus(within: .seconds(60)) == 1)
            let message = try await daemon.line(in: daemon.errors, within: .seconds(5)) {
                $0.hasPrefix("catalogsyncd:")
            }
            #expect(message?.contains("state directory \(blocker)/state") == true, "\(daemon.errors.all)")
        }

        /// A listening Unix stream socket bound at `path`, as another process would serve it.
        static func listen(on path: String) throws -> Int32 {
            let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            try #require(bound == 0)
            try #require(Glibc.listen(descriptor, 4) == 0)
            return descriptor
        }
    }
}
