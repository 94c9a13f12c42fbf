import AdapterTestSupport
import Catalog
import CurlHTTP
import EbayAdapter
import EbayTwin
import Foundation
import Sync
import Testing
import TwinSupport

@Suite("eBay revisions per listing per day as a status budget")
struct EbayBudgetTests {
    /// eBay's site in Great Britain, on the same account as ebay-us.
    static let ukChannel = EbayFixtures.ukChannelSettings

    @Test("status shows the most-revised listing, the listings at the cap and those waiting for 00:00 UTC")
    func capAndWaitingListingsAreCounted() async throws {
        let projector = try EbayFixtures.usProjector()
        let products = Array(try EbayFixtures.sampleProducts().prefix(2))
        let twin = EbayTwin(environment: TwinEnvironment(quotasEnabled: false))
        try await withTwinServer(twin) { base in
            let http = try HTTPClient(configuration: .init())
            var setup = EbayTestAccount(baseURL: base)
            setup.extra["daily_revision_limit"] = "2"
            let factory = EbayAdapterFactory()
            let adapter = try factory.makeEbayAdapter(context: setup.context(http: http))
            let uk = try factory.makeEbayAdapter(context: setup.context(channel: Self.ukChannel, http: http))
            let created = await adapter.push(newChanges(products, projector), mode: .single)
            let offers = products.map { product -> String? in
                guard case .accepted(_, let offerID?) = created[product.sku] else { return nil }
                return offerID
            }
            #expect(offers.allSatisfy { $0 != nil }, "\(created)")
            let fresh = try #require(await adapter.budgets().first)
            #expect(fresh.name == "revisions per listing" && fresh.scope == .channel && fresh.perItem == "listing")
            #expect(fresh.used == 0 && fresh.limit == 2 && fresh.exhausted == 0 && fresh.waiting == 0)
            #expect(fresh.resetsAt == nil, "creating and publishing an offer is no revision")

            // The first SKU: three stock changes, the third over the cap; the second SKU: one.
            for (index, steps) in [(0, 3), (1, 1)] {
                for step in 1...steps {
                    var desired = projector.project(products[index])
                    desired.quantity += step
                    let change = ListingChange(desired: desired, facets: [.quantity], remoteID: offers[index])
                    _ = await adapter.push([change], mode: .single)
                }
            }
            let budget = try #require(await adapter.budgets().first)
            #expect(budget.used == 2 && budget.remaining == 0, "the most-revised listing used both")
            #expect(budget.exhausted == 1 && budget.waiting == 1)
            #expect(budget.note == "2 listing(s) revised today, 3 revision(s) in all")
            let midnight = (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 + 86_400
            let resetsAt = try #require(budget.resetsAt)
            #expect(abs(resetsAt.timeIntervalSince1970 - midnight) < 5, "the next 00:00 UTC")

            // The account's other marketplace shares the ledger but not the listings.
            let other = try #require(await uk.budgets().first)
            #expect(other.used == 0 && other.exhausted == 0 && other.waiting == 0)
            await http.shutdown()
        }
    }
}
