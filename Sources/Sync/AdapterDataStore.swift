import Synchronization

/// Durable key-value data an adapter keeps for its account: rotated refresh tokens, revision ledgers,
/// fetched estimates. The daemon keeps it in the state database, so it survives restarts; keys are
/// scoped to the account by the daemon, so adapters choose them freely (`landed-cost/SKU/US`).
public protocol AdapterDataStore: Sendable {
    /// The value stored under `key`, or `nil`.
    func value(for key: String) async throws -> String?
    /// Stores `value` under `key`; `nil` removes it.
    func setValue(_ value: String?, for key: String) async throws
    /// Every key starting with `prefix`, with its value.
    func values(withPrefix prefix: String) async throws -> [String: String]
    /// Removes every key starting with `prefix` (a ledger's previous day).
    func removeValues(withPrefix prefix: String) async throws
}

extension AdapterDataStore {
    /// Removes the keys one at a time; stores that can remove a prefix at once do so instead.
    public func removeValues(withPrefix prefix: String) async throws {
        for key in try await values(withPrefix: prefix).keys {
            try await setValue(nil, for: key)
        }
    }
}

/// An ``AdapterDataStore`` in memory, for tests and tools; nothing survives the process.
public final class InMemoryAdapterDataStore: AdapterDataStore {
    private let storage = Mutex<[String: String]>([:])

    public init() {}

    public func value(for key: String) async throws -> String? {
        storage.withLock { $0[key] }
    }

    public func setValue(_ value: String?, for key: String) async throws {
        storage.withLock { $0[key] = value }
    }

    public func values(withPrefix prefix: String) async throws -> [String: String] {
        storage.withLock { $0.filter { $0.key.hasPrefix(prefix) } }
    }

    public func removeValues(withPrefix prefix: String) async throws {
        storage.withLock { storage in storage = storage.filter { !$0.key.hasPrefix(prefix) } }
    }
}
