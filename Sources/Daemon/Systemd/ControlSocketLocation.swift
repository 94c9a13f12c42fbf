/// Where the control socket goes when no `--socket` is given (DESIGN §4.5).
///
/// In order: `--socket`; `<--state-directory>/control.sock` when the state directory is given on the command
/// line; the file's `control_socket`; under systemd `$RUNTIME_DIRECTORY/control.sock` (the unit's
/// `RuntimeDirectory=`, group `catalogsync`, where operators can reach it); else
/// `<state directory>/control.sock`.
enum ControlSocketLocation {
    /// The socket path for these inputs.
    ///
    /// - Parameters:
    ///   - option: `--socket PATH`, when given.
    ///   - stateDirectoryOption: `--state-directory DIR`, when given.
    ///   - configured: the file's `[daemon] control_socket`, when set.
    ///   - environment: the process environment (`RUNTIME_DIRECTORY`, colon-separated when systemd gives several:
    ///     the first is the daemon's).
    ///   - stateDirectory: the effective state directory.
    static func path(
        option: String?,
        stateDirectoryOption: String?,
        configured: String?,
        environment: [String: String],
        stateDirectory: String
    ) -> String {
        if let option { return option }
        if let stateDirectoryOption { return "\(stateDirectoryOption)/control.sock" }
        if let configured { return configured }
        if let runtime = environment["RUNTIME_DIRECTORY"]?.split(separator: ":").first, !runtime.isEmpty {
            return "\(runtime)/control.sock"
        }
        return "\(stateDirectory)/control.sock"
    }
}
