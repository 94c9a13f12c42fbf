import AdapterTestSupport
import Catalog
import CurlHTTP
import Foundation
import Sync
import Testing
import TwinSupport

@testable import DHLAdapter
@testable import DHLTwin

/// MyDHL API 2.7.0 (`../shared/specs/dhl-express/mydhl-api-2.7.0.yaml`): the request schema
/// `supermodelIoLogisticsExpressLandedCostRequest`, the answer's item breakdowns, the 500 process error.
@Suite("DHL Express contract: MyDHL 2.7.0 landed-cost request and response")
struct DHLContractTests {
    /// The published contract; the tests that need it are skipped without the specs folder.
    static let contract = DHLTwin.publishedContract

    /// A request body the adapter would send for `product` to `destination`.
    static func adapterBody(_ product: Product, destination: String = "US") throws -> [UInt8] {
        let options = DHLAdapterFactory().configuration(
            account: DHLAdapterTests.account,
            channel: DHLAdapterTests.channel
        )
        let request = LandedCostRequest(
            shipperCountry: options.shipperCountry,
            shipperPostalCode: options.shipperPostalCode,
            shipperCity: options.shipperCity,
            accountNumber: "950000002",
            receiverAddresses: options.receiverAddresses,
            packageDimensions: (20, 15, 10)
        )
        return request.body(for: try DHLAdapterTests.projector().project(product), destination: destination)
    }

    /// `body` with `edit` applied to its parsed form, serialized back with JSONSerialization.
    static func edited(_ body: [UInt8], _ edit: (inout [String: Any]) -> Void) throws -> [UInt8] {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        edit(&object)
        return Array(try JSONSerialization.data(withJSONObject: object))
    }

    /// Posts `body` to the twin's `/landed-cost`.
    static func post(_ twin: DHLTwin, _ body: [UInt8]) async throws -> HTTPResponse {
        let http = try HTTPClient(configuration: .init())
        let basic = "Basic " + Data("key:secret".utf8).base64EncodedString()
        let response = try await withTwinEndpoint(twin) { base in
            try await http.execute(
                HTTPRequest(
                    method: .post,
                    url: base + "/landed-cost",
                    headers: ["Authorization": basic, "Content-Type": "application/json"],
                    body: body
                )
            )
        }
        await http.shutdown()
        return response
    }

    @Test(
        "the adapter's request validates against supermodelIoLogisticsExpressLandedCostRequest: prt, receiver postal code and city",
        .enabled(if: contract != nil, "needs ../shared/specs and python3 with PyYAML")
    )
    func adapterRequestFollowsTheSchema() throws {
        let contract = try #require(Self.contract)
        let body = try Self.adapterBody(try DHLAdapterTests.product("PETHA-1"))
        let json = try JSONValue.parse(body)
        #expect(contract.violations(of: json, schemaNamed: DHLTwin.requestSchema) == [])
        #expect(json["items"]?.arrayValue?.first?["quantityType"] == .string("prt"))
        let receiver = json["customerDetails"]?["receiverDetails"]
        #expect(receiver?["postalCode"] == .string("10001"))
        #expect(receiver?["cityName"] == .string("New York"))
    }

    @Test(
        "the twin refuses quantityType pcs and a receiver without postalCode and cityName, as the schema does",
        arguments: [true, false]
    )
    func twinRefusesWhatTheSchemaRefuses(withContract: Bool) async throws {
        if withContract, Self.contract == nil { return }
        let twin = DHLTwin(
            environment: TwinEnvironment(quotasEnabled: false),
            quotaRateScale: 1,
            contract: withContract ? Self.contract : nil
        )
        let good = try Self.adapterBody(try DHLAdapterTests.product("PETHA-1"))
        let pieces = try Self.edited(good) { object in
            var items = object["items"] as? [[String: Any]] ?? []
            items[0]["quantityType"] = "pcs"
            object["items"] = items
        }
        let countryOnly = try Self.edited(good) { object in
            var details = object["customerDetails"] as? [String: Any] ?? [:]
            details["receiverDetails"] = ["countryCode": "US"]
            object["customerDetails"] = details
        }
        let refusedPieces = try await Self.post(twin, pieces)
        let refusedAddress = try await Self.post(twin, countryOnly)
        let accepted = try await Self.post(twin, good)
        #expect(refusedPieces.status == 400)
        #expect(refusedPieces.bodyText.contains("quantityType"))
        #expect(refusedAddress.status == 400)
        #expect(refusedAddress.bodyText.contains("postalCode"))
        #expect(accepted.status == 200)
        if withContract {
            #expect(refusedPieces.bodyText.contains(#"\"pcs\" is not one of [\"prt\", \"box\"]"#))
            #expect(refusedAddress.bodyText.contains("required property cityName is missing"))
        }
    }

    @Test(
        "the twin answers in supermodelIoLogisticsExpressRates' shape, duties and taxes in items[].breakdown",
        .enabled(if: contract != nil, "needs ../shared/specs and python3 with PyYAML")
    )
    func twinAnswerFollowsTheSchema() async throws {
        let contract = try #require(Self.contract)
        let twin = DHLTwin(environment: TwinEnvironment(quotasEnabled: false))
        let answer = try await Self.post(
            twin,
            try Self.adapterBody(try DHLAdapterTests.product("PETHA-1"), destination: "GB")
        )
        #expect(answer.status == 200)
        let json = try JSONValue.parse(answer.body)
        #expect(contract.violations(of: json, schemaNamed: "supermodelIoLogisticsExpressRates") == [])
        let breakdown = json["products"]?.arrayValue?.first?["items"]?.arrayValue?.first?["breakdown"]?.arrayValue
        // 450 INR, chapter 17: duty 15 % = 67.50; GB tax 20 % of 517.50 = 103.50.
        #expect(breakdown?.map { $0["typeCode"] } == [.string("DUTY"), .string("TAX")])
        #expect(breakdown?.map { $0["price"] } == [.number("67.50"), .number("103.50")])
    }

    @Test(
        "duties and taxes come from each item's breakdown (DUTY, TAX; FEE counts as shipping), not the shipment level"
    )
    func dutiesAndTaxesFromItemBreakdowns() throws {
        // Shaped as supermodelIoLogisticsExpressRates: two items, a FEE line, a shipment-level SPRQN.
        let body = #"""
            {"products":[{"productName":"EXPRESS WORLDWIDE","weight":{"provided":1},
             "totalPrice":[{"currencyType":"BILLC","priceCurrency":"USD","price":135.25}],
             "detailedPriceBreakdown":[{"currencyType":"BILLC","priceCurrency":"USD",
               "breakdown":[{"name":"SPRQN","price":90.00}]}],
             "items":[{"number":1,"breakdown":[{"typeCode":"DUTY","price":10.50},{"typeCode":"TAX","price":20.00}]},
                      {"number":2,"breakdown":[{"typeCode":"DUTY","price":4.25},{"typeCode":"FEE","price":5.00}]}]}]}
            """#
        let estimate = try #require(
            LandedCostResponse.estimate(Array(body.utf8), destination: "US", fetchedAt: Date(timeIntervalSince1970: 0))
        )
        #expect(estimate.total.amountString == "135.25")
        #expect(estimate.duties.amountString == "14.75")  // 10.50 + 4.25
        #expect(estimate.taxes.amountString == "20.00")
        #expect(estimate.shipping.amountString == "100.50")  // 135.25 − 14.75 − 20.00
    }

    @Test("a 500 process error is retried until the third in a row, then rejected in DHL's words")
    func processErrorIsBounded() async throws {
        var usOnly = DHLAdapterTests.channel
        usOnly.extra["destinations"] = "US"
        try await DHLAdapterTests.withAdapter(channel: usOnly) { adapter, data, _ in
            let change = try DHLAdapterTests.change(
                try DHLAdapterTests.product("PETHA-PE", title: "Petha [PROCESS-ERROR]")
            )
            var outcomes: [ListingOutcome?] = []
            for _ in 0..<3 { outcomes.append(await adapter.push([change], mode: .single)[change.sku]) }
            guard case .retry = outcomes[0], case .retry = outcomes[1],
                case .rejected(let issues) = outcomes[2]
            else {
                Issue.record("expected retry, retry, rejected: \(outcomes)")
                return
            }
            #expect(issues.first?.code == "500 Internal Server Error")
            #expect(
                issues.first?.message
                    == "US: 999: Process failure occurred. Process ID associated for that transaction (1234567890)"
            )
            #expect(try await data.value(for: DHLAdapter.processErrorKey(sku: change.sku, destination: "US")) == nil)
        }
    }

    @Test("a destination without a default address needs receiver_addresses; the configured one is sent")
    func receiverAddressesPerDestination() throws {
        let factory = DHLAdapterFactory()
        var channel = DHLAdapterTests.channel
        channel.extra["destinations"] = "US,KE"
        let keys = factory.check(account: DHLAdapterTests.account, channel: channel).compactMap { problem -> String? in
            if case .configuration(let key, _) = problem { return key }
            return nil
        }
        #expect(keys == ["channels[dhl-express].receiver_addresses"])
        channel.extra["receiver_addresses"] = "KE|00100|Nairobi; US|94105|San Francisco"
        #expect(factory.check(account: DHLAdapterTests.account, channel: channel).isEmpty)
        let options = factory.configuration(account: DHLAdapterTests.account, channel: channel)
        #expect(options.receiverAddresses["KE"] == ReceiverAddress(postalCode: "00100", cityName: "Nairobi"))
        #expect(options.receiverAddresses["US"] == ReceiverAddress(postalCode: "94105", cityName: "San Francisco"))
        #expect(options.receiverAddresses["GB"] == ReceiverAddress.defaults["GB"])
        channel.extra["receiver_addresses"] = "KE-00100-Nairobi"
        #expect(factory.check(account: DHLAdapterTests.account, channel: channel).count == 1)
    }
}
