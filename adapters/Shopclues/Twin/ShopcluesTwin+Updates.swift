import Foundation

/// One product line of an update call; prices decode exactly as `Decimal`.
struct ShopcluesProductLine: Decodable {
    var productSKU: String?
    var productName: String?
    var mrp: Decimal?
    var sellingPrice: Decimal?
    var quantity: Int?

    enum CodingKeys: String, CodingKey {
        case mrp, quantity
        case productSKU = "product_sku"
        case productName = "product_name"
        case sellingPrice = "selling_price"
    }
}

/// `{"products": [...]}`.
struct ShopcluesBatch: Decodable {
    var products: [ShopcluesProductLine]
}

extension ShopcluesTwin {
    /// `update_price`: validates and stores each line; an unknown SKU is created with its name.
    func updatePrices(_ lines: [ShopcluesProductLine]) async -> [[String: Any]] {
        var results: [[String: Any]] = []
        for line in lines {
            let sku = line.productSKU ?? ""
            if let failure = Self.priceProblem(line) {
                results.append(Self.failure(sku, failure.code, failure.message))
                continue
            }
            await state.setPrice(sku: sku, name: line.productName!, mrp: line.mrp!, sellingPrice: line.sellingPrice!)
            results.append(["product_sku": sku, "status": "success"])
        }
        return results
    }

    /// `update_stock`: sets the stock of known products.
    func updateStock(_ lines: [ShopcluesProductLine]) async -> [[String: Any]] {
        var results: [[String: Any]] = []
        for line in lines {
            let sku = line.productSKU ?? ""
            guard !sku.isEmpty else {
                results.append(Self.failure(sku, "MISSING_FIELD", "product_sku is required"))
                continue
            }
            guard let quantity = line.quantity else {
                results.append(Self.failure(sku, "MISSING_FIELD", "quantity is required"))
                continue
            }
            guard quantity >= 0 else {
                results.append(Self.failure(sku, "INVALID_QUANTITY", "Quantity must be 0 or more, got \(quantity)"))
                continue
            }
            guard await state.setStock(sku: sku, quantity: quantity) else {
                results.append(
                    Self.failure(sku, "PRODUCT_NOT_FOUND", "No product with SKU \(sku) in this merchant's catalog")
                )
                continue
            }
            results.append(["product_sku": sku, "status": "success"])
        }
        return results
    }

    static func priceProblem(_ line: ShopcluesProductLine) -> (code: String, message: String)? {
        guard !(line.productSKU ?? "").isEmpty else { return ("MISSING_FIELD", "product_sku is required") }
        guard let name = line.productName, !name.isEmpty else { return ("MISSING_FIELD", "product_name is required") }
        if name.contains("[REJECT]") {
            return ("PRODUCT_REJECTED", "Product name contains prohibited content: [REJECT].")
        }
        guard let mrp = line.mrp, let price = line.sellingPrice else {
            return ("MISSING_FIELD", "mrp and selling_price are required")
        }
        guard price > 0 else { return ("INVALID_PRICE", "selling_price must be greater than 0, got \(price)") }
        guard mrp >= price else { return ("INVALID_PRICE", "mrp (\(mrp)) must not be below selling_price (\(price))") }
        return nil
    }

    static func failure(_ sku: String, _ code: String, _ message: String) -> [String: Any] {
        ["product_sku": sku, "status": "failure", "error": ["code": code, "message": message]]
    }
}
