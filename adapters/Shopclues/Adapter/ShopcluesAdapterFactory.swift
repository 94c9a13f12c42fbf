import Catalog
import Sync

/// Builds Shopclues adapters; platform `shopclues`.
///
/// Account keys: `daily_quota` (optional, default 10,000 requests per 24 h, the free plan's).
/// Credentials keys: `client_id`, `client_secret`, `username`, `password` (all required: the documented
/// password grant, the password sent as its MD5 digest).
public struct ShopcluesAdapterFactory: AdapterFactory {
    /// Always `shopclues`.
    public let platform = "shopclues"
    /// `daily_quota`.
    public let accountKeys: Set<String> = ["daily_quota"]
    /// Shopclues' default quota: requests per 24 h (marketplace-apis.md §6 [SC-PLAN]).
    public static let defaultDailyQuota = 10_000

    /// A factory.
    public init() {}

    /// The daily quota as a bucket: `dailyQuota` at once, refilling over 24 h.
    public static func quotas(dailyQuota: Int) -> [OperationQuota] {
        [
            OperationQuota(
                operation: "requests",
                requestsPerSecond: Double(max(1, dailyQuota)) / 86_400,
                burst: max(1, dailyQuota)
            )
        ]
    }

    public func quotas(for account: AccountSettings) -> [OperationQuota] {
        Self.quotas(
            dailyQuota: account.extra["daily_quota"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
                ?? Self.defaultDailyQuota
        )
    }

    public func defaultCurrency(marketplace: String) -> Currency? { .inr }

    public func check(account: AccountSettings, channel: ChannelSettings) -> [AdapterError] {
        var problems: [AdapterError] = []
        if let text = account.extra["daily_quota"], (Int(text) ?? 0) <= 0 {
            problems.append(
                .configuration(
                    key: "accounts.\(account.name).daily_quota",
                    message: "must be a positive integer, not \(text)"
                )
            )
        }
        if channel.currency != .inr {
            problems.append(
                .configuration(
                    key: "channels[\(channel.name)].currency",
                    message: "Shopclues prices are in INR, not \(channel.currency.code)"
                )
            )
        }
        return problems
    }

    public func makeAdapter(context: AdapterContext) throws(AdapterError) -> any MarketplaceAdapter {
        _ = try context.account.credential("client_id")
        _ = try context.account.credential("client_secret")
        _ = try context.account.credential("username")
        _ = try context.account.credential("password")
        if let problem = check(account: context.account, channel: context.channel).first { throw problem }
        return ShopcluesAdapter(context: context)
    }
}
