import Catalog
import Foundation
import Sync
import Testing

/// The verifier's comparison against hand-written tables: what the platform shows versus the desired
/// listing whose hashes it acknowledged.
@Suite("Listing drift comparison")
struct ListingDriftTests {
    static let all: Set<Facet> = [.content, .price, .quantity]

    /// Desired: "Rose attar 10 ml" at `minor` minor units of `currency`, `quantity` units, on `channel`.
    static func desired(
        minor: Int64 = 2299,
        currency: Currency = .eur,
        quantity: Int = 5,
        channel: String = "amazon-de"
    ) -> DesiredListing {
        let sku = SKU(trusted: "ATTAR-1")
        let zero = FacetHash(rawValue: 0)
        return DesiredListing(
            sku: sku,
            channel: channel,
            content: ListingContent(sku: sku, title: "Rose attar 10 ml"),
            price: Money(minorUnits: minor, currency: currency),
            quantity: quantity,
            hashes: FacetHashes(content: zero, price: zero, quantity: zero)
        )
    }

    static func shown(
        _ price: String?,
        _ currency: String? = "EUR",
        quantity: Int? = 5,
        title: String? = "Rose attar 10 ml",
        availability: LiveListing.Availability = .active
    ) -> ListingRead {
        .found(
            LiveListing(
                price: price.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) },
                currencyCode: currency,
                quantity: quantity,
                title: title,
                availability: availability
            )
        )
    }

    @Test(
        "drift reasons and facets follow the hand table",
        arguments: [
            // (shown, checked facets, expected facets, expected reason)
            (shown("24.99"), all, [Facet.price], "drift: price 24.99 on amazon-de, expected 22.99"),
            (shown("22.99", quantity: 7), all, [.quantity], "drift: quantity 7 on amazon-de, expected 5"),
            (shown("22.99", quantity: 0), all, [.quantity], "drift: quantity 0 on amazon-de, expected 5"),
            (
                shown("20.00", quantity: 2), all, [.price, .quantity],
                "drift: price 20.00 on amazon-de, expected 22.99; quantity 2 on amazon-de, expected 5"
            ),
            (
                shown("22.99", title: "Rose attar"), all, [.content],
                "drift: title \"Rose attar\" on amazon-de, expected \"Rose attar 10 ml\""
            ),
            (ListingRead.missing, all, [.content, .price, .quantity], "drift: listing missing on amazon-de"),
            (
                ListingRead.missing, [Facet.price, .quantity], [.price, .quantity],
                "drift: listing missing on amazon-de"
            ),
            (shown("22.995"), all, [.price], "drift: price 23.00 on amazon-de, expected 22.99"),
            (shown("22.99", "USD"), all, [.price], "drift: price 22.99 USD on amazon-de, expected 22.99 EUR"),
        ] as [(ListingRead, Set<Facet>, Set<Facet>, String)]
    )
    func driftTable(read: ListingRead, checked: Set<Facet>, facets: Set<Facet>, reason: String) throws {
        let drift = try #require(ListingDrift.compare(desired: Self.desired(), read: read, checked: checked))
        #expect(drift.facets == facets)
        #expect(drift.reason == reason)
    }

    @Test(
        "equal listings show no drift, also after rounding to the currency's minor unit",
        arguments: [
            (shown("22.99"), desired()),
            (shown("22.990"), desired()),
            (shown("22.994"), desired()),
            (shown("22.99", "eur"), desired()),
            (shown("1780.4", "JPY"), desired(minor: 1780, currency: .jpy)),
            (shown("1780", "JPY"), desired(minor: 1780, currency: .jpy)),
            // Whitespace around a title is not a difference.
            (shown("22.99", title: " Rose attar 10 ml "), desired()),
            // A field the platform did not report is not compared.
            (shown(nil, nil, quantity: nil, title: nil), desired()),
        ] as [(ListingRead, DesiredListing)]
    )
    func noDrift(read: ListingRead, desired: DesiredListing) {
        #expect(ListingDrift.compare(desired: desired, read: read, checked: Self.all) == nil)
    }

    @Test("a suppressed or inactive listing with the desired values is shown, not re-sent")
    func suppressedIsNotDrift() {
        for availability in [LiveListing.Availability.suppressed, .inactive] {
            let read = Self.shown("22.99", availability: availability)
            #expect(ListingDrift.compare(desired: Self.desired(), read: read, checked: Self.all) == nil)
        }
    }

    @Test("a facet not checked (acked with another hash: a push is on its way) is not compared")
    func uncheckedFacetIsIgnored() {
        let read = Self.shown("24.99", quantity: 9)
        #expect(ListingDrift.compare(desired: Self.desired(), read: read, checked: [.content]) == nil)
        let drift = ListingDrift.compare(desired: Self.desired(), read: read, checked: [.quantity])
        #expect(drift?.facets == [.quantity])
    }

    @Test("a failed read concludes nothing")
    func failedReadIsNoDrift() {
        let read = ListingRead.failed(reason: "429 QuotaExceeded")
        #expect(ListingDrift.compare(desired: Self.desired(), read: read, checked: Self.all) == nil)
        #expect(ListingDrift.compare(desired: Self.desired(), read: .missing, checked: []) == nil)
    }
}
