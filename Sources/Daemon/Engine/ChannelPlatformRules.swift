import Catalog
import Sync

/// What a channel's platform adds to the rules its configuration entry gives: the currency of its
/// marketplace when the entry sets none, and the settings that shape every listing on it.
///
/// The daemon takes both from the platform's adapter factory (``registered``) at start, on reload and
/// when an FX rate is set, so all three build the same projectors from the same file.
public struct ChannelPlatformRules: Sendable {
    /// The currency of a channel whose entry sets none (`DE` on Amazon → EUR), or `nil` when unknown.
    public var currency: @Sendable (ChannelConfiguration, AccountConfiguration?) -> Currency?
    /// The channel's listing settings (``Catalog/ChannelRules/listingSettings``), given its currency.
    public var listingSettings: @Sendable (ChannelConfiguration, AccountConfiguration?, Currency) -> String

    /// Rules from two functions; by default no derived currency and no listing settings.
    public init(
        currency: @escaping @Sendable (ChannelConfiguration, AccountConfiguration?) -> Currency? = { _, _ in nil },
        listingSettings: @escaping @Sendable (ChannelConfiguration, AccountConfiguration?, Currency) -> String = {
            _,
            _,
            _ in ""
        }
    ) {
        self.currency = currency
        self.listingSettings = listingSettings
    }

    /// What the platforms of ``AdapterRegistry`` say; a channel of an unknown platform gets neither.
    public static let registered = ChannelPlatformRules(
        currency: { channel, account in
            account.flatMap { AdapterRegistry.factory(for: $0.platform) }?.defaultCurrency(
                marketplace: channel.marketplace
            )
        },
        listingSettings: { channel, account, currency in
            guard let account, let factory = AdapterRegistry.factory(for: account.platform) else { return "" }
            return factory.listingSettings(
                account: EngineAssembly.accountSettings(account, credentials: [:]),
                channel: EngineAssembly.channelSettings(channel, currency: currency)
            )
        }
    )
}
