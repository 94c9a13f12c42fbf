import ControlAPI
import CurlHTTP
import Foundation
import ProcessTestSupport
import Store
import Sync
import Testing

/// The control plane of a real `catalogsyncd` child process: reload, rights, products, sync, metrics, events.
@Suite(.serialized)
struct ControlPlaneTests {
    typealias RunningDaemon = DaemonProcessTests.RunningDaemon

    /// A daemon on a copy of `config/sandbox.toml` (editable for reloads) with the sample catalog imported.
    static func daemonWithEditableConfig() async throws -> (RunningDaemon, config: String, products: Int) {
        let state = try TemporaryDirectory()
        let config = try state.write(
            "catalogsyncd.toml",
            try String(contentsOfFile: "config/sandbox.toml", encoding: .utf8)
        )
        let daemon = try RunningDaemon(reusing: state, config: config)
        _ = try daemon.waitUntilReady()
        let csv = try String(contentsOfFile: "config/sample-catalog.csv", encoding: .utf8)
        let imported = try await daemon.request(.post, "/v1/import", body: csv)
        let report = try JSONDecoder().decode(ImportResponse.self, from: Data(imported.body))
        #expect(report.errors.isEmpty && report.inserted > 0)
        return (daemon, config, report.inserted)
    }

    /// Empties the outbox of every channel through the store file the daemon uses.
    static func clearQueue(_ daemon: RunningDaemon) async throws -> CatalogStore {
        let status = try await decode(StatusResponse.self, try await daemon.request(.get, "/v1/status"))
        let store = try CatalogStore(
            configuration: .init(path: "\(daemon.state.path)/catalog.sqlite", channels: status.channels.map(\.name))
        )
        try store.dropMarks(channels: status.channels.map(\.name))
        return store
    }

    static func pendingByChannel(_ daemon: RunningDaemon) async throws -> [String: Int] {
        let queue = try await decode(QueueResponse.self, try await daemon.request(.get, "/v1/queue"))
        return Dictionary(queue.channels.map { ($0.channel, $0.pending) }, uniquingKeysWith: { a, _ in a })
    }

    static func decode<T: Decodable>(_ type: T.Type, _ response: HTTPResponse) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(response.body))
    }

    /// Sends `SIGHUP` and waits for the reload's `RELOADING=1` and then `READY=1`; returns what arrived.
    static func reload(_ daemon: RunningDaemon) throws -> String {
        kill(daemon.process.processIdentifier, SIGHUP)
        var received = ""
        while !received.contains("RELOADING=1") { received += try daemon.notifications.receive() + "\n" }
        while !received.components(separatedBy: "RELOADING=1").last!.contains("READY=1") {
            received += try daemon.notifications.receive() + "\n"
        }
        return received
    }

    @Test func sighupWithAChangedFXRateQueuesExactlyTheChannelsPricedInThatCurrency() async throws {
        let (daemon, config, products) = try await Self.daemonWithEditableConfig()
        _ = try await Self.clearQueue(daemon)
        let before = try await Self.pendingByChannel(daemon)
        #expect(before.values.allSatisfy { $0 == 0 }, "\(before)")

        let text = try String(contentsOfFile: config, encoding: .utf8)
        let edited = text.replacingOccurrences(of: #"EUR = "0.00973""#, with: #"EUR = "0.00990""#)
        #expect(edited != text)
        try edited.write(toFile: config, atomically: true, encoding: .utf8)
        let notices = try Self.reload(daemon)
        #expect(notices.contains("STATUS="))

        let after = try await Self.pendingByChannel(daemon)
        let euro: Set = ["amazon-de", "amazon-fr", "amazon-it", "amazon-es"]
        for (channel, pending) in after {
            #expect(pending == (euro.contains(channel) ? products : 0), "\(channel)")
        }
        let fx = try Self.decode(FXResponse.self, try await daemon.request(.get, "/v1/fx"))
        #expect(fx.rates["EUR"] == "0.0099")
        #expect(await daemon.terminate() == 0)
    }

    @Test func sighupWithABrokenConfigKeepsServingTheOldOneAndReportsWhy() async throws {
        let (daemon, config, _) = try await Self.daemonWithEditableConfig()
        let channels = try Self.decode(StatusResponse.self, try await daemon.request(.get, "/v1/status")).channels
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try text.replacingOccurrences(of: #"account     = "flipkart""#, with: #"account     = "nosuch""#)
            .write(toFile: config, atomically: true, encoding: .utf8)
        let notices = try Self.reload(daemon)
        #expect(notices.contains("reload refused"))

        let status = try Self.decode(StatusResponse.self, try await daemon.request(.get, "/v1/status"))
        #expect(status.channels.map(\.name) == channels.map(\.name))
        let error = try #require(status.lastReloadError)
        #expect(error.contains("channels[") && error.contains(".account"), "\(error)")
        #expect(error.contains("nosuch"))

        try text.write(toFile: config, atomically: true, encoding: .utf8)
        _ = try Self.reload(daemon)
        let fixed = try Self.decode(StatusResponse.self, try await daemon.request(.get, "/v1/status"))
        #expect(fixed.lastReloadError == nil, "a good reload clears the error")
        #expect(await daemon.terminate() == 0)
    }

    @Test func sighupKeepsDerivingTheCurrencyOfAChannelThatSetsNoneFromItsMarketplace() async throws {
        let (daemon, config, _) = try await Self.daemonWithEditableConfig()
        _ = try await Self.clearQueue(daemon)
        let text = try String(contentsOfFile: config, encoding: .utf8)
        let channel = "name        = \"amazon-de\"\naccount     = \"amazon-eu\"\nmarketplace = \"DE\"\n"
        let edited = text.replacingOccurrences(of: channel + "currency    = \"EUR\"\n", with: channel)
        #expect(edited != text)
        try edited.write(toFile: config, atomically: true, encoding: .utf8)
        let notices = try Self.reload(daemon)
        #expect(!notices.contains("reload refused"), "\(notices)")

        let status = try Self.decode(StatusResponse.self, try await daemon.request(.get, "/v1/status"))
        #expect(status.lastReloadError == nil, "\(status.lastReloadError ?? "")")
        #expect(notices.contains("0 added, 0 removed, 1 changed"), "\(notices)")
        #expect(status.channels.contains { $0.name == "amazon-de" })
        #expect(await daemon.terminate() == 0)
    }

    @Test func aNonMemberMayReadButAMutationIsRefusedWith403() async throws {
        let daemon = try RunningDaemon()
        _ = try daemon.waitUntilReady()
        let socket = "\(daemon.state.path)/control.sock"
        // An operator opening the socket to everyone: reads are for anyone who can connect.
        chmod(daemon.state.path, 0o755)
        chmod(socket, 0o666)
        func curlAsNobody(_ arguments: [String]) async throws -> String {
            try await SystemUsers.curl(
                identity: ["--reuid=nobody", "--regid=nogroup", "--clear-groups"],
                socket: socket,
                arguments
            )
        }
        let read = try await curlAsNobody(["http://localhost/v1/status"])
        #expect(read.hasSuffix("\n200"), "\(read)")
        let write = try await curlAsNobody(["-X", "POST", "http://localhost/v1/channels/amazon-de/resume"])
        #expect(write.hasSuffix("\n403"), "\(write)")
        #expect(write.contains("\"forbidden\"") && write.contains("uid 65534"))
        let status = try Self.decode(StatusResponse.self, try await daemon.request(.get, "/v1/status"))
        #expect(
            status.channels.allSatisfy { $0.paused },
            "the refused resume changed nothing (the test daemon starts paused)"
        )
        #expect(await daemon.terminate() == 0)
    }

    @Test func putProductRoundTripsAndABadFieldIsNamed() async throws {
        let daemon = try RunningDaemon()
        _ = try daemon.waitUntilReady()
        let body = #"{"title": "Chikankari kurta", "price": "2499.00", "quantity": 6, "hs_code": "620442"}"#
        let created = try await daemon.request(.put, "/v1/products/KURTA-LKO-1", body: body)
        #expect(created.status == 201, "\(created.bodyText)")
        let fetched = try Self.decode(ProductResponse.self, try await daemon.request(.get, "/v1/products/KURTA-LKO-1"))
        #expect(fetched.product.title == "Chikankari kurta")
        #expect(fetched.product.price.amountString == "2499.00")
        #expect(fetched.product.hsCode == "620442")
        #expect(fetched.product.quantity == 6)

        let changed = try await daemon.request(
            .put,
            "/v1/products/KURTA-LKO-1",
            body: body.replacingOccurrences(of: ": 6", with: ": 2")
        )
        #expect(changed.status == 200)
        #expect(try Self.decode(ProductResponse.self, changed).product.quantity == 2)

        let bad = try await daemon.request(
            .put,
            "/v1/products/KURTA-LKO-1",
            body: #"{"title": "x", "price": "-1", "quantity": 1}"#
        )
        #expect(bad.status == 400)
        #expect(try Self.decode(ErrorResponse.self, bad).error.message.contains("price"), "\(bad.bodyText)")
        let other = try await daemon.request(
            .put,
            "/v1/products/KURTA-LKO-1",
            body: #"{"sku": "OTHER", "title": "x", "price": "1", "quantity": 1}"#
        )
        #expect(other.status == 400)
        #expect(try Self.decode(ErrorResponse.self, other).error.message.contains("sku"))

        let listings = try Self.decode(
            ListingStateResponse.self,
            try await daemon.request(.get, "/v1/products/KURTA-LKO-1/listings")
        )
        #expect(listings.listings.contains { $0.channel == "amazon-de" && $0.state == .pending })
        #expect(
            listings.listings.allSatisfy { $0.facets.allSatisfy { !$0.desiredHash.isEmpty && $0.ackedHash == nil } }
        )
        #expect(await daemon.terminate() == 0)
    }

    @Test func pauseAndResumeShowInStatusAndAnUnknownChannelIs404() async throws {
        let daemon = try RunningDaemon()
        _ = try daemon.waitUntilReady()
        // The test daemon starts with every channel paused (--paused).
        #expect(try await daemon.request(.post, "/v1/channels/amazon-jp/resume").status == 200)
        var status = try Self.decode(StatusResponse.self, try await daemon.request(.get, "/v1/status"))
        #expect(status.channels.filter { !$0.paused }.map(\.name) == ["amazon-jp"])
        #expect(try await daemon.request(.post, "/v1/channels/amazon-jp/pause").status == 200)
        status = try Self.decode(StatusResponse.self, try await daemon.request(.get, "/v1/status"))
        #expect(status.channels.allSatisfy { $0.paused })
        let unknown = try await daemon.request(.post, "/v1/channels/no-such/pause")
        #expect(unknown.status == 404)
        #expect(try Self.decode(ErrorResponse.self, unknown).error.message.contains("no-such"))
        #expect(await daemon.terminate() == 0)
    }

    @Test func aPartialSyncMarksExactlyTheGivenPairs() async throws {
        let daemon = try RunningDaemon()
        _ = try daemon.waitUntilReady()
        let firstTwo = ["DURRIE-1", "DURRIE-2"]
        let imported = try await daemon.request(
            .post,
            "/v1/import",
            body: "sku,title,price,quantity\nDURRIE-1,Panipat durrie,900.00,3\nDURRIE-2,Jaipur durrie,1100.00,2\n"
        )
        #expect(try Self.decode(ImportResponse.self, imported).inserted == 2)
        let store = try await Self.clearQueue(daemon)
        #expect(try store.dirtyEntries().isEmpty)
        let one = try await daemon.request(
            .post,
            "/v1/sync",
            body: #"{"channel": "amazon-de", "skus": ["\#(firstTwo[0])", "\#(firstTwo[1])"]}"#
        )
        #expect(try Self.decode(QueuedResponse.self, one).queued == 2, "\(one.bodyText)")
        let marked = try store.dirtyEntries().map { "\($0.channel) \($0.sku)" }
        #expect(marked == ["amazon-de \(firstTwo[0])", "amazon-de \(firstTwo[1])"].sorted())

        let everywhere = try await daemon.request(.post, "/v1/sync", body: #"{"skus": ["\#(firstTwo[0])"]}"#)
        let channels = try Self.decode(StatusResponse.self, try await daemon.request(.get, "/v1/status")).channels
        #expect(try Self.decode(QueuedResponse.self, everywhere).queued == channels.count)
        let pending = try await Self.pendingByChannel(daemon)
        #expect(pending["amazon-de"] == 2 && pending["amazon-us"] == 1 && pending["flipkart"] == 1)
        let missing = try await daemon.request(.post, "/v1/sync", body: #"{"skus": ["NO-SUCH-SKU"]}"#)
        #expect(missing.status == 404)
        #expect(await daemon.terminate() == 0)
    }

    @Test func theWatchdogIsPettedWhileTheDatabaseAnswers() async throws {
        let daemon = try RunningDaemon(environment: ["WATCHDOG_USEC": "200000"])
        var received = try daemon.waitUntilReady()
        while !received.contains("WATCHDOG=1") { received += try daemon.notifications.receive() + "\n" }
        #expect(await daemon.terminate() == 0)
    }

    @Test func metricsArePrometheusTextWithEveryMetricName() async throws {
        let daemon = try RunningDaemon()
        _ = try daemon.waitUntilReady()
        let response = try await daemon.request(.get, "/metrics")
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"]?.hasPrefix("text/plain") == true)
        let text = response.bodyText
        for name in [
            SyncMetrics.acceptedTotal, SyncMetrics.rejectedTotal, SyncMetrics.retriedTotal, SyncMetrics.throttledTotal,
            SyncMetrics.pending, SyncMetrics.inFlight, SyncMetrics.deadLetters, SyncMetrics.ackedListings,
            SyncMetrics.requestDuration, SyncMetrics.products, SyncMetrics.httpRequestsTotal,
        ] {
            #expect(text.contains("# TYPE \(name)"), "\(name) missing")
        }
        #expect(text.contains(#"catalogsync_pending{channel="amazon-de"} 51"#), "the seeded catalog is pending")
        #expect(text.contains("catalogsync_products 51"))
        #expect(await daemon.terminate() == 0)
    }

    @Test func theEventStreamStaysOpenAndEndsCleanlyWhenTheClientGoesAway() async throws {
        let daemon = try RunningDaemon()
        _ = try daemon.waitUntilReady()
        for _ in 0..<5 {
            let descriptor = try Self.connect("\(daemon.state.path)/control.sock")
            let request = Array("GET /v1/events HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
            _ = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            var head = ""
            var bytes = [UInt8](repeating: 0, count: 4096)
            while !head.contains("\r\n\r\n") {
                let count = bytes.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                try #require(count > 0, "the daemon closed the stream instead of keeping it open")
                head += String(decoding: bytes[..<count], as: UTF8.self)
            }
            #expect(head.hasPrefix("HTTP/1.1 200"))
            #expect(head.lowercased().contains("transfer-encoding: chunked"))
            #expect(head.contains("application/x-ndjson"))
            close(descriptor)
        }
        #expect(try await daemon.request(.get, "/v1/status").status == 200)
        #expect(await daemon.terminate() == 0, "open streams do not keep the daemon from stopping")
    }

    /// A connected stream socket to the Unix socket at `path`.
    static func connect(_ path: String) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        try #require(result == 0)
        return descriptor
    }
}

/// FX changes through the control API.
@Suite(.serialized)
struct FXControlTests {
    typealias RunningDaemon = DaemonProcessTests.RunningDaemon

    @Test func settingARateQueuesEveryChannelPricedInItEvenWhenItsCurrencyComesFromTheMarketplace() async throws {
        let (daemon, config, products) = try await ControlPlaneTests.daemonWithEditableConfig()
        let text = try String(contentsOfFile: config, encoding: .utf8)
        let euro = ["amazon-de", "amazon-fr", "amazon-it", "amazon-es"]
        var edited = text
        for (channel, marketplace) in zip(euro, ["DE", "FR", "IT", "ES"]) {
            let entry = "name        = \"\(channel)\"\naccount     = \"amazon-eu\"\nmarketplace = \"\(marketplace)\"\n"
            edited = edited.replacingOccurrences(of: entry + "currency    = \"EUR\"\n", with: entry)
        }
        #expect(edited.components(separatedBy: "currency    = \"EUR\"").count == 1, "no channel names EUR")
        try edited.write(toFile: config, atomically: true, encoding: .utf8)
        _ = try await Blocking.run { try ControlPlaneTests.reload(daemon) }
        _ = try await ControlPlaneTests.clearQueue(daemon)

        let set = try await daemon.request(.put, "/v1/fx", body: #"{"currency": "EUR", "rate": "0.0121"}"#)
        #expect(set.status == 200, "\(set.bodyText)")
        let answer = try ControlPlaneTests.decode(FXSetResponse.self, set)
        #expect(answer.channels == euro.sorted())
        #expect(answer.queued == euro.count * products)
        let pending = try await ControlPlaneTests.pendingByChannel(daemon)
        for (channel, count) in pending { #expect(count == (euro.contains(channel) ? products : 0), "\(channel)") }
        #expect(await daemon.terminate() == 0)
    }

    @Test func settingARateQueuesOnlyThatCurrencysChannelsAndSurvivesARestart() async throws {
        let (daemon, config, products) = try await ControlPlaneTests.daemonWithEditableConfig()
        _ = try await ControlPlaneTests.clearQueue(daemon)
        let set = try await daemon.request(.put, "/v1/fx", body: #"{"currency": "JPY", "rate": "1.800"}"#)
        #expect(set.status == 200, "\(set.bodyText)")
        let answer = try ControlPlaneTests.decode(FXSetResponse.self, set)
        #expect(answer.channels == ["amazon-jp"])
        #expect(answer.queued == products)
        let pending = try await ControlPlaneTests.pendingByChannel(daemon)
        for (channel, count) in pending { #expect(count == (channel == "amazon-jp" ? products : 0), "\(channel)") }

        let bad = try await daemon.request(.put, "/v1/fx", body: #"{"currency": "JPY", "rate": "1,8"}"#)
        #expect(bad.status == 400)
        #expect(try ControlPlaneTests.decode(ErrorResponse.self, bad).error.message.contains("fx.JPY"))
        #expect(await daemon.terminate() == 0)

        let again = try RunningDaemon(reusing: daemon.state, notifySocket: "notify2.sock", config: config)
        _ = try again.waitUntilReady()
        let fx = try ControlPlaneTests.decode(FXResponse.self, try await again.request(.get, "/v1/fx"))
        #expect(fx.rates["JPY"] == "1.8")
        #expect(fx.overridden == ["JPY"])
        #expect(await again.terminate() == 0)
    }
}
