import Catalog
import CoreMetrics
import Foundation
import Metrics
import Prometheus
import Store
import Sync
import Synchronization

/// The process's metrics: swift-metrics bootstrapped once with a Prometheus factory, exported as
/// Prometheus text on `GET /metrics`.
///
/// The engine records counters and timers through swift-metrics with the names of ``SyncMetrics``;
/// the gauges that describe the store (pending, in flight, dead letters, acked, products) are read
/// from the database when `/metrics` is scraped, so a scrape always shows the current state.
public final class DaemonMetrics: Sendable {
    /// The one registry of this process (swift-metrics can be bootstrapped only once).
    public static let shared = DaemonMetrics()

    /// The registry behind the Prometheus text.
    public let registry: PrometheusCollectorRegistry
    private let bootstrapped = Mutex(false)

    private init() {
        registry = PrometheusCollectorRegistry()
    }

    /// Makes swift-metrics record into ``registry``. Safe to call more than once: only the first
    /// call bootstraps the process-wide `MetricsSystem`.
    public func bootstrap() {
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        if first { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry)) }
    }

    /// Counts one control API request.
    func countHTTPRequest() {
        Counter(label: SyncMetrics.httpRequestsTotal).increment()
    }

    /// Refreshes the store-derived gauges of `channels`, makes sure every metric of ``SyncMetrics``
    /// exists for them (so a fresh daemon already lists every name), and returns the Prometheus text.
    func scrape(store: CatalogStore, channels: [String], inFlight: [String: Int] = [:]) throws -> [UInt8] {
        let queues = Dictionary(try store.queueSummary().map { ($0.channel, $0) }, uniquingKeysWith: { a, _ in a })
        let acked = try store.ackedListingCounts()
        Gauge(label: SyncMetrics.products).record(try store.productCount())
        Counter(label: SyncMetrics.httpRequestsTotal).increment(by: 0)
        for channel in channels {
            let dimensions = [(SyncMetrics.Label.channel, channel)]
            let queue = queues[channel]
            Gauge(label: SyncMetrics.pending, dimensions: dimensions).record(queue?.pending ?? 0)
            Gauge(label: SyncMetrics.inFlight, dimensions: dimensions).record(inFlight[channel] ?? queue?.leased ?? 0)
            Gauge(label: SyncMetrics.deadLetters, dimensions: dimensions).record(queue?.deadLetters ?? 0)
            Gauge(label: SyncMetrics.ackedListings, dimensions: dimensions).record(acked[channel] ?? 0)
            for facet in Facet.allCases {
                let labels = dimensions + [(SyncMetrics.Label.facet, facet.rawValue)]
                for name in [
                    SyncMetrics.acceptedTotal, SyncMetrics.rejectedTotal, SyncMetrics.heldTotal,
                    SyncMetrics.retriedTotal, SyncMetrics.throttledTotal,
                ] {
                    Counter(label: name, dimensions: labels).increment(by: 0)
                }
            }
            _ = Metrics.Timer(
                label: SyncMetrics.requestDuration,
                dimensions: dimensions + [(SyncMetrics.Label.operation, "push")]
            )
        }
        return registry.emitToBuffer()
    }
}
