import Sync

extension FlipkartAdapterFactory {
    /// `account` pointed at the Flipkart twin: the seller API under `<baseURL>/flipkart`, tokens at
    /// `<baseURL>/flipkart/oauth-service/oauth/token`, with sandbox credentials.
    public func sandboxAccount(_ account: AccountSettings, baseURL: String) -> AccountSettings {
        var account = account
        account.endpoint = "\(baseURL)/flipkart"
        account.tokenEndpoint = "\(baseURL)/flipkart/oauth-service/oauth/token"
        for key in Self.credentialKeys where account.credentials[key] == nil {
            account.credentials[key] = Secret("sandbox-\(key)")
        }
        return account
    }
}
