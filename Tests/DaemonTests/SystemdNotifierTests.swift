import Daemon
import Foundation
import Glibc
import Testing

struct SystemdNotifierTests {
    @Test func withoutNotifySocketEveryCallIsANoOp() throws {
        let notifier = SystemdNotifier(environment: [:])
        #expect(notifier.socket == nil)
        try notifier.ready(status: "up")
        try notifier.watchdog()
    }

    @Test func sendsReadyAndStatusToAPathSocket() throws {
        let directory = try TemporaryDirectory()
        let receiver = try DatagramReceiver(path: directory.path + "/notify.sock")
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.name])
        try notifier.ready(status: "3 channels\nall idle")
        #expect(try receiver.receive() == "READY=1\nSTATUS=3 channels all idle")
        try notifier.stopping()
        #expect(try receiver.receive() == "STOPPING=1")
    }

    @Test func sendsToAnAbstractSocketWithTheExactNameLength() throws {
        let name = "@catalogsync-test-\(UUID().uuidString)"
        let receiver = try DatagramReceiver(path: name)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": name])
        try notifier.watchdog()
        #expect(try receiver.receive() == "WATCHDOG=1")
        // Abstract names are exact byte strings: a sender passing sizeof(sockaddr_un) as the address
        // length would address the name padded with NULs, a socket nobody bound, and fail to send.
        try notifier.status("fine")
        #expect(try receiver.receive() == "STATUS=fine")
    }

    @Test func reloadingCarriesTheMonotonicClock() throws {
        let directory = try TemporaryDirectory()
        let receiver = try DatagramReceiver(path: directory.path + "/notify.sock")
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.name])
        let before = SystemdNotifier.monotonicMicroseconds()
        try notifier.reloading()
        let lines = try receiver.receive().split(separator: "\n")
        #expect(lines.first == "RELOADING=1")
        let stamp = try #require(lines.dropFirst().first?.split(separator: "=").last.flatMap { UInt64($0) })
        #expect(stamp >= before && stamp <= SystemdNotifier.monotonicMicroseconds())
    }

    @Test func aMissingSocketIsReportedAsAnError() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/notify.sock"])
        let error = #expect(throws: SystemdNotifyError.self) { try notifier.ready() }
        #expect(error?.description.contains("/nonexistent/notify.sock") == true)
    }

    @Test func watchdogIntervalIsHalfOfWatchdogUsecForThisProcessOnly() {
        let pid = getpid()
        #expect(
            SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000"], processID: pid).watchdogInterval
                == .seconds(15)
        )
        #expect(
            SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "\(pid)"], processID: pid)
                .watchdogInterval == .seconds(15)
        )
        #expect(
            SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "\(pid + 1)"], processID: pid)
                .watchdogInterval == nil
        )
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "0"], processID: pid).watchdogInterval == nil)
        #expect(SystemdNotifier(environment: [:], processID: pid).watchdogInterval == nil)
    }
}

/// A bound `AF_UNIX` datagram socket (path or `@abstract`) that reads what a notifier sends.
final class DatagramReceiver {
    let name: String
    private let descriptor: Int32

    init(path name: String) throws {
        self.name = name
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(name.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + (abstract ? 0 : 1))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard result == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        // A lost datagram must fail the test, not hang it; 30 s, since a daemon starting on a loaded 2-core
        // machine (the helpers' builds beside a test run) took more than 5 s to send READY=1.
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(descriptor)
        if !name.hasPrefix("@") { unlink(name) }
    }

    /// The next datagram as text.
    func receive() throws -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }
}
