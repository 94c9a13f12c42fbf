import AdapterTestSupport
import CurlHTTP
import Foundation
import Testing
import TwinSupport
import WalmartTwin

@Suite("Walmart twin")
struct WalmartTwinTests {
    @Test("a call without WM_SVC.NAME gets 400 INVALID_REQUEST_HEADER; without a token, 401")
    func headersAndTokenAreRequired() async throws {
        let twin = WalmartTwin(environment: TwinEnvironment())
        let http = try HTTPClient(configuration: .init())
        let (missing, unauthorized) = try await withTwinEndpoint(twin) { base in
            let body = Array(#"{"sku":"A","quantity":{"unit":"EACH","amount":1}}"#.utf8)
            let missing = try await http.execute(
                HTTPRequest(
                    method: .put,
                    url: base + "/v3/inventory?sku=A",
                    headers: ["WM_QOS.CORRELATION_ID": "x"],
                    body: body
                )
            )
            let unauthorized = try await http.execute(
                HTTPRequest(
                    method: .put,
                    url: base + "/v3/inventory?sku=A",
                    headers: ["WM_QOS.CORRELATION_ID": "x", "WM_SVC.NAME": "Walmart Marketplace"],
                    body: body
                )
            )
            return (missing, unauthorized)
        }
        await http.shutdown()
        #expect(missing.status == 400)
        #expect(missing.bodyText.contains("INVALID_REQUEST_HEADER.GMP_GATEWAY_API"))
        #expect(unauthorized.status == 401)
        #expect(unauthorized.bodyText.contains("UNAUTHORIZED.GMP_GATEWAY_API"))
    }
}
