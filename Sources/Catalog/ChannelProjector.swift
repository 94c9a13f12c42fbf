/// Projects catalog products onto one channel: content in its language, price, quantity and their hashes.
///
/// Construction checks the channel's rules against its currency and the FX table, so a misconfiguration
/// fails at load or reload with the key named, never as a silently wrong price. After that, every method
/// is total and pure.
public struct ChannelProjector: Sendable {
    /// The channel's rules as configured.
    public let channel: ChannelRules
    /// The FX table prices convert with.
    public let fx: FXTable
    private let pricing: ChannelPricing
    /// The same rule at rate 1, for a product priced in the channel's currency already.
    private let unitRatePricing: ChannelPricing
    /// Translation keys tried in order: the exact locale (`fr_CA`), then its language (`fr`).
    private let translationKeys: [String]

    /// A projector for `channel`, converting with `fx`.
    /// - Throws: ``ConfigurationError`` with a full key: `fx.JPY` for a missing rate,
    ///   `channels[amazon-jp].pricing.rounding` for a rounding that cannot apply to the currency,
    ///   `channels[…].pricing.min` for min above max, `channels[…].inventory.share_percent`, ...
    public init(channel: ChannelRules, fx: FXTable) throws(ConfigurationError) {
        let prefix = "channels[\(channel.name)]"
        guard let rate = fx.rate(to: channel.currency) else {
            throw ConfigurationError(
                key: "fx.\(channel.currency.code)",
                message:
                    "no rate from \(fx.base.code) to \(channel.currency.code), the currency of channel \(channel.name)"
            )
        }
        do {
            try channel.inventory.validate()
        } catch {
            throw error.prefixed(by: "\(prefix).inventory")
        }
        do {
            pricing = try ChannelPricing(rule: channel.pricing, currency: channel.currency, rate: rate)
            unitRatePricing = try ChannelPricing(rule: channel.pricing, currency: channel.currency, rate: 1)
        } catch {
            throw error.key.hasPrefix("fx.") ? error : error.prefixed(by: prefix)
        }
        self.channel = channel
        self.fx = fx
        self.translationKeys = Self.translationKeys(for: channel.language)
    }

    /// The channel price of `product`: its `price@<channel>` override as is (rounded half-up to the minor
    /// unit if it has more digits), else the catalog price through FX, markup, add, rounding and clamps.
    ///
    /// `product.price` is taken to be in the FX base currency (the store imports it so); a price already in
    /// the channel's currency converts at 1, and a price in any other currency is treated as base money.
    public func price(for product: Product) -> Money {
        if !product.channelPrices.isEmpty, let override = product.channelPrices[channel.name] {
            return Money(
                minorUnits: ChannelPricing.minorUnitsRoundingHalfUp(override, currency: channel.currency),
                currency: channel.currency
            )
        }
        let base = product.price
        let rule = base.currency == channel.currency ? unitRatePricing : pricing
        return Money(minorUnits: rule.price(base), currency: channel.currency)
    }

    /// The quantity offered on the channel: share, then buffer, then cap; never negative.
    public func quantity(for product: Product) -> Int {
        channel.inventory.quantity(forStock: product.quantity)
    }

    /// What the channel shows for `product`, in the channel's language.
    public func content(for product: Product) -> ListingContent {
        let text = localizedText(of: product)
        return ListingContent(
            sku: product.sku,
            title: text.title,
            description: text.description,
            brand: product.brand,
            productType: product.productType,
            hsCode: product.hsCode,
            originCountry: product.originCountry,
            district: product.district,
            weightGrams: product.weightGrams,
            imageURLs: product.imageURLs,
            attributes: product.attributes.sorted { $0.key < $1.key }.map {
                ListingContent.Attribute(name: $0.key, value: $0.value)
            },
            language: text.language
        )
    }

    /// The whole desired listing of `product` on this channel.
    public func project(_ product: Product) -> DesiredListing {
        let content = content(for: product)
        let price = price(for: product)
        let quantity = quantity(for: product)
        return DesiredListing(
            sku: product.sku,
            channel: channel.name,
            content: content,
            price: price,
            quantity: quantity,
            hashes: FacetHashes(
                content: FacetHash(content: content),
                price: FacetHash(price: price),
                quantity: FacetHash(quantity: quantity)
            )
        )
    }

    /// The facet hashes of `product` on this channel, equal to `project(product).hashes` but without
    /// building the listing: the fast path for rebuilding the dirty set over the whole catalog.
    public func hashes(for product: Product) -> FacetHashes {
        FacetHashes(
            content: contentHash(for: product),
            price: FacetHash(price: price(for: product)),
            quantity: FacetHash(quantity: quantity(for: product))
        )
    }

    // MARK: - Content

    /// The content hash, feeding ``FacetHasher`` the same bytes as `FacetHash(content: content(for:))`.
    private func contentHash(for product: Product) -> FacetHash {
        let text = localizedText(of: product)
        var hasher = FacetHasher(facet: .content)
        hasher.combine(product.sku.rawValue)
        hasher.combine(text.title)
        hasher.combine(text.description)
        hasher.combine(product.brand)
        hasher.combine(product.productType)
        hasher.combine(product.hsCode)
        hasher.combine(product.originCountry)
        hasher.combine(product.district)
        hasher.combine(product.weightGrams)
        hasher.combine(product.imageURLs.count)
        for url in product.imageURLs { hasher.combine(url) }
        hasher.combine(product.attributes.count)
        if product.attributes.count == 1, let only = product.attributes.first {
            hasher.combine(only.key)
            hasher.combine(only.value)
        } else if product.attributes.count > 1 {
            for (name, value) in product.attributes.sorted(by: { $0.key < $1.key }) {
                hasher.combine(name)
                hasher.combine(value)
            }
        }
        hasher.combine(text.language)
        return hasher.finalized
    }

    /// Title and description in the channel's language: each from the most specific translation that has
    /// it (exact locale, then language), else the plain field. `language` names the title's source.
    private func localizedText(of product: Product) -> (title: String, description: String?, language: String?) {
        guard !product.translations.isEmpty else { return (product.title, product.description, nil) }
        var title: String?
        var language: String?
        var description: String?
        for key in translationKeys {
            guard let translation = product.translations[key] else { continue }
            if title == nil, let translated = translation.title {
                title = translated
                language = key
            }
            if description == nil { description = translation.description }
        }
        return (title ?? product.title, description ?? product.description, language)
    }

    /// `["fr_CA", "fr"]` for `fr_CA` (or `fr-CA`), `["fr"]` for `fr`.
    static func translationKeys(for locale: String) -> [String] {
        guard let separator = locale.firstIndex(where: { $0 == "_" || $0 == "-" }) else { return [locale] }
        let language = String(locale[..<separator])
        return language.isEmpty ? [locale] : [locale, language]
    }
}
