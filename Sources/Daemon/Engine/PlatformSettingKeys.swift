import Sync

/// The keys an `[accounts.NAME]` section or a `[[channels]]` entry may set: the ones every account or
/// channel has, plus the platform-specific ones its adapter documents (``Sync/AdapterFactory/accountKeys``,
/// ``Sync/AdapterFactory/channelKeys``). Any other key is a typo (`seler_id`, `langauge`) that would
/// otherwise be silently ignored, so it is a configuration error naming the key.
public enum PlatformSettingKeys {
    /// Keys the daemon itself reads from every account beyond ``AccountConfiguration/keys``: the
    /// factor on the platform's published quotas (a seller whose quotas the platform raised).
    /// and the order polling keys (`order_poll_seconds`, `order_look_back_seconds`, `ingest_orders`).
    public static let commonAccountKeys: Set<String> = [
        "quota_multiplier", "order_poll_seconds", "order_look_back_seconds", "ingest_orders",
    ]

    /// Keys the daemon itself reads from every channel beyond ``ChannelConfiguration/keys``:
    /// `ingest_orders = false` leaves the channel's orders out of the stock.
    public static let commonChannelKeys: Set<String> = ["ingest_orders"]

    /// Every key of an account or channel that neither the daemon nor its platform's adapter reads,
    /// as issues naming it (`accounts.amazon-eu.seler_id`, `channels[3].langauge`). Keys of an account
    /// on a platform without an adapter are not judged (the channel shows why it does not run).
    public static func check(
        _ configuration: DaemonConfiguration,
        factory: (String) -> (any AdapterFactory)? = AdapterRegistry.factory(for:)
    ) -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        for account in configuration.accounts.values.sorted(by: { $0.name < $1.name }) {
            guard let adapter = factory(account.platform) else { continue }
            let accepted = adapter.accountKeys.union(commonAccountKeys)
            for key in account.extra.keys.sorted() where !accepted.contains(key) {
                issues.append(
                    ConfigurationIssue(
                        keyPath: "accounts.\(account.name).\(key)",
                        message: unknown(
                            key,
                            common: AccountConfiguration.keys + commonAccountKeys.sorted(),
                            platform: account.platform,
                            own: adapter.accountKeys
                        )
                    )
                )
            }
        }
        for (index, channel) in configuration.channels.enumerated() {
            guard let account = configuration.accounts[channel.account], let adapter = factory(account.platform)
            else { continue }
            for key in channel.extra.keys.sorted() where !adapter.channelKeys.union(commonChannelKeys).contains(key) {
                issues.append(
                    ConfigurationIssue(
                        keyPath: "channels[\(index)].\(key)",
                        message: unknown(
                            key,
                            common: ChannelConfiguration.keys,
                            platform: account.platform,
                            own: adapter.channelKeys
                        )
                    )
                )
            }
        }
        return issues
    }

    private static func unknown(_ key: String, common: [String], platform: String, own: Set<String>) -> String {
        let platformKeys = own.isEmpty ? "none" : own.sorted().joined(separator: ", ")
        return "unknown key \"\(key)\" (known: \(common.joined(separator: ", ")); \(platform) adds: \(platformKeys))"
    }
}
