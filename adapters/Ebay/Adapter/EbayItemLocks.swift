import Foundation

/// Per-SKU locks over one account's shared inventory items, held while an adapter records its site's
/// offer quantity, sums every site's and writes the item (``EbayListingRecords``).
///
/// eBay keeps the last item write. Without the lock, two sites of an account writing the same SKU at
/// once could each read a sum missing the other's newest share and the staler, smaller one land last —
/// leaving the item below an offer, which eBay then refuses to publish or caps. With it, every write
/// of a SKU's item includes every share recorded before it. The factory gives all adapters of one
/// account (in this daemon) the same instance; SKUs are locked in sorted order, so batches of
/// different sites never wait on each other in a cycle. Waiters are served first come, first served.
actor EbayItemLocks {
    private var held: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Creates a set of locks with none held.
    init() {}

    /// Takes the lock of every SKU in `skus` (sorted, duplicates once), waiting for holders.
    func lock(_ skus: [String]) async {
        for sku in Set(skus).sorted() {
            if held.contains(sku) {
                // unlock(_:) hands the lock over: it stays in `held` for this waiter.
                await withCheckedContinuation { waiters[sku, default: []].append($0) }
            } else {
                held.insert(sku)
            }
        }
    }

    /// Releases the locks of `skus`, each to its next waiter if any.
    func unlock(_ skus: [String]) {
        for sku in Set(skus) {
            if var queue = waiters[sku], !queue.isEmpty {
                let next = queue.removeFirst()
                waiters[sku] = queue.isEmpty ? nil : queue
                next.resume()
            } else {
                held.remove(sku)
            }
        }
    }

    /// Runs `body` holding the locks of `skus`.
    func withLocks<T: Sendable>(_ skus: [String], _ body: @Sendable () async -> T) async -> T {
        await lock(skus)
        let result = await body()
        unlock(skus)
        return result
    }
}
