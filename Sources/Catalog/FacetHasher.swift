/// 64-bit FNV-1a over a canonical, length-prefixed byte encoding of a facet's value.
///
/// The encoding, which must never change without a new version tag (the store compares hashes across
/// restarts and upgrades):
/// - A hash starts with one version byte (`1`) and one facet byte: `1` content, `2` price, `3` quantity.
/// - Integers: 8 bytes, little-endian two's complement.
/// - Strings: byte count as an integer, then the UTF-8 bytes.
/// - Optionals: byte `0` for absent, or byte `1` followed by the value.
/// - Arrays: element count as an integer, then the elements.
///
/// Price is `[1, 2] ++ int(minor units) ++ string(currency code)`; quantity is `[1, 3] ++ int(quantity)`;
/// content is `[1, 1]` followed by the fields of ``ListingContent`` in declaration order, with attributes
/// as a count followed by (name, value) string pairs sorted by name.
struct FacetHasher {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x100_0000_01b3
    static let version: UInt8 = 1

    /// A hasher that has absorbed the version and facet bytes.
    init(facet: Facet) {
        combine(byte: Self.version)
        switch facet {
        case .content: combine(byte: 1)
        case .price: combine(byte: 2)
        case .quantity: combine(byte: 3)
        }
    }

    @inline(__always)
    mutating func combine(byte: UInt8) {
        state = (state ^ UInt64(byte)) &* Self.prime
    }

    mutating func combine(_ value: Int64) {
        var bits = UInt64(bitPattern: value)
        for _ in 0..<8 {
            state = (state ^ (bits & 0xff)) &* Self.prime
            bits >>= 8
        }
    }

    mutating func combine(_ value: Int) {
        combine(Int64(value))
    }

    mutating func combine(_ string: String) {
        var string = string
        string.withUTF8 { bytes in
            combine(Int64(bytes.count))
            var state = self.state
            for byte in bytes {
                state = (state ^ UInt64(byte)) &* Self.prime
            }
            self.state = state
        }
    }

    mutating func combine(_ string: String?) {
        guard let string else { return combine(byte: 0) }
        combine(byte: 1)
        combine(string)
    }

    mutating func combine(_ value: Int?) {
        guard let value else { return combine(byte: 0) }
        combine(byte: 1)
        combine(value)
    }

    /// The hash of everything combined so far.
    var finalized: FacetHash {
        FacetHash(rawValue: Int64(bitPattern: state))
    }
}

extension FacetHash {
    /// The hash of a price facet: amount and currency.
    public init(price: Money) {
        var hasher = FacetHasher(facet: .price)
        hasher.combine(price.minorUnits)
        hasher.combine(price.currency.code)
        self = hasher.finalized
    }

    /// The hash of a quantity facet.
    public init(quantity: Int) {
        var hasher = FacetHasher(facet: .quantity)
        hasher.combine(quantity)
        self = hasher.finalized
    }

    /// The hash of a content facet: every field of `content`.
    public init(content: ListingContent) {
        var hasher = FacetHasher(facet: .content)
        hasher.combine(content.sku.rawValue)
        hasher.combine(content.title)
        hasher.combine(content.description)
        hasher.combine(content.brand)
        hasher.combine(content.productType)
        hasher.combine(content.hsCode)
        hasher.combine(content.originCountry)
        hasher.combine(content.district)
        hasher.combine(content.weightGrams)
        hasher.combine(content.imageURLs.count)
        for url in content.imageURLs { hasher.combine(url) }
        hasher.combine(content.attributes.count)
        for attribute in content.attributes {
            hasher.combine(attribute.name)
            hasher.combine(attribute.value)
        }
        hasher.combine(content.language)
        self = hasher.finalized
    }
}
