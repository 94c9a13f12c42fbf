import Catalog
import Foundation

/// What changed between two configurations, for applying a `SIGHUP` reload without a restart.
///
/// Names in every list are sorted. A channel counts as changed when anything in its entry differs,
/// and also when its account or the FX rate of its currency changed, since both alter what is sent.
/// Its currency is the one it prices in: its entry's `currency`, or the one its platform derives
/// from its marketplace (DESIGN §4.1) when the entry sets none.
public struct ConfigurationDiff: Hashable, Sendable {
    /// Channels only in the new configuration.
    public var addedChannels: [String]
    /// Channels only in the old configuration.
    public var removedChannels: [String]
    /// Channels in both whose entry, account or FX rate differs.
    public var changedChannels: [String]
    /// Accounts only in the new configuration.
    public var addedAccounts: [String]
    /// Accounts only in the old configuration.
    public var removedAccounts: [String]
    /// Accounts in both whose settings differ.
    public var changedAccounts: [String]
    /// Currencies whose rate was added, removed or changed.
    public var changedFXRates: [Currency]
    /// Whether `[daemon]` differs; its settings (directories, socket) only apply on restart.
    public var daemonSettingsChanged: Bool

    /// The differences that turn `old` into `new`.
    ///
    /// - Parameter platforms: derives the currency of a channel whose entry sets none (`DE` on
    ///   Amazon → EUR); by default the registered adapters', as ``DaemonConfiguration/makeChannelProjections(platforms:)``.
    public init(
        from old: DaemonConfiguration,
        to new: DaemonConfiguration,
        platforms: ChannelPlatformRules = .registered
    ) {
        let oldAccounts = Set(old.accounts.keys)
        let newAccounts = Set(new.accounts.keys)
        addedAccounts = newAccounts.subtracting(oldAccounts).sorted()
        removedAccounts = oldAccounts.subtracting(newAccounts).sorted()
        changedAccounts = oldAccounts.intersection(newAccounts).filter { old.accounts[$0] != new.accounts[$0] }.sorted()

        let currencies = Set(old.fxRates.keys).union(new.fxRates.keys)
        changedFXRates = currencies.filter { old.fxRates[$0] != new.fxRates[$0] }.sorted { $0.code < $1.code }

        let oldChannels = Dictionary(old.channels.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newChannels = Dictionary(new.channels.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        addedChannels = Set(newChannels.keys).subtracting(oldChannels.keys).sorted()
        removedChannels = Set(oldChannels.keys).subtracting(newChannels.keys).sorted()
        let changedAccountNames = Set(changedAccounts)
        let changedCurrencies = Set(changedFXRates)
        changedChannels = Set(oldChannels.keys).intersection(newChannels.keys).filter { name in
            guard let before = oldChannels[name], let after = newChannels[name] else { return false }
            if before != after { return true }
            if changedAccountNames.contains(after.account) { return true }
            let currency = after.currency ?? platforms.currency(after, new.accounts[after.account])
            if let currency, changedCurrencies.contains(currency) { return true }
            return false
        }.sorted()
        daemonSettingsChanged = old.daemon != new.daemon
    }

    /// Whether the two configurations are the same in every respect the daemon acts on.
    public var isEmpty: Bool {
        addedChannels.isEmpty && removedChannels.isEmpty && changedChannels.isEmpty && addedAccounts.isEmpty
            && removedAccounts.isEmpty && changedAccounts.isEmpty && changedFXRates.isEmpty && !daemonSettingsChanged
    }
}
