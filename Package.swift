// swift-tools-version: 6.1
import PackageDescription

// Modules are split by dependency, one concept each; arrows point down this list.
// See ../shared/DESIGN.md §3 and README.md "Layout".
let package = Package(
    name: "CatalogSync",
    platforms: [.macOS(.v15)],
    products: [],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // libcurl with typed, non-variadic shims Swift can call.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Async HTTP client on one curl multi handle driven by its own thread.
        .target(name: "CurlHTTP", dependencies: ["CCurl"]),
        // The domain: products, money, FX, pricing and stock rules, projection. Pure.
        .target(name: "Catalog"),
        // SQLite store: catalog, listing state, dirty marks (outbox), dead letters, import.
        // CSV is read by a byte-level reader: CSV.swift measured 40% slower end to end and gives no
        // line numbers (Benchmarks/README.md "Import").
        .target(
            name: "Store",
            dependencies: [
                "Catalog",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite C API GRDB is built on, for binding and reading directly in the hot loops.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The engine: adapter protocol and factories, channel workers, rate limiter, backoff, circuit
        // breaker, OAuth token cache.
        .target(
            name: "Sync",
            dependencies: [
                "Catalog", "Store", "CurlHTTP", .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // What every platform twin is built on: the twin protocol, quota buckets, sandbox counters.
        .target(name: "TwinSupport", dependencies: [.product(name: "Hummingbird", package: "hummingbird")]),
        // One folder per platform under adapters/: the adapter (Sync) and its sandbox twin (TwinSupport).
        // Amazon's marketplace table, shared by the adapter and the twin.
        .target(name: "AmazonModel", path: "adapters/Amazon/Model"),
        .target(
            name: "AmazonAdapter",
            dependencies: [
                "AmazonModel", "Sync", "Catalog", "CurlHTTP", .product(name: "Logging", package: "swift-log"),
            ],
            path: "adapters/Amazon/Adapter"
        ),
        .target(
            name: "AmazonTwin",
            dependencies: ["AmazonModel", "TwinSupport", .product(name: "Hummingbird", package: "hummingbird")],
            path: "adapters/Amazon/Twin"
        ),
        // Walmart, Shiprocket and Shopclues (adapters/Walmart, adapters/Shiprocket, adapters/Shopclues)
        .target(
            name: "WalmartAdapter",
            dependencies: ["Sync", "Catalog", "CurlHTTP", .product(name: "Logging", package: "swift-log")],
            path: "adapters/Walmart/Adapter"
        ),
        .target(
            name: "WalmartTwin",
            dependencies: ["TwinSupport", .product(name: "Hummingbird", package: "hummingbird")],
            path: "adapters/Walmart/Twin"
        ),
        .testTarget(
            name: "WalmartTests",
            dependencies: [
                "WalmartAdapter", "WalmartTwin", "AdapterTestSupport", "Sync", "Store", "Catalog", "CurlHTTP",
                "TwinSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "adapters/Walmart/Tests"
        ),
        .target(
            name: "ShiprocketAdapter",
            dependencies: ["Sync", "Catalog", "CurlHTTP", .product(name: "Logging", package: "swift-log")],
            path: "adapters/Shiprocket/Adapter"
        ),
        .target(
            name: "ShiprocketTwin",
            dependencies: ["TwinSupport", .product(name: "Hummingbird", package: "hummingbird")],
            path: "adapters/Shiprocket/Twin"
        ),
        .testTarget(
            name: "ShiprocketTests",
            dependencies: [
                "ShiprocketAdapter", "ShiprocketTwin", "AdapterTestSupport", "Sync", "Catalog", "CurlHTTP",
                "TwinSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "adapters/Shiprocket/Tests"
        ),
        .target(
            name: "ShopcluesAdapter",
            dependencies: ["Sync", "Catalog", "CurlHTTP", .product(name: "Logging", package: "swift-log")],
            path: "adapters/Shopclues/Adapter"
        ),
        .target(
            name: "ShopcluesTwin",
            dependencies: ["TwinSupport", .product(name: "Hummingbird", package: "hummingbird")],
            path: "adapters/Shopclues/Twin"
        ),
        .testTarget(
            name: "ShopcluesTests",
            dependencies: [
                "ShopcluesAdapter", "ShopcluesTwin", "AdapterTestSupport", "Sync", "Catalog", "CurlHTTP", "TwinSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "adapters/Shopclues/Tests"
        ),
        // eBay and Flipkart (adapters/Ebay, adapters/Flipkart)
        .target(name: "EbayAdapter", dependencies: ["Sync", "Catalog", "CurlHTTP"], path: "adapters/Ebay/Adapter"),
        .target(
            name: "EbayTwin",
            dependencies: ["TwinSupport", .product(name: "Hummingbird", package: "hummingbird")],
            path: "adapters/Ebay/Twin"
        ),
        .testTarget(
            name: "EbayTests",
            dependencies: [
                "EbayAdapter", "EbayTwin", "AdapterTestSupport", "Sync", "Store", "Catalog", "CurlHTTP", "TwinSupport",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "adapters/Ebay/Tests",
            exclude: ["validate_openapi.py"]
        ),
        .target(
            name: "FlipkartAdapter",
            dependencies: ["Sync", "Catalog", "CurlHTTP"],
            path: "adapters/Flipkart/Adapter"
        ),
        .target(
            name: "FlipkartTwin",
            dependencies: ["TwinSupport", .product(name: "Hummingbird", package: "hummingbird")],
            path: "adapters/Flipkart/Twin"
        ),
        .testTarget(
            name: "FlipkartTests",
            dependencies: [
                "FlipkartAdapter", "FlipkartTwin", "AdapterTestSupport", "Sync", "Store", "Catalog", "CurlHTTP",
                "TwinSupport",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "adapters/Flipkart/Tests"
        ),
        // DHL Express and the configurable REST adapter (Rivexa)
        .target(
            name: "DHLAdapter",
            dependencies: ["Sync", "Catalog", "CurlHTTP", .product(name: "Logging", package: "swift-log")],
            path: "adapters/DHL/Adapter"
        ),
        .target(
            name: "DHLTwin",
            dependencies: ["TwinSupport", .product(name: "Hummingbird", package: "hummingbird")],
            path: "adapters/DHL/Twin"
        ),
        .testTarget(
            name: "DHLTests",
            dependencies: [
                "DHLAdapter", "DHLTwin", "AdapterTestSupport", "Sync", "Catalog", "CurlHTTP", "TwinSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "adapters/DHL/Tests"
        ),
        .target(
            name: "ConfigurableRESTAdapter",
            dependencies: [
                "Sync", "Catalog", "CurlHTTP", .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "adapters/ConfigurableREST/Adapter"
        ),
        .target(
            name: "RivexaTwin",
            dependencies: ["TwinSupport", .product(name: "Hummingbird", package: "hummingbird")],
            path: "adapters/ConfigurableREST/Twin"
        ),
        .testTarget(
            name: "ConfigurableRESTTests",
            dependencies: [
                "ConfigurableRESTAdapter", "RivexaTwin", "AdapterTestSupport", "Sync", "Catalog", "CurlHTTP",
                "TwinSupport",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "adapters/ConfigurableREST/Tests"
        ),
        // Every platform twin in one Hummingbird app: fault injection, latency, inspection endpoints.
        .target(
            name: "Sandbox",
            dependencies: [
                "TwinSupport", "AmazonTwin", "EbayTwin", "FlipkartTwin", "WalmartTwin", "ShiprocketTwin", "DHLTwin",
                "RivexaTwin",
                "ShopcluesTwin",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The stand-alone sandbox server (thin).
        .executableTarget(
            name: "marketplace-sandbox",
            dependencies: [
                "Sandbox", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The control protocol's Codable request/response types, shared by daemon and CLI.
        .target(name: "ControlAPI", dependencies: ["Catalog"]),
        // The daemon: TOML configuration, credentials, systemd notify, control server, service group.
        .target(
            name: "Daemon",
            dependencies: [
                "Catalog", "Store", "ControlAPI", "Sync", "Sandbox",
                "AmazonAdapter", "EbayAdapter", "FlipkartAdapter", "WalmartAdapter", "ShiprocketAdapter",
                "DHLAdapter", "ConfigurableRESTAdapter",
                "ShopcluesAdapter",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The daemon's entry point (thin).
        .executableTarget(
            name: "catalogsyncd",
            dependencies: ["Daemon", "Sandbox", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The CLI: talks HTTP over the Unix socket through CurlHTTP.
        .executableTarget(
            name: "catalogctl",
            dependencies: [
                "ControlAPI", "Catalog", "CurlHTTP", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A loopback HTTP/1.1 server (TCP or Unix socket) that counts connections and misbehaves on purpose.
        .target(
            name: "CurlHTTPTestSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/CurlHTTPTestSupport"
        ),
        // What the adapters' tests share: a twin served on loopback, adapter contexts, sample products.
        .target(
            name: "AdapterTestSupport",
            dependencies: [
                "Sync", "Store", "Catalog", "CurlHTTP", "TwinSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/AdapterTestSupport"
        ),
        // `make bench`: the engine against the curl tool on the same loopback server.
        .executableTarget(name: "BenchHTTP", dependencies: ["CurlHTTP"], path: "Benchmarks/BenchHTTP"),
        // Release-mode micro benchmark of the projection's hash fast path (Benchmarks/README.md).
        .executableTarget(name: "BenchCatalog", dependencies: ["Catalog"], path: "Benchmarks/BenchCatalog"),
        // Release-mode import and dirty-set rebuild benchmarks of the store (Benchmarks/store.sh).
        // Change-to-acknowledgement latency and single-call throughput of the engine vs the curl tool.
        .executableTarget(
            name: "BenchSync",
            dependencies: [
                "Sync", "Store", "Catalog", "CurlHTTP", "AmazonAdapter",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/BenchSync"
        ),
        .executableTarget(name: "BenchStore", dependencies: ["Store", "Catalog"], path: "Benchmarks/BenchStore"),
        .testTarget(name: "CurlHTTPTests", dependencies: ["CurlHTTP", "CurlHTTPTestSupport"]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Catalog"]),
        .testTarget(name: "SyncTests", dependencies: ["Sync", "Store", "Catalog", "CurlHTTP"]),
        .testTarget(
            name: "AmazonTests",
            dependencies: [
                "AmazonModel", "AmazonAdapter", "AmazonTwin", "Sandbox", "Sync", "Catalog", "CurlHTTP", "TwinSupport",
                "Store", .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "adapters/Amazon/Tests",
            exclude: ["validate_sp_api.py"]
        ),
        .testTarget(name: "ControlAPITests", dependencies: ["ControlAPI", "Catalog"]),
        // The daemon and marketplace-sandbox as real processes, converging over loopback.
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["Daemon", "Catalog", "ControlAPI", "CurlHTTP"]
        ),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "TwinSupport", "CurlHTTP"]),
        .testTarget(
            name: "DaemonTests",
            dependencies: [
                "Daemon", "Catalog", "CurlHTTP", "Sync", "Store", "Sandbox", "TwinSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
