import Catalog
import CurlHTTP
import Foundation
import Sync

/// Reads eBay's answers into per-SKU outcomes, keeping eBay's own error text.
enum EbayResponses {
    /// Error ids eBay documents as transient: 25001 (system error), 25025 (concurrent access, retry later).
    static let transientErrorIDs: Set<Int> = [25001, 25025]

    /// `nil` for a 2xx answer, else the SKU's outcome from eBay's `errors`.
    static func failure(_ response: HTTPResponse) -> ListingOutcome? {
        guard !(200..<300).contains(response.status) else { return nil }
        let errors = (try? JSONDecoder().decode(EbayWire.ErrorResponse.self, from: Data(response.body)))?.errors ?? []
        return outcome(status: response.status, errors: errors, fallback: response.bodyText)
    }

    /// The outcome of one failed item or call: a retry for transient error ids; the account's problem
    /// (401 to a fresh token: revoked consent; 403: a missing scope) needs attention; else a rejection.
    static func outcome(status: Int, errors: [EbayWire.ErrorDetail], fallback: String) -> ListingOutcome {
        if status == 401 || status == 403 {
            let text = errors.map { issue($0) }
            let words = text.isEmpty ? String(fallback.prefix(500)) : MarketplaceIssue.reason(text)
            return .needsAttention(reason: "eBay refused the account (\(status)): \(words)")
        }
        if status == 429 || status >= 500 || errors.contains(where: { transientErrorIDs.contains($0.errorId ?? 0) }) {
            let text = errors.compactMap(\.message).joined(separator: "; ")
            return .retry(reason: "eBay answered \(status): \(text.isEmpty ? fallback : text)", after: nil)
        }
        guard !errors.isEmpty else {
            return .rejected(issues: [MarketplaceIssue(code: "HTTP \(status)", message: String(fallback.prefix(500)))])
        }
        return .rejected(issues: errors.map(issue))
    }

    /// One eBay error as a marketplace issue: its errorId, its long message (else message), its parameters.
    static func issue(_ error: EbayWire.ErrorDetail) -> MarketplaceIssue {
        MarketplaceIssue(
            code: error.errorId.map(String.init) ?? "unknown",
            message: error.longMessage ?? error.message ?? "eBay error without a message",
            severity: "ERROR",
            attributeNames: (error.parameters ?? []).compactMap(\.value)
        )
    }

    /// The failures of a bulk call (200 or 207 with a status per item) for `skus`. An SKU the answer
    /// does not mention is retried; a whole-call failure applies to every SKU.
    static func perItem(_ result: EbayAPIClient.Result, skus: [SKU]) -> [SKU: ListingOutcome] {
        var failures: [SKU: ListingOutcome] = [:]
        let response: HTTPResponse
        switch result {
        case .failed(let outcome):
            for sku in skus { failures[sku] = outcome }
            return failures
        case .response(let answer):
            response = answer
        }
        guard response.status == 200 || response.status == 207 else {
            let outcome = failure(response) ?? .retry(reason: "eBay answered \(response.status)", after: nil)
            for sku in skus { failures[sku] = outcome }
            return failures
        }
        let items = (try? JSONDecoder().decode(EbayWire.BulkResponse.self, from: Data(response.body)))?.responses ?? []
        var seen: Set<String> = []
        for item in items {
            guard let sku = item.sku, skus.contains(where: { $0.rawValue == sku }) else { continue }
            seen.insert(sku)
            let status = item.statusCode ?? 500
            if (200..<300).contains(status) { continue }
            failures[SKU(trusted: sku)] = outcome(status: status, errors: item.errors ?? [], fallback: "no error text")
        }
        for sku in skus where !seen.contains(sku.rawValue) {
            failures[sku] = .retry(reason: "eBay's answer has no status for SKU \(sku)", after: nil)
        }
        return failures
    }
}
