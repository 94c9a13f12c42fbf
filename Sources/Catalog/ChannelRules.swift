/// What one channel (one marketplace of one account) does to the catalog: currency, language, rules.
public struct ChannelRules: Hashable, Sendable {
    /// The channel's configured name (`amazon-de`), the key of `price@<channel>` overrides.
    public var name: String
    /// The currency the channel sells in.
    public var currency: Currency
    /// The channel's locale (`de_DE`, `ja_JP`, `en_US`), which picks the translation.
    public var language: String
    /// How the channel's price is derived.
    public var pricing: PricingRule
    /// How much stock the channel offers.
    public var inventory: InventoryRule
    /// The channel's platform settings that shape every listing beyond the catalog (a DHL Express
    /// channel's destinations and shipper), as one text from its platform's adapter; empty for most
    /// channels. Part of the content hash, so changing them sends every listing of the channel again.
    public var listingSettings: String

    /// A channel; pricing and inventory default to plain conversion and all stock.
    public init(
        name: String,
        currency: Currency,
        language: String,
        pricing: PricingRule = PricingRule(),
        inventory: InventoryRule = InventoryRule(),
        listingSettings: String = ""
    ) {
        self.name = name
        self.currency = currency
        self.language = language
        self.pricing = pricing
        self.inventory = inventory
        self.listingSettings = listingSettings
    }
}
