import ArgumentParser
import Foundation
import Logging
import Sandbox
import ServiceLifecycle

/// `marketplace-sandbox`: every platform twin on one loopback port until SIGINT or SIGTERM.
@main
struct MarketplaceSandbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marketplace-sandbox",
        abstract: "Stateful fakes of the marketplace APIs on 127.0.0.1 (HTTP/1.1), with faults and quotas."
    )

    @Option(help: "The TCP port to listen on (0 picks a free one).")
    var port = 8480

    @Option(help: "Faults to inject, e.g. 500:0.05,429:0.05,timeout:0.01,reset:0.01.")
    var faults = ""

    @Option(name: .customLong("latency-ms"), help: "Delay before every platform request, in milliseconds.")
    var latencyMilliseconds = 0

    @Option(help: "'published' enforces the platforms' published quotas with 429s; 'off' disables them.")
    var quotas = "published"

    @Option(help: "Seed for fault draws and generated ids.")
    var seed: UInt64 = 1

    @Option(name: .customLong("token-lifetime-seconds"), help: "How long issued access tokens live.")
    var tokenLifetimeSeconds = 3600

    @Option(name: .customLong("processing-delay-ms"), help: "How long feeds take to process, in milliseconds.")
    var processingDelayMilliseconds = 500

    @Option(
        name: .customLong("quota-multiplier"),
        help: "Multiply every published quota rate and burst (a seller with raised quotas)."
    )
    var quotaMultiplier: Double = 1

    @Option(
        name: .customLong("timeout-fault-delay-ms"),
        help: "How long an injected 'timeout' fault stalls before answering 503, in milliseconds."
    )
    var timeoutFaultDelayMilliseconds = 30_000

    @Option(
        name: .customLong("token-outage-ms"),
        help:
            "For this long from each platform's first token request, its token endpoint answers 500, in milliseconds."
    )
    var tokenOutageMilliseconds = 0

    @Option(
        name: .customLong("temporarily-lenient"),
        help: ArgumentHelp(
            "Contract checks the twins skip, comma-separated, or 'none' (the default).",
            discussion: "'product-type-definitions' makes the Amazon twin accept bodies the official PRODUCT "
                + "definition refuses (for tests of something else with minimal bodies)."
        )
    )
    var temporarilyLenient = "none"

    func validate() throws {
        guard quotaMultiplier > 0 else { throw ValidationError("--quota-multiplier must be more than 0.") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535.") }
        guard ["published", "off"].contains(quotas) else {
            throw ValidationError("--quotas must be 'published' or 'off'.")
        }
        guard latencyMilliseconds >= 0 else { throw ValidationError("--latency-ms must be 0 or more.") }
        guard tokenLifetimeSeconds > 0 else { throw ValidationError("--token-lifetime-seconds must be more than 0.") }
        guard tokenOutageMilliseconds >= 0 else { throw ValidationError("--token-outage-ms must be 0 or more.") }
        guard timeoutFaultDelayMilliseconds >= 0 else {
            throw ValidationError("--timeout-fault-delay-ms must be 0 or more.")
        }
        guard processingDelayMilliseconds >= 0 else {
            throw ValidationError("--processing-delay-ms must be 0 or more.")
        }
        do {
            _ = try FaultSpec(parsing: faults)
        } catch {
            throw ValidationError("--faults: \(error.description)")
        }
    }

    func run() async throws {
        var configuration = SandboxServer.Configuration()
        configuration.port = port
        configuration.faults = try FaultSpec(parsing: faults)
        configuration.latency = .milliseconds(latencyMilliseconds)
        configuration.quotasEnabled = quotas == "published"
        configuration.seed = seed
        configuration.tokenLifetime = .seconds(tokenLifetimeSeconds)
        configuration.processingDelay = .milliseconds(processingDelayMilliseconds)
        configuration.quotaMultiplier = quotaMultiplier
        configuration.timeoutFaultDelay = .milliseconds(timeoutFaultDelayMilliseconds)
        configuration.tokenOutage = .milliseconds(tokenOutageMilliseconds)
        configuration.temporarilyLenientContracts = Set(
            temporarilyLenient.split(separator: ",").map { String($0) }.filter { $0 != "none" }
        )
        let server = SandboxServer(configuration: configuration)
        let logger = Logger(label: "marketplace-sandbox")
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: server)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        // Announces the address once listening; if the server fails to start, group.run() throws and
        // the process exits without waiting for this task.
        Task {
            let url = await server.waitUntilReady()
            print("marketplace-sandbox listening on \(url)")
            fflush(nil)  // all output streams: the line must reach a pipe now
        }
        try await group.run()
    }
}
