import Sync

extension AmazonAdapterFactory {
    /// `account` pointed at the Amazon twin under `<baseURL>/amazon`: SP-API calls there, Login with
    /// Amazon at `<baseURL>/amazon/auth/o2/token`, and sandbox credentials (the twin accepts any
    /// non-empty ones).
    public func sandboxAccount(_ account: AccountSettings, baseURL: String) -> AccountSettings {
        var account = account
        account.endpoint = "\(baseURL)/amazon"
        account.tokenEndpoint = "\(baseURL)/amazon/auth/o2/token"
        for key in [CredentialKey.clientID, CredentialKey.clientSecret, CredentialKey.refreshToken]
        where account.credentials[key] == nil {
            account.credentials[key] = Secret("sandbox-\(key)")
        }
        return account
    }
}
