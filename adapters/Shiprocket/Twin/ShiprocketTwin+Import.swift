import Foundation
import Hummingbird
import TwinSupport

extension ShiprocketTwin {
    /// `POST /v1/external/products/import`: a CSV in the sample format as part `file`; each row creates
    /// or updates the product with its `*Master Sku Code`. Rows are checked first: one bad row refuses
    /// the whole file with 422 (the twin applies imports at once; Shiprocket's timing is unconfirmed).
    func importProducts(_ request: Request) async throws -> Response {
        let body = Array(try await request.body.collect(upTo: 8 << 20).readableBytesView)
        guard let file = MultipartFormFile.part(named: "file", contentType: request.headers[.contentType], body: body)
        else {
            return Self.error(
                .unprocessableContent,
                "Oops! Something went wrong.",
                errors: ["file": ["The file field is required."]]
            )
        }
        let rows = Self.csvRows(String(decoding: file, as: UTF8.self))
        guard let header = rows.first, let skuColumn = header.firstIndex(of: "*Master Sku Code"),
            let nameColumn = header.firstIndex(of: "*Product Name")
        else {
            return Self.error(
                .unprocessableContent,
                "Oops! Something went wrong.",
                errors: ["file": ["The file is not in the sample format."]]
            )
        }
        func value(_ row: [String], _ column: String) -> String? {
            guard let index = header.firstIndex(of: column), row.indices.contains(index), !row[index].isEmpty else {
                return nil
            }
            return row[index]
        }
        var products: [ShiprocketProductPayload] = []
        var errors: [String: [String]] = [:]
        for row in rows.dropFirst() where row.count > max(skuColumn, nameColumn) {
            let payload = ShiprocketProductPayload(
                sku: row[skuColumn],
                name: row[nameColumn],
                type: "single",
                qty: nil,
                categoryCode: "default",
                hsn: value(row, "HSN code"),
                weight: value(row, "Weight (kgs)").flatMap { Decimal(string: $0) },
                mrp: value(row, "MRP").flatMap { Decimal(string: $0) },
                sellingPrice: nil
            )
            errors.merge(Self.validate(payload)) { $0 + $1 }
            products.append(payload)
        }
        guard errors.isEmpty, !products.isEmpty else {
            return Self.error(.unprocessableContent, "There were errors in importing products!", errors: errors)
        }
        let id = await state.importProducts(products)
        return Self.json(.ok, ["id": id])
    }

    /// The rows of an RFC 4180 CSV text (quoted fields, doubled quotes, CRLF or LF).
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = Array(text).makeIterator()
        var pending: Character? = iterator.next()
        while let character = pending {
            pending = iterator.next()
            if quoted {
                if character == "\"" {
                    if pending == "\"" {
                        field.append("\"")
                        pending = iterator.next()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"": quoted = true
            case ",":
                row.append(field)
                field = ""
            case "\n", "\r\n", "\r":
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            default: field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}

extension ShiprocketTwinState {
    /// Creates or updates each product by SKU (the MRP becomes the selling price); the import's id.
    func importProducts(_ payloads: [ShiprocketProductPayload]) -> Int {
        for payload in payloads {
            guard let sku = payload.sku, let name = payload.name, let mrp = payload.mrp else { continue }
            if var product = product(sku: sku) {
                product.name = name
                product.mrp = mrp
                product.sellingPrice = mrp
                product.hsn = payload.hsn ?? product.hsn
                product.weight = payload.weight ?? product.weight
                update(product)
            } else {
                _ = create(
                    .init(
                        id: 0,
                        sku: sku,
                        name: name,
                        sellingPrice: mrp,
                        mrp: mrp,
                        quantity: 0,
                        hsn: payload.hsn,
                        weight: payload.weight
                    )
                )
            }
        }
        imports += 1
        return 20_290_000 + imports
    }
}
