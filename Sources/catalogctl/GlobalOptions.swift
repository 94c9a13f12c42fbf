import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Options every command takes (`--socket PATH`, `--json`) may come before the subcommand, as in
/// `systemctl`: `catalogctl --socket /run/x.sock status` is read as `catalogctl status --socket /run/x.sock`.
enum GlobalOptions {
    /// Options that take a value.
    static let withValue: Set<String> = ["--socket"]
    /// Flags.
    static let flags: Set<String> = ["--json"]

    /// `arguments` (without the program name) with the global options in front of the subcommand
    /// moved after it; anything else is left as it is.
    static func reorder(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = String(argument.prefix { $0 != "=" })
            if withValue.contains(name) {
                let takesNext = !argument.contains("=") && index + 1 < arguments.count
                leading += takesNext ? [argument, arguments[index + 1]] : [argument]
                index += takesNext ? 2 : 1
            } else if flags.contains(argument) {
                leading.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty, index < arguments.count else { return arguments }
        var rest = Array(arguments[index...])
        let end = rest.firstIndex(of: "--") ?? rest.endIndex
        rest.insert(contentsOf: leading, at: end)
        return rest
    }
}

/// Why a Unix socket cannot be connected to, without libcurl in between.
enum SocketProbe {
    /// `errno` of `connect(2)` to the socket at `path`, or 0 when it connects.
    static func connectError(path: String) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return ENAMETOOLONG }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return errno }
        defer { close(descriptor) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0 ? 0 : errno
    }
}
