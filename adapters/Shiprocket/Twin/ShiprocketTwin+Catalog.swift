import Foundation
import HTTPTypes
import Hummingbird
import TwinSupport

/// `POST /v1/external/products` body as the twin reads it; prices decode exactly as `Decimal`.
struct ShiprocketProductPayload: Decodable {
    var sku: String?
    var name: String?
    var type: String?
    var qty: Int?
    var categoryCode: String?
    var hsn: String?
    var weight: Decimal?
    var mrp: Decimal?
    var sellingPrice: Decimal?

    enum CodingKeys: String, CodingKey {
        case sku, name, type, qty, hsn, weight, mrp
        case categoryCode = "category_code"
        case sellingPrice = "selling_price"
    }
}

/// `PUT /v1/external/inventory/{id}/update` body.
struct ShiprocketInventoryPayload: Decodable {
    var quantity: Int?
    var action: String?
}

extension ShiprocketTwin {
    func listProducts(_ query: Parameters) async -> Response {
        var products = await state.products.values.sorted { $0.id < $1.id }
        if let field = query.get("filter_by"), let value = query.get("filter"), !value.isEmpty {
            products = products.filter { product in
                switch field {
                case "sku": product.sku.contains(value)
                case "name": product.name.contains(value)
                case "id": String(product.id) == value
                default: true
                }
            }
        }
        let perPage = max(1, min(100, query.get("per_page").flatMap { Int($0) } ?? 15))
        let page = max(1, query.get("page").flatMap { Int($0) } ?? 1)
        let pages = max(1, (products.count + perPage - 1) / perPage)
        let slice = products.dropFirst((page - 1) * perPage).prefix(perPage)
        return Self.json(
            .ok,
            [
                "data": slice.map(Self.productJSON),
                "meta": [
                    "pagination": [
                        "total": products.count, "count": slice.count, "per_page": perPage, "current_page": page,
                        "total_pages": pages,
                    ]
                ],
            ]
        )
    }

    func saveProduct(_ request: Request) async throws -> Response {
        let bytes = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
        guard let payload = try? JSONDecoder().decode(ShiprocketProductPayload.self, from: Data(bytes)) else {
            return Self.error(
                .unprocessableContent,
                "The given data was invalid.",
                errors: ["body": ["The body must be valid JSON."]]
            )
        }
        var errors = Self.validate(payload)
        if await state.product(sku: payload.sku ?? "") != nil {
            errors["sku", default: []].append("The sku has already been taken.")
        }
        guard errors.isEmpty else {
            return Self.error(.unprocessableContent, "The given data was invalid.", errors: errors)
        }
        let product = ShiprocketTwinState.Product(
            id: 0,
            sku: payload.sku!,
            name: payload.name!,
            sellingPrice: payload.sellingPrice ?? payload.mrp!,
            mrp: payload.mrp!,
            quantity: payload.qty ?? 0,
            hsn: payload.hsn,
            weight: payload.weight
        )
        let created = await state.create(product)
        return Self.json(.ok, ["message": "Product created successfully", "data": Self.productJSON(created)])
    }

    func updateInventory(_ request: Request, id: Int) async throws -> Response {
        let bytes = Array(try await request.body.collect(upTo: 1 << 16).readableBytesView)
        let payload = try? JSONDecoder().decode(ShiprocketInventoryPayload.self, from: Data(bytes))
        var errors: [String: [String]] = [:]
        switch payload?.action {
        case "replace": break
        case "add", "remove":
            errors["action"] = [
                "The sandbox refuses action \(payload?.action ?? ""): state sync must use replace, never add or remove."
            ]
        default: errors["action"] = ["The selected action is invalid."]
        }
        if let quantity = payload?.quantity {
            if quantity < 0 { errors["quantity", default: []].append("The quantity must be at least 0.") }
        } else {
            errors["quantity", default: []].append("The quantity field is required.")
        }
        guard errors.isEmpty, let quantity = payload?.quantity else {
            return Self.error(.unprocessableContent, "The given data was invalid.", errors: errors)
        }
        guard await state.replaceQuantity(id: id, quantity: quantity) else {
            return Self.error(.notFound, "Product not found", errors: nil)
        }
        return Self.json(
            .ok,
            ["message": "Inventory updated successfully", "data": ["product_id": id, "quantity": quantity]]
        )
    }

    /// Laravel-style field errors for a product, including the `[REJECT]` hook.
    static func validate(_ payload: ShiprocketProductPayload) -> [String: [String]] {
        var errors: [String: [String]] = [:]
        if (payload.sku ?? "").isEmpty { errors["sku"] = ["The sku field is required."] }
        let name = payload.name ?? ""
        if name.isEmpty {
            errors["name"] = ["The name field is required."]
        } else if name.contains("[REJECT]") {
            errors["name"] = ["The name contains prohibited content: [REJECT]."]
        }
        if (payload.categoryCode ?? "").isEmpty { errors["category_code"] = ["The category code field is required."] }
        if let type = payload.type, type != "single", type != "multiple" {
            errors["type"] = ["The selected type is invalid."]
        }
        if let mrp = payload.mrp {
            if mrp <= 0 { errors["mrp"] = ["The mrp must be greater than 0."] }
        } else {
            errors["mrp"] = ["The mrp field is required."]
        }
        if let price = payload.sellingPrice, price <= 0 {
            errors["selling_price"] = ["The selling price must be greater than 0."]
        }
        if let qty = payload.qty, qty < 0 { errors["qty"] = ["The qty must be at least 0."] }
        if let weight = payload.weight, weight <= 0 { errors["weight"] = ["The weight must be greater than 0."] }
        return errors
    }

    static func productJSON(_ product: ShiprocketTwinState.Product) -> [String: Any] {
        var json: [String: Any] = [
            "id": product.id, "sku": product.sku, "name": product.name, "quantity": product.quantity,
            "mrp": priceText(product.mrp), "selling_price": priceText(product.sellingPrice),
        ]
        if let hsn = product.hsn { json["hsn"] = hsn }
        return json
    }
}
