/// Keeps an actor's writes to an ``AdapterDataStore`` in the order the actor made them, key by key.
///
/// An actor that awaits `setValue` gives up its isolation while the write runs, so two writes of one key
/// made one after the other can reach the store in either order and leave the older value behind. Kept
/// in the actor's state, this value chains each key's writes: a write starts only once the previous
/// write of the same key has finished, so the store always ends with the value the actor wrote last.
///
/// ```swift
/// let write = writes.enqueue("7", for: key, in: store)
/// defer { writes.settle(write, for: key) }
/// try await write.value
/// ```
public struct OrderedAdapterDataWrites: Sendable {
    private var tails: [String: Task<Void, any Error>] = [:]

    /// No writes yet.
    public init() {}

    /// Starts writing `value` (`nil` removes the key) after every earlier write of `key`; await the task.
    public mutating func enqueue(
        _ value: String?,
        for key: String,
        in store: any AdapterDataStore
    ) -> Task<Void, any Error> {
        let previous = tails[key]
        let write = Task {
            _ = await previous?.result
            try await store.setValue(value, for: key)
        }
        tails[key] = write
        return write
    }

    /// Forgets `write` once it has finished, unless a later write of `key` was enqueued meanwhile.
    public mutating func settle(_ write: Task<Void, any Error>, for key: String) {
        if tails[key] == write { tails[key] = nil }
    }

    /// Keys with a write enqueued and not yet settled.
    public var pendingKeys: Int { tails.count }
}
