import Catalog
import Foundation
import Synchronization

/// When each watched SKU's new quantity was first acknowledged on each channel.
final class QuantityAcks: Sendable {
    private let acks = Mutex<[SKU: [String: ContinuousClock.Instant]]>([:])

    /// Records acknowledgements of `sku` from now on.
    func watch(_ sku: SKU) {
        acks.withLock { $0[sku] = [:] }
    }

    func record(sku: SKU, channel: String) {
        let now = ContinuousClock.now
        acks.withLock { acks in
            guard acks[sku] != nil, acks[sku]?[channel] == nil else { return }
            acks[sku]?[channel] = now
        }
    }

    /// The latest first acknowledgement of `sku` among `channels`, `nil` until all have one.
    func lastAck(sku: SKU, channels: [String]) -> ContinuousClock.Instant? {
        acks.withLock { acks in
            let times = channels.compactMap { acks[sku]?[$0] }
            return times.count == channels.count ? times.max() : nil
        }
    }
}
