import Catalog
import ControlAPI
import Foundation
import Testing

/// Each message encodes to exactly the documented snake_case keys and decodes back unchanged.
struct WireFormatTests {
    /// Encodes `value`, checks its JSON against `expected` (compared as parsed objects), decodes it back.
    private func roundTrip<Value: Codable & Equatable>(_ value: Value, expected: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(value)
        let actual = try JSONSerialization.jsonObject(with: data) as? NSDictionary
        let wanted = try JSONSerialization.jsonObject(with: Data(expected.utf8)) as? NSDictionary
        #expect(actual == wanted, "\(String(decoding: data, as: UTF8.self))")
        #expect(try JSONDecoder().decode(Value.self, from: Data(expected.utf8)) == value)
    }

    @Test func statusAndChannelSummary() throws {
        let status = StatusResponse(
            version: "0.1.0",
            uptimeSeconds: 42,
            configPath: "/etc/catalogsyncd/catalogsyncd.toml",
            channels: [
                ChannelSummary(
                    name: "amazon-de",
                    platform: "amazon",
                    marketplace: "DE",
                    paused: true,
                    pending: 3,
                    leased: 1,
                    backingOff: 2,
                    deadLetters: 4,
                    acked: 120,
                    lastError: "429 QuotaExceeded"
                )
            ],
            lastReloadError: "channels[2].currency: JPY has no FX rate"
        )
        try roundTrip(
            status,
            expected: """
                {"version": "0.1.0", "uptime_seconds": 42, "config_path": "/etc/catalogsyncd/catalogsyncd.toml",
                 "last_reload_error": "channels[2].currency: JPY has no FX rate",
                 "channels": [{"name": "amazon-de", "platform": "amazon", "marketplace": "DE", "paused": true,
                   "pending": 3, "leased": 1, "backing_off": 2, "dead_letters": 4, "acked": 120,
                   "last_error": "429 QuotaExceeded"}]}
                """
        )
    }

    @Test("a channel's path in status: mode, reason and both drain-time estimates")
    func channelPathWireKeys() throws {
        let channel = ChannelSummary(
            name: "amazon-de",
            account: "amazon-eu",
            platform: "amazon",
            marketplace: "DE",
            path: PathSummary(
                mode: "bulk",
                reason: "bulk (single 479 s vs bulk 95 s)",
                backlog: 2_400,
                singleSeconds: 479,
                bulkSeconds: 95,
                turnaroundSeconds: 35
            )
        )
        try roundTrip(
            channel,
            expected: """
                {"name": "amazon-de", "account": "amazon-eu", "platform": "amazon", "marketplace": "DE",
                 "paused": false, "pending": 0, "leased": 0, "backing_off": 0, "dead_letters": 0, "acked": 0,
                 "path": {"mode": "bulk", "reason": "bulk (single 479 s vs bulk 95 s)", "backlog": 2400,
                   "single_seconds": 479, "bulk_seconds": 95, "turnaround_seconds": 35}}
                """
        )
    }

    @Test func errorResponseNestsCodeAndMessage() throws {
        try roundTrip(
            ErrorResponse(code: "not_found", message: "no product with SKU PETHA-1"),
            expected: #"{"error": {"code": "not_found", "message": "no product with SKU PETHA-1"}}"#
        )
    }

    @Test func importResponseWithRowErrors() throws {
        try roundTrip(
            ImportResponse(
                inserted: 48,
                updated: 1,
                unchanged: 0,
                errors: [.init(line: 7, column: "price", sku: "ATTAR-KANNAUJ-10ML", message: "\"-5\" is not > 0")]
            ),
            expected: """
                {"inserted": 48, "updated": 1, "unchanged": 0, "errors": [{"line": 7, "column": "price",
                 "sku": "ATTAR-KANNAUJ-10ML", "message": "\\"-5\\" is not > 0"}]}
                """
        )
    }

    @Test func listingState() throws {
        try roundTrip(
            ListingStateResponse(
                sku: "PETHA-AGRA-500G",
                listings: [
                    .init(
                        channel: "amazon-jp",
                        state: .inFlight,
                        remoteID: "B0PETHA01",
                        status: "active",
                        attempts: 1,
                        facets: [
                            .init(facet: .price, state: .inFlight, desiredHash: "ab12", ackedHash: "9f00"),
                            .init(facet: .quantity, state: .deadLetter, desiredHash: "cd34", lastError: "8541"),
                        ]
                    )
                ]
            ),
            expected: """
                {"sku": "PETHA-AGRA-500G", "listings": [{"channel": "amazon-jp", "state": "in_flight",
                  "remote_id": "B0PETHA01", "status": "active", "attempts": 1, "facets": [
                  {"facet": "price", "state": "in_flight", "desired_hash": "ab12", "acked_hash": "9f00"},
                  {"facet": "quantity", "state": "dead_letter", "desired_hash": "cd34", "last_error": "8541"}]}]}
                """
        )
    }

    @Test func liveListingStateAndVerificationSummary() throws {
        try roundTrip(
            LiveListingState(
                checkedAt: "2026-12-07T01:00:00Z",
                status: "suppressed",
                platformStatus: "",
                issues: [.init(code: "18027", message: "suppressed", severity: "ERROR", attributeNames: ["price"])],
                drift: "drift: price 24.99 on amazon-de, expected 22.99",
                driftAt: "2026-12-07T00:59:00Z"
            ),
            expected: """
                {"checked_at": "2026-12-07T01:00:00Z", "status": "suppressed", "platform_status": "",
                 "issues": [{"code": "18027", "message": "suppressed", "severity": "ERROR", "attribute_names": ["price"]}],
                 "drift": "drift: price 24.99 on amazon-de, expected 22.99", "drift_at": "2026-12-07T00:59:00Z"}
                """
        )
        try roundTrip(
            VerificationSummary(
                lastPassAt: "2026-12-07T01:00:00Z",
                lastPassChecked: 40,
                lastPassDrifted: 2,
                passChecked: 3,
                passDrifted: 0,
                totalChecked: 43,
                totalDrifted: 2,
                lastError: "E2E-1: 429 QuotaExceeded"
            ),
            expected: """
                {"last_pass_at": "2026-12-07T01:00:00Z", "last_pass_checked": 40, "last_pass_drifted": 2,
                 "pass_checked": 3, "pass_drifted": 0, "total_checked": 43, "total_drifted": 2,
                 "last_error": "E2E-1: 429 QuotaExceeded"}
                """
        )
    }

    @Test func syncRetryAndQueuedMessages() throws {
        try roundTrip(
            SyncRequest(channel: "ebay-us", skus: ["A", "B"], full: true),
            expected: #"{"channel": "ebay-us", "skus": ["A", "B"], "full": true}"#
        )
        try roundTrip(SyncRequest(), expected: "{}")
        try roundTrip(RetryRequest(channel: "flipkart"), expected: #"{"channel": "flipkart"}"#)
        try roundTrip(QueuedResponse(queued: 7), expected: #"{"queued": 7}"#)
    }

    @Test func queueAndDeadLetters() throws {
        try roundTrip(
            QueueResponse(channels: [
                .init(channel: "amazon-us", pending: 5, leased: 2, backingOff: 1, nextAttemptAt: "2026-11-23T15:00:00Z")
            ]),
            expected: """
                {"channels": [{"channel": "amazon-us", "pending": 5, "leased": 2, "backing_off": 1,
                  "next_attempt_at": "2026-11-23T15:00:00Z"}]}
                """
        )
        try roundTrip(
            DeadLetterResponse(deadLetters: [
                .init(
                    sku: "BANGLE-FZB-12",
                    channel: "amazon-de",
                    facet: .content,
                    reason: "90220: 'item_name' is required",
                    hint: "add title@de, re-import, then catalogctl retry",
                    failedAt: "2026-11-23T14:00:00Z"
                )
            ]),
            expected: """
                {"dead_letters": [{"sku": "BANGLE-FZB-12", "channel": "amazon-de", "facet": "content",
                  "reason": "90220: 'item_name' is required", "hint": "add title@de, re-import, then catalogctl retry",
                  "failed_at": "2026-11-23T14:00:00Z"}]}
                """
        )
    }

    @Test func fxMessagesCarryRatesAsDecimalStrings() throws {
        try roundTrip(
            FXResponse(base: "INR", rates: ["USD": "0.01128", "JPY": "1.745"]),
            expected: #"{"base": "INR", "rates": {"USD": "0.01128", "JPY": "1.745"}}"#
        )
        try roundTrip(
            FXResponse(base: "INR", rates: ["EUR": "0.0099"], overridden: ["EUR"]),
            expected: #"{"base": "INR", "rates": {"EUR": "0.0099"}, "overridden": ["EUR"]}"#
        )
        try roundTrip(
            FXSetResponse(fx: FXResponse(base: "INR", rates: ["EUR": "0.0099"]), channels: ["amazon-de"], queued: 3),
            expected: #"{"fx": {"base": "INR", "rates": {"EUR": "0.0099"}}, "channels": ["amazon-de"], "queued": 3}"#
        )
        try roundTrip(
            FXSetRequest(currency: "EUR", rate: "0.00973"),
            expected: #"{"currency": "EUR", "rate": "0.00973"}"#
        )
    }

    @Test func syncEvent() throws {
        try roundTrip(
            SyncEvent(
                time: "2026-11-23T14:00:00Z",
                channel: "walmart-us",
                sku: "RUG-BHADOHI-4X6",
                facet: .quantity,
                outcome: .throttled,
                message: "429",
                retryAfterSeconds: 30
            ),
            expected: """
                {"time": "2026-11-23T14:00:00Z", "channel": "walmart-us", "sku": "RUG-BHADOHI-4X6",
                 "facet": "quantity", "outcome": "throttled", "message": "429", "retry_after_seconds": 30}
                """
        )
    }

    @Test func unknownEnumValuesAreRejected() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(
                SyncEvent.self,
                from: Data(#"{"time":"t","channel":"c","sku":"s","facet":"price","outcome":"exploded"}"#.utf8)
            )
        }
    }
}

struct ProductWireFormatTests {
    @Test func productFieldsUseTheImportContractsSnakeCaseNames() throws {
        let product = Product(
            sku: try SKU(validating: "PETHA-1"),
            title: "Agra petha",
            price: Money(minorUnits: 45_000, currency: .inr),
            quantity: 3,
            productType: "FOOD",
            hsCode: "170490",
            weightGrams: 500,
            imageURLs: ["https://example.com/p.jpg"],
            details: ProductDetails(
                gtin: "4006381333931",
                asinsByChannel: ["amazon-de": "B0BZ5R9K1D"],
                bulletPoints: ["Soft"],
                partNumber: "P-1",
                platformAttributes: ["amazon.item_type_keyword": "sweets"]
            )
        )
        let data = try JSONEncoder().encode(ProductResponse(product: product))
        let object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let fields = try #require(object["product"] as? [String: Any])
        for key in [
            "product_type", "hs_code", "origin_country", "weight_grams", "image_urls", "gtin", "identifier_exemption",
            "asin_by_channel", "bullet_points", "part_number", "condition", "dangerous_goods", "platform_attributes",
        ] {
            #expect(fields[key] != nil, "missing \(key)")
        }
        #expect(fields["hsCode"] == nil)
        let decoded = try JSONDecoder().decode(ProductResponse.self, from: data)
        #expect(decoded.product == product)
    }
}
