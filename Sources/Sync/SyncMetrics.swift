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
    /// Sends that failed transiently and will be retried. Labels: `channel`, `facet`.
    public static let retriedTotal = "catalogsync_listings_retried_total"
    /// Requests the marketplace throttled (429 or a local quota wait). Labels: `channel`, `facet`.
    public static let throttledTotal = "catalogsync_listings_throttled_total"
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
    }
}
