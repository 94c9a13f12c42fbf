/// Projects catalog products onto one channel: content in its language, price, quantity and their hashes.
///
/// Construction checks the channel's rules against its currency and the FX table, so a misconfiguration
/// fails at load or reload with the key named, never as a silently wrong price. After that, every method
/// is total and pure.
///
/// The projector is a value backed by one immutable object, so copying it (once per product in a loop
/// over channels) costs one reference count, not a copy of every rule.
public struct ChannelProjector: Sendable {
    /// Everything checked at construction. Immutable (`let` of `Sendable` values), hence `Sendable`.
    private final class Storage: Sendable {
        let channel: ChannelRules
        let fx: FXTable
        let pricing: ChannelPricing
        /// The same rule at rate 1, for a product priced in the channel's currency already.
        let unitRatePricing: ChannelPricing
        /// Translation keys tried in order: the exact locale (`fr_CA`), then its language (`fr`).
        let translationKeys: [String]

        init(
            channel: ChannelRules,
            fx: FXTable,
            pricing: ChannelPricing,
            unitRatePricing: ChannelPricing,
            translationKeys: [String]
        ) {
            self.channel = channel
            self.fx = fx
            self.pricing = pricing
            self.unitRatePricing = unitRatePricing
            self.translationKeys = translationKeys
        }
    }

    private let storage: Storage

    /// The channel's rules as configured.
    public var channel: ChannelRules { storage.channel }
    /// The FX table prices convert with.
    public var fx: FXTable { storage.fx }

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
        let pricing: ChannelPricing
        let unitRatePricing: ChannelPricing
        do {
            pricing = try ChannelPricing(rule: channel.pricing, currency: channel.currency, rate: rate)
            unitRatePricing = try ChannelPricing(rule: channel.pricing, currency: channel.currency, rate: 1)
        } catch {
            throw error.key.hasPrefix("fx.") ? error : error.prefixed(by: prefix)
        }
        storage = Storage(
            channel: channel,
            fx: fx,
            pricing: pricing,
            unitRatePricing: unitRatePricing,
            translationKeys: Self.translationKeys(for: channel.language)
        )
    }

    /// The channel whose per-SKU landed costs this channel's price adds (`pricing.add_landed_cost`), or
    /// `nil`. Such a channel is priced with ``price(for:landedCost:)`` and ``project(_:landedCost:)``.
    public var landedCostSource: String? { storage.channel.pricing.landedCostSource }

    /// The channel price of `product` on a channel whose price adds no landed cost (see
    /// ``price(for:landedCost:)``). Calling it for a channel with ``landedCostSource`` is a programming
    /// error: such a price cannot be known without the landed cost.
    public func price(for product: Product) -> Money {
        guard let price = price(for: product, landedCost: nil) else {
            preconditionFailure("channel \(channel.name) adds a landed cost: use price(for:landedCost:)")
        }
        return price
    }

    /// The channel price of `product`: its `price@<channel>` override as is (rounded half-up to the minor
    /// unit if it has more digits), else the catalog price through FX, markup, add, the landed cost when
    /// the channel adds one (``landedCostSource``), rounding and clamps.
    ///
    /// `product.price` is taken to be in the FX base currency (the store imports it so); a price already in
    /// the channel's currency converts at 1, and a price in any other currency is treated as base money.
    ///
    /// - Parameter landedCost: the SKU's landed cost in the channel's currency, already rounded to its
    ///   minor unit; ignored when the channel adds none.
    /// - Returns: `nil` when the channel adds a landed cost and `landedCost` is `nil` (or not in the
    ///   channel's currency, or negative) and the product has no override: the price is not known, and
    ///   must not be sent without it.
    public func price(for product: Product, landedCost: Money?) -> Money? {
        let storage = storage
        let currency = storage.channel.currency
        if !product.channelPrices.isEmpty, let override = product.channelPrices[storage.channel.name] {
            return Money(
                minorUnits: ChannelPricing.minorUnitsRoundingHalfUp(override, currency: currency),
                currency: currency
            )
        }
        var landed: Int64 = 0
        if storage.channel.pricing.landedCostSource != nil {
            guard let landedCost, landedCost.currency == currency, landedCost.minorUnits >= 0 else { return nil }
            landed = landedCost.minorUnits
        }
        let base = product.price
        let rule = base.currency == currency ? storage.unitRatePricing : storage.pricing
        return Money(minorUnits: rule.price(base, landedCost: landed), currency: currency)
    }

    /// The quantity offered on the channel: share, then buffer, then cap; never negative.
    public func quantity(for product: Product) -> Int {
        storage.channel.inventory.quantity(forStock: product.quantity)
    }

    /// What the channel shows for `product`, in the channel's language.
    public func content(for product: Product) -> ListingContent {
        let text = localizedText(of: product)
        let details = resolvedDetails(of: product)
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
            language: text.language,
            details: details.details,
            bulletLanguage: details.bulletLanguage,
            descriptionLanguage: text.descriptionLanguage
        )
    }

    /// The whole desired listing of `product` on a channel whose price adds no landed cost (see
    /// ``project(_:landedCost:)``).
    public func project(_ product: Product) -> DesiredListing {
        guard let listing = project(product, landedCost: nil) else {
            preconditionFailure("channel \(channel.name) adds a landed cost: use project(_:landedCost:)")
        }
        return listing
    }

    /// The whole desired listing of `product` on this channel, or `nil` when its price is not known
    /// without a landed cost (``price(for:landedCost:)``).
    public func project(_ product: Product, landedCost: Money?) -> DesiredListing? {
        guard let price = price(for: product, landedCost: landedCost) else { return nil }
        let content = content(for: product)
        let quantity = quantity(for: product)
        return DesiredListing(
            sku: product.sku,
            channel: channel.name,
            content: content,
            price: price,
            quantity: quantity,
            hashes: FacetHashes(
                content: FacetHash(content: content, listingSettings: storage.channel.listingSettings),
                price: FacetHash(price: price),
                quantity: FacetHash(quantity: quantity)
            )
        )
    }

    /// The facet hashes of `product` on a channel whose price adds no landed cost, equal to
    /// `project(product).hashes` but without building the listing.
    public func hashes(for product: Product) -> FacetHashes {
        FacetHashes(
            content: contentHash(for: product),
            price: FacetHash(price: price(for: product)),
            quantity: FacetHash(quantity: quantity(for: product))
        )
    }

    // MARK: - Content

    /// The content hash, equal to `FacetHash(content: content(for: product), listingSettings:
    /// channel.listingSettings)` but without building the content: the fast path for rebuilding the
    /// dirty set over the whole catalog.
    public func contentHash(for product: Product) -> FacetHash {
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
        Self.forEachSortedByKey(product.attributes) { name, value in
            hasher.combine(name)
            hasher.combine(value)
        }
        hasher.combine(text.language)
        let details = resolvedDetails(of: product)
        if !details.details.isEmpty || details.bulletLanguage != nil {
            hasher.combine(details: details.details, bulletLanguage: details.bulletLanguage)
        }
        let settings = storage.channel.listingSettings
        if !settings.isEmpty { hasher.combine(settings) }
        return hasher.finalized
    }

    /// Calls `body` with the entries of `dictionary` in ascending key order. Up to eight entries, by
    /// repeated minimum search without allocating (keys are unique); more, by sorting.
    private static func forEachSortedByKey(
        _ dictionary: [String: String],
        _ body: (String, String) -> Void
    ) {
        guard dictionary.count > 1 else {
            if let only = dictionary.first { body(only.key, only.value) }
            return
        }
        guard dictionary.count <= 8 else {
            for (key, value) in dictionary.sorted(by: { $0.key < $1.key }) { body(key, value) }
            return
        }
        var previous: String?
        for _ in 0..<dictionary.count {
            var next: Dictionary<String, String>.Index?
            var index = dictionary.startIndex
            while index != dictionary.endIndex {
                let key = dictionary[index].key
                if previous.map({ key > $0 }) ?? true, next.map({ key < dictionary[$0].key }) ?? true {
                    next = index
                }
                index = dictionary.index(after: index)
            }
            let entry = dictionary[next!]
            body(entry.key, entry.value)
            previous = entry.key
        }
    }

    /// Title and description in the channel's language: each from the most specific translation that has
    /// it (exact locale, then language), else the plain field. `language` names the title's source,
    /// `descriptionLanguage` the description's.
    private func localizedText(
        of product: Product
    ) -> (title: String, description: String?, language: String?, descriptionLanguage: String?) {
        guard !product.translations.isEmpty else { return (product.title, product.description, nil, nil) }
        var title: String?
        var language: String?
        var description: String?
        var descriptionLanguage: String?
        for key in storage.translationKeys {
            guard let translation = Self.translation(key, in: product.translations) else { continue }
            if title == nil, let translated = translation.title {
                title = translated
                language = key
            }
            if description == nil, let translated = translation.description {
                description = translated
                descriptionLanguage = key
            }
        }
        return (title ?? product.title, description ?? product.description, language, descriptionLanguage)
    }

    /// The product's details as this channel sees them (``ProductDetails/resolved(channel:translationKeys:)``).
    private func resolvedDetails(of product: Product) -> (details: ProductDetails, bulletLanguage: String?) {
        guard !product.details.isEmpty else { return (product.details, nil) }
        return product.details.resolved(channel: storage.channel.name, translationKeys: storage.translationKeys)
    }

    /// `translations[key]`; for a few entries by comparing keys, which is cheaper than hashing `key`.
    private static func translation(
        _ key: String,
        in translations: [String: Product.LocalizedText]
    ) -> Product.LocalizedText? {
        guard translations.count <= 8 else { return translations[key] }
        for (candidate, translation) in translations where candidate == key { return translation }
        return nil
    }

    /// `["fr_CA", "fr"]` for `fr_CA` (or `fr-CA`), `["fr"]` for `fr`.
    static func translationKeys(for locale: String) -> [String] {
        guard let separator = locale.firstIndex(where: { $0 == "_" || $0 == "-" }) else { return [locale] }
        let language = String(locale[..<separator])
        return language.isEmpty ? [locale] : [locale, language]
    }
}
