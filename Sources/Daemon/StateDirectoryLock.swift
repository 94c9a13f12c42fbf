import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on the state directory, held for as long as the daemon runs: one daemon per
/// state directory (one engine per SQLite file, one owner of its control socket).
///
/// The lock is on the directory itself, so no lock file is left behind; the kernel drops it when the
/// process exits, however it exits. The descriptor is opened close-on-exec, so no child inherits it.
public final class StateDirectoryLock: Sendable {
    /// Why the state directory could not be locked, naming it.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The locked directory.
    public let path: String
    private let descriptor: Int32

    /// Locks `path` (which must exist), or throws at once when another process holds it.
    ///
    /// - Throws: ``Failure`` naming the directory: another `catalogsyncd` holds it, or it cannot be opened.
    public init(path: String) throws(Failure) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw Failure(description: "cannot open the state directory \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK {
                throw Failure(
                    description: "another catalogsyncd is running on the state directory \(path) "
                        + "(it holds the directory's lock); stop it first, or give this one its own --state-directory"
                )
            }
            throw Failure(description: "cannot lock the state directory \(path): \(String(cString: strerror(code)))")
        }
        self.descriptor = descriptor
    }

    /// Creates `path` (and its parents) when missing, then locks it.
    ///
    /// - Throws: ``Failure`` naming the directory when it cannot be created, opened or locked.
    public static func creatingAndLocking(path: String) throws(Failure) -> StateDirectoryLock {
        try create(path)
        return try StateDirectoryLock(path: path)
    }

    /// Creates the state directory at `path` (and its parents) if missing, or throws naming it.
    public static func create(_ path: String) throws(Failure) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create the state directory \(path): \(Self.reason(error))")
        }
    }

    /// The plain words of a file-system error: the POSIX reason under Foundation's wrapper ("Not a
    /// directory"), not its `NSCocoaErrorDomain Code=512` text.
    static func reason(_ error: any Error) -> String {
        let error = error as NSError
        if let underlying = (error.userInfo[NSUnderlyingErrorKey] as? any Error).map({ $0 as NSError }),
            underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
        return error.localizedFailureReason ?? "\(error)"
    }

    deinit { close(descriptor) }
}
