import Foundation

/// A one-product "Bulk Import Products" upload (`POST /v1/external/products/import`, `multipart/form-data`
/// with the part `file`, a CSV in the columns of "Get Sample .csv Format",
/// `GET /v1/external/products/sample`). Shiprocket documents no other call that changes an existing
/// product's master data; that an import row with an existing `*Master Sku Code` updates that product
/// (rather than failing) is UNCONFIRMED — see the README.
struct ShiprocketProductImport: Sendable {
    /// The sample file's header row, column for column.
    static let columns = [
        "Category Name", "*Master Sku Code", "*Product Name", "Low Stock Warning At", "Description", "Length (cm)",
        "Width (cm)", "Height (cm)", "Weight (kgs)", "ean", "upc", "isbn", "Color", "Brand", "Size", "Tax Code",
        "Image Url", "Custom Detail Fields (IMEI/SerialNumber)", "MRP", "Cost Price", "Active(True/False)",
        "Type(Single)", "HSN code",
    ]

    /// The request body.
    let body: [UInt8]
    /// `multipart/form-data; boundary=…`.
    let contentType: String

    /// The upload of `product`'s row; columns the catalog does not know stay empty.
    init(product: ShiprocketWire.Product, boundary: String = "catalogsync-" + UUID().uuidString) {
        let csv = Self.csv(product)
        var body: [UInt8] = []
        body += Array("--\(boundary)\r\n".utf8)
        body += Array("Content-Disposition: form-data; name=\"file\"; filename=\"products.csv\"\r\n".utf8)
        body += Array("Content-Type: text/csv\r\n\r\n".utf8)
        body += Array(csv.utf8)
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        self.body = body
        contentType = "multipart/form-data; boundary=\(boundary)"
    }

    /// The header and `product`'s row, every field quoted (RFC 4180).
    static func csv(_ product: ShiprocketWire.Product) -> String {
        let values: [String: String] = [
            "*Master Sku Code": product.sku,
            "*Product Name": product.name,
            "Description": product.description ?? "",
            "Weight (kgs)": product.weight.map { "\($0)" } ?? "",
            "Brand": product.brand ?? "",
            "Image Url": product.imageURL ?? "",
            "MRP": "\(product.mrp)",
            "Type(Single)": "Single",
            "HSN code": product.hsn ?? "",
        ]
        func row(_ fields: [String]) -> String {
            fields.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",")
        }
        return row(columns) + "\r\n" + row(columns.map { values[$0] ?? "" }) + "\r\n"
    }
}
