import Catalog
import Daemon
import Foundation

/// A sandbox, a daemon syncing a subset of `config/sandbox.toml`'s channels to it, and what every
/// listing should look like: the world an end-to-end test runs in.
final class SyncWorld: Sendable {
    let directory: String
    let configPath: String
    let sandbox: SandboxProcess
    let configuration: DaemonConfiguration
    let projections: ChannelProjections
    /// The channels under test, by name, with their platform.
    let channels: [(name: String, platform: String, marketplace: String)]

    /// Starts a sandbox with `sandboxArguments` and writes a configuration holding the accounts of
    /// `platforms` (and only `channelNames` of them, when given) from `config/sandbox.toml`.
    init(
        platforms: Set<String>,
        channelNames: Set<String>? = nil,
        daemonSettings: String = "request_timeout_seconds = 5\nrate_limits = \"published\"",
        accountSettings: String = "",
        sandboxArguments: [String]
    ) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let text = try Self.subset(
            of: "config/sandbox.toml",
            platforms: platforms,
            channels: channelNames,
            daemon: daemonSettings
        )
        configPath = "\(directory)/catalogsyncd.toml"
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
        let configuration = try DaemonConfiguration.load(path: configPath, environment: [:])
        self.configuration = configuration
        projections = try configuration.makeChannelProjections()
        channels = configuration.channels.map { channel in
            (channel.name, configuration.accounts[channel.account]?.platform ?? "", channel.marketplace)
        }
        sandbox = try SandboxProcess(arguments: sandboxArguments)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts (or restarts, on the same state) the daemon.
    func startDaemon() async throws -> DaemonProcess {
        try await DaemonProcess(config: configPath, stateDirectory: "\(directory)/state", sandboxURL: sandbox.baseURL)
    }

    /// Listings that differ from what the catalog and the channel rules say, as readable lines
    /// (empty when every channel has converged). SKUs in `excluding` are not expected anywhere.
    func differences(from catalog: TestCatalog, excluding: Set<String> = []) async throws -> [String] {
        var problems: [String] = []
        for platform in Set(channels.map(\.platform)).sorted() {
            let listings = try await sandbox.listings(platform: platform)
            var byKey: [String: SandboxProcess.Listing] = [:]
            for listing in listings { byKey["\(listing.marketplace)/\(listing.sku)"] = listing }
            for channel in channels where channel.platform == platform {
                let projector = projections.projectors[channel.name]!
                for product in catalog.products where !excluding.contains(product.sku.rawValue) {
                    let desired = projector.project(product)
                    guard let listing = byKey["\(channel.marketplace)/\(product.sku.rawValue)"] else {
                        problems.append("\(channel.name) \(product.sku): missing")
                        continue
                    }
                    let price = listing.price.flatMap { Decimal(string: $0) }
                    if price != desired.price.decimalAmount || listing.currency != desired.price.currency.code {
                        problems.append(
                            "\(channel.name) \(product.sku): price \(listing.price ?? "nil") \(listing.currency ?? "") ≠ \(desired.price)"
                        )
                    }
                    if listing.quantity != desired.quantity {
                        problems.append(
                            "\(channel.name) \(product.sku): quantity \(listing.quantity ?? -1) ≠ \(desired.quantity)"
                        )
                    }
                    if let title = listing.title, title != desired.content.title {
                        problems.append(
                            "\(channel.name) \(product.sku): title \"\(title)\" ≠ \"\(desired.content.title)\""
                        )
                    }
                }
            }
        }
        return problems
    }

    /// Waits until every listing matches `catalog` (checking every half second); throws with the
    /// first differences after `limit`.
    func waitForConvergence(
        of catalog: TestCatalog,
        excluding: Set<String> = [],
        within limit: Duration = .seconds(600)
    ) async throws {
        let deadline = ContinuousClock.now + limit
        while true {
            let problems = try await differences(from: catalog, excluding: excluding)
            if problems.isEmpty { return }
            guard ContinuousClock.now < deadline else {
                throw EndToEndError(
                    "not converged: \(problems.count) differences, e.g.\n" + problems.prefix(10).joined(separator: "\n")
                )
            }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// `config/sandbox.toml` cut down to the accounts of `platforms` and their channels, with its
    /// `[daemon]` section replaced by `daemon`.
    static func subset(
        of path: String,
        platforms: Set<String>,
        channels: Set<String>?,
        daemon: String,
        account extra: String = ""
    ) throws -> String {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var sections: [[String]] = [[]]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("[") { sections.append([]) }
            sections[sections.count - 1].append(String(line))
        }
        var keptAccounts: Set<String> = []
        var output = ["[daemon]", daemon, ""]
        for section in sections {
            guard let header = section.first else { continue }
            if header.hasPrefix("[fx]") {
                output += section
            } else if header.hasPrefix("[accounts.") {
                let name = String(header.dropFirst("[accounts.".count).prefix { $0 != "]" })
                let platform = Self.value(of: "platform", in: section)
                if let platform, platforms.contains(platform) {
                    keptAccounts.insert(name)
                    output += section
                    if !extra.isEmpty { output += [extra, ""] }
                }
            } else if header.hasPrefix("[[channels]]") {
                guard let account = Self.value(of: "account", in: section), keptAccounts.contains(account) else {
                    continue
                }
                if let channels, let name = Self.value(of: "name", in: section), !channels.contains(name) { continue }
                output += section
            }
        }
        return output.joined(separator: "\n") + "\n"
    }

    private static func value(of key: String, in section: [String]) -> String? {
        for line in section {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, parts[0] == key else { continue }
            let value = parts[1].split(separator: "#").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            return value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
