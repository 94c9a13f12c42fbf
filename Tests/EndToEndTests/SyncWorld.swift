import Catalog
import DHLAdapter
import Daemon
import Foundation
import Sync

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
    /// The destination countries of each channel that keeps landed costs (DHL Express), by name.
    let landedCostDestinations: [String: Set<String>]

    /// Starts a sandbox with `sandboxArguments` and writes a configuration holding the accounts of
    /// `platforms` (and only `channelNames` of them, when given) from `config/sandbox.toml`.
    ///
    /// - Parameters:
    ///   - accountSettings: TOML lines added to the account of each platform named (`"dhl":
    ///     "quota_multiplier = \"10\""`).
    ///   - channelSettings: TOML lines (`key = value`) for the channels named, each replacing the line
    ///     of the same key or added.
    init(
        platforms: Set<String>,
        channelNames: Set<String>? = nil,
        daemonSettings: String = "request_timeout_seconds = 5\nrate_limits = \"published\"",
        accountSettings: [String: String] = [:],
        channelSettings: [String: String] = [:],
        sandboxArguments: [String]
    ) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let text = try Self.subset(
            of: "config/sandbox.toml",
            platforms: platforms,
            channels: channelNames,
            daemon: daemonSettings,
            accounts: accountSettings,
            channelSettings: channelSettings
        )
        configPath = "\(directory)/catalogsyncd.toml"
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
        let configuration = try DaemonConfiguration.load(path: configPath, environment: [:])
        self.configuration = configuration
        projections = try configuration.makeChannelProjections()
        channels = configuration.channels.map { channel in
            (channel.name, configuration.accounts[channel.account]?.platform ?? "", channel.marketplace)
        }
        landedCostDestinations = LandedCostWiring(configuration, projections: projections) { _ in
            InMemoryAdapterDataStore()
        }.sources.mapValues { Set($0.destinations) }
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
        var listingsByPlatform: [String: [SandboxProcess.Listing]] = [:]
        for platform in Set(channels.map(\.platform)) {
            listingsByPlatform[platform] = try await sandbox.listings(platform: platform)
        }
        for (platform, listings) in listingsByPlatform.sorted(by: { $0.key < $1.key }) {
            var byKey: [String: SandboxProcess.Listing] = [:]
            for listing in listings { byKey["\(listing.marketplace)/\(listing.sku)"] = listing }
            for channel in channels where channel.platform == platform {
                let projector = projections.projectors[channel.name]!
                let landed = landedCosts(for: projector, listings: listingsByPlatform)
                let destinations = landedCostDestinations[channel.name]
                for product in catalog.products where !excluding.contains(product.sku.rawValue) {
                    guard let desired = projector.project(product, landedCost: landed[product.sku.rawValue]) else {
                        problems.append("\(channel.name) \(product.sku): no landed cost to add yet")
                        continue
                    }
                    guard let listing = byKey["\(channel.marketplace)/\(product.sku.rawValue)"] else {
                        problems.append("\(channel.name) \(product.sku): missing")
                        continue
                    }
                    if let destinations, Set(listing.landedCosts?.keys ?? [:].keys) != destinations {
                        problems.append(
                            "\(channel.name) \(product.sku): landed costs to \(listing.landedCosts?.keys.sorted() ?? []) ≠ \(destinations.sorted())"
                        )
                    }
                    let price = listing.price.flatMap { Decimal(string: $0) }
                    if price != desired.price.decimalAmount || listing.currency != desired.price.currency.code {
                        problems.append(
                            "\(channel.name) \(product.sku): price \(listing.price ?? "nil") \(listing.currency ?? "") ≠ \(desired.price)"
                        )
                    }
                    // A platform that holds no stock (DHL) shows none, which is right for a quantity of 0.
                    if listing.quantity != desired.quantity, listing.quantity != nil || desired.quantity != 0 {
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

    /// For a channel whose price adds a landed cost: per SKU, the amount it adds (the DHL twin's own
    /// estimate to the channel's country, converted and rounded up to the channel's currency); empty
    /// for other channels.
    private func landedCosts(
        for projector: ChannelProjector,
        listings: [String: [SandboxProcess.Listing]]
    ) -> [String: Money] {
        guard let source = projector.landedCostSource,
            let channel = configuration.channels.first(where: { $0.name == projector.channel.name }),
            let account = configuration.accounts[channel.account],
            let country = AdapterRegistry.factory(for: account.platform)?.destinationCountry(
                marketplace: channel.marketplace
            ),
            let sourceAccount = configuration.channels.first(where: { $0.name == source }).flatMap({
                configuration.accounts[$0.account]
            })
        else { return [:] }
        let convert = LandedCostPricing.conversion(using: projections.fx)
        var result: [String: Money] = [:]
        for listing in listings[sourceAccount.platform] ?? [] {
            guard let text = listing.landedCosts?[country],
                let currency = listing.currency.flatMap({ Currency(code: $0) }),
                let total = Money(parsing: text, currency: currency),
                let amount = LandedCostPricing.amountToAdd(
                    estimate: total,
                    channelCurrency: projector.channel.currency,
                    convert: convert
                )
            else { continue }
            result[listing.sku] = amount
        }
        return result
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
        accounts extra: [String: String] = [:],
        channelSettings: [String: String] = [:]
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
                    if let lines = extra[platform] { output += [lines, ""] }
                }
            } else if header.hasPrefix("[[channels]]") {
                guard let account = Self.value(of: "account", in: section), keptAccounts.contains(account) else {
                    continue
                }
                let name = Self.value(of: "name", in: section) ?? ""
                if let channels, !channels.contains(name) { continue }
                output += Self.edited(section, with: channelSettings[name] ?? "")
            }
        }
        return output.joined(separator: "\n") + "\n"
    }

    /// `section` with each `key = value` line of `settings` replacing the line of its key, or added.
    private static func edited(_ section: [String], with settings: String) -> [String] {
        var section = section
        for line in settings.split(separator: "\n").map(String.init) {
            let key = line.split(separator: "=", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) }
            if let key, let index = section.firstIndex(where: { Self.value(of: key, in: [$0]) != nil }) {
                section[index] = line
            } else {
                // Before the blank lines that end the section.
                let end = (section.lastIndex { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? 0) + 1
                section.insert(line, at: end)
            }
        }
        return section
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
