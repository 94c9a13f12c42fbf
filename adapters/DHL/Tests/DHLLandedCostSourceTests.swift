import Catalog
import Foundation
import Sync
import Testing

@testable import DHLAdapter

@Suite("DHL landed cost: the estimates other channels' prices add, read back from the adapter's store")
struct DHLLandedCostSourceTests {
    static let fx = FXTable(base: .inr, rates: [.usd: Decimal(string: "0.01128")!])

    @Test("each SKU's estimate to a destination converts to the channel currency, rounded up; none is absent")
    func amountsToAdd() async throws {
        try await DHLAdapterTests.withAdapter { adapter, data, _ in
            let changes = try [("LC-1", "450.00"), ("LC-2", "1299.50")].map {
                try DHLAdapterTests.change(try DHLAdapterTests.product($0.0, price: $0.1))
            }
            for (sku, outcome) in await adapter.push(changes, mode: .bulk) {
                guard case .accepted = outcome else { throw Failure("\(sku): \(outcome)") }
            }
            let source = try #require(
                DHLAdapterFactory().landedCostSource(channel: DHLAdapterTests.channel, data: data, fx: Self.fx)
            )
            #expect(source.destinations == ["US", "GB", "AE"])
            let skus = changes.map(\.sku) + [SKU(trusted: "LC-NONE")]
            let amounts = try await source.amountsToAdd(to: "GB", currency: .usd, skus: skus)
            #expect(Set(amounts.keys) == Set(changes.map(\.sku)))
            for change in changes {
                let total = try #require(try await LandedCostEstimate.estimates(for: change.sku, in: data)["GB"]).total
                var scaled = total.decimalAmount * Decimal(string: "0.01128")! * 100
                var cents = Decimal()
                NSDecimalRound(&cents, &scaled, 0, .up)
                #expect(amounts[change.sku] == Money(minorUnits: Int64(truncating: cents as NSNumber), currency: .usd))
            }
            // 2551.00 INR to GB (the twin's estimate for 450.00 INR) × 0.01128 = 28.77528 → 28.78 USD.
            #expect(amounts[changes[0].sku] == Money(minorUnits: 2878, currency: .usd))
            #expect(try await source.amountsToAdd(to: "GB", currency: .usd, skus: nil) == amounts)
            #expect(try await source.amountsToAdd(to: "GB", currency: .eur, skus: nil).isEmpty, "no EUR rate")
            #expect(try await source.amountsToAdd(to: "DE", currency: .usd, skus: nil).isEmpty, "not a destination")

            let stored = try await source.landedCosts(of: changes[0].sku)
            #expect(stored.map(\.destination) == ["AE", "GB", "US"])
            let gb = try #require(stored.first { $0.destination == "GB" })
            #expect(gb.total == Money(minorUnits: 255_100, currency: .inr))
            #expect(gb.parts.map(\.name) == ["duties", "taxes", "shipping"])
            #expect(gb.parts.map(\.amount.amountString) == ["67.50", "103.50", "2380.00"])
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
