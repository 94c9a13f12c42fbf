import Catalog
import Daemon
import Foundation
import Store
import Sync
import Testing

/// `pricing = { …, add_landed_cost = "dhl-express" }` end to end in-process: the daemon's engine, a
/// real SQLite store, the DHL Express and Amazon twins over loopback (``LandedCostWorld``).
@Suite(.serialized)
struct LandedCostPricingTests {
    @Test func aChannelAddingLandedCostsPricesWithTheTwinsEstimateAndHoldsASKUWithoutOne() async throws {
        let world = try await LandedCostWorld()
        let ready = [("LC-READY-1", "450.00"), ("LC-READY-2", "1200.00")]
        for (sku, price) in ready { try world.store.save(LandedCostWorld.product(sku, price: price)) }
        try world.store.save(LandedCostWorld.product("LC-NOHS-1", price: "300.00", hsCode: nil))
        try world.start()
        do {
            try await world.eventually("both ready SKUs listed on amazon-us and the SKU without an HS code held") {
                let us = await world.listings(platform: "amazon", marketplace: "US")
                let held = try world.store.dirtyEntries(channel: "amazon-us", sku: SKU(trusted: "LC-NOHS-1")).first
                let notReady = try world.store.deadLetters(channel: "dhl-express").count
                return ready.allSatisfy { us[$0.0]?.price != nil } && held?.lastError != nil && notReady == 1
            }
            try await world.eventually("amazon-de to list all three") {
                await world.listings(platform: "amazon", marketplace: "DE").count == 3
            }
            let us = await world.listings(platform: "amazon", marketplace: "US")
            let de = await world.listings(platform: "amazon", marketplace: "DE")
            let estimateOfFirst = try await world.twinEstimate("LC-READY-1")
            for (sku, price) in ready {
                let catalog = try #require(Money.parseDecimal(price))
                let estimate = try await world.twinEstimate(sku)
                #expect(estimate > 0)
                let expected = LandedCostWorld.expectedUSPrice(catalogINR: catalog, landedCostINR: estimate)
                #expect(us[sku]?.price == expected, "amazon-us price of \(sku) with the DHL estimate \(estimate) INR")
                #expect(us[sku]?.currency == "USD")
                #expect(de[sku]?.price == LandedCostWorld.expectedDEPrice(catalogINR: catalog))
            }
            // 450 INR × 0.01128 × 1.45 + 2.50 = 9.8602 USD, plus the landed cost to the US of 2447.50 INR
            // (shipping 2380.00 + duty 67.50, no US import tax) = 27.6078 → 27.61 USD: 37.4702 → 37.99.
            #expect(estimateOfFirst == 2447.5)
            #expect(us["LC-READY-1"]?.price == "37.99")

            // Never priced without its estimate: not on amazon-us at all, held with a reason naming it.
            #expect(us["LC-NOHS-1"] == nil)
            #expect(de["LC-NOHS-1"]?.price == LandedCostWorld.expectedDEPrice(catalogINR: 300))
            let held = try #require(
                try world.store.dirtyEntries(channel: "amazon-us", sku: SKU(trusted: "LC-NOHS-1")).first
            )
            let reason = try #require(held.lastError)
            #expect(!held.isDead)
            #expect(
                reason.contains("LC-NOHS-1") && reason.contains(" US ") && reason.contains("dhl-express"),
                "\(reason)"
            )
            #expect(reason.contains("price held"), "\(reason)")
            #expect(
                try world.store.listingStates(sku: SKU(trusted: "LC-NOHS-1")).allSatisfy { $0.channel != "amazon-us" }
            )

            // sync --full computes the same desired price hashes: only the held SKU differs on amazon-us.
            let (configuration, projections) = try LandedCostWorld.load(LandedCostWorld.configurationText())
            let snapshot = RuntimeState.Snapshot(
                configuration: configuration,
                projections: projections,
                store: world.store
            )
            let report = try await snapshot.rebuildDirtySet(projectors: snapshot.projectors)
            #expect(report.channels["amazon-us"]?.differingListings == 1)
            #expect(report.channels["amazon-us"]?.differingFacets == [.price: 1, .content: 1, .quantity: 1])
            #expect(report.channels["amazon-de"]?.differingListings == 0)
            #expect(report.newlyMarked == 0)
        } catch {
            await world.stop()
            throw error
        }
        await world.stop()
    }

    @Test func anEstimateChangeResendsExactlyTheAddingChannelsPriceOfThatSKU() async throws {
        let world = try await LandedCostWorld()
        for (sku, price) in [("LC-EDIT-1", "450.00"), ("LC-EDIT-2", "800.00")] {
            try world.store.save(LandedCostWorld.product(sku, price: price))
        }
        try world.start()
        do {
            try await world.eventually("every channel to converge") {
                let listed = await world.listings(platform: "amazon", marketplace: "US").count
                return try world.idle() && listed == 2
            }
            let before = await world.listings(platform: "amazon", marketplace: "US")
            let estimateBefore = try await world.twinEstimate("LC-EDIT-1")
            _ = world.events(clear: true)

            // The DHL channel's declared value doubles (a reload of its pricing) and only
            // LC-EDIT-1 is queued there (`catalogctl sync --channel dhl-express --sku LC-EDIT-1`): DHL
            // estimates it again, and the duty grows with the declared value. Nothing else is queued:
            // amazon-us learns of it only from DHL's outcome. (Half as much again would not do: 37.47 and
            // 37.85 USD both round to 37.99, and an unchanged price is not sent again.)
            try world.reconfigure(LandedCostWorld.configurationText(dhlPricing: #"{ markup_percent = "100" }"#))
            try world.store.markDirty([(channel: "dhl-express", sku: SKU(trusted: "LC-EDIT-1"))])
            world.engine.wake()
            try await world.eventually("amazon-us to send the new price of LC-EDIT-1") {
                try world.idle() && world.events().contains { $0.channel == "amazon-us" && $0.outcome == .accepted }
            }
            let estimateAfter = try await world.twinEstimate("LC-EDIT-1")
            #expect(estimateAfter > estimateBefore)
            let after = await world.listings(platform: "amazon", marketplace: "US")
            #expect(
                after["LC-EDIT-1"]?.price
                    == LandedCostWorld.expectedUSPrice(catalogINR: 450, landedCostINR: estimateAfter)
            )
            #expect(after["LC-EDIT-1"]?.price != before["LC-EDIT-1"]?.price)
            #expect(after["LC-EDIT-2"] == before["LC-EDIT-2"])

            let sent = world.events().filter { $0.outcome == .accepted }
            let amazon = sent.filter { $0.channel != "dhl-express" }
            #expect(amazon.count == 1, "\(amazon.map { "\($0.channel)/\($0.sku) \($0.facets)" })")
            #expect(amazon.first?.channel == "amazon-us")
            #expect(amazon.first?.sku.rawValue == "LC-EDIT-1")
            #expect(amazon.first?.facets == [.price])
        } catch {
            await world.stop()
            throw error
        }
        await world.stop()
    }

    @Test func aDestinationAddedByAReloadIsEstimatedForEverySKUWithOneRequestEachAndNothingElseIsSent() async throws {
        let world = try await LandedCostWorld()
        let skus = ["LC-DEST-1", "LC-DEST-2"]
        for sku in skus { try world.store.save(LandedCostWorld.product(sku, price: "450.00")) }
        try world.start()
        do {
            try await world.eventually("every channel to converge") {
                let listed = await world.listings(platform: "amazon", marketplace: "US").count
                return try world.idle() && listed == 2
            }
            let requestsBefore = world.sandbox.environment.stats.snapshot["dhl", default: .init()].requests
            _ = world.events(clear: true)

            // The reload adds GB to the DHL channel's destinations: the channel's listing settings change,
            // so rebuilding its dirty set (what a reload does for a changed channel) marks every SKU.
            let text = LandedCostWorld.configurationText(dhlDestinations: "US,GB")
            try world.reconfigure(text)
            let (configuration, projections) = try LandedCostWorld.load(text)
            let snapshot = RuntimeState.Snapshot(
                configuration: configuration,
                projections: projections,
                store: world.store
            )
            let dhl = snapshot.projectors.filter { $0.channel.name == "dhl-express" }
            #expect(dhl.count == 1)
            let report = try await snapshot.rebuildDirtySet(projectors: dhl)
            #expect(report.newlyMarked == 2)
            #expect(report.channels["dhl-express"]?.differingFacets == [.content: 2])
            world.engine.wake()
            try await world.eventually("both SKUs estimated to GB") {
                let listings = await world.listings(platform: "dhl", marketplace: "IN")
                return try world.idle() && skus.allSatisfy { listings[$0]?.landedCosts?["GB"] != nil }
            }
            // One request per SKU, for GB: the US estimates still answer the same request.
            let requestsAfter = world.sandbox.environment.stats.snapshot["dhl", default: .init()].requests
            #expect(requestsAfter - requestsBefore == skus.count)
            for sku in skus { #expect(try await world.twinEstimate(sku, to: "GB") > world.twinEstimate(sku, to: "US")) }
            let sent = world.events().filter { $0.outcome == .accepted }
            #expect(sent.allSatisfy { $0.channel == "dhl-express" }, "\(sent.map { "\($0.channel)/\($0.sku)" })")
            #expect(Set(sent.map(\.sku.rawValue)) == Set(skus))
        } catch {
            await world.stop()
            throw error
        }
        await world.stop()
    }

    @Test func addLandedCostThatCannotWorkIsAConfigurationErrorNamingTheKey() throws {
        func issues(_ edit: (String) -> String) -> [String] {
            let text = edit(LandedCostWorld.configurationText())
            do {
                _ = try LandedCostWorld.load(text)
                return []
            } catch let error as ConfigurationFileError {
                return error.issues.map(\.description)
            } catch {
                return ["\(error)"]
            }
        }
        #expect(issues { $0 }.isEmpty)
        let unknown = issues {
            $0.replacingOccurrences(of: #"add_landed_cost = "dhl-express""#, with: #"add_landed_cost = "dhl""#)
        }
        #expect(unknown.count == 1)
        #expect(unknown.first?.hasPrefix("channels[1].pricing.add_landed_cost: names channel \"dhl\"") == true)
        #expect(unknown.first?.contains("not defined") == true && unknown.first?.contains("dhl-express") == true)

        let notASource = issues {
            $0.replacingOccurrences(of: #"add_landed_cost = "dhl-express""#, with: #"add_landed_cost = "amazon-de""#)
        }
        #expect(notASource.first?.contains("keeps no landed costs") == true, "\(notASource)")

        let uncovered = issues {
            $0.replacingOccurrences(of: #"destinations = "US""#, with: #"destinations = "GB,DE""#)
        }
        #expect(uncovered.count == 1)
        #expect(
            uncovered.first
                == "channels[1].pricing.add_landed_cost: channel amazon-us sells to US, which dhl-express does not "
                + "estimate (its destinations: GB,DE); add US to its destinations"
        )
    }
}
