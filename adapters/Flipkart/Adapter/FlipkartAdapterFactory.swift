import Catalog
import Sync

/// Builds Flipkart adapters (`platform = "flipkart"`).
///
/// Account keys: `location_id` (required, the warehouse location from onboarding). Channel:
/// `marketplace = "IN"`, currency INR. Credentials keys: `app_id`, `app_secret`.
public struct FlipkartAdapterFactory: AdapterFactory {
    /// The credentials keys a Flipkart account needs.
    public static let credentialKeys = ["app_id", "app_secret"]

    /// Flipkart publishes no rate limits (UNCONFIRMED, `marketplace-apis.md` §3): 10 calls/s with a
    /// burst of 10 is a conservative choice of ours, not Flipkart's figure. Tokens last ~60 days.
    public static let defaultQuotas: [OperationQuota] = [
        OperationQuota(operation: FlipkartAPIClient.listingsOperation, requestsPerSecond: 10, burst: 10),
        OperationQuota(operation: FlipkartAPIClient.tokenOperation, requestsPerSecond: 0.2, burst: 2),
    ]

    /// The accounts this factory serves.
    public let platform = "flipkart"
    /// `location_id`.
    public let accountKeys: Set<String> = ["location_id"]

    /// A factory.
    public init() {}

    /// ``defaultQuotas`` for every account.
    public func quotas(for account: AccountSettings) -> [OperationQuota] { Self.defaultQuotas }

    /// INR for `IN`, Flipkart's only marketplace.
    public func defaultCurrency(marketplace: String) -> Currency? {
        marketplace.uppercased() == "IN" ? .inr : nil
    }

    /// Problems with the marketplace, the currency and the location id.
    public func check(account: AccountSettings, channel: ChannelSettings) -> [AdapterError] {
        var problems: [AdapterError] = []
        if channel.marketplace.uppercased() != "IN" {
            problems.append(
                .configuration(
                    key: "channels[\(channel.name)].marketplace",
                    message: "\"\(channel.marketplace)\" is not a Flipkart marketplace; Flipkart sells in India (IN)"
                )
            )
        }
        if channel.currency != .inr {
            problems.append(
                .configuration(
                    key: "channels[\(channel.name)].currency",
                    message: "Flipkart prices are in INR, not \(channel.currency.code)"
                )
            )
        }
        if (account.extra["location_id"] ?? "").isEmpty {
            problems.append(
                .configuration(
                    key: "accounts.\(account.name).location_id",
                    message: "required: the Flipkart warehouse location id stock is updated for"
                )
            )
        }
        return problems
    }

    /// The adapter for one channel, after ``check(account:channel:)``.
    public func makeAdapter(context: AdapterContext) throws(AdapterError) -> any MarketplaceAdapter {
        if let first = check(account: context.account, channel: context.channel).first { throw first }
        return try FlipkartAdapter(
            context: context,
            configuration: .init(locationID: context.account.extra["location_id"] ?? "")
        )
    }
}
