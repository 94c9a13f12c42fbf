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
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
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
        .target(
            name: "Store",
            dependencies: [
                "Catalog",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        // The engine: adapter protocol, outcomes, backoff (workers and rate limiter arrive with issue 4).
        .target(name: "Sync", dependencies: ["Catalog"]),
        .testTarget(name: "SyncTests", dependencies: ["Sync"]),
        .testTarget(name: "CurlHTTPTests", dependencies: ["CurlHTTP"]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Catalog"]),
    ]
)
