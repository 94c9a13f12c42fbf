import ControlAPI
import Foundation
import ProcessTestSupport
import Store
import Testing

/// `catalogctl` as a real process against a real daemon (or none).
@Suite(.serialized)
struct CatalogctlTests {
    /// The built `catalogctl` next to the test bundle.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("catalogctl")
    }

    /// Runs `catalogctl` with `arguments`; returns its exit status, standard output and standard error.
    static func catalogctl(_ arguments: [String], socket: String) throws -> (
        status: Int32, output: String, errors: String
    ) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["CATALOGSYNC_SOCKET": socket]) { $1 }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Both are short (a table, a message): stdout to its end, then stderr, cannot fill a pipe.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        let status = process.waitForExit()
        return (
            status, String(decoding: data, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }

    @Test func exitsWithThreeWhenNoDaemonListens() throws {
        let state = try TemporaryDirectory()
        #expect(try Self.catalogctl(["status"], socket: "\(state.path)/control.sock").status == 3)
    }

    @Test func watchExitsWithThreeWhenNoDaemonListens() throws {
        let state = try TemporaryDirectory()
        #expect(try Self.catalogctl(["watch"], socket: "\(state.path)/control.sock").status == 3)
    }

    @Test func exitsWithTwoOnAUsageError() throws {
        let state = try TemporaryDirectory()
        #expect(try Self.catalogctl(["no-such-command"], socket: "\(state.path)/control.sock").status == 2)
    }

    @Test func importThenProductGetRoundTripsAndJSONOutputParses() async throws {
        let daemon = try DaemonProcessTests.RunningDaemon()
        _ = try daemon.waitUntilReady()
        let socket = "\(daemon.state.path)/control.sock"
        let file = try daemon.state.write(
            "catalog.csv",
            "sku,title,price,quantity\nATTAR-1,\"Kannauj attar, rose\",1200.00,4\nbad sku,x,1,1\n"
        )
        let imported = try Self.catalogctl(["import", file], socket: socket)
        #expect(imported.status == 1, "a rejected row makes the import exit 1")
        #expect(imported.output.contains("line 3"))
        let fetched = try Self.catalogctl(["product", "get", "ATTAR-1", "--json"], socket: socket)
        #expect(fetched.status == 0)
        let product = try JSONDecoder().decode(ProductResponse.self, from: Data(fetched.output.utf8)).product
        #expect(product.title == "Kannauj attar, rose")
        #expect(product.quantity == 4)
        let status = try Self.catalogctl(["status", "--json"], socket: socket)
        #expect(
            try JSONDecoder().decode(StatusResponse.self, from: Data(status.output.utf8)).channels.count == 19,
            "the 19 channels of config/sandbox.toml"
        )
        #expect(await daemon.terminate() == 0)
    }
}

/// `catalogctl product get` with the landed-cost estimates DHL Express stored for the product.
@Suite(.serialized)
struct CatalogctlLandedCostTests {
    @Test func productGetShowsTheLandedCostEstimatesPerDestinationWithTheirTime() async throws {
        let daemon = try DaemonProcessTests.RunningDaemon()
        _ = try daemon.waitUntilReady()
        let socket = "\(daemon.state.path)/control.sock"
        // Only the product below is queued for DHL (the sample catalog's marks there are dropped).
        let status = try JSONDecoder().decode(
            StatusResponse.self,
            from: Data(try CatalogctlTests.catalogctl(["status", "--json"], socket: socket).output.utf8)
        )
        let store = try CatalogStore(
            configuration: .init(path: "\(daemon.state.path)/catalog.sqlite", channels: status.channels.map(\.name))
        )
        try store.dropMarks(channels: ["dhl-express"])
        let body =
            #"{"title": "Agra Petha 500 g", "price": "450.00", "quantity": 6, "hs_code": "170490", "#
            + #""weight_grams": 500, "description": "Ash-gourd sweet from Agra"}"#
        #expect(try await daemon.request(.put, "/v1/products/LC-CTL-1", body: body).status == 201)
        let before = try CatalogctlTests.catalogctl(["product", "get", "LC-CTL-1"], socket: socket)
        #expect(before.output.contains("landed costs: none estimated yet"), "\(before.output)")

        #expect(try CatalogctlTests.catalogctl(["resume", "dhl-express"], socket: socket).status == 0)
        var landedCosts: [ProductResponse.LandedCost] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while landedCosts.count < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            let json = try CatalogctlTests.catalogctl(["product", "get", "LC-CTL-1", "--json"], socket: socket)
            landedCosts = try JSONDecoder().decode(ProductResponse.self, from: Data(json.output.utf8)).landedCosts ?? []
        }
        // The DHL channel of config/sandbox.toml estimates the default destinations, sorted here.
        #expect(landedCosts.map(\.destination) == ["DE", "GB", "US"])
        for cost in landedCosts {
            #expect(cost.source == "dhl-express")
            #expect(cost.total.currency == .inr && cost.total.minorUnits > 0)
            #expect(cost.parts.map(\.name) == ["duties", "taxes", "shipping"])
            #expect(cost.parts.reduce(0) { $0 + $1.amount.minorUnits } == cost.total.minorUnits)
            let fetched = try #require(try? Date(cost.fetchedAt, strategy: .iso8601), "\(cost.fetchedAt)")
            #expect(abs(fetched.timeIntervalSinceNow) < 120)
        }
        let table = try CatalogctlTests.catalogctl(["product", "get", "LC-CTL-1"], socket: socket)
        #expect(table.status == 0)
        let lines = table.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("SOURCE") && $0.contains("DEST") && $0.contains("FETCHED AT") })
        for cost in landedCosts {
            #expect(
                lines.contains { line in
                    line.hasPrefix("dhl-express") && line.contains(" \(cost.destination) ")
                        && line.contains("\(cost.total.amountString) INR") && line.hasSuffix(cost.fetchedAt)
                },
                "\(table.output)"
            )
        }
        #expect(await daemon.terminate() == 0)
    }
}

/// The control-plane commands of `catalogctl` against a real daemon.
@Suite(.serialized)
struct CatalogctlControlTests {
    static func catalogctl(_ arguments: [String], socket: String) throws -> (
        status: Int32, output: String, errors: String
    ) {
        try CatalogctlTests.catalogctl(arguments, socket: socket)
    }

    @Test func pauseResumeSyncRetryAndFXCommandsWork() async throws {
        let daemon = try DaemonProcessTests.RunningDaemon()
        _ = try daemon.waitUntilReady()
        let socket = "\(daemon.state.path)/control.sock"
        // The test daemon starts with every channel paused (--paused).
        #expect(try Self.catalogctl(["resume", "ebay-uk"], socket: socket).status == 0)
        var status = try Self.catalogctl(["status", "--json"], socket: socket)
        var decoded = try JSONDecoder().decode(StatusResponse.self, from: Data(status.output.utf8))
        #expect(decoded.channels.filter { !$0.paused }.map(\.name) == ["ebay-uk"])
        #expect(try Self.catalogctl(["pause", "ebay-uk"], socket: socket).status == 0)
        status = try Self.catalogctl(["status", "--json"], socket: socket)
        decoded = try JSONDecoder().decode(StatusResponse.self, from: Data(status.output.utf8))
        #expect(decoded.channels.allSatisfy { $0.paused })
        #expect(try Self.catalogctl(["pause", "no-such-channel"], socket: socket).status == 1)

        let full = try Self.catalogctl(["sync", "--full"], socket: socket)
        #expect(full.status == 0)
        #expect(full.output.contains("queued 0 listing(s)"))
        let retry = try Self.catalogctl(["retry", "--channel", "amazon-de"], socket: socket)
        #expect(retry.status == 0)
        #expect(retry.output.contains("queued 0"))

        let list = try Self.catalogctl(["fx", "list", "--json"], socket: socket)
        let fx = try JSONDecoder().decode(FXResponse.self, from: Data(list.output.utf8))
        #expect(fx.base == "INR" && fx.rates["JPY"] == "1.745")
        let set = try Self.catalogctl(["fx", "set", "JPY", "1.8"], socket: socket)
        #expect(set.status == 0)
        #expect(set.output.contains("amazon-jp"))
        #expect(try Self.catalogctl(["fx", "set", "JPY", "0"], socket: socket).status == 1, "a rate must be positive")
        let table = try Self.catalogctl(["fx", "list"], socket: socket)
        #expect(table.output.contains("JPY") && table.output.contains("1.8") && table.output.contains("fx set"))
        #expect(await daemon.terminate() == 0)
    }

    @Test func importProgressWithoutATerminalIsPlainLines() async throws {
        let daemon = try DaemonProcessTests.RunningDaemon()
        _ = try daemon.waitUntilReady()
        let socket = "\(daemon.state.path)/control.sock"
        var csv = "sku,title,price,quantity\n"
        for index in 1...5 { csv += "CHAI-\(index),\"Assam tea, \(index)00 g\",\(index)50.00,\(index)\n" }
        let file = try daemon.state.write("tea.csv", csv)
        let imported = try Self.catalogctl(["import", file, "--batch", "2"], socket: socket)
        #expect(imported.status == 0)
        let lines = imported.output.split(separator: "\n").map(String.init)
        #expect(lines.contains("importing \(file): 2/5  rows, 0 rejected"))
        #expect(lines.contains("importing \(file): 5/5  rows, 0 rejected"))
        #expect(!imported.output.contains("\r") && !imported.output.contains("\u{1B}"))
        #expect(lines.last == "imported \(file): 5 new, 0 updated, 0 unchanged, 0 rejected")

        let set = try Self.catalogctl(["product", "set", "CHAI-2", "--price", "275.50"], socket: socket)
        #expect(set.status == 0, "\(set.output)")
        let got = try Self.catalogctl(["product", "get", "CHAI-2", "--json"], socket: socket)
        let product = try JSONDecoder().decode(ProductResponse.self, from: Data(got.output.utf8)).product
        #expect(product.price.amountString == "275.50" && product.title == "Assam tea, 200 g")
        let listings = try Self.catalogctl(["listings", "CHAI-2", "--json"], socket: socket)
        #expect(
            try JSONDecoder().decode(ListingStateResponse.self, from: Data(listings.output.utf8)).listings.count > 0
        )
        #expect(await daemon.terminate() == 0)
    }
}
