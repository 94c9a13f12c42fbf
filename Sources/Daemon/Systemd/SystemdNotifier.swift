import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sends service state to systemd over `$NOTIFY_SOCKET` (the `sd_notify` protocol) without libsystemd.
///
/// Each message is one datagram on an `AF_UNIX` socket; `NOTIFY_SOCKET` is a path (`/run/...`) or a
/// Linux abstract name (`@...`). With no `NOTIFY_SOCKET` every call does nothing, so the daemon runs
/// the same outside systemd.
///
/// ```swift
/// let notifier = SystemdNotifier()
/// try notifier.ready(status: "4 channels, 0 pending")
/// ```
public struct SystemdNotifier: Sendable {
    /// The notify socket as systemd gave it (`/run/systemd/notify` or `@name`), `nil` when unset.
    public let socket: String?
    /// How often to send `WATCHDOG=1`: half of `$WATCHDOG_USEC`. `nil` when the watchdog is off or
    /// `$WATCHDOG_PID` names another process.
    public let watchdogInterval: Duration?

    /// A notifier for the given environment (default: this process's) and process id.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, processID: Int32 = getpid()) {
        let socket = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        self.socket = socket
        self.watchdogInterval = Self.watchdogInterval(environment: environment, processID: processID)
    }

    /// Half of `WATCHDOG_USEC`, when it is set, positive, and meant for `processID`.
    public static func watchdogInterval(environment: [String: String], processID: Int32) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let micros = UInt64(text), micros > 0 else { return nil }
        if let pidText = environment["WATCHDOG_PID"], !pidText.isEmpty {
            guard let pid = Int32(pidText), pid == processID else { return nil }
        }
        return .microseconds(Int64(clamping: micros / 2))
    }

    /// `READY=1`, with a status line: startup (or a reload) has finished.
    public func ready(status: String? = nil) throws(SystemdNotifyError) {
        try send(["READY=1"] + statusLine(status))
    }

    /// `RELOADING=1` with `MONOTONIC_USEC=` now: a reload starts; send ``ready(status:)`` when it ends.
    public func reloading(status: String? = nil) throws(SystemdNotifyError) {
        try send(["RELOADING=1", "MONOTONIC_USEC=\(Self.monotonicMicroseconds())"] + statusLine(status))
    }

    /// `STOPPING=1`: a graceful stop has begun.
    public func stopping(status: String? = nil) throws(SystemdNotifyError) {
        try send(["STOPPING=1"] + statusLine(status))
    }

    /// `STATUS=`: a one-line summary shown by `systemctl status`.
    public func status(_ text: String) throws(SystemdNotifyError) {
        try send(statusLine(text))
    }

    /// `WATCHDOG=1`: the service is healthy. Send it every ``watchdogInterval``, only while it is.
    public func watchdog() throws(SystemdNotifyError) {
        try send(["WATCHDOG=1"])
    }

    /// Sends `assignments` (`KEY=value`) as one datagram, newline-separated. Does nothing without a socket.
    public func send(_ assignments: [String]) throws(SystemdNotifyError) {
        guard let socket, !assignments.isEmpty else { return }
        try Self.sendDatagram(assignments.joined(separator: "\n"), to: socket)
    }

    private func statusLine(_ status: String?) -> [String] {
        guard let status else { return [] }
        // STATUS= is a single line: newlines would start new assignments.
        let line = status.split(whereSeparator: \.isNewline).joined(separator: " ")
        return ["STATUS=\(line)"]
    }

    /// `CLOCK_MONOTONIC` in microseconds, the clock `MONOTONIC_USEC=` is read against.
    public static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    private static func sendDatagram(_ message: String, to socketName: String) throws(SystemdNotifyError) {
        guard socketName.hasPrefix("/") || socketName.hasPrefix("@") else {
            throw SystemdNotifyError(socket: socketName, operation: "parse NOTIFY_SOCKET", errno: EAFNOSUPPORT)
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var nameBytes = Array(socketName.utf8)
        // An abstract name starts with NUL instead of '@'; it is not NUL-terminated and its length
        // is exactly what we pass, so the address length must not be sizeof(sockaddr_un).
        if nameBytes[0] == UInt8(ascii: "@") { nameBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard nameBytes.count < capacity else {
            throw SystemdNotifyError(socket: socketName, operation: "parse NOTIFY_SOCKET", errno: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            path.copyBytes(from: nameBytes)
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
        let addressLength = socklen_t(pathOffset + nameBytes.count + (nameBytes[0] == 0 ? 0 : 1))

        #if canImport(Glibc)
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let descriptor = Darwin.socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
        guard descriptor >= 0 else {
            throw SystemdNotifyError(socket: socketName, operation: "socket", errno: errno)
        }
        defer { close(descriptor) }
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { buffer in
                    sendto(
                        descriptor,
                        buffer.baseAddress,
                        buffer.count,
                        Int32(MSG_NOSIGNAL),
                        socketAddress,
                        addressLength
                    )
                }
            }
        }
        guard sent == bytes.count else {
            throw SystemdNotifyError(socket: socketName, operation: "sendto", errno: sent < 0 ? errno : EMSGSIZE)
        }
    }
}

/// A notification that could not be sent. systemd recommends ignoring these, but the daemon logs them.
public struct SystemdNotifyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The `NOTIFY_SOCKET` value.
    public var socket: String
    /// The step that failed (`socket`, `sendto`, ...).
    public var operation: String
    /// The `errno` of the failure.
    public var errno: Int32

    public var description: String {
        "sd_notify to \(socket): \(operation) failed: \(String(cString: strerror(errno)))"
    }
}
