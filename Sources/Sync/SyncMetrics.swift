import CurlHTTP
import Metrics

/// The names and labels of every metric CatalogSync records, in one place: the engine records them
/// with swift-metrics, the daemon exports them on `GET /metrics` (Prometheus text).
///
/// Counters carry `channel` and `facet` labels, gauges `channel`, the request timer `channel` and
/// `operation`. Store-derived gauges (pending, dead letters, acked, products) are refreshed by the
/// daemon when `/metrics` is scraped, so they are always current.
public enum SyncMetrics {
    /// Listing facets the marketplace accepted. Labels: `channel`, `facet`.
    public static let acceptedTotal = "catalogsync_listings_accepted_total"
    /// Listing facets the marketplace rejected (dead letters). Labels: `channel`, `facet`.
    public static let rejectedTotal = "catalogsync_listings_rejected_total"
    /// Listings held before sending because they fail the platform's published rules (dead letters,
    /// nothing sent). Labels: `channel`, `facet`.
    public static let heldTotal = "catalogsync_listings_held_total"
    /// Sends that failed transiently and will be retried. Labels: `channel`, `facet`.
    public static let retriedTotal = "catalogsync_listings_retried_total"
    /// Requests the marketplace throttled (429 or a local quota wait). Labels: `channel`, `facet`.
    public static let throttledTotal = "catalogsync_listings_throttled_total"
    /// Facets the verifier found drifted on the platform and queued again, by `channel` and `facet`.
    public static let driftedTotal = "catalogsync_listings_drifted_total"
    /// (channel, SKU) pairs due now. Labels: `channel`.
    public static let pending = "catalogsync_pending"
    /// (channel, SKU) pairs claimed by a worker. Labels: `channel`.
    public static let inFlight = "catalogsync_in_flight"
    /// (channel, SKU) pairs the marketplace rejected, waiting for a fix or a retry. Labels: `channel`.
    public static let deadLetters = "catalogsync_dead_letters"
    /// Listings with acknowledged hashes. Labels: `channel`.
    public static let ackedListings = "catalogsync_acked_listings"
    /// Marketplace request latency. Labels: `channel`, `operation`.
    public static let requestDuration = "catalogsync_request_duration_seconds"
    /// Requests sent to a platform. Labels: `platform`, `operation`, `status` (the HTTP status, or the
    /// transport failure: `timeout`, `connect`, `reset`, ...).
    public static let requestsTotal = "catalogsync_requests_total"
    /// Requests a platform answered with 429. Labels: `platform`, `operation`.
    public static let requestsThrottledTotal = "catalogsync_requests_throttled_total"
    /// Latency of requests sent to a platform, answered or not (a histogram). Labels: `platform`,
    /// `operation`.
    public static let requestLatency = "catalogsync_request_latency_seconds"
    /// Products in the catalog.
    public static let products = "catalogsync_products"
    /// Control API requests served.
    public static let httpRequestsTotal = "catalogsync_http_requests_total"

    /// Label keys.
    public enum Label {
        /// The channel name (`amazon-de`).
        public static let channel = "channel"
        /// The listing facet (`content`, `price`, `quantity`).
        public static let facet = "facet"
        /// The adapter operation (`put_listing`, `patch_price`, `feed`, ...).
        public static let operation = "operation"
        /// The account's platform (`amazon`, `ebay`, ...).
        public static let platform = "platform"
        /// The HTTP status of an answer, or the kind of transport failure.
        public static let status = "status"
    }
}

extension HTTPClient {
    /// Sends `request` to `platform` and counts it under ``SyncMetrics/requestsTotal`` with its status
    /// (or transport failure), ``SyncMetrics/requestsThrottledTotal`` when it is a 429, and its latency
    /// under ``SyncMetrics/requestLatency``. Adapters send every platform request through this.
    ///
    /// - Parameters:
    ///   - platform: the account's platform (`amazon`).
    ///   - operation: the call, as the platform's quotas name it or `token` for a token request; never
    ///     anything per SKU, so the label stays small.
    public func execute(
        _ request: HTTPRequest,
        platform: String,
        operation: String
    ) async throws(HTTPClientError) -> HTTPResponse {
        let started = ContinuousClock.now
        do {
            let response = try await execute(request)
            Self.count(platform, operation, status: String(response.status), since: started)
            return response
        } catch {
            Self.count(platform, operation, status: error.kind.rawValue, since: started)
            throw error
        }
    }

    private static func count(
        _ platform: String,
        _ operation: String,
        status: String,
        since started: ContinuousClock.Instant
    ) {
        let elapsed = ContinuousClock.now - started
        let labels = [(SyncMetrics.Label.platform, platform), (SyncMetrics.Label.operation, operation)]
        Counter(label: SyncMetrics.requestsTotal, dimensions: labels + [(SyncMetrics.Label.status, status)]).increment()
        if status == "429" { Counter(label: SyncMetrics.requestsThrottledTotal, dimensions: labels).increment() }
        Metrics.Timer(label: SyncMetrics.requestLatency, dimensions: labels).recordNanoseconds(
            elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        )
    }
}
