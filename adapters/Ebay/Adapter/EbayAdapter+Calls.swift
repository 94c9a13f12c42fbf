import Catalog
import CurlHTTP
import Foundation
import Sync

/// A per-SKU failure carried through `Result` while a push goes on with the other SKUs.
struct OutcomeError: Error, Sendable {
    var outcome: ListingOutcome
}

extension EbayAdapter {
    /// The SKU's offer on this marketplace (`GET /offer?sku=&marketplace_id=`), `nil` when it has none.
    func findOffer(sku: SKU) async -> Result<Offer?, OutcomeError> {
        let query =
            "?sku=\(EbayAPIClient.pathEncode(sku.rawValue))&marketplace_id=\(configuration.marketplace.id)"
        switch await client.send(.get, "/offer" + query) {
        case .failed(let outcome):
            return .failure(OutcomeError(outcome: outcome))
        case .response(let response):
            if response.status == 404 { return .success(nil) }
            if let failure = EbayResponses.failure(response) { return .failure(OutcomeError(outcome: failure)) }
            let offers = (try? JSONDecoder().decode(EbayWire.Offers.self, from: Data(response.body)))?.offers ?? []
            let mine = offers.first { $0.marketplaceId == nil || $0.marketplaceId == configuration.marketplace.id }
            guard let mine, let id = mine.offerId else { return .success(nil) }
            return .success(Offer(id: id, isPublished: mine.status == "PUBLISHED"))
        }
    }

    /// Ends the listing of a removed SKU (`POST /offer/{offerId}/withdraw`); the offer stays for later.
    func withdraw(_ change: ListingChange, offer: Offer?) async -> ListingOutcome {
        guard let offer, offer.isPublished else { return .accepted(change, remoteID: offer?.id) }
        let path = "/offer/\(EbayAPIClient.pathEncode(offer.id))/withdraw"
        switch await client.send(.post, path) {
        case .failed(let outcome): return outcome
        case .response(let response):
            if let failure = EbayResponses.failure(response) { return failure }
            do {
                try await records.recordWithdrawn(sku: change.sku, offerID: offer.id)
                // This site no longer sells the SKU: its share leaves the shared item's sum.
                _ = try await records.itemQuantity(sku: change.sku, offerQuantity: 0)
            } catch {
                return .retry(reason: "eBay withdrawn offers: adapter data store: \(error)", after: nil)
            }
            return .accepted(change, remoteID: offer.id)
        }
    }

    /// `createOrReplaceInventoryItem` per SKU, concurrently; returns the failures.
    func writeItemsSingly(_ changes: [ListingChange]) async -> [SKU: ListingOutcome] {
        await withTaskGroup(of: (SKU, ListingOutcome?).self) { group in
            for change in changes {
                group.addTask {
                    await records.withItemLocks([change.sku]) {
                        let quantity: Int
                        switch await records.itemQuantities([change])[change.sku] {
                        case .success(let total)?: quantity = total
                        case .failure(let failure)?: return (change.sku, failure.outcome)
                        case nil: quantity = change.desired.quantity
                        }
                        let item = EbayRequests.inventoryItem(
                            change,
                            configuration: configuration,
                            itemQuantity: quantity
                        )
                        let path = "/inventory_item/\(EbayAPIClient.pathEncode(change.sku.rawValue))"
                        let body = EbayRequests.encode(item)
                        switch await client.send(.put, path, body: body, contentLanguage: configuration.contentLanguage)
                        {
                        case .failed(let outcome):
                            return (change.sku, outcome)
                        case .response(let response): return (change.sku, EbayResponses.failure(response))
                        }
                    }
                }
            }
            var failures: [SKU: ListingOutcome] = [:]
            for await (sku, failure) in group { failures[sku] = failure }
            return failures
        }
    }

    /// `bulkCreateOrReplaceInventoryItem` in calls of at most 25; returns the failures per SKU.
    func writeItemsInBulk(_ changes: [ListingChange]) async -> [SKU: ListingOutcome] {
        var failures: [SKU: ListingOutcome] = [:]
        var start = 0
        while start < changes.count {
            let batch = Array(changes[start..<min(start + Configuration.maximumBatchSize, changes.count)])
            start += batch.count
            let partial = await records.withItemLocks(batch.map(\.sku)) {
                var outcomes: [SKU: ListingOutcome] = [:]
                var requests: [EbayWire.InventoryItemWithSkuLocale] = []
                var sent: [SKU] = []
                let quantities = await records.itemQuantities(batch)
                for change in batch {
                    switch quantities[change.sku] {
                    case .failure(let failure)?: outcomes[change.sku] = failure.outcome
                    case .success(let total)?:
                        requests.append(
                            EbayRequests.itemWithSKU(change, configuration: configuration, itemQuantity: total)
                        )
                        sent.append(change.sku)
                    case nil: continue
                    }
                }
                guard !requests.isEmpty else { return outcomes }
                let result = await client.send(
                    .post,
                    "/bulk_create_or_replace_inventory_item",
                    body: EbayRequests.encode(EbayWire.BulkInventoryItem(requests: requests)),
                    contentLanguage: configuration.contentLanguage
                )
                return outcomes.merging(EbayResponses.perItem(result, skus: sent)) { $1 }
            }
            failures.merge(partial) { $1 }
        }
        return failures
    }

    /// Creates the offer (or replaces the unpublished `existing` one) and publishes it; the offer id.
    /// A product type without a category on this site is rejected before any offer call.
    func createAndPublish(_ change: ListingChange, existing: Offer?) async -> Result<String, OutcomeError> {
        let productType = change.desired.content.productType
        guard let categoryID = configuration.categoryID(productType: productType) else {
            let site = configuration.marketplace.id
            return .failure(
                OutcomeError(
                    outcome: .rejected(issues: [
                        MarketplaceIssue(
                            code: "CATEGORY_NOT_MAPPED",
                            message: "product type \(productType ?? "(none)") has no eBay category on \(site): add "
                                + "\"\(productType ?? "TYPE"):<leaf category id>\" to the channel's categories "
                                + "(or set its category_id)",
                            attributeNames: ["product_type"]
                        )
                    ])
                )
            )
        }
        let offerID: String
        if let existing {
            let body = EbayRequests.encode(
                EbayRequests.offerWithID(change, configuration: configuration, categoryID: categoryID)
            )
            let path = "/offer/\(EbayAPIClient.pathEncode(existing.id))"
            switch await client.send(.put, path, body: body, contentLanguage: configuration.contentLanguage) {
            case .failed(let outcome):
                return .failure(OutcomeError(outcome: outcome))
            case .response(let response):
                if let failure = EbayResponses.failure(response) { return .failure(OutcomeError(outcome: failure)) }
            }
            offerID = existing.id
        } else {
            let body = EbayRequests.encode(
                EbayRequests.offerWithKeys(change, configuration: configuration, categoryID: categoryID)
            )
            switch await client.send(.post, "/offer", body: body, contentLanguage: configuration.contentLanguage) {
            case .failed(let outcome):
                return .failure(OutcomeError(outcome: outcome))
            case .response(let response):
                if let failure = EbayResponses.failure(response) { return .failure(OutcomeError(outcome: failure)) }
                let decoded = try? JSONDecoder().decode(EbayWire.OfferResponse.self, from: Data(response.body))
                guard let id = decoded?.offerId else {
                    let reason = "eBay createOffer for \(change.sku) answered \(response.status) without an offerId"
                    return .failure(OutcomeError(outcome: .retry(reason: reason, after: nil)))
                }
                offerID = id
            }
        }
        switch await client.send(.post, "/offer/\(EbayAPIClient.pathEncode(offerID))/publish") {
        case .failed(let outcome):
            return .failure(OutcomeError(outcome: outcome))
        case .response(let response):
            if let failure = EbayResponses.failure(response) { return .failure(OutcomeError(outcome: failure)) }
            await records.clearWithdrawn(sku: change.sku)
            return .success(offerID)
        }
    }

    /// `bulkUpdatePriceQuantity` for published offers: one SKU per call in single mode, ≤25 in bulk.
    func updatePriceQuantity(
        _ changes: [ListingChange],
        offers: [SKU: Offer],
        bulk: Bool
    ) async -> [SKU: ListingOutcome] {
        let size = bulk ? Configuration.maximumBatchSize : 1
        var batches: [[ListingChange]] = []
        var start = 0
        while start < changes.count {
            batches.append(Array(changes[start..<min(start + size, changes.count)]))
            start += size
        }
        return await withTaskGroup(of: [SKU: ListingOutcome].self) { group in
            for batch in batches {
                group.addTask {
                    await records.withItemLocks(batch.map(\.sku)) {
                        var outcomes: [SKU: ListingOutcome] = [:]
                        var requests: [EbayWire.PriceQuantity] = []
                        var sent: [SKU] = []
                        let quantities = await records.itemQuantities(batch)
                        for change in batch {
                            guard let offer = offers[change.sku] else { continue }
                            switch quantities[change.sku] {
                            case .failure(let failure)?: outcomes[change.sku] = failure.outcome
                            case .success(let total)?:
                                requests.append(
                                    EbayRequests.priceQuantity(change, offerID: offer.id, itemQuantity: total)
                                )
                                sent.append(change.sku)
                            case nil: continue
                            }
                        }
                        guard !requests.isEmpty else { return outcomes }
                        let body = EbayRequests.encode(EbayWire.BulkPriceQuantity(requests: requests))
                        let result = await client.send(.post, "/bulk_update_price_quantity", body: body)
                        return outcomes.merging(EbayResponses.perItem(result, skus: sent)) { $1 }
                    }
                }
            }
            var failures: [SKU: ListingOutcome] = [:]
            for await partial in group { failures.merge(partial) { $1 } }
            return failures
        }
    }
}
