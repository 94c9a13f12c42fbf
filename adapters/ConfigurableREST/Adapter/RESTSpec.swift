import Catalog
import Foundation
import Sync

/// A partner platform's REST API as its spec file describes it (see the folder's README).
public struct RESTSpec: Sendable, Hashable {
    /// How requests authenticate; the secret values come from the account's credentials, never the spec.
    public enum Auth: Sendable, Hashable {
        /// `Authorization: Bearer <token>`, credentials key `token`.
        case bearer
        /// `Authorization: Basic base64(username:password)`, credentials keys `username`, `password`.
        case basic
        /// `<header>: <api_key>`, credentials key `api_key`.
        case apiKey(header: String)
        /// `Authorization: Bearer <token>` with a token from an OAuth 2.0 client-credentials grant
        /// (RFC 6749 §4.4), credentials keys `client_id`, `client_secret`; refreshed ahead of expiry.
        case oauthClientCredentials(OAuthClient)
    }

    /// An OAuth 2.0 client-credentials token endpoint (RFC 6749 §4.4).
    public struct OAuthClient: Sendable, Hashable {
        /// How the client authenticates at the token endpoint (RFC 6749 §2.3.1).
        public enum ClientAuth: String, Sendable, Hashable {
            /// `Authorization: Basic base64(client_id:client_secret)`.
            case basic
            /// `client_id` and `client_secret` in the form body.
            case body
        }

        /// The token endpoint: absolute, or a path resolved against the base URL (so an account's
        /// `endpoint` moves it too).
        public var tokenURL: String
        /// The `scope` form parameter, when the partner wants one.
        public var scope: String?
        public var clientAuth: ClientAuth
        /// The answer's token and lifetime fields (`access_token`, `expires_in`).
        public var tokenField: JSONPath
        public var expiresField: JSONPath
        /// The lifetime assumed when the answer gives none.
        public var defaultLifetimeSeconds: Int
    }

    /// A header or query parameter sent with every request.
    public struct NameValue: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    /// What a status means, before the success and retry ranges are consulted.
    public struct StatusRule: Sendable, Hashable {
        /// What to do with an answer of one of ``statuses``.
        public enum Action: Sendable, Hashable {
            /// Accepted (the body-field success rule still applies).
            case success
            /// Try again, after `after` (the answer's `Retry-After` wins when it is longer).
            case retry(after: Duration?)
            /// A final refusal: a dead letter with the answer's code and message.
            case reject
        }

        public var statuses: StatusRanges
        public var action: Action
    }

    /// How a listing is withdrawn.
    public struct Removal: Sendable, Hashable {
        public var request: FacetRequest
        /// Statuses meaning the listing is already gone (`404,410`): the removal is done.
        public var absent: StatusRanges
    }

    /// One facet's request.
    public struct FacetRequest: Sendable, Hashable {
        public var method: String
        /// The path after `base_url`, with `{sku}` (percent-encoded) and `{marketplace}`.
        public var path: String
        /// The JSON body template (`nil` for a request without body, e.g. DELETE).
        public var body: RequestTemplate?
    }

    /// The bulk path: many SKUs in one request.
    public struct Batch: Sendable, Hashable {
        public var method: String
        public var path: String
        /// The most SKUs in one request.
        public var size: Int
        /// The template of one item.
        public var item: RequestTemplate
        /// The request body around the items, with `{{items}}` where the comma-separated items go.
        public var wrapper: String
    }

    /// How to read an answer.
    public struct ResponseRules: Sendable, Hashable {
        /// Statuses meaning accepted.
        public var success: StatusRanges
        /// Statuses meaning "try again later" (besides transport failures).
        public var retry: StatusRanges
        /// JSON paths of a single-item error's message and code (`error.message`).
        public var errorMessage: JSONPath?
        public var errorCode: JSONPath?
        /// How to read a batch answer's per-item results.
        public var batch: BatchRules?
        /// The body field and value that must be present for a success status to count as success
        /// (`ok` = `true`); `nil` when the status alone decides.
        public var successField: JSONPath?
        public var successValue: String?
        /// Per-status rules, first match first; they win over ``success`` and ``retry``.
        public var statusRules: [StatusRule] = []
    }

    /// Per-item results of a batch answer.
    public struct BatchRules: Sendable, Hashable {
        /// The path to the per-item array (`results`).
        public var items: JSONPath
        /// The item's SKU field (`sku`).
        public var sku: JSONPath
        /// The field and the value that mean success (`status` = `accepted`).
        public var successField: JSONPath
        public var successValue: String
        /// The item's error message and code fields.
        public var errorMessage: JSONPath?
        public var errorCode: JSONPath?
    }

    /// The file the spec was read from (named in every error).
    public var file: String
    /// The API's base URL without a trailing slash (an account's `endpoint` overrides it).
    public var baseURL: String
    public var auth: Auth
    /// The requests of the facets the platform keeps; a facet without one is not supported.
    public var facets: [Facet: FacetRequest]
    /// How a listing is withdrawn; without it a removal is refused (a dead letter), never acknowledged.
    public var removal: Removal?
    public var batch: Batch?
    /// Headers and query parameters sent with every request (`Accept-Version: 2`, `api_version=2024-06`).
    public var headers: [NameValue] = []
    public var query: [NameValue] = []
    /// The platform's rate limit for all requests of one account, when it publishes one.
    public var rateLimit: OperationQuota?
    public var response: ResponseRules
}

/// A set of HTTP status ranges (`"200-299,304"`).
public struct StatusRanges: Sendable, Hashable {
    public var ranges: [ClosedRange<Int>]

    /// Whether `status` is in one of the ranges.
    public func contains(_ status: Int) -> Bool { ranges.contains { $0.contains(status) } }

    /// Parses `"200-299,304"`; `nil` unless every part is a status or a range of statuses (100–599).
    public init?(parsing text: String) {
        var ranges: [ClosedRange<Int>] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
            guard (1...2).contains(bounds.count), let low = bounds[0], let high = bounds.last ?? nil,
                (100...599).contains(low), (low...599).contains(high)
            else { return nil }
            ranges.append(low...high)
        }
        guard !ranges.isEmpty else { return nil }
        self.ranges = ranges
    }
}

/// A dot-separated path into a JSON document (`results`, `error.message`, `errors.0.message`).
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public var components: [String]

    /// A path; `nil` when empty or with an empty component.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !text.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        components = parts
    }

    public var description: String { components.joined(separator: ".") }

    /// The value at this path in `value` (a `JSONSerialization` object), or `nil`.
    public func resolve(in value: Any) -> Any? {
        var current: Any = value
        for component in components {
            if let object = current as? [String: Any], let next = object[component] {
                current = next
            } else if let array = current as? [Any], let index = Int(component), array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
        }
        return current
    }

    /// The value at this path as text (strings as they are, numbers and booleans spelled out).
    public func text(in value: Any) -> String? {
        switch resolve(in: value) {
        case let string as String: string
        case let bool as Bool: bool ? "true" : "false"
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }
}
