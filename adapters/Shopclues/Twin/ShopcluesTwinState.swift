import Foundation

/// What the Shopclues twin holds: tokens and the merchant's products.
actor ShopcluesTwinState {
    /// One product.
    struct Product: Sendable {
        var name: String
        var mrp: Decimal
        var sellingPrice: Decimal
        var quantity: Int?
    }

    private var tokens: [String: ContinuousClock.Instant] = [:]
    private(set) var products: [String: Product] = [:]

    func issueToken(lifetime: Duration) -> String {
        let token = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        tokens[token] = .now + lifetime
        return token
    }

    func isLive(_ token: String) -> Bool { tokens[token].map { $0 > .now } ?? false }

    func expireTokens() {
        for key in tokens.keys { tokens[key] = .now }
    }

    func setPrice(sku: String, name: String, mrp: Decimal, sellingPrice: Decimal) {
        var product = products[sku] ?? Product(name: name, mrp: mrp, sellingPrice: sellingPrice)
        product.name = name
        product.mrp = mrp
        product.sellingPrice = sellingPrice
        products[sku] = product
    }

    /// Sets the stock of `sku`; `false` when there is no such product.
    func setStock(sku: String, quantity: Int) -> Bool {
        guard products[sku] != nil else { return false }
        products[sku]?.quantity = quantity
        return true
    }
}
