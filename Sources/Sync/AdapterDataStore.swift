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
}
