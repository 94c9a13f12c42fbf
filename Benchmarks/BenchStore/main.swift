// Benchmarks of the Store module, run by Benchmarks/store.sh (results in Benchmarks/README.md).
//
//   BenchStore generate CSV ROWS          write a synthetic catalog CSV
//   BenchStore import CSV DB CHANNELS     import it into a fresh store (CHANNELS configured channels)
//   BenchStore seed DB SKUS CHANNELS      catalog of SKUS products, every one acked on CHANNELS channels,
//                                         then 1% of the products changed behind the outbox's back
//   BenchStore rebuild DB CHANNELS        time rebuildDirtySet on a seeded store
//
// Each command prints one `key=value` line; peak RSS comes from getrusage (the whole process).

import Catalog
import Foundation
import Store

func peakRSSMegabytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss / 1024
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func channelNames(_ count: Int) -> [String] {
    (0..<count).map { "channel-\($0)" }
}

func projectors(_ count: Int) throws -> [ChannelProjector] {
    let currencies: [Currency] = [.usd, .eur, .gbp, .jpy, .aed, .inr]
    let fx = FXTable(
        base: .inr,
        rates: [
            .usd: Decimal(string: "0.01185")!, .eur: Decimal(string: "0.0109")!, .gbp: Decimal(string: "0.0094")!,
            .jpy: Decimal(string: "1.78")!, .aed: Decimal(string: "0.0435")!, .inr: 1,
        ]
    )
    return try channelNames(count).enumerated().map { index, name in
        try ChannelProjector(
            channel: ChannelRules(name: name, currency: currencies[index % currencies.count], language: "de_DE"),
            fx: fx
        )
    }
}

func sku(_ index: Int) -> String {
    "SKU-" + String(repeating: "0", count: max(0, 7 - String(index).count)) + String(index)
}

func generate(path: String, rows: Int) throws {
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    var chunk = "sku,title,price,quantity,description,brand,product_type,hs_code,origin_country,district,"
    chunk += "weight_grams,image_urls,attributes,title@hi,channels\n"
    for index in 0..<rows {
        let paise = 10_000 + index % 90_000
        chunk +=
            "\(sku(index)),\"Agra petha, kesar, box \(index)\",\(paise / 100).\(String(format: "%02d", paise % 100)),"
        chunk +=
            "\(index % 500),\"Soft ash-gourd sweet, hand made in Agra. Lot \(index).\",Panchhi,FOOD,170490,IN,Agra,"
        chunk += "500,https://img.example/\(index)/a.jpg|https://img.example/\(index)/b.jpg,flavour=kesar;pack=box,"
        chunk += "पेठा \(index),\n"
        if chunk.utf8.count > 1 << 20 {
            handle.write(Data(chunk.utf8))
            chunk = ""
        }
    }
    handle.write(Data(chunk.utf8))
    try handle.close()
}

func openStore(_ path: String, channels: Int) throws -> CatalogStore {
    var configuration = CatalogStore.Configuration(path: path, channels: channelNames(channels))
    // IMPORT_BATCH=… overrides the store's default rows per transaction (for measuring it).
    if let batch = ProcessInfo.processInfo.environment["IMPORT_BATCH"].flatMap(Int.init) {
        configuration.importBatchSize = batch
    }
    return try CatalogStore(configuration: configuration)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    print("usage: BenchStore generate|import|seed|rebuild …")
    exit(2)
}
switch arguments[1] {
case "generate":
    try generate(path: arguments[2], rows: Int(arguments[3])!)
case "import":
    let store = try openStore(arguments[3], channels: Int(arguments[4])!)
    let start = ContinuousClock.now
    let report = try CatalogImporter(store: store).importFile(at: URL(fileURLWithPath: arguments[2]))
    let elapsed = seconds(since: start)
    let rows = report.accepted
    print(
        "rows=\(rows) errors=\(report.errors.count) seconds=\(String(format: "%.2f", elapsed))"
            + " rows_per_s=\(Int(Double(rows) / elapsed)) peak_rss_mb=\(peakRSSMegabytes())"
    )
case "seed":
    let skus = Int(arguments[3])!
    let channels = Int(arguments[4])!
    // No channels configured while seeding: products go in without dirty marks.
    let store = try openStore(arguments[2], channels: 0)
    let all = try projectors(channels)
    var start = 0
    while start < skus {
        let products = try (start..<min(start + 20_000, skus)).map { index in
            Product(
                sku: try SKU(validating: sku(index)),
                title: "Agra petha, kesar, box \(index)",
                price: Money(minorUnits: Int64(10_000 + index % 90_000), currency: .inr),
                quantity: index % 500,
                description: "Soft ash-gourd sweet, hand made in Agra. Lot \(index).",
                brand: "Panchhi",
                hsCode: "170490",
                district: "Agra",
                weightGrams: 500,
                imageURLs: ["https://img.example/\(index)/a.jpg"],
                attributes: ["flavour": "kesar", "pack": "box"],
                translations: ["hi": .init(title: "पेठा \(index)")]
            )
        }
        try store.save(products)
        for projector in all {
            try store.recordAcked(
                channel: projector.channel.name,
                hashes: products.map { ($0.sku, projector.hashes(for: $0)) }
            )
        }
        start += products.count
    }
    // 1% changed: every 100th product gets a new quantity (its acked hashes are now stale).
    var changed: [Product] = []
    for index in stride(from: 0, to: skus, by: 100) {
        guard var product = try store.product(sku: SKU(trusted: sku(index)))?.product else { fatalError("missing") }
        product.quantity += 1
        changed.append(product)
    }
    try store.save(changed)
    print("seeded=\(skus) channels=\(channels) changed=\(changed.count)")
case "rebuild":
    let store = try openStore(arguments[2], channels: 0)
    let all = try projectors(Int(arguments[3])!)
    let start = ContinuousClock.now
    let report = try await store.rebuildDirtySet(projectors: all)
    let elapsed = seconds(since: start)
    let differing = report.channels.values.reduce(0) { $0 + $1.differingListings }
    print(
        "products=\(report.productsScanned) differing=\(differing) marked=\(report.newlyMarked)"
            + " seconds=\(String(format: "%.2f", elapsed)) peak_rss_mb=\(peakRSSMegabytes())"
    )
default:
    print("unknown command \(arguments[1])")
    exit(2)
}
