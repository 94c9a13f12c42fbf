import Foundation
import Sync

/// The JSON shapes the adapter reads from SP-API, LWA and the Feeds API, as their models define them.
///
/// Sources: `listingsItems_2021-08-01.json` (`ListingsItemSubmissionResponse`, `Issue`, `ErrorList`),
/// `feeds_2021-06-30.json` (`CreateFeedDocumentResponse`, `CreateFeedResponse`, `Feed`, `FeedDocument`),
/// and the LWA token response (`access_token`, `expires_in`).
enum SPAPIWire {
    /// `ListingsItemSubmissionResponse` of put/patch/deleteListingsItem.
    struct SubmissionResponse: Decodable, Sendable {
        var sku: String?
        /// `ACCEPTED`, `INVALID` or `VALID` (validation preview only).
        var status: String
        var submissionId: String?
        var issues: [Issue]?
    }

    /// `Issue` of a submission response.
    struct Issue: Decodable, Sendable {
        var code: String
        var message: String
        var severity: String
        var attributeNames: [String]?

        /// The issue as the engine keeps it, verbatim.
        var marketplaceIssue: MarketplaceIssue {
            MarketplaceIssue(code: code, message: message, severity: severity, attributeNames: attributeNames ?? [])
        }
    }

    /// `ErrorList`, the body of every non-2xx answer.
    struct ErrorList: Decodable, Sendable {
        struct Entry: Decodable, Sendable {
            var code: String
            var message: String
            var details: String?
        }

        var errors: [Entry]

        /// The errors as issues of severity `ERROR`, code and message verbatim.
        var issues: [MarketplaceIssue] {
            errors.map { MarketplaceIssue(code: $0.code, message: $0.message, severity: "ERROR") }
        }

        /// The first error's code, for reasons (`QuotaExceeded`, `Unauthorized`).
        var firstCode: String? { errors.first?.code }
    }

    /// `CreateFeedDocumentResponse` and `FeedDocument`: where to upload or download a document.
    struct FeedDocument: Decodable, Sendable {
        var feedDocumentId: String
        var url: String
        /// `GZIP` when the document is compressed.
        var compressionAlgorithm: String?
    }

    /// `CreateFeedResponse`.
    struct CreateFeedResponse: Decodable, Sendable {
        var feedId: String
    }

    /// `Feed`, as getFeed returns it.
    struct Feed: Decodable, Sendable {
        var feedId: String
        /// `IN_QUEUE`, `IN_PROGRESS`, `DONE`, `FATAL` or `CANCELLED`.
        var processingStatus: String
        var resultFeedDocumentId: String?
    }

    /// The LWA token endpoint's answer.
    struct TokenResponse: Decodable, Sendable {
        var accessToken: String
        var expiresIn: Int?

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case expiresIn = "expires_in"
        }
    }

    /// Decodes `type` from `body`, or `nil` when the body is not that shape.
    static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) -> T? {
        try? JSONDecoder().decode(type, from: Data(body))
    }
}
