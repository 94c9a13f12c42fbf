import Catalog
import Foundation
import Sync

/// Builds adapters for a partner platform described by a spec file (platform `rivexa`, `rest`, ...).
///
/// Account keys: `spec` (the spec file's path; a relative path resolves against the daemon's current
/// directory), optional `endpoint` (overrides the spec's `base_url`). Credentials file keys, by the
/// spec's `auth.type`: `token` (bearer), `username` and `password` (basic), `api_key` (api_key),
/// `client_id` and `client_secret` (oauth_client_credentials).
public struct ConfigurableRESTAdapterFactory: AdapterFactory {
    /// The credentials file keys this adapter reads.
    public enum CredentialKey {
        public static let token = "token"
        public static let username = "username"
        public static let password = "password"
        public static let apiKey = "api_key"
        public static let clientID = "client_id"
        public static let clientSecret = "client_secret"
    }

    public let platform: String
    /// `spec`: the spec file's path.
    public let accountKeys: Set<String> = ["spec"]

    /// A factory serving accounts whose `platform` is `platform`.
    public init(platform: String) {
        self.platform = platform
    }

    /// The spec's `[rate_limit]` as the quota of operation `request`; none when the spec has none or
    /// cannot be read (``check(account:channel:)`` reports that).
    public func quotas(for account: AccountSettings) -> [OperationQuota] {
        guard let path = account.extra["spec"], let spec = try? RESTSpecLoader.load(path: path) else { return [] }
        return spec.rateLimit.map { [$0] } ?? []
    }

    /// The spec file (present, readable, valid), each problem naming the file and key.
    public func check(account: AccountSettings, channel: ChannelSettings) -> [AdapterError] {
        do {
            _ = try spec(for: account)
            return []
        } catch {
            return [error]
        }
    }

    /// The account's spec.
    /// - Throws: ``Sync/AdapterError/configuration(key:message:)`` naming `accounts.NAME.spec` or the
    ///   spec file and key.
    public func spec(for account: AccountSettings) throws(AdapterError) -> RESTSpec {
        guard let path = account.extra["spec"], !path.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .configuration(
                key: "accounts.\(account.name).spec",
                message: "required: the path of the platform's spec file (see adapters/ConfigurableREST/README.md)"
            )
        }
        return try RESTSpecLoader.load(path: path)
    }

    /// The adapter for one channel.
    public func makeAdapter(context: AdapterContext) throws(AdapterError) -> any MarketplaceAdapter {
        try makeRESTAdapter(context: context)
    }

    /// The adapter for one channel, as its concrete type.
    public func makeRESTAdapter(context: AdapterContext) throws(AdapterError) -> ConfigurableRESTAdapter {
        let spec = try spec(for: context.account)
        return try makeRESTAdapter(spec: spec, context: context)
    }

    /// The adapter for one channel with an already loaded `spec`.
    public func makeRESTAdapter(spec: RESTSpec, context: AdapterContext) throws(AdapterError)
        -> ConfigurableRESTAdapter
    {
        let account = context.account
        let credential: RESTConnection.Credential
        switch spec.auth {
        case .bearer:
            credential = .bearer(try account.credential(CredentialKey.token))
        case .basic:
            let username = try account.credential(CredentialKey.username)
            let password = try account.credential(CredentialKey.password)
            let pair = username.withRevealedValue { user in password.withRevealedValue { "\(user):\($0)" } }
            credential = .basic(Secret("Basic " + Data(pair.utf8).base64EncodedString()))
        case .apiKey(let header):
            credential = .apiKey(header: header, value: try account.credential(CredentialKey.apiKey))
        case .oauthClientCredentials(let client):
            credential = .oauth(
                OAuthTokenFetcher(
                    client: client,
                    baseURL: ConfigurableRESTAdapter.baseURL(spec: spec, account: account),
                    clientID: try account.credential(CredentialKey.clientID),
                    clientSecret: try account.credential(CredentialKey.clientSecret),
                    context: context
                )
            )
        }
        return ConfigurableRESTAdapter(spec: spec, context: context, credential: credential)
    }

    /// `account` pointed at the twin under `<baseURL>/<platform>`, with sandbox values for every
    /// credential key a spec may name.
    public func sandboxAccount(_ account: AccountSettings, baseURL: String) -> AccountSettings {
        var account = account
        account.endpoint = "\(baseURL)/\(platform)"
        for key in [
            CredentialKey.token, CredentialKey.username, CredentialKey.password, CredentialKey.apiKey,
            CredentialKey.clientID, CredentialKey.clientSecret,
        ]
        where account.credentials[key] == nil {
            account.credentials[key] = Secret("sandbox-\(key)")
        }
        return account
    }
}
