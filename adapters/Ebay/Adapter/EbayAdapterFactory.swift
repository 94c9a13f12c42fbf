import Catalog
import Foundation
import Sync
import Synchronization

/// Builds eBay adapters (`platform = "ebay"`), each with a daily revision ledger kept in its account's
/// data store (``EbayRevisionLedger``), so counts survive restarts and reloads.
///
/// Account keys: `merchant_location_key` (required), `daily_revision_limit` (optional, default 250).
/// Channel keys: `marketplace` (an eBay marketplace id such as `EBAY_US`); the site's business
/// policies `fulfillment_policy_id`, `payment_policy_id`, `return_policy_id` (required: a policy
/// belongs to one marketplace, so they cannot be shared by an account's sites); `categories`
/// (`"FOOD:11111,HOME_DECOR:22222"`: the site's leaf category per catalog product type) and
/// `category_id` (optional: the category of product types not in `categories`; without it such a
/// product is rejected, naming the missing mapping). Credentials keys: `client_id`, `client_secret`,
/// `refresh_token`.
public final class EbayAdapterFactory: AdapterFactory {
    /// The credentials keys an eBay account needs.
    public static let credentialKeys = ["client_id", "client_secret", "refresh_token"]
    /// The account keys without which no offer can be published.
    public static let requiredAccountKeys = ["merchant_location_key"]
    /// The channel keys without which no offer can be published: the site's business policies.
    public static let requiredChannelKeys = ["fulfillment_policy_id", "payment_policy_id", "return_policy_id"]

    /// The pacing used per account. eBay publishes a daily Inventory API budget (about 2,000,000
    /// calls, UNCONFIRMED), not a per-second rate; 20 calls/s with a burst of 40 spends far less than
    /// that and matches the sandbox twin. The token endpoint allows 50,000 refresh grants a day.
    public static let publishedQuotas: [OperationQuota] = [
        OperationQuota(operation: EbayAPIClient.inventoryOperation, requestsPerSecond: 20, burst: 40),
        OperationQuota(operation: EbayAPIClient.tokenOperation, requestsPerSecond: 0.5, burst: 5),
    ]

    /// The accounts this factory serves.
    public let platform = "ebay"
    /// The location (``requiredAccountKeys``) and `daily_revision_limit`.
    public let accountKeys: Set<String> = Set(EbayAdapterFactory.requiredAccountKeys + ["daily_revision_limit"])
    /// The site's business policies (``requiredChannelKeys``), `categories` and `category_id`.
    public let channelKeys: Set<String> = Set(EbayAdapterFactory.requiredChannelKeys + ["categories", "category_id"])
    /// The ledger of the adapter built last for each account, for status.
    private let ledgers = Mutex<[String: EbayRevisionLedger]>([:])
    /// The inventory-item locks of each account, shared by all its adapters (``EbayItemLocks``).
    private let itemLocks = Mutex<[String: EbayItemLocks]>([:])
    private let now: @Sendable () -> Date

    /// A factory whose ledgers read the time from `now` (tests pass a clock).
    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    /// ``publishedQuotas`` for every account.
    public func quotas(for account: AccountSettings) -> [OperationQuota] { Self.publishedQuotas }

    /// The currency of an eBay site (`EBAY_GB` → GBP).
    public func defaultCurrency(marketplace: String) -> Currency? {
        EbayMarketplace.named(marketplace)?.currency
    }

    /// The country of an eBay site, for pricing that adds a landed cost (`EBAY_GB` → `GB`,
    /// `EBAY_MOTORS` → `US`); `nil` for an unknown site.
    public func destinationCountry(marketplace: String) -> String? {
        guard let site = EbayMarketplace.named(marketplace) else { return nil }
        return site.id == "EBAY_MOTORS" ? "US" : String(site.id.dropFirst("EBAY_".count))
    }

    /// Problems with the marketplace, currency, required account keys, revision limit and category.
    public func check(account: AccountSettings, channel: ChannelSettings) -> [AdapterError] {
        var problems: [AdapterError] = []
        let channelKey = "channels[\(channel.name)]"
        if let marketplace = EbayMarketplace.named(channel.marketplace) {
            if marketplace.currency != channel.currency {
                problems.append(
                    .configuration(
                        key: "\(channelKey).currency",
                        message: "\(marketplace.id) sells in \(marketplace.currency.code), not \(channel.currency.code)"
                    )
                )
            }
        } else {
            let known = EbayMarketplace.all.map(\.id).joined(separator: ", ")
            problems.append(
                .configuration(
                    key: "\(channelKey).marketplace",
                    message: "\"\(channel.marketplace)\" is not an eBay marketplace id (one of \(known))"
                )
            )
        }
        for key in Self.requiredAccountKeys where (account.extra[key] ?? "").isEmpty {
            problems.append(
                .configuration(key: "accounts.\(account.name).\(key)", message: "required to publish eBay offers")
            )
        }
        for key in Self.requiredChannelKeys where (channel.extra[key] ?? "").isEmpty {
            let shared =
                (account.extra[key] ?? "").isEmpty ? "" : " (not accounts.\(account.name).\(key): a policy is per site)"
            problems.append(
                .configuration(
                    key: "\(channelKey).\(key)",
                    message: "required: the \(channel.marketplace) business policy every offer names\(shared)"
                )
            )
        }
        if let text = channel.extra["categories"], Self.categories(text) == nil {
            problems.append(
                .configuration(
                    key: "\(channelKey).categories",
                    message: "\"\(text)\" is not a comma-separated list of PRODUCT_TYPE:CATEGORY_ID (\"FOOD:11111\")"
                )
            )
        }
        if let text = account.extra["daily_revision_limit"], (Int(text) ?? 0) < 1 {
            problems.append(
                .configuration(
                    key: "accounts.\(account.name).daily_revision_limit",
                    message: "\"\(text)\" is not a positive whole number"
                )
            )
        }
        if let category = channel.extra["category_id"], category.isEmpty || !category.allSatisfy(\.isNumber) {
            problems.append(
                .configuration(key: "\(channelKey).category_id", message: "\"\(category)\" is not an eBay category id")
            )
        }
        return problems
    }

    /// The adapter for one channel, after ``check(account:channel:)``.
    public func makeAdapter(context: AdapterContext) throws(AdapterError) -> any MarketplaceAdapter {
        try makeEbayAdapter(context: context)
    }

    /// The adapter with its concrete type (status reads its revision counts).
    public func makeEbayAdapter(context: AdapterContext) throws(AdapterError) -> EbayAdapter {
        if let first = check(account: context.account, channel: context.channel).first { throw first }
        let account = context.account
        guard let marketplace = EbayMarketplace.named(context.channel.marketplace) else {
            throw .configuration(key: "channels[\(context.channel.name)].marketplace", message: "unknown")
        }
        let configuration = EbayAdapter.Configuration(
            marketplace: marketplace,
            contentLanguage: marketplace.contentLanguage(channelLanguage: context.channel.language),
            merchantLocationKey: account.extra["merchant_location_key"] ?? "",
            fulfillmentPolicyID: context.channel.extra["fulfillment_policy_id"] ?? "",
            paymentPolicyID: context.channel.extra["payment_policy_id"] ?? "",
            returnPolicyID: context.channel.extra["return_policy_id"] ?? "",
            categories: context.channel.extra["categories"].flatMap(Self.categories) ?? [:],
            defaultCategoryID: context.channel.extra["category_id"],
            dailyRevisionLimit: account.extra["daily_revision_limit"].flatMap { Int($0) }
                ?? EbayAdapter.Configuration.defaultDailyRevisionLimit
        )
        let ledger = EbayRevisionLedger(store: context.data, now: now)
        ledgers.withLock { $0[account.name] = ledger }
        let locks = itemLocks.withLock { locks in
            if let existing = locks[account.name] { return existing }
            let created = EbayItemLocks()
            locks[account.name] = created
            return created
        }
        return try EbayAdapter(context: context, configuration: configuration, ledger: ledger, itemLocks: locks)
    }

    /// `"food:11111, HOME_DECOR:22222"` → `["FOOD": "11111", "HOME_DECOR": "22222"]`, or `nil` when an
    /// entry is not `PRODUCT_TYPE:DIGITS`.
    static func categories(_ text: String) -> [String: String]? {
        var result: [String: String] = [:]
        for entry in text.split(separator: ",") {
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[1].allSatisfy(\.isNumber) else {
                return nil
            }
            result[parts[0].uppercased()] = parts[1]
        }
        return result.isEmpty ? nil : result
    }

    /// Revisions of `sku` counted today on `marketplace` for `account` (status), read through the ledger
    /// of the account's adapter built last; 0 before any was built.
    public func revisionsToday(account: String, marketplace: String, sku: SKU) async -> Int {
        guard let ledger = ledgers.withLock({ $0[account] }) else { return 0 }
        return await ledger.count(marketplace: marketplace, sku: sku.rawValue)
    }
}
