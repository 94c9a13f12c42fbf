import ControlAPI
import Foundation
import Store

/// The listing verifier's state as the control plane shows it: per listing (`live` of
/// `GET /v1/products/{sku}/listings`) and per channel (`verification` of `GET /v1/status`).
extension ControlRoutes {
    /// The verifier's last read of one listing.
    static func live(_ check: ListingCheck, _ formatter: ISO8601DateFormatter) -> LiveListingState {
        let issues =
            (try? JSONDecoder().decode([StoredIssue].self, from: Data(check.issuesJSON.utf8)))?.map {
                LiveListingState.Issue(
                    code: $0.code,
                    message: $0.message,
                    severity: $0.severity,
                    attributeNames: $0.attributeNames ?? []
                )
            } ?? []
        return LiveListingState(
            checkedAt: formatter.string(from: check.checkedAt),
            status: check.liveStatus,
            platformStatus: check.platformStatus,
            issues: issues,
            drift: check.drift,
            driftAt: check.driftAt.map { formatter.string(from: $0) }
        )
    }

    /// A channel's verifier progress.
    static func summary(_ progress: VerifierProgress, _ formatter: ISO8601DateFormatter) -> VerificationSummary {
        VerificationSummary(
            lastPassAt: progress.lastPassAt.map { formatter.string(from: $0) },
            lastPassChecked: progress.lastChecked,
            lastPassDrifted: progress.lastDrifted,
            passChecked: progress.passChecked,
            passDrifted: progress.passDrifted,
            totalChecked: progress.totalChecked,
            totalDrifted: progress.totalDrifted,
            lastError: progress.lastError.map(SecretRedactor.redact)
        )
    }

    /// An issue as the verifier stores it (the engine's `MarketplaceIssue` encoding).
    private struct StoredIssue: Decodable {
        var code: String
        var message: String
        var severity: String
        var attributeNames: [String]?
    }
}
