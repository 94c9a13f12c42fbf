import Catalog
import ControlAPI
import Foundation
import Testing

/// `catalogctl sync --wait` and `catalogctl watch` as real processes against `catalogsyncd --sandbox`
/// syncing for real: the shopclues channel is resumed (its twin answers fast and has no content
/// facet), every other channel stays paused.
@Suite(.serialized)
struct SyncWaitAndWatchTests {
    typealias RunningDaemon = DaemonProcessTests.RunningDaemon

    static func catalogctl(_ arguments: [String], socket: String) throws -> (
        status: Int32, output: String, errors: String
    ) {
        try CatalogctlTests.catalogctl(arguments, socket: socket)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    /// `GET /v1/queue` by channel.
    static func queue(_ daemon: RunningDaemon) async throws -> [String: QueueResponse.ChannelQueue] {
        let response = try await daemon.request(.get, "/v1/queue")
        let queue = try JSONDecoder().decode(QueueResponse.self, from: Data(response.body))
        return Dictionary(uniqueKeysWithValues: queue.channels.map { ($0.channel, $0) })
    }

    /// `GET /v1/status`'s summary of `channel`.
    static func channel(_ name: String, _ daemon: RunningDaemon) async throws -> ChannelSummary {
        let response = try await daemon.request(.get, "/v1/status")
        let status = try JSONDecoder().decode(StatusResponse.self, from: Data(response.body))
        return try #require(status.channels.first { $0.name == name })
    }

    @Test func syncWaitReturnsOnlyOnceTheChannelHasNothingPendingAndRefusesToWaitOnAPausedOne() async throws {
        // One request in twenty fails with a 500: those listings back off and are sent again, so the
        // queue takes a second or more to drain and --wait has something to wait for.
        let daemon = try RunningDaemon(arguments: ["--sandbox-faults", "500:0.05"])
        _ = try daemon.waitUntilReady()
        let socket = "\(daemon.state.path)/control.sock"
        let seeded = try await Self.channel("shopclues", daemon).pending
        #expect(seeded > 0)

        let paused = try Self.catalogctl(["sync", "--channel", "shopclues", "--wait"], socket: socket)
        #expect(paused.status == 1, "a paused channel never drains: waiting on it would never end")
        #expect(paused.errors.contains("shopclues is paused"), "\(paused.errors)")
        #expect(paused.errors.contains("catalogctl resume shopclues"))

        #expect(try Self.catalogctl(["resume", "shopclues"], socket: socket).status == 0)
        let waited = try Self.catalogctl(
            ["sync", "--channel", "shopclues", "--wait", "--interval", "0.2", "--timeout", "120"],
            socket: socket
        )
        let queue = try await Self.queue(daemon)
        #expect(waited.status == 0, "\(waited.output)\(waited.errors)")
        let shopclues = try #require(queue["shopclues"])
        #expect(shopclues.pending == 0 && shopclues.leased == 0 && shopclues.backingOff == 0, "\(shopclues)")
        #expect(try await Self.channel("shopclues", daemon).acked == seeded)
        #expect(queue["amazon-de"]?.pending == seeded, "a paused channel the wait did not choose keeps its queue")
        let summary = try #require(waited.output.split(separator: "\n").last.map(String.init))
        #expect(summary.hasPrefix("done in ") && summary.contains("nothing pending on shopclues, none rejected"))
        #expect(await daemon.terminate() == 0)
    }

    @Test func syncWaitExitsOneNamingAListingTheMarketplaceRejectedWhileItWaited() async throws {
        let daemon = try RunningDaemon()
        _ = try daemon.waitUntilReady()
        let socket = "\(daemon.state.path)/control.sock"
        #expect(try Self.catalogctl(["resume", "shopclues"], socket: socket).status == 0)
        let file = try daemon.state.write(
            "idol.csv",
            "sku,title,price,quantity\nIDOL-1,\"Brass idol [REJECT]\",1500.00,3\n"
        )
        #expect(try Self.catalogctl(["import", file], socket: socket).status == 0)
        // The import alone sends it, and Shopclues refuses the name; syncing it sends it again.
        let rejected = try Self.catalogctl(
            ["sync", "--channel", "shopclues", "--sku", "IDOL-1", "--wait", "--interval", "0.1", "--timeout", "60"],
            socket: socket
        )
        #expect(rejected.status == 1, "\(rejected.output)\(rejected.errors)")
        #expect(rejected.output.contains("but 1 listing(s) were rejected"), "\(rejected.output)")
        #expect(rejected.output.contains("IDOL-1 on shopclues"))
        #expect(rejected.output.contains("Product name contains prohibited content"))

        // The old dead letter of IDOL-1 does not fail a wait for another SKU.
        let accepted = try Self.catalogctl(
            ["sync", "--channel", "shopclues", "--sku", "PETHA-AGRA-500G", "--wait", "--interval", "0.1"],
            socket: socket
        )
        #expect(accepted.status == 0, "\(accepted.output)\(accepted.errors)")
        #expect(accepted.output.contains("none rejected"))
        #expect(await daemon.terminate() == 0)
    }

    @Test func watchPrintsOneLinePerEngineOutcomeWhileAPriceChangesAndSaysWhenTheDaemonStops() async throws {
        let daemon = try RunningDaemon()
        _ = try daemon.waitUntilReady()
        let socket = "\(daemon.state.path)/control.sock"
        #expect(try Self.catalogctl(["resume", "shopclues"], socket: socket).status == 0)
        #expect(
            try Self.catalogctl(["sync", "--channel", "shopclues", "--wait", "--interval", "0.1"], socket: socket)
                .status == 0
        )

        let json = try StreamingProcess(CatalogctlTests.binary, ["watch", "--json", "--socket", socket])
        let text = try StreamingProcess(CatalogctlTests.binary, ["watch", "--socket", socket])
        func isPriceAccepted(_ line: String) -> Bool {
            guard let event = try? Self.decode(SyncEvent.self, line) else { return false }
            return event.sku == "PETHA-AGRA-500G" && event.channel == "shopclues" && event.facet == .price
                && event.outcome == .accepted
        }
        let textLine = "  shopclues  PETHA-AGRA-500G  price  accepted"
        // A watch subscribes when its request reaches the daemon: change the price until both saw it.
        var seen = false
        for rupees in 701...720 where !seen {
            let set = try Self.catalogctl(
                ["product", "set", "PETHA-AGRA-500G", "--price", "\(rupees).00"],
                socket: socket
            )
            #expect(set.status == 0, "\(set.errors)")
            let jsonLine = try await json.line(within: .seconds(1), where: isPriceAccepted)
            let textSeen = try await text.line(within: .seconds(1)) { $0.hasSuffix(textLine) }
            seen = jsonLine != nil && textSeen != nil
        }
        #expect(seen, "json: \(json.output.all)\ntext: \(text.output.all)")
        let events = try json.output.all.filter { !$0.isEmpty }.map { try Self.decode(SyncEvent.self, $0) }
        #expect(events.allSatisfy { $0.channel == "shopclues" }, "paused channels send nothing: \(events)")
        #expect(events.allSatisfy { $0.outcome == .accepted && $0.message == nil })

        kill(text.process.processIdentifier, SIGINT)
        #expect(try await text.exitStatus(within: .seconds(5)) != nil, "watch stops on Ctrl-C")
        #expect(await daemon.terminate() == 0)
        #expect(try await json.exitStatus(within: .seconds(5)) == 3)
        #expect(json.errors.all.joined().contains("the daemon ended the event stream"))
    }
}
