import AmazonModel
import Foundation
import TwinSupport

/// Every listing the Amazon twin holds, keyed by (seller, marketplace, SKU), and the submission
/// rules that change them: PUT replaces, PATCH applies JSON Patch, DELETE removes, each validated by
/// ``ListingValidator`` first, and a PUT (or feed `UPDATE`) also against its product type definition
/// (``TwinProductTypes``) unless that check is temporarily off; an invalid submission changes nothing.
actor ListingsStore {
    /// What a submission came to: `ACCEPTED`, `INVALID`, or `VALID` (validation preview only).
    struct Submission: Sendable {
        var status: String
        var issues: [ListingIssue]
    }

    /// Where a submission applies.
    struct Target: Sendable {
        var sellerID: String
        var marketplace: AmazonMarketplace
        var sku: String
        /// Every marketplace id of the request (values may name any of them).
        var allowedMarketplaceIDs: Set<String>

        var key: String { "\(sellerID)|\(marketplace.id)|\(sku)" }
    }

    var records: [String: ListingRecord] = [:]
    /// The definitions full submissions are checked against; `nil` while that check is temporarily off.
    private let productTypes: TwinProductTypes?

    init(productTypes: TwinProductTypes? = nil) {
        self.productTypes = productTypes
    }

    /// Replaces the listing with `attributes` (values for other marketplaces of the request are left out).
    func put(
        _ target: Target,
        productType: String,
        requirements: String,
        attributes: [String: TwinJSON],
        preview: Bool
    ) -> Submission {
        let own = Self.attributes(attributes, for: target)
        let validator = ListingValidator(
            marketplace: target.marketplace,
            allowedMarketplaceIDs: target.allowedMarketplaceIDs,
            requirements: requirements
        )
        var issues = validator.issues(in: attributes)
        let variant = TwinProductTypes.Variant(
            productType: productType,
            marketplaceID: target.marketplace.id,
            requirements: requirements
        )
        for issue in productTypes?.issues(inAttributes: TwinJSON.object(attributes).serialized, variant) ?? []
        where !issues.contains(issue) {
            issues.append(issue)
        }
        return commit(target, productType: productType, attributes: own, issues: issues, preview: preview)
    }

    /// Applies `patches` to the existing listing; a listing the marketplace does not have is INVALID.
    func patch(_ target: Target, productType: String, patches: [TwinJSON], preview: Bool) throws(ListingPatcher.Failure)
        -> Submission
    {
        let patched = try ListingPatcher.apply(patches, to: records[target.key]?.attributes ?? [:])
        guard records[target.key] != nil else {
            let issue = ListingIssue.skuNotFound(sku: target.sku, marketplaceID: target.marketplace.id)
            return Submission(status: "INVALID", issues: [issue])
        }
        let validator = ListingValidator(
            marketplace: target.marketplace,
            allowedMarketplaceIDs: target.allowedMarketplaceIDs
        )
        let issues = validator.issues(in: patched)
        return commit(
            target,
            productType: productType,
            attributes: Self.attributes(patched, for: target),
            issues: issues,
            preview: preview
        )
    }

    /// Sets `attributes` on an existing listing as another tool or Seller Central would (a B2B offer,
    /// a sale price, minimum and maximum prices, keywords): what a wrong patch from the adapter would wipe.
    /// Returns whether the listing exists.
    @discardableResult
    func setElsewhere(_ target: Target, attributes: [String: TwinJSON]) -> Bool {
        guard var record = records[target.key] else { return false }
        record.attributes.merge(attributes) { _, new in new }
        records[target.key] = record
        return true
    }

    /// Removes the listing (accepted whether or not it existed, as Amazon does).
    func delete(_ target: Target) -> Submission {
        records[target.key] = nil
        return Submission(status: "ACCEPTED", issues: [])
    }

    /// The listing at `target`, `nil` when there is none.
    func record(_ target: Target) -> ListingRecord? {
        records[target.key]
    }

    /// Every listing, optionally of one marketplace (its code `DE` or id), sorted by marketplace code, SKU.
    func listings(marketplace: String?) -> [TwinListing] {
        let wanted = marketplace.flatMap { AmazonMarketplace.named($0) ?? AmazonMarketplace.withID($0) }
        if marketplace != nil, wanted == nil { return [] }
        return records.values
            .filter { wanted == nil || $0.marketplace == wanted }
            .map(\.twinListing)
            .sorted { ($0.marketplace, $0.sku) < ($1.marketplace, $1.sku) }
    }

    /// Edits the listing of `sku` on `marketplace` (every seller's) as Seller Central would:
    /// `price` and `quantity` replace the offer's, `status` overrides the summary status. Returns the
    /// listings changed (none when there is no such listing).
    func tamper(
        marketplace: AmazonMarketplace,
        sku: String,
        price: String?,
        quantity: Int?,
        status: ListingTamper.Status?
    )
        -> [TwinListing]
    {
        var changed: [TwinListing] = []
        for (key, var record) in records where record.marketplace == marketplace && record.sku == sku {
            if let price { record.setPrice(price) }
            if let quantity { record.setQuantity(quantity) }
            if let status { record.tamperedStatus = status }
            record.lastUpdatedDate = Date()
            records[key] = record
            changed.append(record.twinListing)
        }
        return changed
    }

    private func commit(
        _ target: Target,
        productType: String,
        attributes: [String: TwinJSON],
        issues: [ListingIssue],
        preview: Bool
    ) -> Submission {
        if issues.contains(where: { $0.severity == "ERROR" }) { return Submission(status: "INVALID", issues: issues) }
        if preview { return Submission(status: "VALID", issues: issues) }
        let now = Date()
        let previous = records[target.key]
        var record = ListingRecord(
            sku: target.sku,
            marketplace: target.marketplace,
            productType: productType,
            attributes: attributes,
            createdDate: previous?.createdDate ?? now,
            lastUpdatedDate: now,
            priceHistory: previous?.priceHistory ?? []
        )
        if let price = record.price, price != record.priceHistory.last { record.priceHistory.append(price) }
        records[target.key] = record
        return Submission(status: "ACCEPTED", issues: issues)
    }

    /// `attributes` with only the values for `target`'s marketplace (or for every marketplace).
    private static func attributes(_ attributes: [String: TwinJSON], for target: Target) -> [String: TwinJSON] {
        var own: [String: TwinJSON] = [:]
        for (name, value) in attributes {
            guard let values = value.array else { continue }
            let kept = values.filter {
                ($0["marketplace_id"]?.string ?? target.marketplace.id) == target.marketplace.id
            }
            if !kept.isEmpty { own[name] = .array(kept) }
        }
        return own
    }
}
