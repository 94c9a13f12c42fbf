import ArgumentParser
import Daemon
import Foundation
import Logging
import Sandbox

/// `catalogsyncd`: the CatalogSync daemon (DESIGN §4.5).
@main
struct CatalogSyncDaemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogsyncd",
        abstract: "Keeps every marketplace listing of one product catalog true.",
        discussion: """
            Under systemd: catalogsyncd --config /etc/catalogsyncd/catalogsyncd.toml
            Trying it out: catalogsyncd --sandbox   (sandbox config, sample catalog, state in ./.catalogsync-sandbox)
            """
    )

    @Option(help: "The TOML configuration file.")
    var config: String = "/etc/catalogsyncd/catalogsyncd.toml"

    @Option(help: "Keep the store (and, unless --socket is given, the control socket) in this directory.")
    var stateDirectory: String?

    @Option(help: "The control socket path, overriding the configuration.")
    var socket: String?

    @Flag(help: "Run the embedded default: the built-in config/sandbox.toml, seeded with config/sample-catalog.csv.")
    var sandbox = false

    @Option(
        help: ArgumentHelp(
            "Point every account at a running marketplace-sandbox (e.g. http://127.0.0.1:8480) instead of the platforms.",
            valueName: "url"
        )
    )
    var sandboxURL: String?

    @Flag(help: "Start with every channel paused; `catalogctl resume CHANNEL` starts sending.")
    var paused = false

    @Option(help: "With --sandbox: faults the sandbox injects, e.g. 500:0.05,429:0.05,timeout:0.01,reset:0.01.")
    var sandboxFaults = ""

    @Option(help: "With --sandbox: 'published' enforces the platforms' quotas with 429s, 'off' does not.")
    var sandboxQuotas = "published"

    @Option(
        name: .customLong("sandbox-timeout-fault-delay-ms"),
        help: "With --sandbox: how long an injected 'timeout' fault stalls before answering 503, in milliseconds."
    )
    var sandboxTimeoutFaultDelayMilliseconds = 30_000

    func run() async throws {
        // Upstream error bodies may echo secrets; none reaches the journal.
        LoggingSystem.bootstrap { label in RedactingLogHandler(wrapping: StreamLogHandler.standardError(label: label)) }
        var options = DaemonRuntime.Options(configPath: config, stateDirectory: stateDirectory, socketPath: socket)
        options.sandboxURL = sandboxURL
        options.startPaused = paused
        if sandbox {
            let state = stateDirectory ?? ".catalogsync-sandbox"
            let files: (config: String, catalog: String)
            do {
                files = try SandboxFiles.write(into: state)
            } catch {
                FileHandle.standardError.write(Data("catalogsyncd: \(error)\n".utf8))
                throw ExitCode.failure
            }
            options.configPath = files.config
            options.seedCatalog = files.catalog
            options.stateDirectory = state
            var sandboxConfiguration = SandboxServer.Configuration()
            do {
                sandboxConfiguration.faults = try FaultSpec(parsing: sandboxFaults)
            } catch {
                throw ValidationError("--sandbox-faults: \(error)")
            }
            guard ["published", "off"].contains(sandboxQuotas) else {
                throw ValidationError("--sandbox-quotas must be 'published' or 'off'")
            }
            sandboxConfiguration.quotasEnabled = sandboxQuotas == "published"
            guard sandboxTimeoutFaultDelayMilliseconds >= 0 else {
                throw ValidationError("--sandbox-timeout-fault-delay-ms must be 0 or more")
            }
            sandboxConfiguration.timeoutFaultDelay = .milliseconds(sandboxTimeoutFaultDelayMilliseconds)
            options.embeddedSandbox = sandboxConfiguration
        }
        do {
            try await DaemonRuntime(options: options).run()
        } catch {
            FileHandle.standardError.write(Data("catalogsyncd: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
