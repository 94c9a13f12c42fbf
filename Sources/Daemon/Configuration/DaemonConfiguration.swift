import Catalog
import Foundation
import TOMLKit

/// The daemon's whole configuration, read from TOML as DESIGN §4.1 describes.
///
/// Loading collects every problem in the file before failing, and each problem names the file,
/// the key path and what is wrong:
///
/// ```
/// /etc/catalogsyncd/catalogsyncd.toml: channels[2].account: names account "amazon-fe", which is not defined
/// ```
public struct DaemonConfiguration: Hashable, Sendable {
    /// The file this configuration was read from (as given to the loader).
    public var file: String
    /// The `[daemon]` section, with `$STATE_DIRECTORY` / `$CREDENTIALS_DIRECTORY` applied.
    public var daemon: DaemonSettings
    /// The `[fx]` section: units of each currency per one unit of the base currency.
    public var fxRates: [Currency: Decimal]
    /// The `[accounts.NAME]` sections, by name.
    public var accounts: [String: AccountConfiguration]
    /// The `[[channels]]` entries, in file order.
    public var channels: [ChannelConfiguration]

    /// The top-level keys a configuration file accepts.
    public static let keys = ["daemon", "fx", "accounts", "channels"]

    public init(
        file: String,
        daemon: DaemonSettings = DaemonSettings(),
        fxRates: [Currency: Decimal] = [:],
        accounts: [String: AccountConfiguration] = [:],
        channels: [ChannelConfiguration] = []
    ) {
        self.file = file
        self.daemon = daemon
        self.fxRates = fxRates
        self.accounts = accounts
        self.channels = channels
    }

    /// The channel named `name`, if any.
    public func channel(named name: String) -> ChannelConfiguration? { channels.first { $0.name == name } }

    /// Reads and checks the file at `path`.
    ///
    /// - Parameters:
    ///   - environment: the process environment; `STATE_DIRECTORY` and `CREDENTIALS_DIRECTORY` win
    ///     over the file's directories.
    ///   - platforms: the platforms adapters exist for; `nil` accepts any platform name.
    public static func load(
        path: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        platforms: Set<String>? = nil
    ) throws(ConfigurationFileError) -> DaemonConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? "\(error.localizedDescription)"
            throw ConfigurationFileError(
                file: path,
                issues: [ConfigurationIssue(keyPath: "", message: "cannot read the file: \(reason)")]
            )
        }
        return try DaemonConfiguration(parsing: text, file: path, environment: environment, platforms: platforms)
    }

    /// Parses and checks configuration text; `file` names it in errors.
    public init(
        parsing text: String,
        file: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        platforms: Set<String>? = nil
    ) throws(ConfigurationFileError) {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let where_ = "line \(error.source.begin.line), column \(error.source.begin.column)"
            throw ConfigurationFileError(
                file: file,
                issues: [ConfigurationIssue(keyPath: "", message: "not valid TOML at \(where_): \(error.description)")]
            )
        } catch {
            throw ConfigurationFileError(
                file: file,
                issues: [ConfigurationIssue(keyPath: "", message: "not valid TOML: \(error)")]
            )
        }
        let issues = IssueCollector()
        var reader = TOMLTableReader(table: root, path: "", issues: issues)

        var daemonReader = reader.table("daemon")
        let daemon = DaemonSettings(reading: &daemonReader, environment: environment, issues: issues)
        let fxRates = Self.readFXRates(reader.table("fx"), base: daemon.baseCurrency, issues: issues)

        var accounts: [String: AccountConfiguration] = [:]
        // Accounts that exist but have their own errors: channels naming them are not reported again.
        var declaredAccounts: Set<String> = []
        if var accountsReader = reader.table("accounts") {
            declaredAccounts = Set(accountsReader.table.keys)
            for name in accountsReader.table.keys.sorted() {
                guard var table = accountsReader.table(name) else { continue }
                if let account = AccountConfiguration(name: name, reading: &table, platforms: platforms) {
                    accounts[name] = account
                }
            }
        }

        var channels: [ChannelConfiguration] = []
        var channelIndexByName: [String: Int] = [:]
        // One listing per (account, marketplace, SKU) exists on the platform: two channels there would
        // overwrite each other's prices and stock with their own rules.
        var channelByMarketplace: [String: (name: String, index: Int)] = [:]
        for var table in reader.arrayOfTables("channels") {
            guard let channel = ChannelConfiguration(reading: &table) else { continue }
            let place = "\(channel.account)\u{0}\(channel.marketplace.uppercased())"
            if let first = channelByMarketplace[place] {
                issues.report(
                    table.keyPath("marketplace"),
                    "channel \"\(channel.name)\" sells on marketplace \"\(channel.marketplace)\" of account "
                        + "\"\(channel.account)\", as channel \"\(first.name)\" (channels[\(first.index)]) does: "
                        + "their prices and stock would overwrite each other's"
                )
            } else {
                channelByMarketplace[place] = (channel.name, Self.index(of: table.path))
            }
            if let first = channelIndexByName[channel.name] {
                issues.report(
                    table.keyPath("name"),
                    "duplicate channel name \"\(channel.name)\" (first used by channels[\(first)])"
                )
            } else {
                channelIndexByName[channel.name] = Self.index(of: table.path)
            }
            if !declaredAccounts.contains(channel.account) {
                let known = declaredAccounts.sorted().joined(separator: ", ")
                issues.report(
                    table.keyPath("account"),
                    "names account \"\(channel.account)\", which is not defined (defined: \(known.isEmpty ? "none" : known))"
                )
            }
            if let currency = channel.currency, currency != daemon.baseCurrency, fxRates[currency] == nil {
                issues.report(
                    table.keyPath("currency"),
                    "\(currency.code) has no FX rate: add \(currency.code) = \"...\" to [fx]"
                )
            }
            channels.append(channel)
        }
        reader.reportUnknownKeys(accepted: Self.keys)

        guard issues.issues.isEmpty else { throw ConfigurationFileError(file: file, issues: issues.issues) }
        self.init(file: file, daemon: daemon, fxRates: fxRates, accounts: accounts, channels: channels)
    }

    private static func readFXRates(
        _ reader: TOMLTableReader?,
        base: Currency,
        issues: IssueCollector
    ) -> [Currency: Decimal] {
        guard var reader else { return [:] }
        var rates: [Currency: Decimal] = [:]
        for (code, text) in reader.decimalStrings().sorted(by: { $0.key < $1.key }) {
            let keyPath = reader.keyPath(code)
            // Catalog's FXTable owns what a valid rate is; parse each entry alone to report them all.
            let table: FXTable
            do {
                table = try FXTable(base: base, parsing: [code: text])
            } catch {
                issues.report(keyPath, error.message)
                continue
            }
            guard let currency = Currency(code: code) else { continue }
            guard currency.code == code else {
                issues.report(keyPath, "write currency codes in upper case (\(currency.code))")
                continue
            }
            if currency == base {
                if Money.parseDecimal(text) != 1 {
                    issues.report(keyPath, "the base currency's own rate must be 1, found \(text)")
                }
                continue
            }
            if let rate = table.rates[currency] { rates[currency] = rate }
        }
        return rates
    }

    /// The array index at the end of a key path such as `channels[3]`.
    private static func index(of path: String) -> Int {
        guard let open = path.lastIndex(of: "["), let close = path.lastIndex(of: "]"), open < close else { return 0 }
        return Int(path[path.index(after: open)..<close]) ?? 0
    }
}
