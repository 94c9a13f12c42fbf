import Catalog

/// The Catalog side of a configuration: the FX table and, per channel, its rules and projector.
///
/// Built by ``DaemonConfiguration/makeChannelProjections(platforms:)``, which checks what only the
/// Catalog rules can: pricing and inventory fields, a rounding that cannot apply to the channel's
/// currency (`ending:0.99` on JPY), a missing FX rate.
public struct ChannelProjections: Sendable {
    /// The rates from the base currency.
    public var fx: FXTable
    /// Each channel's rules, by channel name.
    public var rules: [String: ChannelRules]
    /// Each channel's projector (catalog product → desired listing), by channel name.
    public var projectors: [String: ChannelProjector]

    public init(fx: FXTable, rules: [String: ChannelRules], projectors: [String: ChannelProjector]) {
        self.fx = fx
        self.rules = rules
        self.projectors = projectors
    }
}

extension DaemonConfiguration {
    /// The listing language used when a channel sets none: plain `title` / `description` apply.
    public static let defaultLanguage = "en"

    /// The FX table, and each channel's Catalog rules and projector.
    ///
    /// - Parameter platforms: what each channel's platform adds to its rules — the currency of a
    ///   channel whose entry sets none, and its listing settings; by default the registered adapters'.
    /// - Throws: every problem of every channel, with key paths such as `channels[2].pricing.rounding`.
    public func makeChannelProjections(
        platforms: ChannelPlatformRules = .registered
    ) throws(ConfigurationFileError) -> ChannelProjections {
        let fx = FXTable(base: daemon.baseCurrency, rates: fxRates)
        var issues: [ConfigurationIssue] = []
        var rules: [String: ChannelRules] = [:]
        var projectors: [String: ChannelProjector] = [:]
        for (index, channel) in channels.enumerated() {
            let path = "channels[\(index)]"
            var channelIssues: [ConfigurationIssue] = []
            var pricing = PricingRule()
            do {
                pricing = try PricingRule(fields: channel.pricing)
            } catch {
                channelIssues.append(
                    ConfigurationIssue(keyPath: "\(path).pricing.\(error.key)", message: error.message)
                )
            }
            var inventory = InventoryRule()
            do {
                inventory = try InventoryRule(fields: channel.inventory)
            } catch {
                channelIssues.append(
                    ConfigurationIssue(keyPath: "\(path).inventory.\(error.key)", message: error.message)
                )
            }
            let account = accounts[channel.account]
            let resolvedCurrency = channel.currency ?? platforms.currency(channel, account)
            if resolvedCurrency == nil {
                channelIssues.append(
                    ConfigurationIssue(
                        keyPath: "\(path).currency",
                        message: "is not set and cannot be derived from marketplace \"\(channel.marketplace)\""
                    )
                )
            }
            guard channelIssues.isEmpty, let resolvedCurrency else {
                issues += channelIssues
                continue
            }
            let channelRules = ChannelRules(
                name: channel.name,
                currency: resolvedCurrency,
                language: channel.language ?? Self.defaultLanguage,
                pricing: pricing,
                inventory: inventory,
                listingSettings: platforms.listingSettings(channel, account, resolvedCurrency)
            )
            do {
                projectors[channel.name] = try ChannelProjector(channel: channelRules, fx: fx)
                rules[channel.name] = channelRules
            } catch {
                issues.append(Self.issue(error, channel: channel.name, path: path))
            }
        }
        guard issues.isEmpty else { throw ConfigurationFileError(file: file, issues: issues) }
        return ChannelProjections(fx: fx, rules: rules, projectors: projectors)
    }

    /// A projector's error with the channel's file position (`channels[2]`) in place of its name.
    private static func issue(_ error: ConfigurationError, channel: String, path: String) -> ConfigurationIssue {
        let byName = "channels[\(channel)]"
        if error.key.hasPrefix(byName) {
            return ConfigurationIssue(keyPath: path + error.key.dropFirst(byName.count), message: error.message)
        }
        if error.key.hasPrefix("fx.") {
            return ConfigurationIssue(keyPath: "\(path).currency", message: "\(error.key): \(error.message)")
        }
        return ConfigurationIssue(keyPath: "\(path).\(error.key)", message: error.message)
    }
}
