import Foundation
import Hummingbird
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// The peer process on the other end of the control socket, as the kernel reports it (`SO_PEERCRED`).
struct PeerCredentials: Sendable, Hashable {
    // Mirrors `struct ucred { pid_t pid; uid_t uid; gid_t gid; }`, which Glibc hides behind _GNU_SOURCE.
    var pid: pid_t = 0
    var uid: uid_t = 0
    var gid: gid_t = 0
}

/// The request context of the control server: Hummingbird's core context plus who is asking.
///
/// Reads are open to anyone who can connect (the socket's 0660 mode already limits that);
/// mutations need root, the daemon's own user, or membership of the `catalogsync` group.
struct ControlRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connecting process, or `nil` when the transport cannot say (never on a Unix socket).
    let peer: PeerCredentials?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        if let provider = source.channel as? any SocketOptionProvider {
            self.peer = try? provider.unsafeGetSocketOption(
                level: SocketOptionLevel(SOL_SOCKET),
                name: SocketOptionName(SO_PEERCRED)
            ).wait()
        } else {
            self.peer = nil
        }
    }

    var maxUploadSize: Int { ControlRoutes.maximumBodySize }

    /// Throws 403 unless the peer may change state.
    func requireMutationRights() throws {
        guard let peer else { return }
        if peer.uid == 0 || peer.uid == getuid() { return }
        if let group = getgrnam(ControlServer.groupName), Self.isMember(pid: peer.pid, gid: group.pointee.gr_gid) {
            return
        }
        throw ControlError(
            .forbidden,
            code: "forbidden",
            "uid \(peer.uid) may read but not change state: run as root, as the daemon's user, or as a member of "
                + "the \(ControlServer.groupName) group"
        )
    }

    /// Whether process `pid` has `gid` as its primary or a supplementary group (from `/proc/PID/status`).
    private static func isMember(pid: pid_t, gid: gid_t) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
        for line in status.split(separator: "\n") where line.hasPrefix("Groups:") || line.hasPrefix("Gid:") {
            let ids = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst()
            if ids.contains(where: { gid_t($0) == gid }) { return true }
        }
        return false
    }
}
