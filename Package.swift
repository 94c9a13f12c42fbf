// swift-tools-version: 6.1
import PackageDescription

/// One platform under `adapters/<name>/`: `<name>Adapter` (on Sync) in `Adapter/`, its sandbox twin
/// (on TwinSupport) in `Twin/` and `<name>Tests` in `Tests/`.
struct Platform {
    let name: String
    /// The twin's target name (`<name>Twin` unless the twin is named for a sandbox vendor).
    let twin: String
    let adapterDependencies: [Target.Dependency]
    let twinDependencies: [Target.Dependency]
    let testDependencies: [Target.Dependency]
    let testExclude: [String]

    /// `adapter`, `twin` and `tests` are extra dependencies of the three targets.
    init(
        _ name: String,
        twinName: String? = nil,
        adapter: [Target.Dependency] = [],
        twin: [Target.Dependency] = [],
        tests: [Target.Dependency] = [],
        testExclude: [String] = []
    ) {
        self.name = name
        self.twin = twinName ?? name + "Twin"
        self.adapterDependencies = adapter
        self.twinDependencies = twin
        self.testDependencies = tests
        self.testExclude = testExclude
    }

    var adapter: String { name + "Adapter" }

    /// The platform's adapter, twin and test targets.
    var targets: [Target] {
        let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
        let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
        return [
            .target(
                name: adapter,
                dependencies: ["Sync", "Catalog", "CurlHTTP", logging] + adapterDependencies,
                path: "adapters/\(name)/Adapter"
            ),
            .target(
                name: twin,
                dependencies: ["TwinSupport", hummingbird] + twinDependencies,
                path: "adapters/\(name)/Twin"
            ),
            .testTarget(
                name: name + "Tests",
                dependencies: [
                    .byName(name: adapter), .byName(name: twin), "AdapterTestSupport", "ProcessTestSupport", "Sync",
                    "Store", "Catalog",
                    "CurlHTTP", "TwinSupport", hummingbird, logging,
                ] + testDependencies,
                path: "adapters/\(name)/Tests",
                exclude: testExclude
            ),
        ]
    }
}

/// Every platform; adding one is one line here plus its folder under adapters/.
let platforms = [
    Platform(
        "Amazon",
        adapter: ["AmazonModel", "JSONSchema", "Gzip"],
        twin: ["AmazonModel", "JSONSchema", "Gzip"],
        tests: ["AmazonModel", "Sandbox", "Gzip"],
        testExclude: ["validate_sp_api.py", "validate_product_type.py"]
    ),
    Platform("Ebay", testExclude: ["validate_openapi.py"]),
    Platform("Flipkart"),
    Platform("Walmart"),
    Platform("Shiprocket"),
    Platform("Shopclues"),
    Platform("DHL"),
    Platform(
        "ConfigurableREST",
        twinName: "RivexaTwin",
        adapter: [.product(name: "TOMLKit", package: "TOMLKit")],
        tests: [.product(name: "TOMLKit", package: "TOMLKit")]
    ),
]

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
        // zlib, for gzip documents.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // gzip compression and decompression of whole documents (Amazon's GZIP feed reports).
        .target(name: "Gzip", dependencies: ["CZlib"]),
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
        // adapters/Amazon, Ebay, Flipkart, Walmart, Shiprocket, Shopclues, DHL, ConfigurableREST (Rivexa).
    ] + platforms.flatMap(\.targets) + [
        // Every platform twin in one Hummingbird app: fault injection, latency, inspection endpoints.
        .target(
            name: "Sandbox",
            dependencies: [
                "TwinSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ] + platforms.map { .byName(name: $0.twin) }
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
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ] + platforms.map { .byName(name: $0.adapter) }
        ),
        // The daemon's entry point (thin).
        .executableTarget(
            name: "catalogsyncd",
            dependencies: [
                "Daemon", "Sandbox", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["EmbedSandboxFiles"]
        ),
        // Builds config/sandbox.toml, sample-catalog.csv and rivexa.toml into catalogsyncd (generated source), so
        // `catalogsyncd --sandbox` runs from any directory; config/ stays the single source.
        .executableTarget(name: "embed-files"),
        .plugin(name: "EmbedSandboxFiles", capability: .buildTool(), dependencies: ["embed-files"]),
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
                "ProcessTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/CurlHTTPTestSupport"
        ),
        // Waiting for a test's child process without starving the threads that notice its exit.
        .target(name: "ProcessTestSupport", path: "Tests/ProcessTestSupport"),
        // What the adapters' tests share: a twin served on loopback, adapter contexts, sample products.
        .target(
            name: "AdapterTestSupport",
            dependencies: [
                "Sync", "Store", "Catalog", "CurlHTTP", "TwinSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Tests/AdapterTestSupport"
        ),
        // `make bench`: the engine against the curl tool on the same loopback server.
        .executableTarget(name: "BenchHTTP", dependencies: ["CurlHTTP"], path: "Benchmarks/BenchHTTP"),
        // Release-mode micro benchmark of the projection's hash fast path (Benchmarks/README.md).
        .executableTarget(name: "BenchCatalog", dependencies: ["Catalog"], path: "Benchmarks/BenchCatalog"),
        // Release-mode import and dirty-set rebuild benchmarks of the store (Benchmarks/store.sh).
        // Change-to-acknowledgement latency and single-call throughput of the engine vs the curl tool.
        // What the benchmarks that drive marketplace-sandbox share.
        .target(name: "BenchSupport", dependencies: ["Catalog", "CurlHTTP"], path: "Benchmarks/BenchSupport"),
        .executableTarget(
            name: "BenchSync",
            dependencies: [
                "BenchSupport", "Sync", "Store", "Catalog", "CurlHTTP", "AmazonAdapter",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/BenchSync"
        ),
        .executableTarget(name: "BenchStore", dependencies: ["Store", "Catalog"], path: "Benchmarks/BenchStore"),
        // The oversell window: an order on one marketplace to the new quantity acknowledged on the others.
        .executableTarget(
            name: "BenchOrders",
            dependencies: [
                "BenchSupport", "Sync", "Store", "Catalog", "CurlHTTP", "AmazonAdapter",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/BenchOrders"
        ),
        .testTarget(name: "CurlHTTPTests", dependencies: ["CurlHTTP", "CurlHTTPTestSupport"]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog"]),
        // JSON Schema draft 2019-09 with Amazon's product type vocabulary; no dependencies.
        .target(name: "JSONSchema"),
        .testTarget(name: "JSONSchemaTests", dependencies: ["JSONSchema", "ProcessTestSupport"]),
        // What a listing should look like, from DESIGN §5 alone (no Catalog code): the end-to-end oracle.
        .target(
            name: "ListingOracle",
            dependencies: [.product(name: "TOMLKit", package: "TOMLKit")],
            path: "Tests/ListingOracle"
        ),
        .testTarget(name: "ListingOracleTests", dependencies: ["ListingOracle", "Catalog"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Catalog"]),
        .testTarget(name: "SyncTests", dependencies: ["Sync", "Store", "Catalog", "CurlHTTP"]),
        .testTarget(name: "ControlAPITests", dependencies: ["ControlAPI", "Catalog"]),
        // The daemon and marketplace-sandbox as real processes, converging over loopback.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "Daemon", "Catalog", "ControlAPI", "CurlHTTP", "Sync", "ProcessTestSupport", "ListingOracle",
            ]
        ),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "TwinSupport", "CurlHTTP", "ProcessTestSupport"]),
        .testTarget(
            name: "DaemonTests",
            dependencies: [
                "Daemon", "Catalog", "CurlHTTP", "Sync", "Store", "Sandbox", "TwinSupport", "ProcessTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
