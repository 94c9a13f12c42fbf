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
/// the answer does not mention is retried.
public struct ConfigurableRESTAdapter: MarketplaceAdapter {
    public let capabilities: AdapterCapabilities
    /// The spec this adapter runs.
    public let spec: RESTSpec
    private let connection: RESTConnection
    private let marketplace: String

    init(spec: RESTSpec, context: AdapterContext, credential: RESTConnection.Credential) {
        self.spec = spec
        var base = context.account.endpoint ?? spec.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        connection = RESTConnection(spec: spec, baseURL: base, credential: credential, context: context)
        marketplace = context.channel.marketplace
        let facets = spec.facets.isEmpty ? Set(Facet.allCases) : Set(spec.facets.keys)
        capabilities = AdapterCapabilities(
            facets: facets,
            supportsSingleItem: !spec.facets.isEmpty,
            maximumBatchSize: spec.batch?.size ?? 1,
            quotas: spec.rateLimit.map { [$0] } ?? []
        )
    }

    /// Sends `changes` one request per facet (`single`) or in batches (`bulk`); one outcome per SKU.
    public func push(_ changes: [ListingChange], mode: PushMode) async -> [SKU: ListingOutcome] {
        let removals = changes.filter(\.isRemoval)
        var outcomes: [SKU: ListingOutcome] = [:]
        // Nothing in a spec withdraws a listing: a removal is acknowledged without a call.
        for change in removals { outcomes[change.sku] = .accepted(change) }
        let live = changes.filter { !$0.isRemoval }
        if mode == .bulk || spec.facets.isEmpty, let batch = spec.batch {
            for start in stride(from: 0, to: live.count, by: batch.size) {
                let slice = Array(live[start..<min(live.count, start + batch.size)])
                outcomes.merge(await pushBatch(slice, batch: batch)) { $1 }
            }
            return outcomes
        }
        let results = await withTaskGroup(of: (SKU, ListingOutcome).self) { group in
            for change in live {
                group.addTask { (change.sku, await self.pushSingle(change)) }
            }
            var results: [SKU: ListingOutcome] = [:]
            for await (sku, outcome) in group { results[sku] = outcome }
            return results
        }
        outcomes.merge(results) { $1 }
        return outcomes
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
            for result in results {
                guard let sku = rules.sku.text(in: result), let change = bySKU[sku] else { continue }
                if rules.successField.text(in: result) == rules.successValue {
                    let facets = change.facets.intersection(capabilities.facets)
                    outcomes[change.sku] = .accepted(
                        sentHashes: Dictionary(uniqueKeysWithValues: facets.map { ($0, change.desired.hashes[$0]) }),
                        remoteID: change.remoteID
                    )
                } else {
                    let code = rules.errorCode?.text(in: result) ?? "REJECTED"
                    let message = rules.errorMessage?.text(in: result) ?? "the platform refused the item"
                    outcomes[change.sku] = .rejected(issues: [MarketplaceIssue(code: code, message: message)])
                }
            }
        }
        return outcomes
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
