import Foundation
import ProcessTestSupport
import Testing

@testable import Daemon

/// Operators' rights on the control socket as the shipped unit sees them: judged from the kernel's
/// `SO_PEERCRED`/`SO_PEERGROUPS`, never from `/proc/PID` (hidden by `ProtectProc=invisible`), and refused when
/// the peer cannot be read.
@Suite(.serialized)
struct OperatorRightsTests {
    /// The rule as a daemon running as uid 990 with the operator group at gid 991 applies it.
    static let rights = MutationRights(daemonUID: 990, operatorGID: 991, operatorGroupName: "catalogsync")

    @Test func aPeerTheKernelCannotDescribeMayNotChangeState() {
        #expect(Self.rights.refusal(for: nil)?.contains("could not tell who is asking") == true)
        #expect(throws: ControlError.self) { try Self.rights.require(nil) }
    }

    @Test func rootTheDaemonsUserAndOperatorGroupMembersMayChangeState() {
        #expect(Self.rights.refusal(for: ControlPeer(pid: 0, uid: 0, gid: 0, groups: [])) == nil)
        #expect(Self.rights.refusal(for: ControlPeer(pid: 0, uid: 990, gid: 990, groups: [])) == nil)
        #expect(Self.rights.refusal(for: ControlPeer(pid: 0, uid: 65534, gid: 65534, groups: [100, 991])) == nil)
        #expect(Self.rights.refusal(for: ControlPeer(pid: 0, uid: 1000, gid: 991, groups: [])) == nil)
    }

    @Test func theOperatorGroupIsLookedUpByNameAndAMissingGroupIsNone() {
        #expect(MutationRights.groupID(named: "root") == 0)
        #expect(MutationRights.groupID(named: "no-such-group-\(getpid())") == nil)
    }

    @Test func anyoneElseIsRefusedByUidEvenWhenTheOverflowGroupIsAllItHas() {
        let stranger = Self.rights.refusal(for: ControlPeer(pid: 0, uid: 65534, gid: 65534, groups: [65534]))
        #expect(stranger?.hasPrefix("uid 65534 may read but not change state") == true)
        let overflow = MutationRights(daemonUID: 990, operatorGID: 65534, operatorGroupName: "nogroup")
        #expect(overflow.refusal(for: ControlPeer(pid: 0, uid: 1000, gid: 65534, groups: [])) != nil)
    }

    /// A group member (a real user, created for the test) changes state through a daemon that cannot see the
    /// member's `/proc/PID`, as under the unit's `ProtectProc=invisible`: the daemon runs in its own pid
    /// namespace with its own `/proc` (`unshare --pid --mount-proc`), so `SO_PEERCRED` even reports pid 0. A
    /// user outside the group is refused in the same setting.
    @Test(.enabled(if: SystemUsers.available, SystemUsers.unavailableReason))
    func aGroupMemberChangesStateThroughADaemonThatCannotSeeItsProcess() async throws {
        try SystemUsers.ensureGroup("catalogsync")
        let member = try SystemUsers.createUser(groups: ["catalogsync"])
        let outsider = try SystemUsers.createUser(groups: [])
        defer {
            SystemUsers.deleteUser(member)
            SystemUsers.deleteUser(outsider)
        }
        // --kill-child: the daemon dies with unshare when the test ends.
        let daemon = try DaemonChild(
            wrapper: ["/usr/bin/unshare", "--pid", "--fork", "--mount-proc", "--kill-child=SIGKILL"],
            arguments: ["--sandbox", "--paused"]
        )
        defer { daemon.kill() }
        _ = try daemon.waitUntilReady()
        // The socket is 0660 group catalogsync; the outsider gets it opened up so that rights, not the
        // file mode, are what refuses it.
        chmod(daemon.state.path, 0o755)
        let resume = ["-X", "POST", "http://localhost/v1/channels/amazon-de/resume"]
        let allowed = try await SystemUsers.curl(as: member, socket: daemon.defaultSocket, resume)
        #expect(allowed.hasSuffix("\n200"), "\(allowed)")
        chmod(daemon.defaultSocket, 0o666)
        let refused = try await SystemUsers.curl(as: outsider, socket: daemon.defaultSocket, resume)
        #expect(refused.hasSuffix("\n403"), "\(refused)")
        #expect(refused.contains("\"forbidden\""), "\(refused)")
    }
}
