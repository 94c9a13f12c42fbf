import Catalog
import CurlHTTP
import Foundation
import Sync

/// A partner platform's adapter driven by a spec file (``RESTSpec``) instead of Swift code.
///
/// Single mode sends each SKU's changed facets one request per facet, in the order content, price,
/// quantity (content first, so the item exists before its offer); the first refusal or transient
/// failure ends that SKU's push. Bulk mode (when the spec has `[batch]`) sends up to `batch.size`
/// SKUs in one request and reads every item's result by the spec's `[response.batch]` rules; an item
/// the answer does not mention is retried, and only the facets the item template carries are
/// acknowledged. A removal goes by the spec's `[removal]` request (a spec without one dead-letters it).
public struct ConfigurableRESTAdapter: MarketplaceAdapter {
    public let capabilities: AdapterCapabilities
    /// The spec this adapter runs.
    public let spec: RESTSpec
    private let connection: RESTConnection
    private let marketplace: String

    init(spec: RESTSpec, context: AdapterContext, credential: RESTConnection.Credential) {
        self.spec = spec
        connection = RESTConnection(
            spec: spec,
            baseURL: Self.baseURL(spec: spec, account: context.account),
            credential: credential,
            context: context
        )
        marketplace = context.channel.marketplace
        capabilities = AdapterCapabilities(
            facets: Set(spec.facets.keys).union(spec.batch?.item.facets ?? []),
            supportsSingleItem: !spec.facets.isEmpty,
            maximumBatchSize: spec.batch?.size ?? 1,
            quotas: spec.rateLimit.map { [$0] } ?? []
        )
    }

    /// The account's `endpoint`, else the spec's `base_url`, without a trailing slash.
    static func baseURL(spec: RESTSpec, account: AccountSettings) -> String {
        var base = account.endpoint ?? spec.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// Sends `changes` one request per facet (`single`) or in batches (`bulk`); removals always by the
    /// spec's `[removal]` request, one per SKU. One outcome per SKU.
    public func push(_ changes: [ListingChange], mode: PushMode) async -> [SKU: ListingOutcome] {
        var outcomes = await concurrently(changes.filter(\.isRemoval)) { await self.remove($0) }
        let live = changes.filter { !$0.isRemoval }
        if mode == .bulk || spec.facets.isEmpty, let batch = spec.batch {
            for start in stride(from: 0, to: live.count, by: batch.size) {
                let slice = Array(live[start..<min(live.count, start + batch.size)])
                outcomes.merge(await pushBatch(slice, batch: batch)) { $1 }
            }
            return outcomes
        }
        outcomes.merge(await concurrently(live) { await self.pushSingle($0) }) { $1 }
        return outcomes
    }

    /// `push` applied to every change at once.
    private func concurrently(
        _ changes: [ListingChange],
        _ push: @escaping @Sendable (ListingChange) async -> ListingOutcome
    ) async -> [SKU: ListingOutcome] {
        await withTaskGroup(of: (SKU, ListingOutcome).self) { group in
            for change in changes {
                group.addTask { (change.sku, await push(change)) }
            }
            var results: [SKU: ListingOutcome] = [:]
            for await (sku, outcome) in group { results[sku] = outcome }
            return results
        }
    }

    /// Withdraws the listing by the spec's `[removal]` request; a spec without one refuses the removal
    /// (a dead letter saying so) rather than acknowledging a listing that stays live.
    private func remove(_ change: ListingChange) async -> ListingOutcome {
        guard let removal = spec.removal else {
            return .rejected(issues: [
                MarketplaceIssue(
                    code: "NO_REMOVAL_REQUEST",
                    message:
                        "\(spec.file) has no [removal] request, so the listing stays live on the platform: add one, or withdraw it there",
                    attributeNames: ["removal"]
                )
            ])
        }
        let body = removal.request.body?.render(change.desired, marketplace: marketplace)
        let reply = await connection.send(
            method: removal.request.method,
            path: path(removal.request.path, change.sku),
            body: body,
            absent: removal.absent
        )
        switch reply {
        case .success: return .accepted(change)
        case .refused(let code, let message):
            return .rejected(issues: [MarketplaceIssue(code: code, message: message, attributeNames: ["removal"])])
        case .transient(let reason, let after): return .retry(reason: reason, after: after)
        case .accountRefused(let reason): return .needsAttention(reason: reason)
        }
    }

    /// One request per changed facet the spec supports.
    private func pushSingle(_ change: ListingChange) async -> ListingOutcome {
        var sent: [Facet: FacetHash] = [:]
        for facet in Facet.allCases where change.facets.contains(facet) {
            guard let request = spec.facets[facet] else { continue }
            let body = request.body?.render(change.desired, marketplace: marketplace)
            let reply = await connection.send(method: request.method, path: path(request.path, change.sku), body: body)
            switch reply {
            case .success: sent[facet] = change.desired.hashes[facet]
            case .refused(let code, let message):
                return .rejected(issues: [
                    MarketplaceIssue(code: code, message: message, attributeNames: [facet.rawValue])
                ])
            case .transient(let reason, let after):
                return .retry(reason: reason, after: after)
            case .accountRefused(let reason):
                return .needsAttention(reason: reason)
            }
        }
        return .accepted(sentHashes: sent, remoteID: change.remoteID)
    }

    /// One batch request; each item's result by the spec's rules.
    private func pushBatch(_ changes: [ListingChange], batch: RESTSpec.Batch) async -> [SKU: ListingOutcome] {
        let items = changes.map { batch.item.render($0.desired, marketplace: marketplace) }.joined(separator: ",")
        let body = batch.wrapper.replacingOccurrences(of: "{{items}}", with: items)
        let reply = await connection.send(method: batch.method, path: path(batch.path, nil), body: body)
        var outcomes: [SKU: ListingOutcome] = [:]
        switch reply {
        case .transient(let reason, let after):
            for change in changes { outcomes[change.sku] = .retry(reason: reason, after: after) }
        case .accountRefused(let reason):
            for change in changes { outcomes[change.sku] = .needsAttention(reason: reason) }
        case .refused(let code, let message):
            for change in changes {
                outcomes[change.sku] = .rejected(issues: [MarketplaceIssue(code: code, message: message)])
            }
        case .success(let response):
            guard let rules = spec.response.batch,
                let json = try? JSONSerialization.jsonObject(with: Data(response.body)),
                let results = rules.items.resolve(in: json) as? [Any]
            else {
                for change in changes {
                    outcomes[change.sku] = .retry(
                        reason: "the batch answer has no \(spec.response.batch?.items.description ?? "items") array",
                        after: nil
                    )
                }
                return outcomes
            }
            let bySKU = Dictionary(changes.map { ($0.sku.rawValue, $0) }, uniquingKeysWith: { $1 })
            var accepted: [ListingChange] = []
            for result in results {
                guard let sku = rules.sku.text(in: result), let change = bySKU[sku] else { continue }
                if rules.successField.text(in: result) == rules.successValue {
                    accepted.append(change)
                } else {
                    let code = rules.errorCode?.text(in: result) ?? "REJECTED"
                    let message = rules.errorMessage?.text(in: result) ?? "the platform refused the item"
                    outcomes[change.sku] = .rejected(issues: [MarketplaceIssue(code: code, message: message)])
                }
            }
            outcomes.merge(await concurrently(accepted) { await self.completeBatched($0, batch: batch) }) { $1 }
        }
        return outcomes
    }

    /// A batched item's outcome: only the facets the item template carries are acknowledged; the
    /// others go by their single requests when the spec has them, else stay unacknowledged.
    private func completeBatched(_ change: ListingChange, batch: RESTSpec.Batch) async -> ListingOutcome {
        let carried = change.facets.intersection(batch.item.facets)
        let sent = Dictionary(uniqueKeysWithValues: carried.map { ($0, change.desired.hashes[$0]) })
        var rest = change
        rest.facets = change.facets.subtracting(carried).intersection(spec.facets.keys)
        guard !rest.facets.isEmpty else { return .accepted(sentHashes: sent, remoteID: change.remoteID) }
        let single = await pushSingle(rest)
        guard case .accepted(let singleHashes, let remoteID) = single else { return single }
        return .accepted(sentHashes: sent.merging(singleHashes) { $1 }, remoteID: remoteID)
    }

    /// `path` with `{sku}` percent-encoded and `{marketplace}`.
    private func path(_ template: String, _ sku: SKU?) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        var result = template
        if let sku {
            result = result.replacingOccurrences(
                of: "{sku}",
                with: sku.rawValue.addingPercentEncoding(withAllowedCharacters: allowed) ?? sku.rawValue
            )
        }
        return result.replacingOccurrences(
            of: "{marketplace}",
            with: marketplace.addingPercentEncoding(withAllowedCharacters: allowed) ?? marketplace
        )
    }
}
