import Catalog
import Foundation
import Logging
import Store

/// Reads one channel's acknowledged listings back from the platform, low-priority, and re-queues
/// what drifted (``ListingDrift``) with its reason.
///
/// It walks the channel's acked listings in SKU order from a cursor kept in the store (a restart goes
/// on where it stopped), one read at a time, and only while pushes leave the quota idle: no pair of the
/// channel is due, the read operation's bucket holds more than ``Configuration/reservedTokens``, and
/// at most ``Configuration/quotaShare`` of the operation's rate goes to reads — of the whole account
/// (``RateLimiter/reserveShare(_:share:fallbackRate:)``), however many of its channels verify. A listing whose desired
/// hashes are not all acked is skipped (a push is on its way). After a pass it waits
/// ``Configuration/passInterval``. Runs beside the channel's lanes when the adapter is a
/// ``ListingReader`` and the share is above zero.
public final class ListingVerifier: Sendable {
    /// How much of a platform's quota the verifier takes, and how often it passes over a channel.
    public struct Configuration: Sendable, Hashable {
        /// The share of the read operation's rate reads may use (`[daemon] verify_quota_share`); 0 turns
        /// verification off.
        public var quotaShare: Double = 0.05
        /// The pause between two passes over a channel (`[daemon] verify_interval_seconds`).
        public var passInterval: Duration = .seconds(3600)
        /// Listings read from the store per step of a pass.
        public var batchSize = 50
        /// Tokens left in the read bucket for pushes: the verifier reads only above this.
        public var reservedTokens: Double = 1
        /// Reads per second assumed for an operation without a known rate (pacing off).
        public var unlimitedRate: Double = 5
        /// How long the verifier waits before it looks again while pushes use the quota.
        public var busyRecheck: Duration = .seconds(1)
        /// The longest wait after the engine starts before the first read (at most ``passInterval``): a
        /// starting daemon has pushes to send first.
        public var startDelay: Duration = .seconds(30)
        /// How long a platform may show fewer units than desired before it is drift. Platforms take sold
        /// units off at once, before the order poll reads the sale; "repairing" that would offer the sold
        /// units again (with one unit left: an oversell). More units than desired are repaired at once.
        public var lowQuantityGrace: Duration = .seconds(900)

        public init() {}
    }

    private let worker: ChannelWorker
    private let configuration: Configuration
    private let signal: WakeSignal
    private let logger: Logger
    private let clock = ContinuousClock()

    init(worker: ChannelWorker, configuration: Configuration, signal: WakeSignal) {
        self.worker = worker
        self.configuration = configuration
        self.signal = signal
        var logger = worker.logger
        logger[metadataKey: "task"] = "verify"
        self.logger = logger
    }

    private var store: CatalogStore { worker.store }
    private var channel: String { worker.channel }

    /// Passes over the channel until the worker stops or the task is cancelled.
    func run() async {
        await sleep(min(configuration.startDelay, configuration.passInterval))
        var cursor = (try? store.verifierProgress()[channel]?.cursor) ?? nil
        var checkedInPass = cursor != nil
        while !worker.isStopping, !Task.isCancelled {
            guard let reader = worker.adapter as? any ListingReader, worker.isRunnable else {
                await sleep(.seconds(60))
                continue
            }
            let candidates: [VerificationCandidate]
            do {
                candidates = try store.verificationCandidates(
                    channel: channel,
                    after: cursor,
                    limit: configuration.batchSize
                )
            } catch {
                logger.error("could not read listings to verify", metadata: ["error": "\(error)"])
                await sleep(configuration.busyRecheck)
                continue
            }
            if candidates.isEmpty {
                // A pass that found nothing to check (nothing acked yet) leaves no trace.
                if checkedInPass { try? store.finishVerificationPass(channel: channel) }
                checkedInPass = false
                cursor = nil
                await sleep(configuration.passInterval)
                continue
            }
            for candidate in candidates {
                let slot = await reader.rateLimiter.reserveShare(
                    reader.readOperation,
                    share: configuration.quotaShare,
                    fallbackRate: configuration.unlimitedRate
                )
                guard await waitForIdleCapacity(reader, after: slot) else { return }
                await check(candidate, reader: reader)
                cursor = candidate.sku
                checkedInPass = true
            }
        }
    }

    /// Waits out `slot` (the verifier's share of the quota), then until pushes leave the quota idle;
    /// `false` when the worker stops.
    private func waitForIdleCapacity(_ reader: any ListingReader, after slot: Duration) async -> Bool {
        let notBefore = clock.now + slot
        while !worker.isStopping, !Task.isCancelled {
            let now = clock.now
            if now < notBefore {
                await sleep(notBefore - now)
                continue
            }
            let due = (try? store.dueCount(channel: channel, limit: 1)) ?? 1
            let tokens = await reader.rateLimiter.capacity(reader.readOperation)?.tokens ?? .infinity
            if due == 0, tokens > configuration.reservedTokens, worker.isRunnable { return true }
            await sleep(configuration.busyRecheck)
        }
        return false
    }

    /// Reads one listing back, compares it with the desired listing its acks stand for, and records it.
    private func check(_ candidate: VerificationCandidate, reader: any ListingReader) async {
        let sku = candidate.sku
        guard let product = try? store.product(sku: sku)?.product,
            product.channels.map({ $0.contains(channel) }) ?? true,
            let desired = try? await worker.desiredListing(of: product)
        else { return }
        let kept = worker.adapter.capabilities.facets
        let checked = Set(kept.filter { candidate.acked[$0] == desired.hashes[$0].rawValue })
        // A facet acked with another hash is being sent: nothing to conclude until it is.
        guard !checked.isEmpty, checked.count == kept.count else { return }
        let read = await reader.readListing(sku: sku, remoteID: candidate.remoteID)
        let live: LiveListing
        switch read {
        case .failed(let reason):
            logger.notice("could not read a listing back", metadata: ["sku": "\(sku)", "reason": "\(reason)"])
            try? store.recordVerificationFailure(channel: channel, reason: "\(sku): \(reason)")
            return
        case .missing:
            live = LiveListing(availability: .suppressed)
        case .found(let found):
            live = found
        }
        var drift = ListingDrift.compare(desired: desired, read: read, checked: checked)
        let now = Date()
        var lowSince: Date?
        if let found = drift, found.facets.contains(.quantity), let shown = live.quantity, shown < desired.quantity {
            // Fewer units shown: most likely a sale not read yet; drift only once it has lasted the grace.
            let first = (try? store.listingChecks(sku: sku)[channel]?.lowQuantitySince) ?? nil
            if now.timeIntervalSince(first ?? now) < configuration.lowQuantityGrace.seconds {
                lowSince = first ?? now
                drift = ListingDrift.compare(desired: desired, read: read, checked: checked.subtracting([.quantity]))
                logger.notice(
                    "fewer units shown than the catalog's; taken for a sale not read yet",
                    metadata: ["sku": "\(sku)", "shown": "\(shown)", "expected": "\(desired.quantity)"]
                )
            }
        }
        let issues = (try? JSONEncoder().encode(live.issues)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        let record = ListingCheck(
            channel: channel,
            sku: sku,
            checkedAt: now,
            liveStatus: read == .missing ? "missing" : live.availability.rawValue,
            platformStatus: live.platformStatus,
            issuesJSON: issues,
            drift: drift?.reason,
            lowQuantitySince: lowSince
        )
        // Shown more stock than there is oversells: as urgent as a stock-out.
        let oversells = drift?.facets.contains(.quantity) == true && (live.quantity ?? 0) > desired.quantity
        do {
            try store.recordCheck(record, driftedFacets: drift?.facets ?? [], priority: oversells ? .stockOut : .normal)
        } catch {
            logger.error("could not record a listing check", metadata: ["sku": "\(sku)", "error": "\(error)"])
            return
        }
        if let drift {
            logger.warning("listing drifted; re-queued", metadata: ["sku": "\(sku)", "reason": "\(drift.reason)"])
            let event = EngineEvent(
                channel: channel,
                sku: sku,
                facets: Facet.allCases.filter(drift.facets.contains),
                outcome: .drifted,
                message: drift.reason,
                mode: .single,
                duration: .zero
            )
            ChannelWorker.count(event)
            worker.onEvent(event)
            worker.wake()
        }
    }

    /// Sleeps for `duration`, or until the worker stops (which sets its flag before it signals).
    private func sleep(_ duration: Duration) async {
        let generation = signal.generation
        if worker.isStopping { return }
        await signal.wait(since: generation, timeout: duration)
    }
}
