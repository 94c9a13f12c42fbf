import Foundation
import Sync

/// What a seller configures per Amazon channel that every listing of the channel carries.
///
/// Channel keys (README, Configuration): `merchant_shipping_group` — the shipping template (Seller
/// Central → Shipping settings) offers ship with, default `legacy-template-id` (the template Amazon
/// migrated every seller's original shipping settings to); `product_type` — the Amazon product type of
/// listings whose catalog row has no `amazon.product_type`, default `PRODUCT`.
public struct AmazonListingDefaults: Sendable, Hashable {
    /// Channel key of ``merchantShippingGroup``.
    public static let shippingGroupKey = "merchant_shipping_group"
    /// Channel key of ``productType``.
    public static let productTypeKey = "product_type"
    /// The default shipping template name.
    public static let defaultShippingGroup = "legacy-template-id"
    /// The default Amazon product type.
    public static let defaultProductType = "PRODUCT"

    /// The `merchant_shipping_group` value of every offer on the channel.
    public var merchantShippingGroup: String
    /// The product type of listings without `amazon.product_type`.
    public var productType: String

    public init(
        merchantShippingGroup: String = Self.defaultShippingGroup,
        productType: String = Self.defaultProductType
    ) {
        self.merchantShippingGroup = merchantShippingGroup
        self.productType = productType
    }

    /// The defaults with `channel`'s keys applied (blank values keep the defaults).
    public init(channel: ChannelSettings) {
        self.init()
        if let group = channel.extra[Self.shippingGroupKey]?.trimmingCharacters(in: .whitespaces), !group.isEmpty {
            merchantShippingGroup = group
        }
        if let type = channel.extra[Self.productTypeKey]?.trimmingCharacters(in: .whitespaces), !type.isEmpty {
            productType = type
        }
    }

    /// The channel's listing settings text (``Catalog/ChannelRules/listingSettings``): empty for the
    /// defaults, so channels that set nothing keep their content hashes.
    public var listingSettings: String {
        guard self != AmazonListingDefaults() else { return "" }
        return "merchant_shipping_group=\(merchantShippingGroup);product_type=\(productType)"
    }
}
