import Foundation

/// What the Shiprocket twin holds: login tokens, products by id, and the inventory actions it saw.
actor ShiprocketTwinState {
    /// One product of the account's catalog.
    struct Product: Sendable {
        var id: Int
        var sku: String
        var name: String
        var sellingPrice: Decimal
        var mrp: Decimal
        var quantity: Int
        var hsn: String?
        var weight: Decimal?
    }

    private var tokens: [String: ContinuousClock.Instant] = [:]
    private(set) var products: [Int: Product] = [:]
    private var nextID = 370_000_001
    /// How many products were created (duplicates would show here).
    private(set) var creations = 0
    /// How many product imports were taken.
    var imports = 0

    func issueToken(lifetime: Duration) -> String {
        let token = "sr-jwt-" + UUID().uuidString
        tokens[token] = .now + lifetime
        return token
    }

    func isLive(_ token: String) -> Bool {
        tokens[token].map { $0 > .now } ?? false
    }

    func expireTokens() {
        for key in tokens.keys { tokens[key] = .now }
    }

    func product(sku: String) -> Product? {
        products.values.first { $0.sku == sku }
    }

    /// Creates a product and returns it.
    func create(_ product: Product) -> Product {
        var product = product
        product.id = nextID
        nextID += 1
        products[product.id] = product
        creations += 1
        return product
    }

    /// Replaces product `product.id`.
    func update(_ product: Product) {
        products[product.id] = product
    }

    /// Sets the stock of product `id`; `false` when there is no such product.
    func replaceQuantity(id: Int, quantity: Int) -> Bool {
        guard products[id] != nil else { return false }
        products[id]?.quantity = quantity
        return true
    }
}
