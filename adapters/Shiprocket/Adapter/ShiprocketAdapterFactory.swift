import Catalog
import Sync

/// Builds Shiprocket adapters; platform `shiprocket`.
///
/// Account keys: `category_code` (optional, default `default`), `pickup_location` (optional; must not
/// be empty when given). Credentials keys: `email`, `password` (the API user's).
public struct ShiprocketAdapterFactory: AdapterFactory {
    /// Always `shiprocket`.
    public let platform = "shiprocket"
    /// `category_code`, `pickup_location`.
    public let accountKeys: Set<String> = ["category_code", "pickup_location"]

    /// Shiprocket publishes no rate limit (UNCONFIRMED): 5 requests per second, burst 5, is a
    /// conservative choice; logins 1 per second.
    public static let defaultQuotas = [
        OperationQuota(operation: ShiprocketClient.operation, requestsPerSecond: 5, burst: 5),
        OperationQuota(operation: "login", requestsPerSecond: 1, burst: 2),
    ]

    /// A factory.
    public init() {}

    public func quotas(for account: AccountSettings) -> [OperationQuota] { Self.defaultQuotas }

    public func defaultCurrency(marketplace: String) -> Currency? { .inr }

    public func check(account: AccountSettings, channel: ChannelSettings) -> [AdapterError] {
        var problems: [AdapterError] = []
        for key in ["category_code", "pickup_location"] {
            if let value = account.extra[key], value.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(.configuration(key: "accounts.\(account.name).\(key)", message: "must not be empty"))
            }
        }
        if channel.currency != .inr {
            problems.append(
                .configuration(
                    key: "channels[\(channel.name)].currency",
                    message: "Shiprocket prices (MRP) are in INR, not \(channel.currency.code)"
                )
            )
        }
        return problems
    }

    public func makeAdapter(context: AdapterContext) throws(AdapterError) -> any MarketplaceAdapter {
        _ = try context.account.credential("email")
        _ = try context.account.credential("password")
        if let problem = check(account: context.account, channel: context.channel).first { throw problem }
        let category = context.account.extra["category_code"] ?? "default"
        return ShiprocketAdapter(context: context, configuration: .init(categoryCode: category))
    }
}
