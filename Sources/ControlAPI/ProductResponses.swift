import Catalog

/// `GET|PUT /v1/products/{sku}`: one catalog product. Wire keys: `product` (the import contract's
/// JSON object, DESIGN §4.2) and, on `GET` when a channel keeps landed costs (DHL Express), `landed_costs`.
public struct ProductResponse: Codable, Hashable, Sendable {
    /// One stored landed cost of the product: shipping one unit to a destination, with duties and taxes.
    ///
    /// Wire keys: `source` (the channel that keeps it, e.g. `dhl-express`), `destination` (ISO 3166
    /// alpha-2), `total` and each part's `amount` (`{"amount": "2551.00", "currency": "INR"}`), `parts`
    /// (`[{"name": "duties", "amount": …}]`), `fetched_at` (ISO 8601, UTC).
    public struct LandedCost: Codable, Hashable, Sendable {
        /// One named part of the total (`duties`, `taxes`, `shipping`).
        public struct Part: Codable, Hashable, Sendable {
            public var name: String
            public var amount: Money

            public init(name: String, amount: Money) {
                self.name = name
                self.amount = amount
            }
        }

        public var source: String
        public var destination: String
        public var total: Money
        public var parts: [Part]
        /// When the source fetched it, ISO 8601 (UTC).
        public var fetchedAt: String

        public init(source: String, destination: String, total: Money, parts: [Part] = [], fetchedAt: String) {
            self.source = source
            self.destination = destination
            self.total = total
            self.parts = parts
            self.fetchedAt = fetchedAt
        }

        private enum CodingKeys: String, CodingKey {
            case source, destination, total, parts
            case fetchedAt = "fetched_at"
        }
    }

    public var product: Product
    /// The product's landed costs per source channel and destination; `nil` (absent on the wire) when
    /// no channel keeps landed costs, empty when none is stored yet.
    public var landedCosts: [LandedCost]?
    /// What orders did to the product's stock (absent from daemons that predate order ingestion).
    public var orders: OrderCountsResponse?

    public init(product: Product, landedCosts: [LandedCost]? = nil, orders: OrderCountsResponse? = nil) {
        self.product = product
        self.landedCosts = landedCosts
        self.orders = orders
    }

    private enum CodingKeys: String, CodingKey {
        case product, orders
        case landedCosts = "landed_costs"
    }
}

/// `GET /v1/products/{sku}/listings`: the product's state on every channel it is listed on.
///
/// Wire keys: `sku`, `listings` (each `channel`, `state`, `remote_id`, `status`, `attempts`,
/// `next_attempt_at`, `last_error`, `facets`; each facet `facet`, `state`, `desired_hash`, `acked_hash`,
/// `last_error`). A facet's `desired_hash` is empty when the product is gone (the listing is being removed).
public struct ListingStateResponse: Codable, Hashable, Sendable {
    /// Where one facet of one listing stands.
    public enum State: String, Codable, Hashable, Sendable {
        /// The marketplace acknowledged the desired value.
        case synced
        /// A change waits to be sent.
        case pending
        /// A worker is sending it.
        case inFlight = "in_flight"
        /// A transient failure; it will be retried.
        case backingOff = "backing_off"
        /// The marketplace rejected it; see the dead letters.
        case deadLetter = "dead_letter"
    }

    /// One facet (`content`, `price`, `quantity`) of one listing.
    public struct FacetState: Codable, Hashable, Sendable {
        public var facet: Facet
        public var state: State
        public var desiredHash: String
        public var ackedHash: String?
        public var lastError: String?

        public init(facet: Facet, state: State, desiredHash: String, ackedHash: String? = nil, lastError: String? = nil)
        {
            self.facet = facet
            self.state = state
            self.desiredHash = desiredHash
            self.ackedHash = ackedHash
            self.lastError = lastError
        }

        private enum CodingKeys: String, CodingKey {
            case facet, state
            case desiredHash = "desired_hash"
            case ackedHash = "acked_hash"
            case lastError = "last_error"
        }
    }

    /// One channel's listing of the product.
    ///
    /// Wire keys: `channel`, `state` (the listing's queue state, as ``State``), `remote_id`, `status`
    /// (the marketplace status last recorded, e.g. `active`, `rejected`), `attempts`, `next_attempt_at`,
    /// `last_error`, `facets`, `live` (``LiveListingState``, once the verifier read the listing back).
    public struct Listing: Codable, Hashable, Sendable {
        public var channel: String
        /// Where the listing stands in the queue: `synced`, `pending`, `in_flight`, `backing_off`, `dead_letter`.
        public var state: State
        /// The marketplace's identifier of the listing (ASIN, offer id), once it acknowledged one.
        public var remoteID: String?
        /// The status last recorded for the listing; `nil` when it was never acknowledged.
        public var status: String?
        /// Failed attempts since the last success.
        public var attempts: Int
        /// When a backing-off listing is due again, ISO 8601 (UTC).
        public var nextAttemptAt: String?
        /// The marketplace's last error for the listing, verbatim.
        public var lastError: String?
        public var facets: [FacetState]
        /// What the platform showed when the verifier last read the listing back; `nil` before any read.
        public var live: LiveListingState?

        public init(
            channel: String,
            state: State = .synced,
            remoteID: String? = nil,
            status: String? = nil,
            attempts: Int = 0,
            nextAttemptAt: String? = nil,
            lastError: String? = nil,
            facets: [FacetState],
            live: LiveListingState? = nil
        ) {
            self.channel = channel
            self.state = state
            self.remoteID = remoteID
            self.status = status
            self.attempts = attempts
            self.nextAttemptAt = nextAttemptAt
            self.lastError = lastError
            self.facets = facets
            self.live = live
        }

        private enum CodingKeys: String, CodingKey {
            case channel, state
            case remoteID = "remote_id"
            case status, attempts
            case nextAttemptAt = "next_attempt_at"
            case lastError = "last_error"
            case facets, live
        }
    }

    public var sku: String
    public var listings: [Listing]

    public init(sku: String, listings: [Listing]) {
        self.sku = sku
        self.listings = listings
    }
}
