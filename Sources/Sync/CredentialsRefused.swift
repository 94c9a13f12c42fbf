import CurlHTTP
import Foundation

/// A platform's token or login endpoint refused the account's credentials themselves (a revoked grant, a
/// wrong secret or password, a client the platform no longer knows): no retry helps until an operator
/// replaces them, so the channel needs attention instead of retrying.
///
/// Adapters throw it from their token fetch; ``BearerTokenCall`` and the adapters' own clients turn it
/// into ``ListingOutcome/needsAttention(reason:)``. Its description carries the platform's status and
/// error code only, never a credential.
public struct CredentialsRefused: Error, CustomStringConvertible, Sendable {
    /// What the platform said (`eBay token endpoint refused the credentials (400 invalid_grant)`).
    public var description: String

    /// A refusal described by `description`.
    public init(_ description: String) {
        self.description = description
    }

    /// The OAuth 2.0 error codes (RFC 6749 §5.2) that mean the credentials or the grant are wrong, not that
    /// the endpoint is unwell: `invalid_grant`, `invalid_client`, `unauthorized_client`, `invalid_scope`,
    /// `unsupported_grant_type`.
    public static let oauthRefusalCodes: Set<String> = [
        "invalid_grant", "invalid_client", "unauthorized_client", "invalid_scope", "unsupported_grant_type",
    ]

    /// The RFC 6749 §5.2 `error` code of a token endpoint's answer, when its body is such a JSON object.
    public static func oauthErrorCode(in response: HTTPResponse) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            return nil
        }
        return object["error"] as? String
    }

    /// A refusal when `response` is an OAuth 2.0 token endpoint's 400 or 401 carrying one of
    /// ``oauthRefusalCodes`` (RFC 6749 §5.2: both statuses are the spec's own); `nil` for anything a retry
    /// may cure (429, 5xx, an error body without a code). `platform` names the endpoint in the reason.
    public static func oauth(_ response: HTTPResponse, platform: String) -> CredentialsRefused? {
        guard response.status == 400 || response.status == 401,
            let code = oauthErrorCode(in: response), oauthRefusalCodes.contains(code)
        else { return nil }
        return CredentialsRefused("\(platform) token endpoint refused the credentials (\(response.status) \(code))")
    }
}
