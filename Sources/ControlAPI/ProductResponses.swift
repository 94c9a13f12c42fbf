import Catalog

/// `GET|PUT /v1/products/{sku}`: one catalog product. Wire keys: `product` (the import contract's
/// JSON object, DESIGN §4.2).
public struct ProductResponse: Codable, Hashable, Sendable {
    public var product: Product

    public init(product: Product) { self.product = product }
}

/// `GET /v1/products/{sku}/listings`: the product's state on every channel it is listed on.
///
/// Wire keys: `sku`, `listings` (each `channel`, `facets`; each facet `facet`, `state`,
/// `desired_hash`, `acked_hash`, `last_error`).
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
    public struct Listing: Codable, Hashable, Sendable {
        public var channel: String
        public var facets: [FacetState]

        public init(channel: String, facets: [FacetState]) {
            self.channel = channel
            self.facets = facets
        }
    }

    public var sku: String
    public var listings: [Listing]

    public init(sku: String, listings: [Listing]) {
        self.sku = sku
        self.listings = listings
    }
}
