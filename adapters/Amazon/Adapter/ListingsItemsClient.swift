import AmazonModel
import Catalog
import CurlHTTP
import Sync

/// The Listings Items API for one channel: one SKU per call, each answer mapped to a ``ListingOutcome``.
///
/// A new listing goes as `putListingsItem` carrying all three facets; a content change to an existing one
/// as one `patchListingsItem` replacing each attribute CatalogSync owns plus the price and stock (so
/// attributes set elsewhere stay); price and/or stock alone as one `patchListingsItem` merging into the
/// offer and the stock; a removal as `deleteListingsItem`. Outcomes: `ACCEPTED` → accepted with the
/// hashes of what was sent; `INVALID` or ERROR issues → rejected with Amazon's issues verbatim; a 400
/// `ErrorList` → rejected with those errors; 429, 5xx, transport and auth trouble → retry.
struct ListingsItemsClient: Sendable {
    /// The operations, named as the model's `operationId` (and the rate limiter's buckets).
    enum Operation {
        static let get = "getListingsItem"
        static let put = "putListingsItem"
        static let patch = "patchListingsItem"
        static let delete = "deleteListingsItem"
    }

    let connection: SPAPIConnection
    let builder: ListingsPayloadBuilder
    let sellerID: String

    var marketplace: AmazonMarketplace { builder.marketplace }

    /// Sends `change` on its own call and reports its outcome.
    func push(_ change: ListingChange) async -> ListingOutcome {
        if change.isRemoval { return await delete(change) }
        if change.isNew { return await put(change) }
        let content = change.facets.contains(.content)
        guard let body = builder.patchBody(for: change.desired, facets: content ? Set(Facet.allCases) : change.facets)
        else {
            return .accepted(sentHashes: [:], remoteID: change.remoteID)
        }
        let reply = await connection.send(
            .patch,
            path: itemPath(change.sku),
            query: query(),
            body: body,
            operations: [Operation.patch]
        )
        let result = outcome(of: reply, accepted: content ? Self.acceptedAllFacets(change) : .accepted(change))
        // Amazon no longer has the listing (deleted in Seller Central): a content change creates it again.
        if content, case .rejected(let issues) = result, issues.contains(where: { $0.code == Self.skuNotFoundCode }) {
            return await put(change)
        }
        return result
    }

    /// The issue code Amazon answers a patch of a SKU it does not have with (as the twin models it).
    static let skuNotFoundCode = "4000003"

    /// Asks Amazon to check the full listing without changing it (`mode=VALIDATION_PREVIEW`).
    func validate(_ listing: DesiredListing) async throws -> [MarketplaceIssue] {
        let reply = await connection.send(
            .put,
            path: itemPath(listing.sku),
            query: query() + [("mode", "VALIDATION_PREVIEW")],
            body: builder.putBody(for: listing),
            operations: [Operation.put]
        )
        switch reply {
        case .transient(let reason, _), .refused(let reason):
            throw AdapterError.platform("validation of \(listing.sku) failed: \(reason)")
        case .response(let response):
            if let submission = SPAPIWire.decode(SPAPIWire.SubmissionResponse.self, from: response.body) {
                return (submission.issues ?? []).map(\.marketplaceIssue)
            }
            if let errors = SPAPIWire.decode(SPAPIWire.ErrorList.self, from: response.body) { return errors.issues }
            throw AdapterError.platform("validation of \(listing.sku) answered \(response.status) without a body")
        }
    }

    /// `putListingsItem`: the whole listing; an acceptance acknowledges content, price and stock.
    private func put(_ change: ListingChange) async -> ListingOutcome {
        let reply = await connection.send(
            .put,
            path: itemPath(change.sku),
            query: query(),
            body: builder.putBody(for: change.desired),
            operations: [Operation.put]
        )
        return outcome(of: reply, accepted: Self.acceptedAllFacets(change))
    }

    /// `deleteListingsItem`; a listing Amazon does not know (404) is as good as deleted.
    private func delete(_ change: ListingChange) async -> ListingOutcome {
        let reply = await connection.send(
            .delete,
            path: itemPath(change.sku),
            query: query(),
            operations: [Operation.delete]
        )
        if case .response(let response) = reply, response.status == 404 {
            return .accepted(sentHashes: [:], remoteID: nil)
        }
        return outcome(of: reply, accepted: .accepted(change))
    }

    /// What `reply` means for one SKU whose acceptance is `accepted`.
    func outcome(of reply: SPAPIConnection.Reply, accepted: ListingOutcome) -> ListingOutcome {
        switch reply {
        case .transient(let reason, let after):
            return .retry(reason: reason, after: after)
        case .refused(let reason):
            return .needsAttention(reason: reason)
        case .response(let response):
            return Self.outcome(status: response.status, body: response.body, accepted: accepted)
        }
    }

    /// Maps a final answer (2xx or 4xx) to an outcome.
    static func outcome(status: Int, body: [UInt8], accepted: ListingOutcome) -> ListingOutcome {
        if (200..<300).contains(status) {
            guard let submission = SPAPIWire.decode(SPAPIWire.SubmissionResponse.self, from: body) else {
                return .retry(reason: "Amazon answered \(status) with an unreadable submission", after: nil)
            }
            let issues = (submission.issues ?? []).map(\.marketplaceIssue)
            let hasErrors = issues.contains { $0.severity.uppercased() == "ERROR" }
            if hasErrors { return .rejected(issues: issues) }
            if submission.status == "INVALID" {
                let reason = MarketplaceIssue(code: "INVALID", message: "Amazon reported the submission INVALID")
                return .rejected(issues: issues + [reason])
            }
            return accepted
        }
        if let errors = SPAPIWire.decode(SPAPIWire.ErrorList.self, from: body), !errors.errors.isEmpty {
            return .rejected(issues: errors.issues)
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return .rejected(issues: [MarketplaceIssue(code: "HTTP_\(status)", message: text)])
    }

    /// A PUT sends content, price and stock: acknowledge all three hashes.
    static func acceptedAllFacets(_ change: ListingChange) -> ListingOutcome {
        let hashes = Dictionary(uniqueKeysWithValues: Facet.allCases.map { ($0, change.desired.hashes[$0]) })
        return .accepted(sentHashes: hashes, remoteID: change.remoteID)
    }

    /// `/listings/2021-08-01/items/{sellerId}/{sku}`, both percent-encoded.
    private func itemPath(_ sku: SKU) -> String {
        "/listings/2021-08-01/items/\(SPAPIConnection.pathSegment(sellerID))/\(SPAPIConnection.pathSegment(sku.rawValue))"
    }

    /// `marketplaceIds` and `issueLocale` for this channel.
    private func query() -> [(String, String)] {
        [("marketplaceIds", marketplace.id), ("issueLocale", builder.languageTag)]
    }
}
