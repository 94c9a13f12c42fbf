import ControlAPI
import CurlHTTP
import Foundation
import ProcessTestSupport
import Testing

/// A listing that fails its Amazon product type definition, through a real daemon and `catalogctl`
/// against the Amazon twin holding the official PRODUCT definition (no temporary leniency on either side).
@Suite(.serialized)
struct HeldListingDaemonTests {
    typealias RunningDaemon = DaemonProcessTests.RunningDaemon

    static let configuration = """
        [daemon]
        base_currency = "INR"

        [fx]
        EUR = "0.00973"

        [accounts.amazon-eu]
        platform  = "amazon"
        region    = "eu"
        seller_id = "A2EUEXAMPLE02"

        [[channels]]
        name        = "amazon-de"
        account     = "amazon-eu"
        marketplace = "DE"
        currency    = "EUR"
        language    = "de_DE"
        """

    static func row(attributes: String, bulletPoints: String = "") -> String {
        "sku,title,brand,description,origin_country,attributes,bullet_points,price,quantity\n"
            + "HOLD-1,\"Agra Petha, 500 g\",Panchhi,Soft candy.,IN,\(attributes),\(bulletPoints),1000.00,5\n"
    }

    /// Polls the dead letters (every 50 ms, at most 90 s) until one for HOLD-1 satisfies `condition`.
    static func deadLetter(
        _ daemon: RunningDaemon,
        where condition: (DeadLetterResponse.DeadLetter) -> Bool
    ) async throws -> DeadLetterResponse.DeadLetter {
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            let response = try await daemon.request(.get, "/v1/dead-letters")
            let letters = try JSONDecoder().decode(DeadLetterResponse.self, from: Data(response.body)).deadLetters
            if let letter = letters.first(where: { $0.sku == "HOLD-1" && condition($0) }) { return letter }
            try await Task.sleep(for: .milliseconds(50))
        }
        let listings = try await daemon.request(.get, "/v1/products/HOLD-1/listings").bodyText
        throw NoDeadLetter(listings: listings)
    }

    struct NoDeadLetter: Error, CustomStringConvertible {
        /// HOLD-1's listings when the wait ended.
        var listings: String
        var description: String { "no matching dead letter for HOLD-1 within 90 s; its listings: \(listings)" }
    }

    @Test func aListingThatFailsItsDefinitionIsHeldShownByValidateAndQueuedAgainByAnEdit() async throws {
        // The sandbox runs as its own process: a busy test process cannot starve its token endpoint.
        let (sandbox, baseURL) = try await StreamingProcess.sandbox([
            "--quotas", "off", "--temporarily-lenient", "none",
        ])
        defer { sandbox.process.terminate() }

        let state = try TemporaryDirectory()
        let config = try state.write("catalogsyncd.toml", Self.configuration)
        let daemon = try RunningDaemon(reusing: state, config: config, arguments: ["--sandbox-url", baseURL])
        _ = try daemon.waitUntilReady()
        let socket = "\(state.path)/control.sock"
        let imported = try await daemon.request(.post, "/v1/import", body: Self.row(attributes: "flavour=plain"))
        #expect(imported.status == 200, "\(imported.bodyText)")

        // The local check: what would be sent and what the definition says, nothing sent.
        let local = try CatalogctlTests.catalogctl(["validate", "HOLD-1", "--channel", "amazon-de"], socket: socket)
        #expect(local.status == 1, "\(local.errors)")
        #expect(
            local.output.contains(#"missing required attribute bullet_point ("Bullet Point")"#),
            "\(local.output) \(local.errors)"
        )
        #expect(local.output.contains("PRODUCT definition version twin-1 (LISTING, A1PA6795UKMFR9, de_DE)"))
        #expect(local.output.contains("would send:"))
        let json = try CatalogctlTests.catalogctl(
            ["validate", "HOLD-1", "--channel", "amazon-de", "--json"],
            socket: socket
        )
        let preview = try JSONDecoder().decode(ListingPreviewResponse.self, from: Data(json.output.utf8))
        #expect(preview.issues.contains { $0.attributes == ["color"] && $0.code == "required" })
        #expect(preview.body.contains(#""productType":"PRODUCT""#))

        // --remote: Amazon's VALIDATION_PREVIEW, the twin's 90220.
        let remote = try CatalogctlTests.catalogctl(
            ["validate", "HOLD-1", "--channel", "amazon-de", "--remote"],
            socket: socket
        )
        #expect(remote.status == 1)
        #expect(remote.output.contains("ERROR 90220 [bullet_point]: 'bullet_point' is required but not supplied."))

        // Sending: held, never sent (the strict twin would have answered 90220, not "held:").
        _ = try await daemon.request(.post, "/v1/channels/amazon-de/resume")
        let held = try await Self.deadLetter(daemon) { $0.reason.hasPrefix("held: ") }
        #expect(held.reason.contains(#"missing required attribute bullet_point ("Bullet Point")"#), "\(held.reason)")
        let listings = try JSONDecoder().decode(
            ListingStateResponse.self,
            from: Data(try await daemon.request(.get, "/v1/products/HOLD-1/listings").body)
        )
        let listing = try #require(listings.listings.first { $0.channel == "amazon-de" })
        #expect(listing.state == .deadLetter)
        #expect(listing.attempts == 0)
        #expect(listing.lastError?.hasPrefix("held: missing required attribute") == true)
        let letters = try CatalogctlTests.catalogctl(["dead-letters"], socket: socket)
        #expect(letters.output.contains("held: missing required attribute"), "\(letters.output)")
        let onTwin = try await daemon.client.execute(
            HTTPRequest(method: .get, url: baseURL + "/_sandbox/listings?platform=amazon")
        )
        #expect(onTwin.bodyText.contains("HOLD-1") == false, "\(onTwin.bodyText)")

        // Fixing part of the catalog queues it again at once: held now without the bullet point.
        _ = try await daemon.request(
            .post,
            "/v1/import",
            body: Self.row(attributes: "flavour=plain", bulletPoints: "Soft ash-gourd sweet")
        )
        let again = try await Self.deadLetter(daemon) { !$0.reason.contains("bullet_point") }
        #expect(again.reason.contains(#"missing required attribute color ("Color")"#), "\(again.reason)")
        #expect(await daemon.terminate() == 0)
    }
}
