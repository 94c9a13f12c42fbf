import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The control socket's file on disk: the daemon never takes over, nor removes, a socket that another
/// live process serves.
///
/// The server's bind replaces a stale socket file (one nobody accepts on); ``checkNotServed(path:)``
/// runs before it, and ``removeIfUnserved(path:)`` replaces a blind `unlink` at shutdown.
///
/// The server binds ``bindPath(for:)``, a private name beside the socket, and the daemon renames
/// it into place once it serves: NIO unlinks the path it bound when the server closes, and that
/// path is then already gone, so a socket another process put at the public path survives.
public enum ControlSocketFile {
    /// Why the daemon refuses the socket path.
    public struct InUse: Error, CustomStringConvertible {
        public var description: String
    }

    /// A private path beside `path` for the server to bind before it is renamed to `path`, or
    /// `path` itself when the private name would not fit in a socket address.
    public static func bindPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let hidden = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(getpid())"
        ).path
        return hidden.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) ? hidden : path
    }

    /// Moves the served socket at `bound` to `path` (nothing when they are the same).
    public static func publish(_ bound: String, at path: String) {
        guard bound != path else { return }
        rename(bound, path)
    }

    /// Whether a process accepts connections on the Unix socket at `path` right now.
    public static func isServed(path: String) -> Bool {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    /// Throws when another process serves the socket at `path` (another daemon with the same
    /// `--socket` or `control_socket`); a stale file is left for the server's bind to replace.
    public static func checkNotServed(path: String) throws(InUse) {
        if isServed(path: path) {
            throw InUse(
                description: "the control socket \(path) is served by another running process; "
                    + "stop it first, or give this daemon its own --socket"
            )
        }
    }

    /// Removes the socket file at `path` unless another process serves it now (one that replaced
    /// this daemon's socket must keep it).
    public static func removeIfUnserved(path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK else { return }
        if !isServed(path: path) { unlink(path) }
    }
}
