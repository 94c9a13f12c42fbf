import AmazonModel
import Catalog
import Foundation
import Sync

/// Builds Amazon SP-API adapters (platform `amazon`) and checks Amazon accounts and channels.
///
/// Account keys: `region` (`na`, `eu`, `fe`), `seller_id`, optional `endpoint` / `token_endpoint`
/// overrides, and `feed_poll_seconds` / `feed_timeout_seconds`. Channel keys: `merchant_shipping_group`
/// and `product_type` (``AmazonListingDefaults``); a channel's `language` must be a full tag (`de_DE`).
/// Credentials file keys: `client_id`, `client_secret`, `refresh_token`.
public struct AmazonAdapterFactory: AdapterFactory {
    /// The credentials file keys this adapter reads.
    public enum CredentialKey {
        /// The LWA application's client id.
        public static let clientID = "client_id"
        /// The LWA application's client secret.
        public static let clientSecret = "client_secret"
        /// The seller's LWA refresh token (`Atzr|…`).
        public static let refreshToken = "refresh_token"
    }

    /// Accounts with `platform = "amazon"`.
    public let platform = "amazon"
    /// `feed_poll_seconds`, `feed_timeout_seconds`, `definition_recheck_hours` (README, Configuration).
    public let accountKeys: Set<String> = ["feed_poll_seconds", "feed_timeout_seconds", "definition_recheck_hours"]
    /// `merchant_shipping_group`, `product_type` (``AmazonListingDefaults``).
    public let channelKeys: Set<String> = [
        AmazonListingDefaults.shippingGroupKey, AmazonListingDefaults.productTypeKey,
    ]
    /// The options adapters start from before the account's overrides.
    public let configuration: AmazonAdapter.Configuration

    /// A factory whose adapters use `configuration`, overridden per account by its extra keys.
    public init(configuration: AmazonAdapter.Configuration = .init()) {
        self.configuration = configuration
    }

    /// The documented quotas (the lower burst where the model and the rate-limit page disagree).
    ///
    /// Source: `marketplace-apis.md` §1.5; JSON_LISTINGS_FEED submissions: 5 per 300 s, burst 5.
    public func quotas(for account: AccountSettings) -> [OperationQuota] {
        [
            OperationQuota(operation: ListingsItemsClient.Operation.get, requestsPerSecond: 5, burst: 5),
            OperationQuota(operation: ListingsItemsClient.Operation.put, requestsPerSecond: 5, burst: 5),
            OperationQuota(operation: ListingsItemsClient.Operation.patch, requestsPerSecond: 5, burst: 5),
            OperationQuota(operation: ListingsItemsClient.Operation.delete, requestsPerSecond: 5, burst: 5),
            OperationQuota(operation: FeedSubmission.Operation.createFeedDocument, requestsPerSecond: 0.5, burst: 15),
            OperationQuota(operation: FeedSubmission.Operation.createFeed, requestsPerSecond: 0.0083, burst: 15),
            OperationQuota(
                operation: FeedSubmission.Operation.createListingsFeed,
                requestsPerSecond: 5.0 / 300,
                burst: 5
            ),
            OperationQuota(operation: FeedSubmission.Operation.getFeed, requestsPerSecond: 2, burst: 15),
            OperationQuota(operation: FeedSubmission.Operation.getFeedDocument, requestsPerSecond: 0.0222, burst: 10),
            // definitionsProductTypes_2020-09-01.json, getDefinitionsProductType: "Default | 5 | 10".
            OperationQuota(operation: ProductTypeDefinitions.operation, requestsPerSecond: 5, burst: 10),
        ]
    }

    /// The currency Amazon accepts on `marketplace` (`DE` → EUR).
    public func defaultCurrency(marketplace: String) -> Currency? {
        AmazonMarketplace.named(marketplace).flatMap { Currency(code: $0.currency) }
    }

    /// The country of an Amazon marketplace, for pricing that adds a landed cost (`DE` → `DE`; the
    /// channel code `UK` is the United Kingdom, ISO `GB`); `nil` for an unknown marketplace.
    public func destinationCountry(marketplace: String) -> String? {
        guard let known = AmazonMarketplace.named(marketplace) else { return nil }
        return known.code == "UK" ? "GB" : known.code
    }

    /// Region, seller id, marketplace (known, in the account's region) and currency, each naming its key.
    public func check(account: AccountSettings, channel: ChannelSettings) -> [AdapterError] {
        var problems: [AdapterError] = []
        let accountKey = "accounts.\(account.name)"
        let channelKey = "channels[\(channel.name)]"
        let regionText = account.region?.lowercased() ?? ""
        let region = AmazonMarketplace.Region(rawValue: regionText)
        if region == nil {
            let shown = account.region.map { "\"\($0)\"" } ?? "missing"
            problems.append(.configuration(key: "\(accountKey).region", message: "\(shown); must be na, eu or fe"))
        }
        if (account.sellerID ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.configuration(key: "\(accountKey).seller_id", message: "required for Amazon accounts"))
        }
        for key in ["feed_poll_seconds", "feed_timeout_seconds"] {
            if let text = account.extra[key], Self.seconds(text) == nil {
                problems.append(
                    .configuration(
                        key: "\(accountKey).\(key)",
                        message: "\"\(text)\" is not a positive number of seconds"
                    )
                )
            }
        }
        if let text = account.extra["definition_recheck_hours"], Self.seconds(text).map({ $0 * 3600 }) == nil {
            problems.append(
                .configuration(
                    key: "\(accountKey).definition_recheck_hours",
                    message: "\"\(text)\" is not a positive number of hours"
                )
            )
        }
        guard let marketplace = AmazonMarketplace.named(channel.marketplace) else {
            problems.append(
                .configuration(
                    key: "\(channelKey).marketplace",
                    message: "unknown Amazon marketplace \"\(channel.marketplace)\""
                )
            )
            return problems
        }
        if let region, marketplace.region != region {
            problems.append(
                .configuration(
                    key: "\(channelKey).marketplace",
                    message: "\(marketplace.code) belongs to the \(marketplace.region.rawValue) region, "
                        + "but account \(account.name) is in \(region.rawValue)"
                )
            )
        }
        if let language = channel.language?.trimmingCharacters(in: .whitespaces), !language.isEmpty,
            !AmazonMarketplace.isFullLocale(language)
        {
            problems.append(
                .configuration(
                    key: "\(channelKey).language",
                    message: "\"\(language)\" is not a full language tag; Amazon's language_tag needs language and "
                        + "region, like \(marketplace.defaultLocale)"
                )
            )
        }
        if channel.currency.code != marketplace.currency {
            problems.append(
                .configuration(
                    key: "\(channelKey).currency",
                    message:
                        "Amazon \(marketplace.code) only accepts \(marketplace.currency), not \(channel.currency.code)"
                )
            )
        }
        return problems
    }

    /// The channel's shipping template and product type when not the defaults (see
    /// ``AmazonListingDefaults/listingSettings``), so changing either sends every listing again.
    public func listingSettings(account: AccountSettings, channel: ChannelSettings) -> String {
        AmazonListingDefaults(channel: channel).listingSettings
    }

    /// The adapter for one channel.
    /// - Throws: ``AdapterError/credentials(key:message:)`` naming a missing credential,
    ///   ``AdapterError/configuration(key:message:)`` for a setting ``check(account:channel:)`` reports.
    public func makeAdapter(context: AdapterContext) throws(AdapterError) -> any MarketplaceAdapter {
        try makeAmazonAdapter(context: context)
    }

    /// The adapter for one channel, as its concrete type.
    public func makeAmazonAdapter(context: AdapterContext) throws(AdapterError) -> AmazonAdapter {
        let account = context.account
        if let problem = check(account: account, channel: context.channel).first { throw problem }
        let clientID = try account.credential(CredentialKey.clientID)
        let clientSecret = try account.credential(CredentialKey.clientSecret)
        let refreshToken = try account.credential(CredentialKey.refreshToken)
        guard let marketplace = AmazonMarketplace.named(context.channel.marketplace), let sellerID = account.sellerID
        else { throw .configuration(key: "channels[\(context.channel.name)].marketplace", message: "unknown") }
        let provider = LWATokenProvider(
            tokenURL: account.tokenEndpoint ?? LWATokenProvider.defaultTokenEndpoint,
            clientID: clientID,
            clientSecret: clientSecret,
            refreshToken: refreshToken,
            http: context.http,
            timeout: context.requestTimeout
        )
        return AmazonAdapter(
            context: context,
            marketplace: marketplace,
            sellerID: sellerID.trimmingCharacters(in: .whitespaces),
            tokenProvider: provider,
            configuration: configuration(for: account),
            quotas: quotas(for: account)
        )
    }

    /// The factory's configuration with the account's `feed_poll_seconds` / `feed_timeout_seconds`.
    public func configuration(for account: AccountSettings) -> AmazonAdapter.Configuration {
        var result = configuration
        if let poll = account.extra["feed_poll_seconds"].flatMap(Self.seconds) { result.pollInterval = poll }
        if let timeout = account.extra["feed_timeout_seconds"].flatMap(Self.seconds) { result.feedTimeout = timeout }
        if let hours = account.extra["definition_recheck_hours"].flatMap(Self.seconds) {
            result.definitionRecheckInterval = hours * 3600
        }
        return result
    }

    /// A positive decimal number of seconds (`"2"`, `"0.5"`), to the millisecond.
    static func seconds(_ text: String) -> Duration? {
        guard
            let value = Decimal(
                string: text.trimmingCharacters(in: .whitespaces),
                locale: Locale(identifier: "en_US_POSIX")
            ),
            value > 0, value < 86_400 * 365
        else { return nil }
        let milliseconds = NSDecimalNumber(decimal: value * 1000).int64Value
        return milliseconds > 0 ? .milliseconds(milliseconds) : nil
    }
}
