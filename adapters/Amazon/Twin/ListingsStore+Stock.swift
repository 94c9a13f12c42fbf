import AmazonModel
import TwinSupport

/// What buyers do to a listing's stock: an order takes units off `fulfillment_availability[0].quantity`
/// and a cancellation gives them back, as Amazon does for seller-fulfilled offers.
extension ListingsStore {
    /// Takes `units` (negative: gives back) off the listing of `sku` on `marketplace` held by any seller;
    /// returns the seller, or `nil` when no such listing exists. Refuses to go below 0.
    func adjustQuantity(marketplace: AmazonMarketplace, sku: String, by units: Int) throws(SandboxOrderError) -> String
    {
        guard
            let key = records.keys.sorted().first(where: { key in
                let record = records[key]!
                return record.marketplace == marketplace && record.sku == sku
            }), var record = records[key]
        else {
            throw SandboxOrderError(
                status: 404,
                code: "no_listing",
                message: "No listing of \(sku) on Amazon \(marketplace.code)."
            )
        }
        let available = record.quantity ?? 0
        guard available - units >= 0 else {
            throw SandboxOrderError(
                status: 409,
                code: "not_enough_quantity",
                message: "\(sku) on Amazon \(marketplace.code) offers \(available), not \(units)."
            )
        }
        var entries = record.attributes["fulfillment_availability"]?.array ?? []
        if entries.isEmpty { entries = [.object(["fulfillment_channel_code": .string("DEFAULT")])] }
        var first = entries[0].object ?? [:]
        first["quantity"] = .int(available - units)
        entries[0] = .object(first)
        record.attributes["fulfillment_availability"] = .array(entries)
        records[key] = record
        return String(key.prefix { $0 != "|" })
    }
}
