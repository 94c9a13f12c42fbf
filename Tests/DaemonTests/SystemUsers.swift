import Foundation
import ProcessTestSupport
import Testing

/// Real users and groups for tests that need a second identity: created with `groupadd`/`useradd`, used
/// through `setpriv --init-groups` (exactly the groups a login would get), removed with `userdel`.
enum SystemUsers {
    /// Whether this machine lets a test create users and switch to them: root, with the shadow tools,
    /// `setpriv`, `unshare` and `curl` installed.
    static let available: Bool =
        geteuid() == 0
        && [
            "/usr/sbin/useradd", "/usr/sbin/userdel", "/usr/sbin/groupadd", "/usr/bin/setpriv", "/usr/bin/unshare",
            "/usr/bin/curl",
        ]
        .allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    /// Why a test needing a second user is skipped here.
    static let unavailableReason: Comment =
        "needs root and useradd, userdel, groupadd, setpriv, unshare and curl to act as a second user"

    /// Creates system group `name` unless it exists (as `make install`'s sysusers snippet would).
    static func ensureGroup(_ name: String) throws {
        if getgrnam(name) != nil { return }
        try run("/usr/sbin/groupadd", ["--system", name])
    }

    /// Creates a system user without a home, in its own group plus `groups`; returns its name.
    static func createUser(groups: [String]) throws -> String {
        let name = "cstest\(getpid() % 100_000)x\(UInt16.random(in: 0...UInt16.max))"
        try run(
            "/usr/sbin/useradd",
            ["--system", "--no-create-home", "--user-group", "--shell", "/usr/sbin/nologin"]
                + (groups.isEmpty ? [] : ["--groups", groups.joined(separator: ",")]) + [name]
        )
        return name
    }

    /// Removes user `name` and its own group.
    static func deleteUser(_ name: String) {
        try? run("/usr/sbin/userdel", [name])
    }

    /// Runs `curl` over the Unix socket as `user` with the groups a login would give it; returns the body, a
    /// newline and the HTTP status.
    static func curl(as user: String, socket: String, _ arguments: [String]) async throws -> String {
        try await curl(identity: ["--reuid=\(user)", "--regid=\(user)", "--init-groups"], socket: socket, arguments)
    }

    /// Runs `curl` over the Unix socket under `setpriv` with `identity` (`--reuid=nobody`, ...); returns the
    /// body, a newline and the HTTP status.
    static func curl(identity: [String], socket: String, _ arguments: [String]) async throws -> String {
        let command = ["/usr/bin/setpriv"] + identity + ["/usr/bin/curl", "-s", "--unix-socket", socket]
        return try await ChildRun.run(command + ["-w", "\n%{http_code}"] + arguments).output
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let status = process.waitForExit()
        guard status == 0 else {
            throw CocoaError(
                .executableLoad,
                userInfo: [NSLocalizedDescriptionKey: "\(tool) \(arguments) exited \(status)"]
            )
        }
    }
}
