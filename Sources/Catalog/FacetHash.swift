/// A stable 64-bit content hash of one projected facet of a listing.
///
/// The store keeps, per (channel, SKU, facet), the hash the marketplace last acknowledged, as an SQLite
/// `INTEGER`. The value is 64-bit FNV-1a over ``FacetHasher``'s canonical encoding, so it is the same on
/// every run and every machine (unlike `Hasher`, which is seeded per process).
public struct FacetHash: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The hash bits as a signed integer, the way SQLite stores them.
    public var rawValue: Int64

    /// Wraps stored hash bits.
    public init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Sixteen lower-case hex digits of the bits.
    public var description: String {
        let hex = String(UInt64(bitPattern: rawValue), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// The hashes of the three facets of one desired listing.
public struct FacetHashes: Hashable, Sendable, Codable {
    /// Hash of the ``ListingContent``.
    public var content: FacetHash
    /// Hash of the price: amount in minor units and currency.
    public var price: FacetHash
    /// Hash of the quantity offered.
    public var quantity: FacetHash

    public init(content: FacetHash, price: FacetHash, quantity: FacetHash) {
        self.content = content
        self.price = price
        self.quantity = quantity
    }

    /// The hash of `facet`.
    public subscript(facet: Facet) -> FacetHash {
        switch facet {
        case .content: content
        case .price: price
        case .quantity: quantity
        }
    }
}
