import Catalog
import CurlHTTP
import Foundation
import Sync

/// Reads Flipkart's answers into per-SKU outcomes, keeping Flipkart's own error text.
enum FlipkartResponses {
    /// `nil` for a 2xx answer, else the outcome every SKU of the call gets.
    static func callFailure(_ response: HTTPResponse) -> ListingOutcome? {
        guard !(200..<300).contains(response.status) else { return nil }
        let errors =
            (try? JSONDecoder().decode(FlipkartWire.ErrorResponse.self, from: Data(response.body)))?.errors ?? []
        // 401 to a fresh token (revoked application) or 403 (no access to the seller): the account's
        // problem, not the listing's.
        if response.status == 401 || response.status == 403 {
            let words =
                errors.isEmpty ? String(response.bodyText.prefix(500)) : MarketplaceIssue.reason(errors.map(issue))
            return .needsAttention(reason: "Flipkart refused the account (\(response.status)): \(words)")
        }
        guard !errors.isEmpty else {
            return .rejected(issues: [
                MarketplaceIssue(code: "HTTP \(response.status)", message: String(response.bodyText.prefix(500)))
            ])
        }
        return .rejected(issues: errors.map(issue))
    }

    /// The failures of an update call: `FAILURE` SKUs are rejected with Flipkart's errors, SKUs the
    /// answer leaves out are retried, `SUCCESS` and `WARNING` SKUs went through.
    static func perSKU(_ result: FlipkartAPIClient.Result, skus: [SKU]) -> [SKU: ListingOutcome] {
        var failures: [SKU: ListingOutcome] = [:]
        let response: HTTPResponse
        switch result {
        case .failed(let outcome):
            for sku in skus { failures[sku] = outcome }
            return failures
        case .response(let answer):
            response = answer
        }
        if let failure = callFailure(response) {
            for sku in skus { failures[sku] = failure }
            return failures
        }
        let statuses =
            (try? JSONDecoder().decode([String: FlipkartWire.SKUStatus].self, from: Data(response.body))) ?? [:]
        for sku in skus {
            guard let status = statuses[sku.rawValue] else {
                failures[sku] = .retry(reason: "Flipkart's answer has no status for SKU \(sku)", after: nil)
                continue
            }
            switch status.status?.uppercased() {
            case "SUCCESS", "WARNING": continue
            default:
                let errors = (status.errors ?? []) + (status.attributeErrors ?? [])
                let issues =
                    errors.isEmpty
                    ? [
                        MarketplaceIssue(
                            code: status.status ?? "FAILURE",
                            message: "Flipkart reported a failure without errors"
                        )
                    ]
                    : errors.map(issue)
                failures[sku] = .rejected(issues: issues)
            }
        }
        return failures
    }

    /// Flipkart's error entry as a marketplace issue, verbatim.
    static func issue(_ entry: FlipkartWire.ErrorEntry) -> MarketplaceIssue {
        MarketplaceIssue(
            code: entry.code ?? "UNKNOWN",
            message: entry.description ?? "Flipkart error without a description",
            severity: entry.severity ?? "ERROR",
            attributeNames: (entry.attribute ?? entry.path).map { [$0] } ?? []
        )
    }

    /// One outcome per SKU from the price and the inventory call: a rejection wins over a retry.
    static func combine(_ first: [SKU: ListingOutcome], _ second: [SKU: ListingOutcome]) -> [SKU: ListingOutcome] {
        first.merging(second) { lhs, rhs in
            if case .rejected(let left) = lhs, case .rejected(let right) = rhs {
                return .rejected(issues: left + right)
            }
            if case .rejected = lhs { return lhs }
            return rhs
        }
    }
}
