/// A stable 64-bit hash over a canonical, length-prefixed, word-aligned encoding of a facet's value.
///
/// The encoding is a sequence of 64-bit words (each read as a little-endian `UInt64`):
/// - The first word is `version << 8 | facet`, with version `1` and facet `1` content, `2` price,
///   `3` quantity.
/// - An integer is one word, two's complement.
/// - A string is one word with its UTF-8 byte count, then its UTF-8 bytes packed little-endian into
///   words, the last word padded with zero bytes.
/// - An optional is one word `0` for absent, or one word `1` followed by the value.
/// - An array is one word with its element count, then the elements.
///
/// Price is `header, minor units, string(currency code)`; quantity is `header, quantity`; content is
/// the header followed by the fields of ``ListingContent`` in declaration order, attributes as a count
/// followed by (name, value) string pairs sorted by name (Swift `String` order), then — only when the
/// listing has any (``ListingContent/hasDetails``) — its details (``combine(details:bulletLanguage:)``),
/// then — only when the channel has any (``ChannelRules/listingSettings``) — its listing settings as one
/// more string. Both are left out when empty so catalogs without them keep their hashes.
///
/// Each word is mixed with MurmurHash64A's word step (Austin Appleby's public-domain constants
/// `m = 0xc6a4a7935bd1e995`, `r = 47`, seed `0`); the number of words is mixed in at the end, then
/// MurmurHash64A's final avalanche. Pure integer arithmetic, so the hash is the same on every run and
/// machine; never `Hasher`, which is seeded per process. Changing any of this changes every stored hash:
/// bump the version instead, deliberately.
struct FacetHasher {
    private var state: UInt64 = 0
    private var words: UInt64 = 0
    private static let multiplier: UInt64 = 0xc6a4_a793_5bd1_e995
    private static let shift: UInt64 = 47
    /// The encoding version, part of the first word.
    static let version: UInt64 = 1

    /// A hasher that has absorbed the header word of `facet`.
    init(facet: Facet) {
        let code: UInt64
        switch facet {
        case .content: code = 1
        case .price: code = 2
        case .quantity: code = 3
        }
        mix(Self.version << 8 | code)
    }

    @inline(__always)
    private mutating func mix(_ word: UInt64) {
        var k = word &* Self.multiplier
        k ^= k >> Self.shift
        k = k &* Self.multiplier
        state = (state ^ k) &* Self.multiplier
        words &+= 1
    }

    mutating func combine(_ value: Int64) {
        mix(UInt64(bitPattern: value))
    }

    mutating func combine(_ value: Int) {
        mix(UInt64(bitPattern: Int64(value)))
    }

    @inline(__always)
    mutating func combine(_ string: String) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { combine(utf8: $0) }
        if done == nil {
            let bytes = Array(string.utf8)
            bytes.withUnsafeBufferPointer { combine(utf8: $0) }
        }
    }

    @inline(__always)
    private mutating func combine(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        mix(UInt64(bytes.count))
        guard let base = bytes.baseAddress else { return }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= bytes.count {
            mix(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        guard offset < bytes.count else { return }
        var last: UInt64 = 0
        var position: UInt64 = 0
        while offset < bytes.count {
            last |= UInt64(bytes[offset]) << position
            position += 8
            offset += 1
        }
        mix(last)
    }

    mutating func combine(_ string: String?) {
        guard let string else { return mix(0) }
        mix(1)
        combine(string)
    }

    mutating func combine(_ value: Int?) {
        guard let value else { return mix(0) }
        mix(1)
        combine(value)
    }

    /// Absorbs a listing's ``ProductDetails`` (resolved for its channel): the marker string `details`,
    /// then gtin, identifier exemption (0/1), asin, bullet points (count, then each), the bullet points'
    /// language, color, material, manufacturer, part number, condition, dangerous goods, and the platform
    /// attributes (count, then name/value pairs sorted by name).
    mutating func combine(details: ProductDetails, bulletLanguage: String?) {
        combine("details")
        combine(details.gtin)
        combine(details.identifierExemption ? 1 : 0)
        combine(details.asin)
        combine(details.bulletPoints.count)
        for bullet in details.bulletPoints { combine(bullet) }
        combine(bulletLanguage)
        combine(details.color)
        combine(details.material)
        combine(details.manufacturer)
        combine(details.partNumber)
        combine(details.condition.rawValue)
        combine(details.dangerousGoods.rawValue)
        combine(details.platformAttributes.count)
        for (name, value) in details.platformAttributes.sorted(by: { $0.key < $1.key }) {
            combine(name)
            combine(value)
        }
    }

    /// The hash of everything combined so far.
    var finalized: FacetHash {
        var hash = (state ^ (words &* Self.multiplier)) &* Self.multiplier
        hash ^= hash >> Self.shift
        hash = hash &* Self.multiplier
        hash ^= hash >> Self.shift
        return FacetHash(rawValue: Int64(bitPattern: hash))
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

    /// The hash of a content facet: every field of `content`, and the channel's `listingSettings`
    /// (``ChannelRules/listingSettings``) when not empty, so a channel without any keeps its hashes.
    public init(content: ListingContent, listingSettings: String = "") {
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
        if content.hasDetails {
            hasher.combine(details: content.details, bulletLanguage: content.bulletLanguage)
        }
        if !listingSettings.isEmpty { hasher.combine(listingSettings) }
        self = hasher.finalized
    }
}
