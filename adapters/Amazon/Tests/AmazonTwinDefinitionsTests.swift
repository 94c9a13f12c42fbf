import CurlHTTP
import Foundation
import Testing

/// The twin's product type definitions: served from Amazon's official PRODUCT definition and held
/// against it, with Amazon's issue codes (90220 "'X' is required but not supplied.", from the
/// Listings Items model's and the feed processing report's published examples).
@Suite("Amazon twin: product type definitions and the listings they refuse")
struct AmazonTwinDefinitionsTests {
    typealias H = TwinHarness

    /// ``AmazonDefinitionCheckTests/validAttributes`` moved to amazon.de.
    static func germanAttributes(without attribute: String? = nil) -> String {
        let german = AmazonDefinitionCheckTests.validAttributes
            .replacingOccurrences(of: "A1F83G8C2ARO7P", with: H.germany)
            .replacingOccurrences(of: "en_GB", with: "de_DE")
            .replacingOccurrences(of: "GBP", with: "EUR")
        guard let attribute else { return german }
        return german.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("\"\(attribute)\"") }.joined(separator: "\n")
    }

    static func body(_ attributes: String) -> String {
        #"{"productType":"PRODUCT","requirements":"LISTING","attributes":\#(attributes)}"#
    }

    @Test("getDefinitionsProductType answers in the model's shape with a schema link that needs no token")
    func definitionAndSchemaLink() async throws {
        try await H.with(checksDefinitions: true) { twin in
            let token = try await twin.token()
            let path =
                "/amazon/definitions/2020-09-01/productTypes/LUGGAGE?marketplaceIds=\(H.germany)"
                + "&requirements=LISTING&requirementsEnforced=ENFORCED&locale=de_DE"
            #expect(try await twin.call(.get, path, token: nil).status == 403)
            let response = try await twin.call(.get, path, token: token)
            #expect(response.status == 200, "\(response.bodyText)")
            try await SchemaValidator.expectValid(
                response.body,
                schema: "definitionsProductTypes_2020-09-01.json",
                definition: "ProductTypeDefinition"
            )
            let body = try H.object(response)
            #expect(body["productType"] as? String == "LUGGAGE")
            #expect((body["productTypeVersion"] as? [String: Any])?["version"] as? String == "twin-1")
            let link = try #require(
                ((body["schema"] as? [String: Any])?["link"] as? [String: Any])?["resource"] as? String
            )
            let schema = try await twin.client.execute(HTTPRequest(method: .get, url: link))
            #expect(schema.status == 200)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(schema.body)) as? [String: Any])
            #expect((document["$id"] as? String)?.hasSuffix("/schema/v1/LUGGAGE") == true)
            #expect((document["required"] as? [String])?.contains("bullet_point") == true)

            let unknownLocale = try await twin.call(
                .get,
                path.replacingOccurrences(of: "de_DE", with: "xx"),
                token: token
            )
            #expect(unknownLocale.status == 400)
        }
    }

    @Test(
        "a PUT missing a required attribute is INVALID with 90220 in Amazon's issue shape; the complete one is accepted"
    )
    func missingAttributeIsRefusedWith90220() async throws {
        try await H.with(checksDefinitions: true) { twin in
            let token = try await twin.token()
            let missing = try await twin.call(
                .put,
                H.itemPath("NO-BULLETS"),
                token: token,
                body: Self.body(Self.germanAttributes(without: "bullet_point"))
            )
            #expect(missing.status == 200)
            try await SchemaValidator.expectValid(
                missing.body,
                schema: "listingsItems_2021-08-01.json",
                definition: "ListingsItemSubmissionResponse"
            )
            let answer = try H.object(missing)
            #expect(answer["status"] as? String == "INVALID")
            let issues = try #require(answer["issues"] as? [[String: Any]])
            #expect(issues.count == 1, "\(issues)")
            let issue = try #require(issues.first)
            #expect(issue["code"] as? String == "90220")
            #expect(issue["message"] as? String == "'bullet_point' is required but not supplied.")
            #expect(issue["severity"] as? String == "ERROR")
            #expect(issue["attributeNames"] as? [String] == ["bullet_point"])
            #expect(issue["categories"] as? [String] == ["MISSING_ATTRIBUTE"])
            #expect(try await twin.sandboxListings().isEmpty)

            let complete = try await twin.call(
                .put,
                H.itemPath("COMPLETE"),
                token: token,
                body: Self.body(Self.germanAttributes())
            )
            #expect(try H.object(complete)["status"] as? String == "ACCEPTED", "\(complete.bodyText)")
            #expect(try await twin.sandboxListings().map { $0["sku"] as? String } == ["COMPLETE"])
        }
    }

    @Test("a feed UPDATE missing a required attribute is reported with 90220 against its messageId")
    func feedMessageMissingAttribute() async throws {
        try await H.with(checksDefinitions: true) { twin in
            let token = try await twin.token()
            let attributes = Self.germanAttributes(without: "color").replacingOccurrences(of: "\n", with: " ")
            let document = """
                {"header":{"sellerId":"\(H.sellerID)","version":"2.0","issueLocale":"en_US"},
                 "messages":[{"messageId":1,"sku":"NO-COLOR","operationType":"UPDATE","productType":"PRODUCT",
                 "requirements":"LISTING","attributes":\(attributes)}]}
                """
            let feedID = try await AmazonTwinFeedsTests.submit(document, twin: twin, token: token)
            let (status, report) = try await AmazonTwinFeedsTests.waitForReport(feedID, twin: twin, token: token)
            #expect(status == "DONE")
            try await SchemaValidator.expectValid(report, schema: "listings-feed-processing-report-schema-v2.json")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(report)) as? [String: Any])
            let issues = try #require(body["issues"] as? [[String: Any]])
            let issue = try #require(issues.first { $0["code"] as? String == "90220" }, "\(issues)")
            #expect(issue["messageId"] as? Int == 1)
            #expect(issue["message"] as? String == "'color' is required but not supplied.")
            #expect(issue["attributeName"] as? String == "color")
            #expect(try await twin.sandboxListings().isEmpty)
        }
    }
}
