import ControlAPI
import Foundation
import Testing

/// `catalogctl` as a real process against a real daemon (or none).
@Suite(.serialized)
struct CatalogctlTests {
    /// Runs `catalogctl` with `arguments`; returns its exit status and standard output.
    static func catalogctl(_ arguments: [String], socket: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("catalogctl")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["CATALOGSYNC_SOCKET": socket]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func exitsWithThreeWhenNoDaemonListens() throws {
        let state = try TemporaryDirectory()
        #expect(try Self.catalogctl(["status"], socket: "\(state.path)/control.sock").status == 3)
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
        #expect(try JSONDecoder().decode(StatusResponse.self, from: Data(status.output.utf8)).channels.count > 0)
        #expect(await daemon.terminate() == 0)
    }
}
