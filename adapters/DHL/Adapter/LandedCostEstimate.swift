import Catalog
import Foundation
import Sync

/// One SKU's landed-cost estimate for one destination country, as DHL Express quoted it.
///
/// Stored in the account's ``Sync/AdapterDataStore`` under `landed-cost/<SKU>/<DEST>` as a small JSON
/// value: `{"currency":"INR","total":"2301.40","duties":"…","taxes":"…","shipping":"…",
/// "fetched_at":"2025-11-20T09:12:03Z","request":"9c1f…"}` (amounts are decimal strings, never floats).
/// `total` is what DHL quotes beyond the goods' own value: shipping plus import duties plus import
/// taxes. `request` is the digest of the request it answers (``LandedCostRequest/digest(_:)``), so an
/// estimate whose request would be the same is not asked for again.
public struct LandedCostEstimate: Sendable, Hashable, Codable {
    /// The destination country (ISO 3166 alpha-2).
    public var destination: String
    /// Shipping, duties and taxes together, in ``currency``.
    public var total: Money
    /// Import duties.
    public var duties: Money
    /// Import taxes (VAT, GST, sales tax).
    public var taxes: Money
    /// DHL Express's shipping charge for one unit.
    public var shipping: Money
    /// When DHL was asked.
    public var fetchedAt: Date
    /// The digest of the request DHL answered with this estimate; `nil` for one stored without it.
    public var requestDigest: String?

    /// An estimate; all amounts in one currency.
    public init(
        destination: String,
        total: Money,
        duties: Money,
        taxes: Money,
        shipping: Money,
        fetchedAt: Date,
        requestDigest: String? = nil
    ) {
        self.destination = destination
        self.total = total
        self.duties = duties
        self.taxes = taxes
        self.shipping = shipping
        self.fetchedAt = fetchedAt
        self.requestDigest = requestDigest
    }

    /// The currency every amount is in.
    public var currency: Currency { total.currency }

    /// The data-store key of `sku`'s estimate for `destination`.
    public static func key(sku: SKU, destination: String) -> String {
        "\(keyPrefix(sku: sku))\(destination)"
    }

    /// The data-store prefix of every estimate (`landed-cost/`).
    public static let keyPrefix = "landed-cost/"

    /// The data-store prefix of every estimate of `sku` (`landed-cost/SKU/`).
    public static func keyPrefix(sku: SKU) -> String {
        "\(keyPrefix)\(sku.rawValue)/"
    }

    /// Every stored estimate of `sku`, by destination; unreadable values are skipped.
    public static func estimates(for sku: SKU, in store: any AdapterDataStore) async throws -> [String:
        LandedCostEstimate]
    {
        let prefix = keyPrefix(sku: sku)
        var result: [String: LandedCostEstimate] = [:]
        for (key, value) in try await store.values(withPrefix: prefix) {
            let destination = String(key.dropFirst(prefix.count))
            if let estimate = decode(value, destination: destination) { result[destination] = estimate }
        }
        return result
    }

    /// Stores this estimate for `sku`.
    public func store(for sku: SKU, in store: any AdapterDataStore) async throws {
        try await store.setValue(encoded(), for: Self.key(sku: sku, destination: destination))
    }

    /// Removes every stored estimate of `sku` (the SKU is no longer ready, or was removed).
    public static func removeAll(for sku: SKU, in store: any AdapterDataStore) async throws {
        for key in try await store.values(withPrefix: keyPrefix(sku: sku)).keys {
            try await store.setValue(nil, for: key)
        }
    }

    /// Removes the stored estimate of `sku` for `destination` (no longer one of the channel's).
    public static func remove(for sku: SKU, destination: String, in store: any AdapterDataStore) async throws {
        try await store.setValue(nil, for: key(sku: sku, destination: destination))
    }

    // MARK: - Stored form

    private struct Stored: Codable {
        var currency: String
        var total: String
        var duties: String
        var taxes: String
        var shipping: String
        var fetched_at: String
        var request: String?
    }

    /// The stored JSON text.
    public func encoded() -> String {
        let stored = Stored(
            currency: currency.code,
            total: total.amountString,
            duties: duties.amountString,
            taxes: taxes.amountString,
            shipping: shipping.amountString,
            fetched_at: fetchedAt.ISO8601Format(),
            request: requestDigest
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(stored)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Reads a stored JSON text back, or `nil` when it is not one.
    public static func decode(_ text: String, destination: String) -> LandedCostEstimate? {
        guard let stored = try? JSONDecoder().decode(Stored.self, from: Data(text.utf8)),
            let currency = Currency(code: stored.currency),
            let total = Money(parsing: stored.total, currency: currency),
            let duties = Money(parsing: stored.duties, currency: currency),
            let taxes = Money(parsing: stored.taxes, currency: currency),
            let shipping = Money(parsing: stored.shipping, currency: currency),
            let fetchedAt = try? Date(stored.fetched_at, strategy: .iso8601)
        else { return nil }
        return LandedCostEstimate(
            destination: destination,
            total: total,
            duties: duties,
            taxes: taxes,
            shipping: shipping,
            fetchedAt: fetchedAt,
            requestDigest: stored.request
        )
    }
}
