import Sync

extension EbayAdapterFactory {
    /// `account` pointed at the eBay twin: the Inventory API under `<baseURL>/ebay`, OAuth at
    /// `<baseURL>/ebay/identity/v1/oauth2/token`, with sandbox credentials.
    public func sandboxAccount(_ account: AccountSettings, baseURL: String) -> AccountSettings {
        var account = account
        account.endpoint = "\(baseURL)/ebay"
        account.tokenEndpoint = "\(baseURL)/ebay/identity/v1/oauth2/token"
        for key in Self.credentialKeys where account.credentials[key] == nil {
            account.credentials[key] = Secret("sandbox-\(key)")
        }
        return account
    }
}
