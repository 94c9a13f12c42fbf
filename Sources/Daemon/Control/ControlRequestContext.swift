import Foundation
import Hummingbird
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// The request context of the control server: Hummingbird's core context plus who is asking.
///
/// Reads are open to anyone who can connect (the socket's 0660 mode already limits that);
/// mutations need root, the daemon's own user, or membership of the `catalogsync` group (``MutationRights``).
struct ControlRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connecting process as the kernel reports it, or `nil` when it cannot say (then no mutation is allowed).
    let peer: ControlPeer?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peer = ControlPeer.reading(source.channel)
    }

    var maxUploadSize: Int { ControlRoutes.maximumBodySize }

    /// Throws 403 unless the peer may change state (``MutationRights``).
    func requireMutationRights() throws {
        try MutationRights.current().require(peer)
    }
}
