import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Who is on the other end of the control socket, as the kernel reports it: `SO_PEERCRED` for the peer's
/// process, user and primary group, `SO_PEERGROUPS` for its supplementary groups.
///
/// Both come from the credentials the peer had when it connected, translated by the kernel into the daemon's
/// user namespace. Nothing is read from `/proc/PID`: under the shipped unit's `ProtectProc=invisible` another
/// user's process directory does not exist for the daemon, and under `PrivateUsers=yes` a user id from outside
/// the unit reads as 65534 while the unit's own group keeps its id — so group membership is the one thing the
/// kernel can still vouch for.
struct ControlPeer: Sendable, Hashable {
    /// The peer's process id in the daemon's pid namespace (0 when the peer lives outside it).
    var pid: pid_t
    /// The peer's effective user id (65534 when it has no mapping in the daemon's user namespace).
    var uid: uid_t
    /// The peer's effective primary group id.
    var gid: gid_t
    /// The peer's supplementary groups as mapped into the daemon's user namespace. Group 0 is never listed:
    /// the kernel's answer cannot be told apart from the zeroes after it (root is recognised by its uid).
    var groups: [gid_t]

    /// Whether `gid` is the peer's primary group or one of its supplementary groups.
    func belongs(to gid: gid_t) -> Bool {
        self.gid == gid || groups.contains(gid)
    }

    /// The peer of `channel`, or `nil` when the channel is not a socket or the kernel will not say.
    ///
    /// Blocks on the channel's socket-option futures (the request context is built off the event loop). A peer
    /// whose credentials can be read but whose supplementary groups cannot (more than
    /// ``PeerGroupList/capacity`` of them) is returned without supplementary groups: it keeps the rights of its
    /// uid and primary group and gains none it cannot prove.
    static func reading(_ channel: any Channel) -> ControlPeer? {
        guard let provider = channel as? any SocketOptionProvider else { return nil }
        guard
            let credentials: PeerCredentials = try? provider.unsafeGetSocketOption(
                level: SocketOptionLevel(SOL_SOCKET),
                name: SocketOptionName(SO_PEERCRED)
            ).wait()
        else { return nil }
        let groups: PeerGroupList? = try? provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET),
            name: SocketOptionName(SO_PEERGROUPS)
        ).wait()
        return ControlPeer(
            pid: credentials.pid,
            uid: credentials.uid,
            gid: credentials.gid,
            groups: groups?.ids ?? []
        )
    }
}

/// `struct ucred { pid_t pid; uid_t uid; gid_t gid; }`, which Glibc hides behind `_GNU_SOURCE`: the value
/// of `SO_PEERCRED`.
struct PeerCredentials: Sendable, Hashable {
    var pid: pid_t = 0
    var uid: uid_t = 0
    var gid: gid_t = 0
}

/// The value of `SO_PEERGROUPS`: an array of `gid_t` the kernel fills from the front.
///
/// NIO's `getsockopt` zero-fills the buffer and drops the returned length, so the list ends at the trailing
/// zeroes. A peer with more than ``capacity`` supplementary groups makes the kernel answer `ERANGE`, which the
/// caller sees as "no supplementary groups".
struct PeerGroupList: Sendable {
    /// How many supplementary groups fit (the kernel's `NGROUPS_MAX` is far larger; real operators have few).
    static let capacity = 256
    /// The raw buffer, exactly `capacity` ids wide.
    var storage: InlineArray<256, gid_t>

    /// The non-zero ids the kernel wrote.
    var ids: [gid_t] {
        var result: [gid_t] = []
        for index in storage.indices where storage[index] != 0 { result.append(storage[index]) }
        return result
    }
}
