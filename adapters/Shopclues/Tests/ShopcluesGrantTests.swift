import AdapterTestSupport
import Catalog
import CurlHTTP
import Foundation
import ShopcluesAdapter
import ShopcluesTwin
import Sync
import Testing
import TwinSupport

/// Shopclues documents one grant for merchant calls, the password grant; the adapter uses it only.
@Suite("Shopclues: the documented password grant only")
struct ShopcluesGrantTests {
    @Test("an account without username and password is refused when the adapter is built, naming the key")
    func passwordGrantIsRequired() throws {
        var context = shopcluesContext(baseURL: "http://127.0.0.1:9", http: try HTTPClient(configuration: .init()))
        context.account.credentials["username"] = nil
        do {
            _ = try ShopcluesAdapterFactory().makeAdapter(context: context)
            Issue.record("an adapter was built without username")
        } catch {
            #expect("\(error)".contains("username"))
        }
    }

    @Test(
        "the twin refuses the client-credentials grant at loginToken.php, as Shopclues documents it for public APIs only"
    )
    func twinRefusesClientCredentials() async throws {
        let twin = ShopcluesTwin(environment: TwinEnvironment())
        let http = try HTTPClient(configuration: .init())
        let response = try await withTwinEndpoint(twin) { base in
            try await http.execute(
                HTTPRequest(
                    method: .post,
                    url: base + "/oauth/loginToken.php",
                    headers: ["Content-Type": "application/json"],
                    body: Array(#"{"grant_type":"client_credentials","client_id":"c","client_secret":"s"}"#.utf8)
                )
            )
        }
        await http.shutdown()
        #expect(response.status == 400)
        #expect(response.bodyText.contains("unsupported_grant_type"))
    }

    @Test("a push authenticates by the password grant and goes through")
    func passwordGrantPushes() async throws {
        let twin = ShopcluesTwin(environment: TwinEnvironment())
        let projector = try shopcluesProjector()
        let products = sampleProducts(count: 2, prefix: "SG")
        let http = try HTTPClient(configuration: .init())
        let outcomes = try await withTwinEndpoint(twin) { base in
            await ShopcluesAdapter(context: shopcluesContext(baseURL: base, http: http))
                .push(priceAndQuantityChanges(products, projector), mode: .bulk)
        }
        await http.shutdown()
        expectAccepted(outcomes)
        await expectListings(twin, products, projector)
    }
}
