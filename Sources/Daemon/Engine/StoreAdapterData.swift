import Store
import Sync

/// An account's ``AdapterDataStore`` in the state database, so what adapters keep (landed-cost
/// estimates, ledgers) survives restarts.
struct StoreAdapterData: AdapterDataStore {
    let store: CatalogStore
    let account: String

    func value(for key: String) async throws -> String? {
        try store.adapterValue(account: account, key: key)
    }

    func setValue(_ value: String?, for key: String) async throws {
        try store.setAdapterValue(value, account: account, key: key)
    }

    func values(withPrefix prefix: String) async throws -> [String: String] {
        try store.adapterValues(account: account, prefix: prefix)
    }
}
