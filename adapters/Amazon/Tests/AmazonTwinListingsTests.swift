import CurlHTTP
import Foundation
import Testing

@Suite("Amazon twin: LWA and Listings Items")
struct AmazonTwinListingsTests {
    typealias H = TwinHarness

    @Test("LWA issues bearer tokens for non-empty credentials and refuses missing fields in LWA's shape")
    func tokenIssue() async throws {
        try await H.with { twin in
            let response = try await twin.call(
                .post,
                "/amazon/auth/o2/token",
                token: nil,
                body: "grant_type=refresh_token&refresh_token=Atzr%7Cr&client_id=c&client_secret=s",
                contentType: "application/x-www-form-urlencoded"
            )
            let body = try H.object(response)
            #expect(response.status == 200)
            #expect((body["access_token"] as? String)?.hasPrefix("Atza|") == true)
            #expect(body["token_type"] as? String == "bearer")
            #expect(body["expires_in"] as? Int == 3600)

            let missing = try await twin.call(
                .post,
                "/amazon/auth/o2/token",
                token: nil,
                body: "grant_type=refresh_token&client_id=c&client_secret=s",
                contentType: "application/x-www-form-urlencoded"
            )
            #expect(missing.status == 400)
            #expect(try H.object(missing)["error"] as? String == "invalid_request")
            #expect((try H.object(missing)["error_description"] as? String)?.contains("refresh_token") == true)
        }
    }

    @Test("SP-API calls without a token, with an unknown one or an expired one get 403 Unauthorized")
    func tokenChecks() async throws {
        try await H.with(tokenLifetime: .milliseconds(50)) { twin in
            let none = try await twin.call(.get, H.itemPath("SKU-1"), token: nil)
            #expect(none.status == 403)
            #expect(none.headers["x-amzn-RequestId"] != nil)
            try await SchemaValidator.expectValid(
                none.body,
                schema: "listingsItems_2021-08-01.json",
                definition: "ErrorList"
            )
            #expect(none.bodyText.contains(#""code":"Unauthorized""#))
            let unknown = try await twin.call(.get, H.itemPath("SKU-1"), token: "Atza|forged")
            #expect(unknown.status == 403)

            // The token lives 50 ms; waiting 100 ms makes it expired however fast or slow the machine is.
            let token = try await twin.token()
            try await Task.sleep(for: .milliseconds(100))
            let expired = try await twin.call(.get, H.itemPath("SKU-1"), token: token)
            #expect(expired.status == 403)
            let error = try #require((try H.object(expired)["errors"] as? [[String: Any]])?.first)
            #expect(error["code"] as? String == "Unauthorized")
            #expect(error["details"] as? String == "The access token you provided has expired.")
        }
    }

    @Test("PUT then GET returns the item with summaries and attributes in the model's shapes")
    func putThenGet() async throws {
        try await H.with { twin in
            let token = try await twin.token()
            let put = try await twin.call(.put, H.itemPath("PETHA-1"), token: token, body: H.putBody())
            #expect(put.status == 200)
            #expect(put.headers["x-amzn-RateLimit-Limit"] == "5.0")
            #expect(try H.object(put)["status"] as? String == "ACCEPTED")
            try await SchemaValidator.expectValid(
                put.body,
                schema: "listingsItems_2021-08-01.json",
                definition: "ListingsItemSubmissionResponse"
            )

            let get = try await twin.call(
                .get,
                H.itemPath("PETHA-1", query: "&includedData=summaries,attributes,issues,offers"),
                token: token
            )
            #expect(get.status == 200)
            try await SchemaValidator.expectValid(get.body, schema: "listingsItems_2021-08-01.json", definition: "Item")
            let item = try H.object(get)
            let summary = try #require((item["summaries"] as? [[String: Any]])?.first)
            #expect(summary["marketplaceId"] as? String == H.germany)
            #expect(summary["itemName"] as? String == "Agra Petha 500 g")
            let attributes = try #require(item["attributes"] as? [String: Any])
            #expect(attributes["purchasable_offer"] != nil)

            let missing = try await twin.call(.get, H.itemPath("NOPE"), token: token)
            #expect(missing.status == 404)
            try await SchemaValidator.expectValid(
                missing.body,
                schema: "listingsItems_2021-08-01.json",
                definition: "ErrorList"
            )
        }
    }

    @Test("PATCH merges quantity into fulfillment_availability and replaces purchasable_offer")
    func patchMergeAndReplace() async throws {
        try await H.with { twin in
            let token = try await twin.token()
            _ = try await twin.call(.put, H.itemPath("PETHA-2"), token: token, body: H.putBody())
            let patch = """
                {"productType":"FOOD","patches":[
                 {"op":"merge","path":"/attributes/fulfillment_availability","value":[{"fulfillment_channel_code":"DEFAULT","quantity":3}]},
                 {"op":"replace","path":"/attributes/purchasable_offer","value":[{"marketplace_id":"\(H.germany)","currency":"EUR","our_price":[{"schedule":[{"value_with_tax":19.5}]}]}]}]}
                """
            let response = try await twin.call(.patch, H.itemPath("PETHA-2"), token: token, body: patch)
            #expect(try H.object(response)["status"] as? String == "ACCEPTED")
            let listing = try #require(try await twin.sandboxListings(marketplace: "DE").first)
            #expect(listing["quantity"] as? Int == 3)
            #expect(listing["price"] as? String == "19.5")
            #expect(listing["title"] as? String == "Agra Petha 500 g")

            let get = try await twin.call(
                .get,
                H.itemPath("PETHA-2", query: "&includedData=attributes"),
                token: token
            )
            let availability = try #require(
                ((try H.object(get)["attributes"] as? [String: Any])?["fulfillment_availability"] as? [[String: Any]])?
                    .first
            )
            #expect(availability["fulfillment_channel_code"] as? String == "DEFAULT")
        }
    }

    @Test("the inspection view keeps each listing's price history, one entry per accepted change, in order")
    func priceHistoryInOrder() async throws {
        try await H.with { twin in
            let token = try await twin.token()
            _ = try await twin.call(.put, H.itemPath("PETHA-3"), token: token, body: H.putBody(price: "24.99"))
            for price in ["26.5", "26.5", "22"] {
                let patch = """
                    {"productType":"FOOD","patches":[{"op":"replace","path":"/attributes/purchasable_offer","value":[{"marketplace_id":"\(H.germany)","currency":"EUR","our_price":[{"schedule":[{"value_with_tax":\(price)}]}]}]}]}
                    """
                _ = try await twin.call(.patch, H.itemPath("PETHA-3"), token: token, body: patch)
            }
            let refused = H.putBody(price: "-1")
            _ = try await twin.call(.put, H.itemPath("PETHA-3"), token: token, body: refused)
            let listing = try #require(try await twin.sandboxListings(marketplace: "DE").first)
            #expect(listing["price_history"] as? [String] == ["24.99", "26.5", "22"])
        }
    }

    @Test("listing problems are HTTP 200 INVALID with Amazon-like issues, and nothing is stored")
    func invalidListings() async throws {
        try await H.with { twin in
            let token = try await twin.token()
            let cases: [(String, String, String)] = [
                ("ZERO", H.putBody(price: "0"), "8541"),
                ("NEGATIVE", H.putBody(price: "-1.00"), "8541"),
                ("DOLLARS", H.putBody(currency: "USD"), "8560"),
                ("UNTITLED", H.putBody(title: nil), "90220"),
                ("REJECTED", H.putBody(title: "Rose water [REJECT]"), "99001"),
                ("MINUS-STOCK", H.putBody(quantity: -2), "8542"),
                ("ELSEWHERE", H.putBody(marketplaceID: H.france), "8543"),
            ]
            for (sku, body, code) in cases {
                let response = try await twin.call(.put, H.itemPath(sku), token: token, body: body)
                #expect(response.status == 200)
                #expect(try H.object(response)["status"] as? String == "INVALID", "\(sku)")
                #expect(try H.issueCodes(response).contains(code), "\(sku): \(response.bodyText)")
                try await SchemaValidator.expectValid(
                    response.body,
                    schema: "listingsItems_2021-08-01.json",
                    definition: "ListingsItemSubmissionResponse"
                )
            }
            let currency = try await twin.call(
                .put,
                H.itemPath("DOLLARS"),
                token: token,
                body: H.putBody(currency: "USD")
            )
            #expect(currency.bodyText.contains("USD") && currency.bodyText.contains("EUR"))
            let rejected = try await twin.call(
                .put,
                H.itemPath("REJECTED"),
                token: token,
                body: H.putBody(title: "Rose water [REJECT]")
            )
            #expect(rejected.bodyText.contains("The product title contains prohibited content: [REJECT]."))
            let untitled = try await twin.call(.put, H.itemPath("UNTITLED"), token: token, body: H.putBody(title: nil))
            #expect(untitled.bodyText.contains("'item_name' is required but not supplied."))
            #expect(try await twin.sandboxListings().isEmpty)
        }
    }

    @Test("VALIDATION_PREVIEW answers VALID or INVALID and stores nothing")
    func validationPreview() async throws {
        try await H.with { twin in
            let token = try await twin.token()
            let valid = try await twin.call(
                .put,
                H.itemPath("PREVIEW", query: "&mode=VALIDATION_PREVIEW"),
                token: token,
                body: H.putBody()
            )
            #expect(try H.object(valid)["status"] as? String == "VALID")
            let invalid = try await twin.call(
                .put,
                H.itemPath("PREVIEW", query: "&mode=VALIDATION_PREVIEW"),
                token: token,
                body: H.putBody(price: "0")
            )
            #expect(try H.object(invalid)["status"] as? String == "INVALID")
            #expect(try await twin.sandboxListings().isEmpty)
        }
    }

    @Test("malformed requests get 400 ErrorList: unknown marketplace, two marketplaces on PUT, bad JSON, no patches")
    func badRequests() async throws {
        try await H.with { twin in
            let token = try await twin.token()
            let requests: [(HTTPMethod, String, String?)] = [
                (.put, H.itemPath("X", marketplaceIds: "NOT-A-MARKETPLACE"), H.putBody()),
                (.put, H.itemPath("X", marketplaceIds: "\(H.germany),\(H.france)"), H.putBody()),
                (.delete, H.itemPath("X", marketplaceIds: "\(H.germany),\(H.france)"), nil),
                (.put, H.itemPath("X"), "{not json"),
                (.put, H.itemPath("X"), #"{"attributes":{}}"#),
                (.patch, H.itemPath("X"), #"{"productType":"FOOD","patches":[]}"#),
                (
                    .patch, H.itemPath("X"),
                    #"{"productType":"FOOD","patches":[{"op":"move","path":"/attributes/a","value":[{}]}]}"#
                ),
            ]
            for (method, path, body) in requests {
                let response = try await twin.call(method, path, token: token, body: body)
                #expect(response.status == 400, "\(method) \(path) \(body ?? "")")
                #expect(response.headers["x-amzn-RateLimit-Limit"] == "5.0")
                try await SchemaValidator.expectValid(
                    response.body,
                    schema: "listingsItems_2021-08-01.json",
                    definition: "ErrorList"
                )
            }
            let unknown = try await twin.call(.put, requests[0].1, token: token, body: H.putBody())
            #expect(unknown.bodyText.contains(#""code":"InvalidInput""#))
        }
    }

    @Test("PATCH of a SKU the marketplace does not have is INVALID; DELETE removes a listing")
    func patchMissingAndDelete() async throws {
        try await H.with { twin in
            let token = try await twin.token()
            let patch =
                #"{"productType":"FOOD","patches":[{"op":"replace","path":"/attributes/fulfillment_availability","value":[{"fulfillment_channel_code":"DEFAULT","quantity":1}]}]}"#
            let missing = try await twin.call(.patch, H.itemPath("GHOST"), token: token, body: patch)
            #expect(try H.object(missing)["status"] as? String == "INVALID")
            #expect(try H.issueCodes(missing) == ["4000003"])
            #expect(missing.bodyText.contains("does not exist"))

            _ = try await twin.call(.put, H.itemPath("GONE"), token: token, body: H.putBody())
            #expect(try await twin.sandboxListings().count == 1)
            let delete = try await twin.call(.delete, H.itemPath("GONE"), token: token)
            #expect(try H.object(delete)["status"] as? String == "ACCEPTED")
            #expect(try await twin.sandboxListings().isEmpty)
        }
    }

    @Test("prices round-trip exactly as decimal strings: 24.99, 0.1, 1234.56, 1999")
    func exactDecimalPrices() async throws {
        try await H.with { twin in
            let token = try await twin.token()
            for (index, price) in ["24.99", "0.1", "1234.56", "1999"].enumerated() {
                _ = try await twin.call(.put, H.itemPath("PRICE-\(index)"), token: token, body: H.putBody(price: price))
            }
            let listings = try await twin.sandboxListings(marketplace: H.germany)
            #expect(listings.compactMap { $0["price"] as? String } == ["24.99", "0.1", "1234.56", "1999"])
            #expect(listings.allSatisfy { $0["marketplace"] as? String == "DE" && $0["currency"] as? String == "EUR" })
            let get = try await twin.call(.get, H.itemPath("PRICE-1", query: "&includedData=attributes"), token: token)
            #expect(get.bodyText.contains(#""value_with_tax":0.1}"#))
        }
    }
}
