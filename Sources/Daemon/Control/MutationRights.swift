#if canImport(Glibc)
import Glibc
#endif

/// Who may change state through the control socket: root, the daemon's own user, and members of the operator
/// group (`catalogsync`), judged only from what the kernel says about the peer (``ControlPeer``).
///
/// Reads are open to anyone who can connect (the socket's 0660 mode and its directory already limit that).
/// The rule fails closed: a peer the kernel cannot describe may not change anything.
struct MutationRights: Sendable, Hashable {
    /// The daemon's own effective user id.
    var daemonUID: uid_t
    /// The operator group's id in the daemon's user namespace, or `nil` when no such group exists.
    var operatorGID: gid_t?
    /// The operator group's name, for the refusal's message.
    var operatorGroupName: String

    /// The rule for this process: its own uid and the group named `groupName` as this process sees it.
    static func current(groupName: String = ControlServer.groupName) -> MutationRights {
        MutationRights(
            daemonUID: geteuid(),
            operatorGID: groupID(named: groupName),
            operatorGroupName: groupName
        )
    }

    /// The id of group `name` from the group database, or `nil` when there is none (or it cannot be read).
    ///
    /// `getgrnam_r`, not `getgrnam`: requests are served concurrently and `getgrnam` returns a shared buffer.
    static func groupID(named name: String) -> gid_t? {
        var capacity = 4096
        while capacity <= 1 << 20 {
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            var buffer = [CChar](repeating: 0, count: capacity)
            let status = getgrnam_r(name, &entry, &buffer, capacity, &result)
            if status == ERANGE {
                capacity *= 4
                continue
            }
            return status == 0 && result != nil ? entry.gr_gid : nil
        }
        return nil
    }

    /// Why `peer` may not change state, or `nil` when it may.
    func refusal(for peer: ControlPeer?) -> String? {
        guard let peer else {
            return "the control socket could not tell who is asking (SO_PEERCRED failed): refusing to change state"
        }
        if peer.uid == 0 || peer.uid == daemonUID { return nil }
        // The overflow group (65534) stands for every unmapped group: never an operator's proof.
        if let operatorGID, operatorGID != 0, operatorGID != 65534, peer.belongs(to: operatorGID) { return nil }
        return "uid \(peer.uid) may read but not change state: run as root, as the daemon's user, or as a member of "
            + "the \(operatorGroupName) group"
    }

    /// Throws 403 unless `peer` may change state.
    func require(_ peer: ControlPeer?) throws {
        if let reason = refusal(for: peer) {
            throw ControlError(.forbidden, code: "forbidden", reason)
        }
    }
}
