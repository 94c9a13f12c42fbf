// Micro benchmark of the Catalog projection: ns per ChannelProjector.hashes(for:) call, the fast path of
// the dirty-set rebuild (1,000,000 SKUs × 10 channels). Run in release: `swift run -c release BenchCatalog`.
import Catalog
import Foundation

/// Nanoseconds of a duration, in integers (no floating point anywhere near prices).
func nanoseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
}

// Arguments: [product count] [benchmark names to run, default all].
let productCount = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 100_000
let selected = Set(CommandLine.arguments.dropFirst(2))
let fx = try FXTable(
    base: .inr,
    parsing: ["USD": "0.01185", "EUR": "0.01090", "GBP": "0.00935", "JPY": "1.78", "AED": "0.04352"]
)
let channels: [ChannelRules] = try [
    ("amazon-us", "USD", "en_US", ["markup_percent": "35", "add": "1.50", "rounding": "ending:0.99", "min": "4.99"]),
    ("amazon-de", "EUR", "de_DE", ["markup_percent": "30", "rounding": "ending:0.95"]),
    ("amazon-fr", "EUR", "fr_FR", ["markup_percent": "30", "rounding": "nearest:0.05"]),
    ("amazon-uk", "GBP", "en_GB", ["markup_percent": "25", "rounding": "up:0.10"]),
    ("amazon-jp", "JPY", "ja_JP", ["markup_percent": "40", "rounding": "nearest:10"]),
    ("amazon-ae", "AED", "ar_AE", ["markup_percent": "20"]),
    ("ebay-us", "USD", "en_US", ["markup_percent": "12.5", "max": "999"]),
    ("ebay-de", "EUR", "de_DE", ["add": "0.99"]),
    ("flipkart", "INR", "en_IN", [:]),
    ("walmart-us", "USD", "en_US", ["rounding": "ending:0.97"]),
].map { name, currency, language, pricing in
    ChannelRules(
        name: name,
        currency: Currency(code: currency)!,
        language: language,
        pricing: try PricingRule(fields: pricing),
        inventory: InventoryRule(sharePercent: 80, buffer: 2, maximum: 500)
    )
}
let projectors = try channels.map { try ChannelProjector(channel: $0, fx: fx) }

func makeProducts(count productCount: Int) throws -> [Product] {
    var products: [Product] = []
    products.reserveCapacity(productCount)
    for index in 0..<productCount {
        products.append(
            Product(
                sku: try SKU(validating: "SKU-\(index)"),
                title: "Handmade Agra marble inlay coaster set number \(index)",
                price: Money(minorUnits: Int64(10_000 + (index * 7_919) % 5_000_000), currency: .inr),
                quantity: index % 1_000,
                description:
                    "A set of four white Makrana marble coasters with semi-precious stone inlay, item \(index).",
                brand: "Agra Crafts",
                productType: "HOME",
                hsCode: "680221",
                district: "Agra",
                weightGrams: 400 + index % 100,
                imageURLs: ["https://img.example/\(index)-1.jpg", "https://img.example/\(index)-2.jpg"],
                attributes: ["material": "marble", "colour": "white", "pieces": "4"],
                translations: [
                    "de": Product.LocalizedText(title: "Untersetzer \(index)", description: "Marmor-Untersetzer."),
                    "ja": Product.LocalizedText(title: "コースター \(index)"),
                ],
                channelPrices: index % 50 == 0 ? ["ebay-us": 19.99] : [:]
            )
        )
    }
    return products
}
let products = try makeProducts(count: productCount)

@MainActor
func measure(_ name: String, rounds: Int = 3, _ body: () -> Int64) {
    guard selected.isEmpty || selected.contains(name) else { return }
    var best = Int64.max
    var checksum: Int64 = 0
    for _ in 0..<rounds {
        let start = ContinuousClock.now
        checksum &+= body()
        best = min(best, nanoseconds(ContinuousClock.now - start))
    }
    let calls = Int64(products.count * projectors.count)
    print("\(name): \(best / calls) ns/call (\(calls) calls, best of \(rounds), checksum \(checksum & 0xffff))")
}

print("catalog: \(products.count) products × \(projectors.count) channels")
measure("hashes(for:)") {
    var sum: Int64 = 0
    for product in products {
        for projector in projectors {
            let hashes = projector.hashes(for: product)
            sum &+= hashes.content.rawValue ^ hashes.price.rawValue ^ hashes.quantity.rawValue
        }
    }
    return sum
}
measure("price(for:)") {
    var sum: Int64 = 0
    for product in products {
        for projector in projectors { sum &+= projector.price(for: product).minorUnits }
    }
    return sum
}
measure("project(_:)", rounds: 1) {
    var sum: Int64 = 0
    for product in products {
        for projector in projectors { sum &+= Int64(projector.project(product).quantity) }
    }
    return sum
}
// For comparison: the pricing formula (convert, mark up, add, round) in Foundation Decimal.
measure("Decimal formula alone", rounds: 1) {
    var sum: Int64 = 0
    let rate = fx.rate(to: .usd)!
    let factor = Decimal(135) / 100
    let add = Decimal(string: "1.50")!
    for product in products {
        for _ in projectors {
            var marked = product.price.decimalAmount * rate * factor + add
            var rounded = Decimal()
            NSDecimalRound(&rounded, &marked, 2, .plain)
            sum &+= (rounded * 100 as NSDecimalNumber).int64Value
        }
    }
    return sum
}
