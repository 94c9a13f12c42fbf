import CurlHTTP
import Foundation
import Testing

extension EndToEndSuites {
    /// The four ways a product reaches Amazon, through the daemon: an offer on an existing ASIN, a listing
    /// with its GTIN, one with an identifier exemption, and one held because it lacks what Amazon's PRODUCT
    /// definition requires. Read back from the twin with `getListingsItem`, as Amazon would answer.
    @Suite("Amazon listing kinds end to end", .serialized)
    struct AmazonListingKindsEndToEndTests {
        /// Four products by hand: an ASIN offer, an EAN-13 (4006381333931, a published example whose check
        /// digit is 1), an exemption, and one without bullet points, colour or item type keyword.
        static let catalog = """
            sku,title,description,brand,origin_country,price,quantity,asin,gtin,identifier_exemption,bullet_points,color,amazon.item_type_keyword
            KIND-ASIN,Darjeeling first flush tea 100 g,Tea from Darjeeling.,Makaibari,IN,900.00,5,B07XJ8C8F5,,,,,
            KIND-GTIN,Moradabad brass lamp,Hand-made brass lamp.,ODOP Crafts,IN,2500.00,4,,4006381333931,,Solid brass|Hand-made,Gold,lamps
            KIND-EXEMPT,Firozabad glass bangles,Glass bangles.,ODOP Crafts,IN,600.00,7,,,true,Set of 12|Hand-painted,Green,bangles
            KIND-HELD,Agra petha 500 g,Ash-gourd sweet.,Panchhi,IN,450.00,9,,,true,,,

            """

        @Test(
            "an ASIN is offered with LISTING_OFFER_ONLY, a GTIN and an exemption are listed with Amazon's identifier attributes, and a product missing required attributes is held with their names and never reaches the twin"
        )
        func everyKindOfListingReachesAmazonAsItShould() async throws {
            let world = try await SyncWorld(
                platforms: ["amazon"],
                channelNames: ["amazon-de"],
                accountSettings: ["amazon": "ingest_orders = false"],
                sandboxArguments: ["--quotas", "off"]
            )
            let daemon = try await world.startDaemon()
            let report = try await daemon.importCatalog(Self.catalog)
            #expect(report.errors.isEmpty, "\(report.errors)")

            let letters = try await daemon.waitForDeadLetters(of: "KIND-HELD", on: ["amazon-de"], within: .seconds(60))
            let reason = try #require(letters.first?.reason)
            for attribute in ["bullet_point", "color", "item_type_keyword"] {
                #expect(reason.contains("missing required attribute \(attribute)"), "\(reason)")
            }
            var listed: [String: [String: Any]] = [:]
            let deadline = ContinuousClock.now + .seconds(60)
            while listed.count < 3, ContinuousClock.now < deadline {
                for sku in ["KIND-ASIN", "KIND-GTIN", "KIND-EXEMPT"] where listed[sku] == nil {
                    listed[sku] = try await Self.attributes(of: sku, in: world)
                }
                if listed.count < 3 { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(listed.count == 3, "listed: \(listed.keys.sorted())")
            #expect(
                try await Self.attributes(of: "KIND-HELD", in: world) == nil,
                "the held product never reached Amazon"
            )

            // The ASIN offer: merchant_suggested_asin and the offer, no title or bullet points of ours.
            let offer = try #require(listed["KIND-ASIN"])
            #expect(Self.value(offer, "merchant_suggested_asin") == "B07XJ8C8F5", "\(offer)")
            #expect(offer["item_name"] == nil && offer["bullet_point"] == nil, "\(offer.keys.sorted())")
            #expect(offer["purchasable_offer"] != nil)
            // The GTIN: an EAN-13 as Amazon's externally_assigned_product_identifier of type ean.
            let gtin = try #require(listed["KIND-GTIN"])
            let identifier = (gtin["externally_assigned_product_identifier"] as? [[String: Any]])?.first
            #expect(identifier?["type"] as? String == "ean", "\(gtin)")
            #expect(identifier?["value"] as? String == "4006381333931", "\(gtin)")
            // The exemption.
            let exempt = try #require(listed["KIND-EXEMPT"])
            let exemption = (exempt["supplier_declared_has_product_identifier_exemption"] as? [[String: Any]])?.first
            #expect(exemption?["value"] as? Bool == true, "\(exempt)")
            #expect(exempt["externally_assigned_product_identifier"] == nil)
            #expect(await daemon.stop() == 0)
            await world.sandbox.stop()
        }

        /// The first `value` of `attribute` in `attributes`, as text.
        static func value(_ attributes: [String: Any], _ attribute: String) -> String? {
            ((attributes[attribute] as? [[String: Any]])?.first?["value"]).map { "\($0)" }
        }

        /// The twin's attributes of `sku` on amazon-de by `getListingsItem` (`includedData=attributes`), `nil`
        /// when the twin has no such listing (404).
        static func attributes(of sku: String, in world: SyncWorld) async throws -> [String: Any]? {
            let base = world.sandbox.baseURL + "/amazon"
            let form = "grant_type=refresh_token&refresh_token=Atzr%7Ce2e&client_id=e2e&client_secret=e2e"
            let token = try await world.sandbox.http.execute(
                HTTPRequest(
                    method: .post,
                    url: base + "/auth/o2/token",
                    headers: ["Content-Type": "application/x-www-form-urlencoded"],
                    body: Array(form.utf8)
                )
            )
            let access = try #require(
                (try JSONSerialization.jsonObject(with: Data(token.body)) as? [String: Any])?["access_token"] as? String
            )
            let response = try await world.sandbox.http.execute(
                HTTPRequest(
                    method: .get,
                    url: base + "/listings/2021-08-01/items/A2EUEXAMPLE02/\(sku)"
                        + "?marketplaceIds=A1PA6795UKMFR9&includedData=attributes",
                    headers: ["x-amz-access-token": access]
                )
            )
            if response.status == 404 { return nil }
            #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
            let item = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            return item?["attributes"] as? [String: Any]
        }
    }
}
