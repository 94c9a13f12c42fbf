import Catalog
import Foundation
import Sync
import Testing

@testable import AmazonAdapter

/// Per-SKU outcomes of single Listings Items calls against a loopback SP-API answering with the models'
/// official example bodies.
@Suite("Amazon single-call outcomes")
struct AmazonAdapterOutcomeTests {
    @Test("ACCEPTED, INVALID, warnings, 400 ErrorList, 429, 503 and 404-on-delete map to per-SKU outcomes")
    func outcomesPerSKU() async throws {
        try await FakeSPAPI.withServer { fake, port in
            try await AmazonAdapterRig.with(port: port) { rig in
                let changes = [
                    try AmazonAdapterRig.change("OK-1", [.price]),
                    try AmazonAdapterRig.change("INVALID-2", [.content], isNew: true),
                    try AmazonAdapterRig.change("WARN-3", [.quantity]),
                    try AmazonAdapterRig.change("BADREQ-4", [.price, .quantity]),
                    try AmazonAdapterRig.change("THROTTLED-5", [.quantity]),
                    try AmazonAdapterRig.change("UNAVAILABLE-6", [.price]),
                    try AmazonAdapterRig.change("GONE-7", [], isRemoval: true),
                ]
                let outcomes = await rig.adapter.push(changes, mode: .single)
                let byName = Dictionary(uniqueKeysWithValues: changes.map { ($0.sku.rawValue, $0) })

                #expect(outcomes.count == changes.count)
                #expect(outcomes[byName["OK-1"]!.sku] == .accepted(byName["OK-1"]!))
                #expect(
                    outcomes[byName["INVALID-2"]!.sku]
                        == .rejected(issues: [
                            MarketplaceIssue(
                                code: "90220",
                                message: "'condition_type' is required but not supplied.",
                                severity: "ERROR",
                                attributeNames: ["condition_type"]
                            ),
                            MarketplaceIssue(
                                code: "90000900",
                                message: "The attributes are invalid.",
                                severity: "ERROR",
                                attributeNames: ["fake_attribute"]
                            ),
                        ])
                )
                #expect(
                    outcomes[byName["WARN-3"]!.sku]
                        == .accepted(sentHashes: [.quantity: byName["WARN-3"]!.desired.hashes.quantity], remoteID: nil)
                )
                #expect(
                    outcomes[byName["BADREQ-4"]!.sku]
                        == .rejected(issues: [MarketplaceIssue(code: "BAD_REQUEST", message: "Invalid input")])
                )
                #expect(outcomes[byName["THROTTLED-5"]!.sku] == .retry(reason: "429 QuotaExceeded", after: nil))
                guard case .retry(let reason, let after) = outcomes[byName["UNAVAILABLE-6"]!.sku] else {
                    Issue.record("503 is not a retry: \(String(describing: outcomes[byName["UNAVAILABLE-6"]!.sku]))")
                    return
                }
                #expect(reason.contains("503"))
                #expect(after == .seconds(7))
                #expect(outcomes[byName["GONE-7"]!.sku] == .accepted(sentHashes: [:], remoteID: nil))

                // One token for seven concurrent calls; every call carries it and Amazon's headers.
                #expect(fake.tokensIssued == 1)
                let calls = fake.requests.filter { $0.path.hasPrefix("/amazon/listings/") }
                #expect(calls.count == 7)
                for call in calls {
                    #expect(call.headers["x-amz-access-token"] == "Atza|token-1")
                    #expect(call.headers["user-agent"] == "CatalogSync/0.1 (Language=Swift; Platform=Linux)")
                    #expect(call.headers["x-amz-date"]?.wholeMatch(of: /\d{8}T\d{6}Z/) != nil)
                    #expect(call.query.contains("marketplaceIds=A1F83G8C2ARO7P"))
                }
                let patch = try #require(calls.first { $0.path.hasSuffix("/OK-1") })
                #expect(patch.method == "PATCH")
                #expect(patch.path == "/amazon/listings/2021-08-01/items/A2EUEXAMPLE02/OK-1")
                // The price merges into the offer; a replace would drop a B2B offer or min/max prices.
                #expect(patch.bodyText.contains(#""op":"merge","path":"/attributes/purchasable_offer""#))
                #expect(patch.bodyText.contains(#""value_with_tax":24.99}"#))
                #expect(calls.first { $0.path.hasSuffix("/INVALID-2") }?.method == "PUT")
                #expect(calls.first { $0.path.hasSuffix("/GONE-7") }?.method == "DELETE")

                // The 429 throttled the bucket; 200/400 answers set the reported limit.
                let states = await rig.rateLimiter.states()
                let patchState = try #require(states.first { $0.operation == "patchListingsItem" })
                #expect(patchState.throttles == 1)
                let putState = try #require(states.first { $0.operation == "putListingsItem" })
                #expect(abs(putState.rate - 2.0 * RateLimiter.Configuration().safetyFactor) < 1e-9)
            }
        }
    }

    @Test(
        "a new listing goes as a PUT, a content change to an existing one as a PATCH; both acknowledge all three facets"
    )
    func contentAcknowledgesAllFacets() async throws {
        try await FakeSPAPI.withServer { fake, port in
            try await AmazonAdapterRig.with(port: port) { rig in
                for (sku, isNew, method) in [("NEW-1", true, "PUT"), ("OK-1", false, "PATCH")] {
                    let change = try AmazonAdapterRig.change(sku, [.content], isNew: isNew)
                    let outcomes = await rig.adapter.push([change], mode: .single)
                    let hashes = change.desired.hashes
                    #expect(
                        outcomes[change.sku]
                            == .accepted(
                                sentHashes: [
                                    .content: hashes.content, .price: hashes.price, .quantity: hashes.quantity,
                                ],
                                remoteID: nil
                            )
                    )
                    let body = try #require(fake.requests.first { $0.path.hasSuffix("/\(sku)") }?.bodyText)
                    #expect(fake.requests.first { $0.path.hasSuffix("/\(sku)") }?.method == method)
                    #expect(body.contains(#""productType":"PRODUCT""#), "the catalog's FOOD is its own category")
                    let stock = #"[{"fulfillment_channel_code":"DEFAULT","quantity":20}]"#
                    if isNew {
                        #expect(body.contains(#""requirements":"LISTING""#))
                        #expect(body.contains(#""fulfillment_availability":\#(stock)"#))
                    } else {
                        #expect(body.contains(#"{"op":"replace","path":"/attributes/item_name","value":"#))
                        #expect(
                            body.contains(
                                #"{"op":"merge","path":"/attributes/fulfillment_availability","value":\#(stock)}"#
                            )
                        )
                        #expect(!body.contains(#""op":"replace","path":"/attributes/purchasable_offer""#))
                    }
                }
            }
        }
    }

    @Test("a content patch Amazon answers with 'SKU does not exist' (deleted elsewhere) is sent again as a PUT")
    func contentPatchOfAMissingListingBecomesAPut() async throws {
        try await FakeSPAPI.withServer { fake, port in
            try await AmazonAdapterRig.with(port: port) { rig in
                let change = try AmazonAdapterRig.change("DELETED-1", [.content])
                let outcome = await rig.adapter.push([change], mode: .single)[change.sku]
                let hashes = change.desired.hashes
                #expect(
                    outcome
                        == .accepted(
                            sentHashes: [.content: hashes.content, .price: hashes.price, .quantity: hashes.quantity],
                            remoteID: nil
                        )
                )
                #expect(fake.requests.filter { $0.path.hasSuffix("/DELETED-1") }.map(\.method) == ["PATCH", "PUT"])
                // A price-only patch of a missing listing is not turned into a full listing.
                let price = try AmazonAdapterRig.change("DELETED-2", [.price])
                guard case .rejected = await rig.adapter.push([price], mode: .single)[price.sku] else {
                    Issue.record("a price patch of a missing listing is rejected")
                    return
                }
            }
        }
    }

    @Test("an expired token is refreshed once and the call retried with the fresh token")
    func expiredTokenRefreshedOnce() async throws {
        try await FakeSPAPI.withServer { fake, port in
            try await AmazonAdapterRig.with(port: port) { rig in
                let first = try AmazonAdapterRig.change("OK-1", [.price])
                #expect(await rig.adapter.push([first], mode: .single)[first.sku] == .accepted(first))
                let expired = try AmazonAdapterRig.change("EXPIRED-2", [.quantity])
                #expect(await rig.adapter.push([expired], mode: .single)[expired.sku] == .accepted(expired))
                #expect(fake.tokensIssued == 2)
                #expect(await rig.tokens.refreshCount == 2)
                let tokensUsed = fake.requests.filter { $0.path.hasSuffix("/EXPIRED-2") }
                    .map { $0.headers["x-amz-access-token"] ?? "" }
                #expect(tokensUsed == ["Atza|token-1", "Atza|token-2"])
                // The LWA form percent-encodes the refresh token's `|`, `+`, `/`, `=` and `&`.
                let form = try #require(fake.state.withLock { $0.tokenForms.first })
                #expect(form.hasPrefix("grant_type=refresh_token&refresh_token=Atzr%7CIwEB%2Brefresh%2Fsecret%3D%26x&"))
                #expect(form.contains("client_secret=amzn1.oa2-cs.v1.topsecret"))
            }
        }
    }

    @Test(
        "a refused fresh token (403) makes the channel need attention in Amazon's words, with an error log that holds no secret"
    )
    func refusedFreshTokenFailsLoudly() async throws {
        try await FakeSPAPI.withServer { fake, port in
            try await AmazonAdapterRig.with(port: port) { rig in
                let change = try AmazonAdapterRig.change("DENIED-1", [.price])
                let outcome = await rig.adapter.push([change], mode: .single)[change.sku]
                #expect(
                    outcome
                        == .needsAttention(
                            reason: "Amazon refused a fresh access token (403 Unauthorized): "
                                + "Unauthorized: Access to requested resource is denied."
                        )
                )
                #expect(fake.tokensIssued == 2)
                let lines = rig.logs.all
                #expect(lines.contains { $0.hasPrefix("error") && $0.contains("refused a fresh access token") })
                for line in lines {
                    #expect(!line.contains("Atza|"))
                    #expect(!line.contains("Atzr|"))
                    #expect(!line.contains(AmazonAdapterRig.clientSecret))
                }
            }
        }
    }

    @Test("validate sends a VALIDATION_PREVIEW PUT and returns Amazon's issues")
    func validationPreview() async throws {
        try await FakeSPAPI.withServer { fake, port in
            try await AmazonAdapterRig.with(port: port) { rig in
                let issues = try await rig.adapter.validate(try AmazonAdapterRig.listing("INVALID-9"))
                #expect(issues.map(\.code) == ["90220", "90000900"])
                let call = try #require(fake.requests.first { $0.path.hasSuffix("/INVALID-9") })
                #expect(call.method == "PUT")
                #expect(call.query.contains("mode=VALIDATION_PREVIEW"))
                #expect(try await rig.adapter.validate(try AmazonAdapterRig.listing("OK-9")).isEmpty)
            }
        }
    }
}
