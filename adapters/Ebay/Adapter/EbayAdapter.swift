import Catalog
import CurlHTTP
import Foundation
import Sync

/// Keeps one eBay marketplace's listings of one account in sync through the Sell Inventory API.
///
/// Per SKU: the inventory item (content and stock, a full replacement) is written with
/// `createOrReplaceInventoryItem` (bulk: `bulkCreateOrReplaceInventoryItem`, ≤25), the offer is created
/// or replaced and published the first time, and later price and stock changes of a published offer go
/// through `bulkUpdatePriceQuantity` (≤25 SKUs per call). The offer id is the listing's remote id; when
/// the engine does not know it, `getOffers` finds an existing offer before any is created, so a retried
/// create never makes a duplicate. Revisions of published listings are counted per SKU per UTC day and
/// held back at ``Configuration/dailyRevisionLimit``.
public struct EbayAdapter: MarketplaceAdapter {
    /// The channel's eBay settings, read from the account and channel sections.
    public struct Configuration: Sendable, Hashable {
        /// eBay's published limit of revisions per listing per calendar day.
        public static let defaultDailyRevisionLimit = 250
        /// The most SKUs one bulk call carries (eBay's limit for every bulk Inventory call).
        public static let maximumBatchSize = 25
        /// `listingDuration` of every offer: fixed-price listings must be `GTC` (Good 'Til Cancelled),
        /// per `EbayOfferDetailsWithKeys.listingDuration` in eBay's OAS.
        public static let listingDuration = "GTC"
        /// The eBay site offers are listed on.
        public var marketplace: EbayMarketplace
        /// The `Content-Language` of inventory items and offers.
        public var contentLanguage: String
        /// The inventory location offers ship from (`merchantLocationKey`, account key: one per seller).
        public var merchantLocationKey: String
        /// The business policies every offer on this site names. eBay's policies belong to one
        /// marketplace (publishOffer error 25035 otherwise), so they are channel keys `*_policy_id`.
        public var fulfillmentPolicyID: String
        /// The payment business policy of this site.
        public var paymentPolicyID: String
        /// The return business policy of this site.
        public var returnPolicyID: String
        /// The site's leaf category per catalog product type (channel key `categories`,
        /// `"FOOD:11111,HOME_DECOR:22222"`).
        public var categories: [String: String] = [:]
        /// The category of a product type not in ``categories`` (channel key `category_id`); `nil`
        /// makes such a product a rejection naming the missing mapping.
        public var defaultCategoryID: String?
        /// The inventory items' `condition`.
        public var condition: String = "NEW"
        /// Revisions allowed per listing per UTC day before the adapter holds changes back.
        public var dailyRevisionLimit: Int = Self.defaultDailyRevisionLimit

        /// A configuration for `marketplace` with the seller's location and the site's business policies.
        public init(
            marketplace: EbayMarketplace,
            contentLanguage: String? = nil,
            merchantLocationKey: String,
            fulfillmentPolicyID: String,
            paymentPolicyID: String,
            returnPolicyID: String,
            categories: [String: String] = [:],
            defaultCategoryID: String? = nil,
            condition: String = "NEW",
            dailyRevisionLimit: Int = Self.defaultDailyRevisionLimit
        ) {
            self.marketplace = marketplace
            self.contentLanguage = contentLanguage ?? marketplace.contentLanguage
            self.merchantLocationKey = merchantLocationKey
            self.fulfillmentPolicyID = fulfillmentPolicyID
            self.paymentPolicyID = paymentPolicyID
            self.returnPolicyID = returnPolicyID
            self.categories = categories
            self.defaultCategoryID = defaultCategoryID
            self.condition = condition
            self.dailyRevisionLimit = dailyRevisionLimit
        }

        /// The site's category of a product of `productType`, or `nil` when none is configured.
        public func categoryID(productType: String?) -> String? {
            productType.flatMap { categories[$0.uppercased()] } ?? defaultCategoryID
        }
    }

    /// An offer the SKU already has on this marketplace.
    struct Offer: Sendable, Hashable {
        var id: String
        var isPublished: Bool
    }

    /// All three facets, single calls, bulk batches of 25, the account quotas.
    public let capabilities: AdapterCapabilities
    /// The channel's eBay settings.
    public let configuration: Configuration
    let client: EbayAPIClient
    let ledger: EbayRevisionLedger
    /// Offer quantities per site and withdrawn offers, in the account's data store.
    let records: EbayListingRecords

    /// An adapter for `context`'s channel; `ledger` counts its daily revisions (by default in the
    /// account's data store, `context.data`); `itemLocks` are shared by the adapters of one account.
    public init(
        context: AdapterContext,
        configuration: Configuration,
        ledger: EbayRevisionLedger? = nil
    ) throws(AdapterError) {
        try self.init(context: context, configuration: configuration, ledger: ledger, itemLocks: EbayItemLocks())
    }

    /// An adapter sharing `itemLocks` with the other adapters of its account (the factory's).
    init(
        context: AdapterContext,
        configuration: Configuration,
        ledger: EbayRevisionLedger?,
        itemLocks: EbayItemLocks
    ) throws(AdapterError) {
        self.configuration = configuration
        self.ledger = ledger ?? EbayRevisionLedger(store: context.data)
        client = try EbayAPIClient(context: context)
        records = EbayListingRecords(
            store: context.data,
            marketplace: configuration.marketplace.id,
            locks: itemLocks
        )
        capabilities = AdapterCapabilities(
            facets: Set(Facet.allCases),
            supportsSingleItem: true,
            maximumBatchSize: Configuration.maximumBatchSize,
            quotas: EbayAdapterFactory.publishedQuotas
        )
    }

    /// Revisions of `sku` counted today (UTC) on this marketplace, for status.
    public func revisionsToday(sku: SKU) async -> Int {
        await ledger.count(marketplace: configuration.marketplace.id, sku: sku.rawValue)
    }

    /// eBay's revisions per listing per UTC day on this channel's marketplace: the most any listing
    /// used today, how many listings reached the limit and how many have a change waiting for 00:00 UTC.
    public func budgets() async -> [BudgetStatus] {
        let limit = configuration.dailyRevisionLimit
        let today = await ledger.summary(marketplace: configuration.marketplace.id, limit: limit)
        return [
            BudgetStatus(
                name: "revisions per listing",
                scope: .channel,
                perItem: "listing",
                used: today.highest,
                limit: limit,
                window: "UTC day",
                resetsAt: today.revisions > 0 || today.waiting > 0 ? today.resetsAt : nil,
                exhausted: today.atLimit,
                waiting: today.waiting,
                note: "\(today.listings) listing(s) revised today, \(today.revisions) revision(s) in all"
            )
        ]
    }

    /// Pushes `changes`: each SKU on its own calls (`single`), or in batches of 25 (`bulk`).
    public func push(_ changes: [ListingChange], mode: PushMode) async -> [SKU: ListingOutcome] {
        var outcomes: [SKU: ListingOutcome] = [:]
        switch mode {
        case .single:
            await withTaskGroup(of: [SKU: ListingOutcome].self) { group in
                for change in changes { group.addTask { await self.run([change], bulk: false) } }
                for await partial in group { outcomes.merge(partial) { $1 } }
            }
        case .bulk:
            var start = 0
            while start < changes.count {
                let end = min(start + Configuration.maximumBatchSize, changes.count)
                outcomes.merge(await run(Array(changes[start..<end]), bulk: true)) { $1 }
                start = end
            }
        }
        return outcomes
    }

    /// Pushes `changes` (at most one batch): find offers, hold back over-limit SKUs, write inventory
    /// items, create or publish offers, then update price and stock of published offers.
    func run(_ changes: [ListingChange], bulk: Bool) async -> [SKU: ListingOutcome] {
        var outcomes: [SKU: ListingOutcome] = [:]
        var offers: [SKU: Offer] = [:]
        let marketplace = configuration.marketplace.id

        // 1. The offer of every SKU: the remembered id, else whatever getOffers finds.
        await withTaskGroup(of: (SKU, Result<Offer?, OutcomeError>).self) { group in
            for change in changes {
                if let remoteID = change.remoteID {
                    // Published, unless this adapter withdrew it (a removal) since.
                    let withdrawn = await records.withdrawnOffer(sku: change.sku) == remoteID
                    offers[change.sku] = Offer(id: remoteID, isPublished: !withdrawn)
                    continue
                }
                group.addTask { (change.sku, await self.findOffer(sku: change.sku)) }
            }
            for await (sku, result) in group {
                switch result {
                case .success(let offer): offers[sku] = offer
                case .failure(let failure): outcomes[sku] = failure.outcome
                }
            }
        }

        // 2. Removals withdraw the published offer; nothing else is sent for them.
        var active: [ListingChange] = []
        for change in changes where outcomes[change.sku] == nil {
            guard change.isRemoval else {
                active.append(change)
                continue
            }
            outcomes[change.sku] = await withdraw(change, offer: offers[change.sku])
        }

        // 3. Revisions of published listings, within the daily limit.
        var reserved: [SKU: Int] = [:]
        var work: [ListingChange] = []
        for change in active {
            let revisions = offers[change.sku]?.isPublished == true ? Self.revisions(of: change) : 0
            if revisions > 0 {
                let granted: Bool
                do {
                    granted = try await ledger.reserve(
                        revisions,
                        marketplace: marketplace,
                        sku: change.sku.rawValue,
                        limit: configuration.dailyRevisionLimit
                    )
                } catch {
                    outcomes[change.sku] = .retry(
                        reason: "eBay revision ledger of SKU \(change.sku): adapter data store: \(error)",
                        after: nil
                    )
                    continue
                }
                guard granted else {
                    outcomes[change.sku] = .retry(
                        reason: "eBay daily revision limit (\(configuration.dailyRevisionLimit)) reached for SKU "
                            + "\(change.sku) on \(marketplace); next revision after 00:00 UTC",
                        after: await ledger.untilMidnightUTC()
                    )
                    continue
                }
                reserved[change.sku] = revisions
            }
            work.append(change)
        }

        // 4. Inventory items: new listings, unpublished offers and content changes.
        let needItem = work.filter { change in
            guard let offer = offers[change.sku], offer.isPublished else { return true }
            return change.facets.contains(.content)
        }
        let itemFailures =
            bulk
            ? await writeItemsInBulk(needItem)
            : await writeItemsSingly(needItem)
        outcomes.merge(itemFailures) { $1 }

        // 5. Offers that are missing or unpublished: create or replace, then publish.
        var remoteIDs: [SKU: String] = [:]
        let needOffer = work.filter { outcomes[$0.sku] == nil && offers[$0.sku]?.isPublished != true }
        await withTaskGroup(of: (SKU, Result<String, OutcomeError>).self) { group in
            for change in needOffer {
                let existing = offers[change.sku]
                group.addTask { (change.sku, await self.createAndPublish(change, existing: existing)) }
            }
            for await (sku, result) in group {
                switch result {
                case .success(let offerID): remoteIDs[sku] = offerID
                case .failure(let failure): outcomes[sku] = failure.outcome
                }
            }
        }

        // 6. Price and stock of published offers.
        let needPriceQuantity = work.filter { change in
            guard outcomes[change.sku] == nil, let offer = offers[change.sku], offer.isPublished else { return false }
            return !change.facets.isDisjoint(with: [.price, .quantity])
        }
        let priceQuantityFailures = await updatePriceQuantity(
            needPriceQuantity,
            offers: offers,
            bulk: bulk
        )
        outcomes.merge(priceQuantityFailures) { $1 }

        // 6b. A remembered offer id that is no longer a published offer (withdrawn, deleted): find the
        // SKU's offer again and replace-and-publish it, or create one.
        let stale = needPriceQuantity.filter { Self.isStaleOffer(priceQuantityFailures[$0.sku]) }
        await withTaskGroup(of: (SKU, ListingOutcome?, String?).self) { group in
            for change in stale {
                group.addTask {
                    switch await self.findOffer(sku: change.sku) {
                    case .failure(let failure): return (change.sku, failure.outcome, nil)
                    case .success(let found):
                        switch await self.createAndPublish(change, existing: found) {
                        case .failure(let failure): return (change.sku, failure.outcome, nil)
                        case .success(let offerID): return (change.sku, nil, offerID)
                        }
                    }
                }
            }
            for await (sku, outcome, offerID) in group {
                outcomes[sku] = outcome
                if let offerID { remoteIDs[sku] = offerID }
            }
        }

        // 7. Everything else went through.
        for change in work {
            if let outcome = outcomes[change.sku] {
                if case .accepted = outcome { continue }
                if let revisions = reserved[change.sku] {
                    await ledger.release(revisions, marketplace: marketplace, sku: change.sku.rawValue)
                }
                continue
            }
            outcomes[change.sku] = .accepted(change, remoteID: remoteIDs[change.sku] ?? offers[change.sku]?.id)
        }
        return outcomes
    }

    /// Whether `outcome` is eBay saying the offer does not exist (25713, "This Offer is not
    /// available"). Error 25760 is not such a signal: eBay's OAS defines it as "shipToLocationAvailability
    /// quantity insufficient to create auction listings", a rejection like any other.
    static func isStaleOffer(_ outcome: ListingOutcome?) -> Bool {
        guard case .rejected(let issues)? = outcome else { return false }
        return issues.contains { $0.code == "25713" }
    }

    /// The revising calls a change makes on a published listing: the inventory item for content, and
    /// one price-and-quantity update.
    static func revisions(of change: ListingChange) -> Int {
        (change.facets.contains(.content) ? 1 : 0) + (change.facets.isDisjoint(with: [.price, .quantity]) ? 0 : 1)
    }
}
