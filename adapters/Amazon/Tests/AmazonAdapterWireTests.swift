import Catalog
import Foundation
import Sync
import Testing

@testable import AmazonAdapter

/// The JSON writer, the LWA form and token failures: what goes on the wire and what never leaks.
@Suite("Amazon wire format and token failures")
struct AmazonAdapterWireTests {
    @Test("the JSON writer escapes strings so any title round-trips, and keeps numbers' exact digits")
    func jsonWriterRoundTrips() throws {
        let tricky = "Agra \"Kesar\" Petha\\1 kg\n\t\u{01}आगरा पेठा アーグラ"
        let value: JSONValue = .object([
            ("title", .string(tricky)), ("price", try #require(JSONValue.number("24.99"))),
            ("yen", try #require(JSONValue.number("1780"))), ("flags", [.bool(true), .null]),
        ])
        let bytes = value.serialized()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""price":24.99,"yen":1780"#))
        let parsed = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        #expect(parsed?["title"] as? String == tricky)
        #expect(JSONValue.number("1e5") == nil)
        #expect(JSONValue.number("24.") == nil)
        #expect(JSONValue.number("") == nil)
        #expect(JSONValue.number("2,5") == nil)
    }

    @Test("prices go out as Money prints them, for two-decimal and zero-decimal currencies")
    func pricesAreExact() throws {
        let builder = ListingsPayloadBuilder(marketplace: try #require(.named("JP")), language: nil)
        let yen = String(
            decoding: builder.purchasableOffer(Money(minorUnits: 1780, currency: .jpy)).serialized(),
            as: UTF8.self
        )
        #expect(yen.contains(#""currency":"JPY""#))
        #expect(yen.contains(#""value_with_tax":1780}"#))
        // 0.1 + 0.2 style amounts that Double would print as 24.989999…
        for minorUnits: Int64 in [2499, 1, 10, 100_000_001, 30] {
            let money = Money(minorUnits: minorUnits, currency: .gbp)
            let text = String(decoding: builder.purchasableOffer(money).serialized(), as: UTF8.self)
            #expect(text.contains("\"value_with_tax\":\(money.amountString)}"))
        }
        #expect(builder.languageTag == "ja_JP")
    }

    @Test("an unreachable token endpoint turns into a retry and an error log that holds no secret")
    func tokenEndpointFailure() async throws {
        try await FakeSPAPI.withServer { fake, port in
            try await AmazonAdapterRig.with(port: port, tokenPath: "/auth/o2/wrong") { rig in
                let change = try AmazonAdapterRig.change("OK-1", [.price])
                let outcome = await rig.adapter.push([change], mode: .single)[change.sku]
                #expect(
                    outcome == .retry(reason: "LWA token request answered 404 (no error code)", after: .seconds(5))
                )
                #expect(fake.requests.filter { $0.path.hasPrefix("/amazon/") }.isEmpty)
                let lines = rig.logs.all
                #expect(lines.contains { $0.hasPrefix("error") })
                for line in lines {
                    #expect(!line.contains("Atzr|"))
                    #expect(!line.contains(AmazonAdapterRig.clientSecret))
                }
            }
        }
    }
}
