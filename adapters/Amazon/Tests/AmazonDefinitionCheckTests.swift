import Catalog
import CurlHTTP
import Foundation
import Store
import Sync
import Testing

@testable import AmazonAdapter

/// The adapter checks every body against its product type definition, fetched from the twin (which
/// serves Amazon's official PRODUCT definition), before spending listing quota.
///
/// The verdicts on the hand-written bodies are a hand-computed table (which attribute each body lacks),
/// confirmed once with Python's `jsonschema` 4.26 (Draft 2019-09) on the same text: ``validAttributes``
/// passes; without `bullet_point` the only error is "'bullet_point' is a required property".
@Suite("Amazon adapter: product type definitions checked before sending")
struct AmazonDefinitionCheckTests {
    typealias H = TwinHarness

    /// A listing on amazon-uk that the official PRODUCT definition accepts.
    static let validAttributes = #"""
        {
         "item_name": [{"value": "Agra Petha 500 g", "language_tag": "en_GB", "marketplace_id": "A1F83G8C2ARO7P"}],
         "brand": [{"value": "Panchhi", "language_tag": "en_GB", "marketplace_id": "A1F83G8C2ARO7P"}],
         "bullet_point": [{"value": "Soft ash-gourd sweet", "language_tag": "en_GB", "marketplace_id": "A1F83G8C2ARO7P"}],
         "color": [{"value": "White", "language_tag": "en_GB", "marketplace_id": "A1F83G8C2ARO7P"}],
         "country_of_origin": [{"value": "IN", "marketplace_id": "A1F83G8C2ARO7P"}],
         "item_type_keyword": [{"value": "candy", "marketplace_id": "A1F83G8C2ARO7P"}],
         "product_description": [{"value": "Hand-made.", "language_tag": "en_GB", "marketplace_id": "A1F83G8C2ARO7P"}],
         "supplier_declared_dg_hz_regulation": [{"value": "not_applicable", "marketplace_id": "A1F83G8C2ARO7P"}],
         "externally_assigned_product_identifier": [
          {"type": "ean", "value": "8901234567894", "marketplace_id": "A1F83G8C2ARO7P"}
         ],
         "batteries_required": [{"value": false, "marketplace_id": "A1F83G8C2ARO7P"}],
         "condition_type": [{"value": "new_new", "marketplace_id": "A1F83G8C2ARO7P"}],
         "item_package_dimensions": [{"length": {"value": 20, "unit": "centimeters"},
          "width": {"value": 15, "unit": "centimeters"}, "height": {"value": 8, "unit": "centimeters"},
          "marketplace_id": "A1F83G8C2ARO7P"}],
         "item_package_weight": [{"value": 0.6, "unit": "kilograms", "marketplace_id": "A1F83G8C2ARO7P"}],
         "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT", "quantity": 5}],
         "merchant_shipping_group": [{"value": "legacy-template-id", "marketplace_id": "A1F83G8C2ARO7P"}],
         "purchasable_offer": [{"marketplace_id": "A1F83G8C2ARO7P", "currency": "GBP",
          "our_price": [{"schedule": [{"value_with_tax": 24.99}]}]}]
        }
        """#

    /// ``validAttributes`` without its `bullet_point`.
    static var withoutBulletPoint: String {
        let lines = validAttributes.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.filter { !$0.contains("\"bullet_point\"") }.joined(separator: "\n")
    }

    /// The twin's port, for ``AmazonAdapterRig``.
    static func port(_ twin: TwinHarness) throws -> Int {
        try #require(URLComponents(string: twin.baseURL)?.port)
    }

    /// The twin's definition counters (`/amazon/_sandbox/product-types`).
    static func counts(_ twin: TwinHarness) async throws -> (version: String, requests: Int, downloads: Int) {
        let response = try await twin.call(.get, "/amazon/_sandbox/product-types", token: nil)
        let body = try H.object(response)
        return (
            try #require(body["version"] as? String), try #require(body["definitionRequests"] as? Int),
            try #require(body["schemaDownloads"] as? Int)
        )
    }

    @Test("a hand-written valid body passes the definition; without bullet_point it fails naming Amazon's title")
    func fixtureBodies() async throws {
        try await H.with(checksDefinitions: true) { twin in
            try await AmazonAdapterRig.with(port: try Self.port(twin), tokenPath: "/amazon/auth/o2/token") { rig in
                let checker = rig.adapter.checker
                let (checked, valid) = try await checker.issues(
                    attributes: Array(Self.validAttributes.utf8),
                    productType: "PRODUCT",
                    requirements: "LISTING"
                )
                #expect(valid.isEmpty, "\(valid)")
                #expect(checked == "PRODUCT definition version twin-1 (LISTING, A1F83G8C2ARO7P, en_GB)")
                let (_, missing) = try await checker.issues(
                    attributes: Array(Self.withoutBulletPoint.utf8),
                    productType: "PRODUCT",
                    requirements: "LISTING"
                )
                #expect(
                    missing == [
                        MarketplaceIssue(
                            code: "required",
                            message: #"missing required attribute bullet_point ("Bullet Point")"#,
                            attributeNames: ["bullet_point"]
                        )
                    ]
                )
                // With `audience` in the offer (the 2023 definition does not allow it).
                let audience = Self.validAttributes.replacingOccurrences(
                    of: #""currency": "GBP","#,
                    with: #""currency": "GBP", "audience": "ALL","#
                )
                let (_, extra) = try await checker.issues(
                    attributes: Array(audience.utf8),
                    productType: "PRODUCT",
                    requirements: "LISTING"
                )
                #expect(extra.map(\.attributeNames) == [["purchasable_offer"]], "\(extra)")
                #expect(extra.first?.message.contains("/purchasable_offer/0/audience") == true, "\(extra)")
            }
        }
    }

    @Test("a listing that fails its definition is held with the attribute's title and never reaches the twin")
    func heldListingIsNeverSent() async throws {
        // The twin is lenient here: had the adapter sent the listing, the twin would have listed it.
        try await H.with(checksDefinitions: false) { twin in
            try await AmazonAdapterRig.with(
                port: try Self.port(twin),
                tokenPath: "/amazon/auth/o2/token",
                checksDefinitions: true
            ) { rig in
                for (sku, mode) in [("HELD-SINGLE", PushMode.single), ("HELD-BULK", .bulk)] {
                    let change = try AmazonAdapterRig.change(sku, [.content, .price, .quantity], isNew: true)
                    let outcome = await rig.adapter.push([change], mode: mode)[change.sku]
                    guard case .held(let issues)? = outcome else {
                        Issue.record("\(sku): \(String(describing: outcome))")
                        continue
                    }
                    let reason = MarketplaceIssue.heldReason(issues)
                    #expect(reason.hasPrefix("held: "))
                    #expect(reason.contains(#"missing required attribute bullet_point ("Bullet Point")"#), "\(reason)")
                    #expect(reason.contains(#"missing required attribute color ("Color")"#), "\(reason)")
                }
                #expect(try await twin.sandboxListings().isEmpty)
                // The same listings with the check off reach the (lenient) twin: the test can tell.
            }
            try await AmazonAdapterRig.with(port: try Self.port(twin), tokenPath: "/amazon/auth/o2/token") { rig in
                let change = try AmazonAdapterRig.change("UNCHECKED", [.content, .price, .quantity], isNew: true)
                let outcome = await rig.adapter.push([change], mode: .single)[change.sku]
                #expect(outcome == ListingsItemsClient.acceptedAllFacets(change), "\(String(describing: outcome))")
                #expect(try await twin.sandboxListings().map { $0["sku"] as? String } == ["UNCHECKED"])
            }
        }
    }

    @Test("a price or stock patch of an existing listing is checked only for the attributes it patches")
    func patchesAreCheckedForWhatTheyPatch() async throws {
        try await H.with(checksDefinitions: false) { twin in
            try await AmazonAdapterRig.with(
                port: try Self.port(twin),
                tokenPath: "/amazon/auth/o2/token",
                checksDefinitions: true
            ) { rig in
                // The rig's product lacks bullet points, colour and an identifier, which a full listing needs
                // (the full body is held: the remote preview test). A price or a stock patch is valid on its
                // own, so it goes out (the twin, which has no such listing, refuses it as unknown: 4000003).
                for (sku, facet) in [("PATCH-PRICE", Facet.price), ("PATCH-STOCK", .quantity)] {
                    let patch = try AmazonAdapterRig.change(sku, [facet])
                    guard case .rejected(let refusal)? = await rig.adapter.push([patch], mode: .single)[patch.sku]
                    else {
                        Issue.record("the \(facet) patch was not sent")
                        continue
                    }
                    #expect(refusal.map(\.code) == ["4000003"], "\(refusal)")
                }
            }
        }
    }

    @Test("the definition is kept in the state database with its version and downloaded again only when it changes")
    func cachedDefinitionFollowsAmazonsVersion() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("amazon-ptd-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try CatalogStore(
            configuration: .init(path: directory.appendingPathComponent("state.sqlite").path, channels: ["amazon-uk"])
        )
        let data = StoreAdapterData(store: store, account: "amazon-eu")
        let key = "product-type/PRODUCT/A1F83G8C2ARO7P/LISTING/en_GB"
        try await H.with(checksDefinitions: true) { twin in
            let port = try Self.port(twin)
            func check(recheck: Duration) async throws -> [MarketplaceIssue] {
                var configuration = AmazonAdapter.Configuration()
                configuration.definitionRecheckInterval = recheck
                return try await AmazonAdapterRig.with(
                    port: port,
                    tokenPath: "/amazon/auth/o2/token",
                    configuration: configuration,
                    data: data
                ) { rig in
                    try await rig.adapter.checker.issues(
                        attributes: Array(Self.withoutBulletPoint.utf8),
                        productType: "PRODUCT",
                        requirements: "LISTING"
                    ).1
                }
            }
            // A fresh adapter each time: what it knows comes from the state database.
            #expect(try await check(recheck: .seconds(3600)).map(\.attributeNames) == [["bullet_point"]])
            var counts = try await Self.counts(twin)
            #expect((counts.requests, counts.downloads) == (1, 1))
            let stored = try #require(try await data.value(for: key))
            #expect(stored.contains(#""version":"twin-1""#))

            _ = try await check(recheck: .seconds(3600))
            counts = try await Self.counts(twin)
            #expect((counts.requests, counts.downloads) == (1, 1), "checked within the hour: no call at all")

            _ = try await check(recheck: .zero)
            counts = try await Self.counts(twin)
            #expect((counts.requests, counts.downloads) == (2, 1), "due for a check, same version: no download")

            _ = try await twin.call(.post, "/amazon/_sandbox/product-types/version", token: nil)
            #expect(try await check(recheck: .zero).map(\.attributeNames) == [["bullet_point"]])
            counts = try await Self.counts(twin)
            #expect((counts.version, counts.requests, counts.downloads) == ("twin-2", 3, 2))
            #expect(try await data.value(for: key)?.contains(#""version":"twin-2""#) == true)
        }
    }

    @Test("--remote: VALIDATION_PREVIEW brings back the twin's 90220 issues and lists nothing")
    func remotePreview() async throws {
        try await H.with(checksDefinitions: true) { twin in
            try await AmazonAdapterRig.with(port: try Self.port(twin), tokenPath: "/amazon/auth/o2/token") { rig in
                let listing = try AmazonAdapterRig.listing("PREVIEW-1")
                let issues = try await rig.adapter.validate(listing)
                let bullet = try #require(issues.first { $0.attributeNames == ["bullet_point"] })
                #expect(bullet.code == "90220")
                #expect(bullet.message == "'bullet_point' is required but not supplied.")
                let local = try await rig.adapter.preview(listing)
                #expect(
                    local.issues.contains { $0.message == #"missing required attribute bullet_point ("Bullet Point")"# }
                )
                // The catalog's own category (FOOD) is not Amazon's product type: the channel's default is.
                #expect(local.body.contains(#""productType":"PRODUCT""#))
                #expect(try await twin.sandboxListings().isEmpty)
            }
        }
    }
}
