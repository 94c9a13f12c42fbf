import Daemon
import Foundation

/// The files `catalogsyncd --sandbox` runs on: `config/sandbox.toml`, `config/sample-catalog.csv` and the Rivexa
/// spec `config/rivexa.toml`, built into the binary (``EmbeddedSandboxFiles``, generated from `config/` by the
/// EmbedSandboxFiles plugin) so the embedded default runs from any directory, installed or not.
enum SandboxFiles {
    /// Writes the embedded files into `stateDirectory` (created if missing) and returns the configuration and
    /// catalog paths to run on.
    ///
    /// They are rewritten at every start, so the daemon always runs the sandbox of the binary it is; `SIGHUP`
    /// re-reads the written `sandbox.toml`, which an operator may edit while the daemon runs. The configuration's
    /// relative Rivexa spec path (`config/rivexa.toml`) is pointed at the written spec.
    static func write(into stateDirectory: String) throws -> (config: String, catalog: String) {
        try StateDirectoryLock.create(stateDirectory)
        let directory = URL(fileURLWithPath: stateDirectory, isDirectory: true).standardizedFileURL.path
        for (name, data) in EmbeddedSandboxFiles.files where name != "sandbox.toml" {
            try data.write(to: URL(fileURLWithPath: "\(directory)/\(name)"))
        }
        guard let configuration = EmbeddedSandboxFiles.files["sandbox.toml"] else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "sandbox.toml (not embedded)"])
        }
        let text = String(decoding: configuration, as: UTF8.self)
            .replacingOccurrences(of: "\"config/rivexa.toml\"", with: "\"\(directory)/rivexa.toml\"")
        let configPath = "\(directory)/sandbox.toml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: configPath))
        return (configPath, "\(directory)/sample-catalog.csv")
    }
}
