import Foundation
import PackagePlugin

/// Builds `catalogsyncd`'s embedded sandbox files from the package's `config/` directory, the single source:
/// `config/sandbox.toml`, `config/sample-catalog.csv` and `config/rivexa.toml` become `EmbeddedSandboxFiles`
/// (generated Swift source), so `catalogsyncd --sandbox` runs from any directory. Editing a file in `config/`
/// rebuilds the daemon.
@main
struct EmbedSandboxFiles: BuildToolPlugin {
    /// The files embedded, by the name the daemon writes them under.
    static let files = ["sandbox.toml", "sample-catalog.csv", "rivexa.toml"]

    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let config = context.package.directoryURL.appending(path: "config")
        let inputs = Self.files.map { config.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedSandboxFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding config/\(Self.files.joined(separator: ", config/")) in \(target.name)",
                executable: try context.tool(named: "embed-files").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
