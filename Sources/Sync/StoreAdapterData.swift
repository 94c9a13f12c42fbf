import Store

/// An account's ``AdapterDataStore`` in the state database, so what adapters keep (landed-cost
/// estimates, revision ledgers, abandoned feeds) survives restarts.
///
/// The daemon gives every channel of an account one of these on the shared ``Store/CatalogStore``;
/// adapter tests use it on a real SQLite file to show what a restarted daemon would see.
public struct StoreAdapterData: AdapterDataStore {
    /// The state database.
    public let store: CatalogStore
    /// The account every key is kept under.
    public let account: String

    /// The data of `account` in `store`.
    public init(store: CatalogStore, account: String) {
        self.store = store
        self.account = account
    }

    public func value(for key: String) async throws -> String? {
        try store.adapterValue(account: account, key: key)
    }

    public func setValue(_ value: String?, for key: String) async throws {
        try store.setAdapterValue(value, account: account, key: key)
    }

    public func values(withPrefix prefix: String) async throws -> [String: String] {
        try store.adapterValues(account: account, prefix: prefix)
    }

    public func removeValues(withPrefix prefix: String) async throws {
        try store.removeAdapterValues(account: account, prefix: prefix)
    }
}
