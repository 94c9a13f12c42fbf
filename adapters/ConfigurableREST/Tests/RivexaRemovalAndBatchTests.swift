import AdapterTestSupport
import Catalog
import CurlHTTP
import Foundation
import Sync
import Testing
import TwinSupport

@testable import ConfigurableRESTAdapter
@testable import RivexaTwin

/// What the configurable adapter must never acknowledge without the partner having it: a removal, a
/// facet a batch item omits, a value the product lacks sent as `""`.
@Suite("Configurable REST adapter: removals, batch facets and missing values")
struct RivexaRemovalAndBatchTests {
    static var rivexaText: String {
        get throws { try String(contentsOfFile: RivexaFixture.specPath, encoding: .utf8) }
    }

    /// `text` without the TOML table `[name]` (its header line up to the next table header).
    static func without(_ name: String, in text: String) -> String {
        var skipping = false
        return text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            if line.hasPrefix("[") { skipping = line.hasPrefix("[\(name)]") }
            return !skipping
        }.joined(separator: "\n")
    }

    static func removal(of change: ListingChange) -> ListingChange {
        var removal = change
        removal.isRemoval = true
        removal.isNew = false
        return removal
    }

    @Test("a removal withdraws the item from the twin, single and bulk; one already gone counts as done")
    func removalWithdraws() async throws {
        try await RivexaAdapterTests.withAdapter(paced: false) { adapter, twin, projector in
            let changes = RivexaFixture.changes(try RivexaFixture.products(4), projector: projector)
            #expect(
                await adapter.push(changes, mode: .bulk).values.allSatisfy {
                    if case .accepted = $0 { true } else { false }
                }
            )
            let single = Self.removal(of: changes[0])
            #expect(await adapter.push([single], mode: .single)[single.sku] == .accepted(single))
            let bulk = Self.removal(of: changes[1])
            #expect(await adapter.push([bulk, changes[2]], mode: .bulk)[bulk.sku] == .accepted(bulk))
            #expect(await twin.listings(marketplace: nil).map(\.sku) == ["PRD-003", "PRD-004"])
            #expect(await adapter.push([single], mode: .single)[single.sku] == .accepted(single))
        }
    }

    @Test("a spec without [removal] dead-letters a removal instead of acknowledging a listing left live")
    func removalWithoutRequestIsRefused() async throws {
        let text = Self.without("removal", in: try Self.rivexaText)
        let spec = try RESTSpecLoader.parse(text, file: "no-removal.toml")
        #expect(spec.removal == nil)
        try await RivexaAdapterTests.withAdapter(paced: false, spec: spec) { adapter, twin, projector in
            let change = RivexaFixture.changes(try RivexaFixture.products(1), projector: projector)[0]
            _ = await adapter.push([change], mode: .single)
            let outcome = await adapter.push([Self.removal(of: change)], mode: .single)[change.sku]
            guard case .rejected(let issues) = outcome else {
                Issue.record("expected a rejection, got \(String(describing: outcome))")
                return
            }
            #expect(issues.map(\.code) == ["NO_REMOVAL_REQUEST"])
            #expect(await twin.listings(marketplace: nil).count == 1)
        }
    }

    @Test("a batch item without {{quantity}} does not acknowledge stock: it goes by the stock request")
    func batchOmittingFacetSendsItSingly() async throws {
        let text = try Self.rivexaText.replacingOccurrences(of: #", "quantity": {{quantity}}}"#, with: "}")
        let spec = try RESTSpecLoader.parse(text, file: "batch-without-quantity.toml")
        #expect(spec.batch?.item.facets == [.content, .price])
        try await RivexaAdapterTests.withAdapter(paced: false, spec: spec) { adapter, twin, projector in
            let changes = RivexaFixture.changes(try RivexaFixture.products(3), projector: projector)
            let outcomes = await adapter.push(changes, mode: .bulk)
            for change in changes { #expect(outcomes[change.sku] == .accepted(change)) }
            await RivexaAdapterTests.expectListed(changes, in: twin)
        }
    }

    @Test("without a stock request either, a batch that omits stock leaves it unacknowledged")
    func batchOmittingFacetWithoutSingleLeavesItUnacknowledged() async throws {
        let text = Self.without(
            "facets.quantity",
            in: try Self.rivexaText.replacingOccurrences(of: #", "quantity": {{quantity}}}"#, with: "}")
        )
        let spec = try RESTSpecLoader.parse(text, file: "no-stock.toml")
        try await RivexaAdapterTests.withAdapter(paced: false, spec: spec) { adapter, twin, projector in
            #expect(adapter.capabilities.facets == [.content, .price])
            let change = RivexaFixture.changes(try RivexaFixture.products(1), projector: projector)[0]
            let hashes = change.desired.hashes
            #expect(
                await adapter.push([change], mode: .bulk)[change.sku]
                    == .accepted(sentHashes: [.content: hashes[.content], .price: hashes[.price]], remoteID: nil)
            )
            #expect(await twin.listings(marketplace: nil).first?.quantity == nil)
        }
    }

    @Test("a product without description, brand or HS code is sent without those members, not with \"\"")
    func missingTextIsLeftOut() async throws {
        try await RivexaAdapterTests.withAdapter(paced: false) { adapter, twin, projector in
            let product = Product(
                sku: try SKU(validating: "PRD-BARE"),
                title: "Plain Jute Bag",
                price: Money(minorUnits: 30_000, currency: .inr),
                quantity: 100
            )
            let change = ListingChange(desired: projector.project(product), facets: Set(Facet.allCases), isNew: true)
            for mode in [PushMode.single, .bulk] {
                #expect(await adapter.push([change], mode: mode)[change.sku] == .accepted(change), "\(mode)")
            }
            #expect(await twin.listings(marketplace: nil).first?.title == "Plain Jute Bag")
        }
    }

    @Test("the pruner drops members and elements holding a missing value and keeps numbers as written")
    func prunerKeepsTheRest() {
        let missing = JSONPruner.missing
        let text = #"{"a": "\#(missing)", "b": [1.50, "x\#(missing)y", 2], "c": {"d": \#(missing)}, "e": 0.10}"#
        #expect(JSONPruner.prune(text) == #"{"b":[1.50,2],"c":{},"e":0.10}"#)
    }

    @Test("new spec keys are checked, each error naming the key")
    func newKeysAreChecked() {
        let minimal = RESTSpecTests.minimal
        #expect(
            RESTSpecTests.errorKey(minimal + "\n[removal]\nmethod = \"DELETE\"\npath = \"/v1/items\"")
                == "partner.toml: removal.path"
        )
        #expect(
            RESTSpecTests.errorKey(minimal + "\n[response]\nsuccess_field = \"ok\"")
                == "partner.toml: response.success_value"
        )
        #expect(
            RESTSpecTests.errorKey(minimal + "\n[[response.status]]\nstatus = \"409\"\naction = \"later\"")
                == "partner.toml: response.status[0].action"
        )
        #expect(
            RESTSpecTests.errorKey(
                minimal.replacingOccurrences(
                    of: #"{ type = "bearer" }"#,
                    with: #"{ type = "oauth_client_credentials" }"#
                )
            ) == "partner.toml: auth.token_url"
        )
        #expect(
            RESTSpecTests.errorKey(minimal + "\n[headers]\nAuthorization = \"x\"")
                == "partner.toml: headers.Authorization"
        )
        #expect(
            RESTSpecTests.errorKey(minimal.replacingOccurrences(of: "{{currency}}", with: "{{attr.}}"))
                == "partner.toml: facets.price.body"
        )
    }
}
