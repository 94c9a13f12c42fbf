import Daemon
import Foundation
import ListingOracle
import Sync

/// A sandbox, a daemon syncing a subset of `config/sandbox.toml`'s channels to it, and what every
/// listing should look like: the world an end-to-end test runs in.
///
/// What a listing should look like comes from ``ListingOracle`` (DESIGN §5 written out in the test
/// target), never from the daemon's own projection code, so a pricing bug fails these tests.
///
/// Everything that waits in real time is scaled down the way a user could scale it too: the
/// daemon's backoff cap and breaker cool-downs (`[daemon]` keys), its request timeout, the sandbox's
/// stall on an injected timeout, and one quota multiplier that raises every platform's published
/// quotas on both sides (the twins' `--quota-multiplier`, every account's `quota_multiplier`).
final class SyncWorld: Sendable {
    /// The `[daemon]` settings end-to-end tests run with: a 3 s request timeout, transient failures
    /// retried at most 5 s apart and circuit breakers cooling down for 1–5 s, so a dead letter or a
    /// recovered platform shows in seconds rather than the production defaults' minutes; the listing
    /// verifier off (a test of it turns it on), so request counts are the pushes' and the orders'.
    static let fastDaemonSettings = """
        request_timeout_seconds = 3
        rate_limits = "published"
        max_backoff_seconds = 5
        breaker_cooldown_seconds = 1
        max_breaker_cooldown_seconds = 5
        verify_quota_share = 0
        """
    /// How long the sandbox stalls on an injected `timeout` fault: past the daemon's 3 s request timeout.
    static let timeoutFaultDelayMilliseconds = 4_000
    /// The sandbox's faults for tests that converge through them.
    static let faults = "500:0.05,429:0.05,timeout:0.01,reset:0.01"

    let directory: String
    let configPath: String
    let sandbox: SandboxProcess
    let configuration: DaemonConfiguration
    /// What every listing should look like (prices, stock, titles), from DESIGN §5 alone.
    let oracle: ListingOracle
    /// The channels under test, by name, with their platform.
    let channels: [(name: String, platform: String, marketplace: String)]
    /// The destination countries of each channel that keeps landed costs (DHL Express), by name.
    let landedCostDestinations: [String: Set<String>]

    /// Starts a sandbox with `sandboxArguments` and writes a configuration holding the accounts of
    /// `platforms` (and only `channelNames` of them, when given) from `config/sandbox.toml`.
    ///
    /// - Parameters:
    ///   - quotaMultiplier: raises every published quota this many times, on the twins and on every
    ///     account of the configuration alike (a seller whose quotas the platforms raised).
    ///   - daemonSettings: lines added to ``fastDaemonSettings`` (a key given here wins).
    ///   - accountSettings: TOML lines added to the account of each platform named.
    ///   - channelSettings: TOML lines (`key = value`) for the channels named, each replacing the line
    ///     of the same key or added.
    init(
        platforms: Set<String>,
        channelNames: Set<String>? = nil,
        quotaMultiplier: Int = 1,
        daemonSettings: String = "",
        accountSettings: [String: String] = [:],
        channelSettings: [String: String] = [:],
        sandboxArguments: [String]
    ) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var accounts = accountSettings
        if quotaMultiplier != 1 {
            for platform in platforms {
                accounts[platform] = [accounts[platform], "quota_multiplier = \"\(quotaMultiplier)\""]
                    .compactMap { $0 }.joined(separator: "\n")
            }
        }
        let given = Set(daemonSettings.split(separator: "\n").compactMap { Self.key(of: String($0)) })
        let daemon =
            (Self.fastDaemonSettings.split(separator: "\n").map(String.init).filter {
                !given.contains(Self.key(of: $0) ?? "")
            } + [daemonSettings]).joined(separator: "\n")
        let text = try Self.subset(
            of: "config/sandbox.toml",
            platforms: platforms,
            channels: channelNames,
            daemon: daemon,
            accounts: accounts,
            channelSettings: channelSettings
        )
        configPath = "\(directory)/catalogsyncd.toml"
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
        let configuration = try DaemonConfiguration.load(path: configPath, environment: [:])
        self.configuration = configuration
        oracle = try ListingOracle(configuration: text)
        channels = configuration.channels.map { channel in
            (channel.name, configuration.accounts[channel.account]?.platform ?? "", channel.marketplace)
        }
        let projections = try configuration.makeChannelProjections()
        landedCostDestinations = LandedCostWiring(configuration, projections: projections) { _ in
            InMemoryAdapterDataStore()
        }.sources.mapValues { Set($0.destinations) }
        sandbox = try SandboxProcess(
            arguments: sandboxArguments + [
                "--quota-multiplier", "\(quotaMultiplier)",
                "--timeout-fault-delay-ms", "\(Self.timeoutFaultDelayMilliseconds)",
            ]
        )
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
                let estimates = landedCostEstimates(for: channel.name, listings: listingsByPlatform)
                let destinations = landedCostDestinations[channel.name]
                for product in catalog.oracleProducts where !excluding.contains(product.sku) {
                    let estimate = estimates[product.sku]
                    guard
                        let desired = oracle.listing(
                            of: product,
                            on: channel.name,
                            landedCost: estimate?.amount,
                            landedCostCurrency: estimate?.currency
                        )
                    else {
                        problems.append("\(channel.name) \(product.sku): no landed cost to add yet")
                        continue
                    }
                    guard let listing = byKey["\(channel.marketplace)/\(product.sku)"] else {
                        problems.append("\(channel.name) \(product.sku): missing")
                        continue
                    }
                    if let destinations, Set(listing.landedCosts?.keys ?? [:].keys) != destinations {
                        problems.append(
                            "\(channel.name) \(product.sku): landed costs to \(listing.landedCosts?.keys.sorted() ?? []) ≠ \(destinations.sorted())"
                        )
                    }
                    let price = listing.price.flatMap { Decimal(string: $0) }
                    if price != desired.price || listing.currency != desired.currency {
                        problems.append(
                            "\(channel.name) \(product.sku): price \(listing.price ?? "nil") \(listing.currency ?? "") ≠ \(desired.price) \(desired.currency)"
                        )
                    }
                    // A platform that holds no stock (DHL) shows none, which is right for a quantity of 0.
                    if listing.quantity != desired.quantity, listing.quantity != nil || desired.quantity != 0 {
                        problems.append(
                            "\(channel.name) \(product.sku): quantity \(listing.quantity ?? -1) ≠ \(desired.quantity)"
                        )
                    }
                    if let title = listing.title, title != desired.title {
                        problems.append("\(channel.name) \(product.sku): title \"\(title)\" ≠ \"\(desired.title)\"")
                    }
                }
            }
        }
        return problems
    }

    /// For a channel whose price adds a landed cost: per SKU, the estimate the landed-cost channel's
    /// twin quoted to the channel's country, in its currency; empty for other channels.
    private func landedCostEstimates(
        for channelName: String,
        listings: [String: [SandboxProcess.Listing]]
    ) -> [String: (amount: Decimal, currency: String)] {
        guard let source = oracle.channels[channelName]?.addsLandedCostFrom,
            let channel = configuration.channels.first(where: { $0.name == channelName }),
            let account = configuration.accounts[channel.account],
            let country = AdapterRegistry.factory(for: account.platform)?.destinationCountry(
                marketplace: channel.marketplace
            ),
            let sourceAccount = configuration.channels.first(where: { $0.name == source }).flatMap({
                configuration.accounts[$0.account]
            })
        else { return [:] }
        var result: [String: (amount: Decimal, currency: String)] = [:]
        for listing in listings[sourceAccount.platform] ?? [] {
            guard let text = listing.landedCosts?[country], let amount = Decimal(string: text),
                let currency = listing.currency
            else { continue }
            result[listing.sku] = (amount, currency)
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

    /// The key of a `key = value` line, or `nil`.
    private static func key(of line: String) -> String? {
        let parts = line.split(separator: "=", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        return parts[0].trimmingCharacters(in: .whitespaces)
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
