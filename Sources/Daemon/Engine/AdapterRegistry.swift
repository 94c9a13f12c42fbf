import AmazonAdapter
import ConfigurableRESTAdapter
import DHLAdapter
import EbayAdapter
import FlipkartAdapter
import ShiprocketAdapter
import ShopcluesAdapter
import Sync
import WalmartAdapter

/// Every platform the daemon can sync, one adapter factory per platform. Adding a platform is one
/// folder under `adapters/` and one line here.
public enum AdapterRegistry {
    /// The factories, one per platform.
    public static let factories: [any AdapterFactory] = [
        AmazonAdapterFactory(),
        EbayAdapterFactory(),
        FlipkartAdapterFactory(),
        WalmartAdapterFactory(),
        ShiprocketAdapterFactory(),
        ShopcluesAdapterFactory(),
        DHLAdapterFactory(),
        ConfigurableRESTAdapterFactory(platform: "rivexa"),
        ConfigurableRESTAdapterFactory(platform: "rest"),
    ]

    /// The factory for `platform`, or `nil` when no adapter exists for it yet.
    public static func factory(for platform: String) -> (any AdapterFactory)? {
        factories.first { $0.platform == platform }
    }

    /// The platforms with an adapter.
    public static var platforms: Set<String> {
        Set(factories.map(\.platform))
    }
}
