import Catalog
import CurlHTTP
import Foundation
import Sync

/// Keeps one Shopclues channel's prices (MRP and selling price) and stock in sync.
///
/// Single mode sends one SKU per call; bulk mode up to ``maximumBatchSize`` SKUs per call, which spends
/// the daily quota of requests far more slowly. Both calls answer per product. Shopclues has no content
/// API in this contract: listings are created in the merchant panel, and the adapter only sends price
/// and stock (the first price update names the product).
public struct ShopcluesAdapter: MarketplaceAdapter {
    /// Products per update call (UNCONFIRMED; the contract of this folder's README).
    public static let maximumBatchSize = ShopcluesContract.maximumProductsPerCall

    public let capabilities: AdapterCapabilities
    let client: ShopcluesClient

    /// An adapter for the channel of `context`; its account's rate limiter holds the daily quota.
    public init(context: AdapterContext) {
        client = ShopcluesClient(context: context)
        capabilities = AdapterCapabilities(
            facets: [.price, .quantity],
            supportsSingleItem: true,
            maximumBatchSize: Self.maximumBatchSize,
            quotas: ShopcluesAdapterFactory.quotas(dailyQuota: ShopcluesAdapterFactory.defaultDailyQuota)
        )
    }

    /// Requests left in the daily quota now (for status).
    public func remainingToday() async -> Int {
        let state = await client.context.rateLimiter.states().first { $0.operation == ShopcluesClient.quotaKey }
        return max(0, Int((state?.tokens ?? 0).rounded(.down)))
    }

    /// The daily quota of requests, the token requests included: one budget for the whole account,
    /// refilling continuously over 24 h. The usable part is the quota less the limiter's cushion.
    public func budgets() async -> [BudgetStatus] {
        let published = ShopcluesAdapterFactory().quotas(for: client.context.account).first?.burst
        let budget = await BudgetStatus.bucket(
            ShopcluesClient.quotaKey,
            of: client.context.rateLimiter,
            name: "requests",
            window: "24 h, refilling continuously",
            note: published.map { "the account's Shopclues quota is \($0) requests per 24 h" }
        )
        return budget.map { [$0] } ?? []
    }

    public func push(_ changes: [ListingChange], mode: PushMode) async -> [SKU: ListingOutcome] {
        let size = mode == .single ? 1 : Self.maximumBatchSize
        var failures: [SKU: ListingOutcome] = [:]
        for start in stride(from: 0, to: changes.count, by: size) {
            let batch = Array(changes[start..<min(start + size, changes.count)])
            let priced = batch.filter { $0.facets.contains(.price) || $0.isNew }
            if !priced.isEmpty {
                let lines = priced.map { change in
                    let price = Decimal(string: change.desired.price.amountString) ?? 0
                    return ShopcluesWire.PriceLine(
                        productSKU: change.sku.rawValue,
                        productName: change.desired.content.title,
                        mrp: Self.mrp(change.desired) ?? price,
                        sellingPrice: price
                    )
                }
                let body = Self.encode(ShopcluesWire.Batch(products: lines))
                failures.merge(await send(ShopcluesContract.updatePricePath, body, priced)) { first, _ in first }
            }
            let stocked = batch.filter {
                failures[$0.sku] == nil && ($0.facets.contains(.quantity) || $0.isNew || $0.isRemoval)
            }
            if !stocked.isEmpty {
                let lines = stocked.map {
                    ShopcluesWire.StockLine(
                        productSKU: $0.sku.rawValue,
                        quantity: $0.isRemoval ? 0 : $0.desired.quantity
                    )
                }
                let body = Self.encode(ShopcluesWire.Batch(products: lines))
                failures.merge(await send(ShopcluesContract.updateStockPath, body, stocked)) { first, _ in first }
            }
        }
        var outcomes: [SKU: ListingOutcome] = [:]
        for change in changes {
            var sent = change
            sent.facets.formIntersection([.price, .quantity])
            outcomes[change.sku] = failures[change.sku] ?? .accepted(sent)
        }
        return outcomes
    }

    /// One update call; the failures among `changes`, per SKU.
    private func send(_ path: String, _ body: [UInt8], _ changes: [ListingChange]) async -> [SKU: ListingOutcome] {
        let response: HTTPResponse
        switch await client.post(path, body: body) {
        case .failed(let outcome): return Dictionary(uniqueKeysWithValues: changes.map { ($0.sku, outcome) })
        case .response(let answer): response = answer
        }
        let result = try? JSONDecoder().decode(ShopcluesWire.BatchResult.self, from: Data(response.body))
        guard response.isSuccess, let lines = result?.results else {
            let issue = MarketplaceIssue(
                code: result?.error?.code ?? "HTTP_\(response.status)",
                message: result?.error?.message ?? String(response.bodyText.prefix(500))
            )
            return Dictionary(uniqueKeysWithValues: changes.map { ($0.sku, .rejected(issues: [issue])) })
        }
        let bySKU = Dictionary(lines.map { ($0.productSKU, $0) }, uniquingKeysWith: { first, _ in first })
        var failures: [SKU: ListingOutcome] = [:]
        for change in changes {
            guard let line = bySKU[change.sku.rawValue] else {
                failures[change.sku] = .retry(reason: "Shopclues reported no result for \(change.sku)", after: nil)
                continue
            }
            guard line.status != "success" else { continue }
            failures[change.sku] = .rejected(issues: [
                MarketplaceIssue(code: line.error?.code ?? "FAILURE", message: line.error?.message ?? line.status)
            ])
        }
        return failures
    }

    /// The MRP from the product attribute `mrp` in the channel currency, when it is a valid amount.
    static func mrp(_ listing: DesiredListing) -> Decimal? {
        guard let text = listing.content.attributes.first(where: { $0.name == "mrp" })?.value,
            let money = Money(parsing: text, currency: listing.price.currency),
            money.minorUnits >= listing.price.minorUnits
        else { return nil }
        return Decimal(string: money.amountString)
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data())
    }
}
