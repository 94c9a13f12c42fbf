/// An edit made on the platform behind the daemon's back, as a seller would in Seller Central or
/// Seller Hub: the sandbox's `POST /_sandbox/tamper` hands it to the platform's twin.
///
/// Wire keys: `platform`, `marketplace` (the twin's own marketplace code or id, as in
/// `/_sandbox/listings`), `sku`, and any of `price` (a decimal string in the listing's currency),
/// `quantity`, `status` (`active`, `inactive`, `suppressed`).
public struct ListingTamper: Codable, Sendable, Hashable {
    /// The listing states a tamper can set.
    public enum Status: String, Codable, Sendable, Hashable {
        /// Buyable again.
        case active
        /// Listed but not buyable (Amazon: `DISCOVERABLE` only; eBay: the offer unpublished).
        case inactive
        /// Taken down by the platform (Amazon: no status and an enforcement issue; eBay: on hold).
        case suppressed
    }

    public var platform: String
    public var marketplace: String
    public var sku: String
    public var price: String?
    public var quantity: Int?
    public var status: Status?

    public init(
        platform: String,
        marketplace: String,
        sku: String,
        price: String? = nil,
        quantity: Int? = nil,
        status: Status? = nil
    ) {
        self.platform = platform
        self.marketplace = marketplace
        self.sku = sku
        self.price = price
        self.quantity = quantity
        self.status = status
    }
}

/// A twin whose stored listings can be edited behind the daemon's back (``ListingTamper``).
public protocol TamperableTwin: PlatformTwin {
    /// Applies `tamper` to the stored listing; returns the listing as it is now, or throws
    /// ``TamperError`` when there is no such listing or a value is not acceptable.
    func tamper(_ tamper: ListingTamper) async throws(TamperError) -> TwinListing
}

/// Why a tamper was refused, for the sandbox's error body.
public struct TamperError: Error, Sendable, Hashable {
    /// `not_found` or `invalid_tamper`.
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
