import Catalog
import Sync

/// Builds Walmart Marketplace (US) adapters; platform `walmart`.
///
/// Account keys: `feeds_per_hour` (optional, default 10: the local budget per feed type),
/// `feed_wait_seconds` (optional, default 600: how long a push waits for a feed). Credentials keys:
/// `client_id`, `client_secret`; `sandbox_derived_gtin` (optional, `true` only for an account whose
/// endpoint is not Walmart's: products without GTIN/UPC get one derived from the SKU, for sample
/// catalogs). Channels: marketplace `US`, currency USD, `categories` (required: ``WalmartCategoryMap``).
/// Orders: `WalmartAdapterFactory+Orders.swift` (the common `order_*` and `ingest_orders` keys).
public struct WalmartAdapterFactory: AdapterFactory {
    /// Always `walmart`.
    public let platform = "walmart"
    /// `feeds_per_hour`, `feed_wait_seconds`, `sandbox_derived_gtin` (sandbox endpoints only).
    public let accountKeys: Set<String> = ["feeds_per_hour", "feed_wait_seconds", "sandbox_derived_gtin"]
    /// `categories`: the catalog's product types mapped to Walmart categories (``WalmartCategoryMap``).
    public let channelKeys: Set<String> = ["categories"]

    /// A factory.
    public init() {}

    /// The quotas the adapter paces itself with. Walmart publishes per-endpoint numbers on each API
    /// reference page, not captured (UNCONFIRMED): 5 requests per second for single price and
    /// inventory updates, feed status and the verifier's reads (`getAnItem`, `getInventory`) is a
    /// conservative choice; feeds are `feedsPerHour` per type.
    public static func quotas(feedsPerHour: Int) -> [OperationQuota] {
        let feedRate = Double(max(1, feedsPerHour)) / 3600
        return [
            OperationQuota(operation: "token", requestsPerSecond: 1, burst: 5),
            OperationQuota(operation: "updatePrice", requestsPerSecond: 5, burst: 10),
            OperationQuota(operation: "updateInventory", requestsPerSecond: 5, burst: 10),
            OperationQuota(operation: "submitFeed", requestsPerSecond: 1, burst: 5),
            OperationQuota(operation: "feedStatus", requestsPerSecond: 5, burst: 10),
            OperationQuota(operation: WalmartAdapter.itemReadOperation, requestsPerSecond: 5, burst: 10),
            OperationQuota(operation: WalmartAdapter.inventoryReadOperation, requestsPerSecond: 5, burst: 10),
        ]
            + ["price", "inventory", "MP_ITEM"].map {
                OperationQuota(
                    operation: WalmartFeedRunner.budgetKey($0),
                    requestsPerSecond: feedRate,
                    burst: max(1, feedsPerHour)
                )
            }
    }

    public func quotas(for account: AccountSettings) -> [OperationQuota] {
        Self.quotas(feedsPerHour: Self.positiveInt(account.extra["feeds_per_hour"]) ?? 10)
    }

    public func defaultCurrency(marketplace: String) -> Currency? {
        marketplace.uppercased() == "US" ? .usd : nil
    }

    public func check(account: AccountSettings, channel: ChannelSettings) -> [AdapterError] {
        var problems: [AdapterError] = []
        for key in ["feeds_per_hour", "feed_wait_seconds"] {
            if let text = account.extra[key], Self.positiveInt(text) == nil {
                problems.append(
                    .configuration(
                        key: "accounts.\(account.name).\(key)",
                        message: "must be a positive integer, not \(text)"
                    )
                )
            }
        }
        if let text = channel.extra["categories"] {
            if case .failure(let error) = WalmartCategoryMap.parse(text), case .configuration(_, let message) = error {
                problems.append(.configuration(key: "channels[\(channel.name)].categories", message: message))
            }
        } else {
            problems.append(
                .configuration(
                    key: "channels[\(channel.name)].categories",
                    message:
                        "required: the Walmart category of each product type, \"HOME_DECOR=Home Decor;*=Home Decor\" (adapters/Walmart/README.md)"
                )
            )
        }
        if let text = account.extra["sandbox_derived_gtin"], !["true", "false"].contains(text) {
            problems.append(
                .configuration(key: "accounts.\(account.name).sandbox_derived_gtin", message: "must be true or false")
            )
        }
        if channel.marketplace.uppercased() != "US" {
            problems.append(
                .configuration(
                    key: "channels[\(channel.name)].marketplace",
                    message: "Walmart Marketplace is supported for US only, not \(channel.marketplace)"
                )
            )
        }
        if channel.currency != .usd {
            problems.append(
                .configuration(
                    key: "channels[\(channel.name)].currency",
                    message: "Walmart US prices are in USD, not \(channel.currency.code)"
                )
            )
        }
        return problems
    }

    public func makeAdapter(context: AdapterContext) throws(AdapterError) -> any MarketplaceAdapter {
        _ = try context.account.credential("client_id")
        _ = try context.account.credential("client_secret")
        if let problem = check(account: context.account, channel: context.channel).first { throw problem }
        var configuration = WalmartAdapter.Configuration()
        if let perHour = Self.positiveInt(context.account.extra["feeds_per_hour"]) {
            configuration.feedsPerHour = perHour
        }
        if let seconds = Self.positiveInt(context.account.extra["feed_wait_seconds"]) {
            configuration.feedWait = .seconds(seconds)
        }
        if case .success(let map) = WalmartCategoryMap.parse(context.channel.extra["categories"] ?? "") {
            configuration.categories = map
        }
        if context.account.extra["sandbox_derived_gtin"] == "true" {
            let endpoint = context.account.endpoint ?? WalmartClient.productionEndpoint
            guard !endpoint.contains("walmartapis.com") else {
                throw .configuration(
                    key: "accounts.\(context.account.name).sandbox_derived_gtin",
                    message: "is for sandbox accounts only: Walmart refuses made-up GTINs (endpoint \(endpoint))"
                )
            }
            configuration.derivedGTIN = true
        }
        return WalmartAdapter(context: context, configuration: configuration)
    }

    static func positiveInt(_ text: String?) -> Int? {
        guard let text, let value = Int(text), value > 0 else { return nil }
        return value
    }
}
