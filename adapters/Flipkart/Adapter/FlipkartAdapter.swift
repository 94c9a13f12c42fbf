import Catalog
import CurlHTTP
import Foundation
import Sync

/// Keeps one Flipkart seller's prices and stock in sync through the Marketplace Seller API, listings v3.
///
/// Price goes through `POST /listings/v3/update/price` (`mrp`, `selling_price` as int32 whole rupees,
/// INR) and stock through `POST /listings/v3/update/inventory` (one location with its required
/// `status`), at most 10 SKUs per call. Flipkart answers
/// HTTP 200 with a status per SKU (`SUCCESS`, `WARNING`, `FAILURE`), mapped one by one. Every update
/// names the listing's FSN (`product_id`): the catalog attribute `flipkart_fsn`, else the remote id of
/// an earlier push, else a `GET /listings/v3/{skuIds}` lookup. Listing content lives in Flipkart's
/// catalog (per FSN), so the adapter keeps price and quantity only.
public struct FlipkartAdapter: MarketplaceAdapter {
    /// The channel's Flipkart settings.
    public struct Configuration: Sendable, Hashable {
        /// Flipkart's limit of SKUs per price or inventory update.
        public static let maximumBatchSize = 10
        /// The catalog attribute holding a SKU's FSN.
        public static let fsnAttribute = "flipkart_fsn"
        /// The catalog attribute holding a SKU's MRP (maximum retail price) in INR.
        public static let mrpAttribute = "mrp"

        /// The seller's warehouse location id from onboarding (`LOC…`).
        public var locationID: String

        /// A configuration updating stock at `locationID`.
        public init(locationID: String) {
            self.locationID = locationID
        }
    }

    /// Price and quantity, single calls, batches of 10, the account quotas.
    public let capabilities: AdapterCapabilities
    /// The channel's Flipkart settings.
    public let configuration: Configuration
    let client: FlipkartAPIClient

    /// An adapter for `context`'s channel.
    public init(context: AdapterContext, configuration: Configuration) throws(AdapterError) {
        self.configuration = configuration
        client = try FlipkartAPIClient(context: context)
        capabilities = AdapterCapabilities(
            facets: [.price, .quantity],
            supportsSingleItem: true,
            maximumBatchSize: Configuration.maximumBatchSize,
            quotas: FlipkartAdapterFactory.defaultQuotas
        )
    }

    /// Pushes `changes`: one SKU per call (`single`), or 10 per call (`bulk`), batches concurrently.
    public func push(_ changes: [ListingChange], mode: PushMode) async -> [SKU: ListingOutcome] {
        let size = mode == .single ? 1 : Configuration.maximumBatchSize
        var batches: [[ListingChange]] = []
        var start = 0
        while start < changes.count {
            batches.append(Array(changes[start..<min(start + size, changes.count)]))
            start += size
        }
        return await withTaskGroup(of: [SKU: ListingOutcome].self) { group in
            for batch in batches { group.addTask { await self.run(batch) } }
            var outcomes: [SKU: ListingOutcome] = [:]
            for await partial in group { outcomes.merge(partial) { $1 } }
            return outcomes
        }
    }

    /// One batch of at most 10: FSNs, then the price call and the inventory call, then one outcome per SKU.
    func run(_ changes: [ListingChange]) async -> [SKU: ListingOutcome] {
        var outcomes: [SKU: ListingOutcome] = [:]
        var fsns: [SKU: String] = [:]
        var lookups: [SKU] = []
        for change in changes {
            if let fsn = Self.catalogFSN(change) ?? change.remoteID {
                fsns[change.sku] = fsn
            } else {
                lookups.append(change.sku)
            }
        }
        if !lookups.isEmpty {
            switch await lookUpFSNs(lookups) {
            case .success(let found):
                for sku in lookups {
                    if let fsn = found[sku] {
                        fsns[sku] = fsn
                    } else {
                        outcomes[sku] = .rejected(issues: [
                            MarketplaceIssue(
                                code: "LISTING_NOT_FOUND",
                                message: "SKU \(sku) has no Flipkart listing; create it in the Seller Hub "
                                    + "or set the catalog attribute \(Configuration.fsnAttribute)"
                            )
                        ])
                    }
                }
            case .failure(let failure):
                for sku in lookups { outcomes[sku] = failure.outcome }
            }
        }

        let ready = changes.filter { outcomes[$0.sku] == nil }
        // A removal takes the stock to zero: Flipkart keeps the listing, and nothing can be bought.
        let priced = ready.filter { !$0.isRemoval && $0.facets.contains(.price) }
        let stocked = ready.filter { $0.isRemoval || $0.facets.contains(.quantity) }
        let resolved = fsns
        async let priceFailures = updatePrices(priced, fsns: resolved)
        async let stockFailures = updateInventory(stocked, fsns: resolved)
        let failures = FlipkartResponses.combine(await priceFailures, await stockFailures)
        for change in ready {
            if let failure = failures[change.sku] {
                outcomes[change.sku] = failure
                continue
            }
            let sent = change.sentHashes.filter { capabilities.facets.contains($0.key) }
            outcomes[change.sku] = .accepted(sentHashes: sent, remoteID: fsns[change.sku])
        }
        return outcomes
    }

    /// The SKU's FSN from its catalog attribute, when set.
    static func catalogFSN(_ change: ListingChange) -> String? {
        change.desired.content.attributes.first { $0.name == Configuration.fsnAttribute }
            .map(\.value).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The MRP: the catalog attribute `mrp` (INR, a plain decimal) when it parses, else the selling price.
    static func mrp(_ change: ListingChange) -> Money {
        let price = change.desired.price
        guard
            let text = change.desired.content.attributes.first(where: { $0.name == Configuration.mrpAttribute })?.value,
            let mrp = Money(parsing: text, currency: price.currency)
        else { return price }
        return mrp
    }

    /// `GET /listings/v3/{skuIds}`: the FSN of every SKU Flipkart knows.
    func lookUpFSNs(_ skus: [SKU]) async -> Result<[SKU: String], FlipkartOutcomeError> {
        let ids = skus.map(\.rawValue).joined(separator: ",")
        switch await client.send(.get, "/" + (ids.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? ids))
        {
        case .failed(let outcome):
            return .failure(FlipkartOutcomeError(outcome: outcome))
        case .response(let response):
            if let failure = FlipkartResponses.callFailure(response) {
                return .failure(FlipkartOutcomeError(outcome: failure))
            }
            let decoded = try? JSONDecoder().decode(FlipkartWire.ListingsResponse.self, from: Data(response.body))
            var found: [SKU: String] = [:]
            for sku in skus {
                if let fsn = decoded?.available?[sku.rawValue]?.productID { found[sku] = fsn }
            }
            return .success(found)
        }
    }

    /// `update/price` for `changes` (one call); the failures per SKU. A price that is not a whole
    /// number of rupees is refused here, before any call (see ``wholeRupeePrices(_:)``).
    func updatePrices(_ changes: [ListingChange], fsns: [SKU: String]) async -> [SKU: ListingOutcome] {
        var failures: [SKU: ListingOutcome] = [:]
        var entries: [(sku: String, productID: String, mrp: Int32, sellingPrice: Int32)] = []
        var sent: [SKU] = []
        for change in changes {
            switch Self.wholeRupeePrices(change) {
            case .failure(let refusal):
                failures[change.sku] = refusal.outcome
            case .success(let prices):
                entries.append(
                    (
                        sku: change.sku.rawValue, productID: fsns[change.sku] ?? "", mrp: prices.mrp,
                        sellingPrice: prices.sellingPrice
                    )
                )
                sent.append(change.sku)
            }
        }
        guard !entries.isEmpty else { return failures }
        let body = FlipkartWire.priceBody(entries)
        return failures.merging(
            FlipkartResponses.perSKU(await client.send(.post, "/update/price", body: body), skus: sent)
        ) { $1 }
    }

    /// The MRP and selling price as Flipkart's `int32` whole rupees.
    ///
    /// The rule: Flipkart takes prices in whole rupees only, so the channel's pricing must produce
    /// them (`rounding = "nearest:1"`, as config/sandbox.toml's `flipkart` channel has). The adapter
    /// never rounds a price itself — rounding here would send a price the channel rules did not
    /// compute and that the catalog's hash does not describe — so a selling price or MRP with paise
    /// (or not in INR, or above `Int32.max`) is rejected with `NOT_WHOLE_RUPEES`, naming the fix.
    static func wholeRupeePrices(_ change: ListingChange) -> Result<
        (mrp: Int32, sellingPrice: Int32), FlipkartOutcomeError
    > {
        let selling = change.desired.price
        let mrp = Self.mrp(change)
        var issues: [MarketplaceIssue] = []
        for (name, money) in [("selling_price", selling), ("mrp", mrp)] where FlipkartWire.wholeRupees(money) == nil {
            issues.append(
                MarketplaceIssue(
                    code: "NOT_WHOLE_RUPEES",
                    message: "Flipkart takes \(name) as a whole number of rupees (int32, INR); \(money) is not one. "
                        + "Round the channel's price to whole rupees (pricing rounding \"nearest:1\") "
                        + "or fix the catalog attribute \(Configuration.mrpAttribute)",
                    attributeNames: [name]
                )
            )
        }
        guard issues.isEmpty, let wholeMRP = FlipkartWire.wholeRupees(mrp),
            let wholeSelling = FlipkartWire.wholeRupees(selling)
        else { return .failure(FlipkartOutcomeError(outcome: .rejected(issues: issues))) }
        return .success((mrp: wholeMRP, sellingPrice: wholeSelling))
    }

    /// `update/inventory` for `changes` (one call, the configured location, `status` ENABLED; a removal
    /// sends the location DISABLED with inventory 0); the failures per SKU.
    func updateInventory(_ changes: [ListingChange], fsns: [SKU: String]) async -> [SKU: ListingOutcome] {
        guard !changes.isEmpty else { return [:] }
        let body = FlipkartWire.inventoryBody(
            changes.map {
                (
                    sku: $0.sku.rawValue, productID: fsns[$0.sku] ?? "", locationID: configuration.locationID,
                    enabled: !$0.isRemoval, quantity: $0.isRemoval ? 0 : $0.desired.quantity
                )
            }
        )
        return FlipkartResponses.perSKU(
            await client.send(.post, "/update/inventory", body: body),
            skus: changes.map(\.sku)
        )
    }
}

/// A per-batch failure carried through `Result`.
struct FlipkartOutcomeError: Error, Sendable {
    var outcome: ListingOutcome
}
