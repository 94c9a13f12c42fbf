import Foundation
import Synchronization
import TwinSupport

/// One Haatbox listing as the twin keeps it, and Haatbox's checks of the fields a PATCH carries.
struct HaatboxListing: Sendable, Hashable {
    var sku: String
    var name: String?
    var summary: String?
    var maker: String?
    var material: String?
    var colour: String?
    var price: Decimal?
    var currency: String?
    var stock: Int?

    /// Merges `fields`; the first problem as Haatbox's `(type, detail)`, leaving the listing unchanged.
    mutating func apply(_ fields: [String: Any]) -> (String, String)? {
        var next = self
        if let name = fields["name"] as? String {
            if name.contains("[REJECT]") { return ("prohibited_content", "name contains prohibited content: [REJECT]") }
            next.name = name
        }
        if let summary = fields["summary"] as? String { next.summary = summary }
        if let maker = fields["maker"] as? String { next.maker = maker }
        if let material = fields["material"] as? String { next.material = material }
        if let colour = fields["colour"] as? String { next.colour = colour }
        if let number = fields["price"] as? NSNumber {
            guard let amount = Decimal(string: number.stringValue), amount > 0 else {
                return ("invalid_price", "price must be positive, got \(number)")
            }
            guard let currency = fields["currency"] as? String, currency.count == 3 else {
                return ("invalid_currency", "currency must go with price, as an ISO 4217 code")
            }
            next.price = amount
            next.currency = currency
        }
        if let stock = fields["stock"] as? Int {
            guard stock >= 0 else { return ("invalid_stock", "stock must not be negative, got \(stock)") }
            next.stock = stock
        }
        self = next
        return nil
    }

    /// The listing as the sandbox reports it.
    var twinListing: TwinListing {
        var item = RivexaItem(sku: sku)
        item.price = price
        return TwinListing(
            sku: sku,
            marketplace: "GLOBAL",
            title: name,
            price: item.priceText,
            currency: currency,
            quantity: stock
        )
    }
}

/// Haatbox's listings and issued tokens.
final class HaatboxStore: Sendable {
    struct State {
        var listings: [String: HaatboxListing] = [:]
        var tokens: Set<String> = []
        var issued = 0
    }

    private let storage = Mutex(State())

    /// Runs `body` with the state locked.
    func withLock<T: Sendable>(_ body: (inout State) -> T) -> T {
        storage.withLock { body(&$0) }
    }
}
