import ControlAPI
import CurlHTTP
import Foundation
import ProcessTestSupport
import Testing

extension DaemonProcessSuites {
    /// Bad requests to a real daemon are refused by name: the wrong method, a failed import, unknown or
    /// mistyped keys, overlong fields, implausible FX rates; and catalogctl says what is wrong.
    @Suite(.serialized)
    struct ControlRefusalTests {
        typealias RunningDaemon = DaemonProcessTests.RunningDaemon

        static func error(_ response: HTTPResponse) throws -> ErrorResponse.Detail {
            try JSONDecoder().decode(ErrorResponse.self, from: Data(response.body)).error
        }

        @Test func aKnownPathAskedWithTheWrongMethodIs405WithAllow() async throws {
            let daemon = try RunningDaemon()
            _ = try await Blocking.run { try daemon.waitUntilReady() }
            let cases: [(HTTPMethod, String, String)] = [
                (.get, "/v1/import", "POST"), (.delete, "/v1/status", "GET"),
                (.post, "/v1/products/A-1", "GET, PUT, DELETE"),
                (.get, "/v1/channels/amazon-de/pause", "POST"),
            ]
            for (method, path, allowed) in cases {
                let response = try await daemon.request(method, path)
                #expect(response.status == 405, "\(method.rawValue) \(path): \(response.bodyText)")
                #expect(response.headers["Allow"] == allowed, "\(method.rawValue) \(path)")
                #expect(try Self.error(response).code == "method_not_allowed")
            }
            #expect(try await daemon.request(.get, "/v1/no-such-route").status == 404)
            #expect(await daemon.terminate() == 0)
        }

        @Test func anImportThatLandsNoRowIs422WithItsRowErrorsAndAPartialOneIs200() async throws {
            let daemon = try RunningDaemon()
            _ = try await Blocking.run { try daemon.waitUntilReady() }
            let failed = try await daemon.request(
                .post,
                "/v1/import",
                body: "sku,title,price,quantity\nbad sku,x,1,1\n"
            )
            #expect(failed.status == 422, "\(failed.bodyText)")
            #expect(try Self.error(failed).code == "import_failed")
            let report = try JSONDecoder().decode(ImportResponse.self, from: Data(failed.body))
            #expect(report.errors.map(\.line) == [2])

            let partial = try await daemon.request(
                .post,
                "/v1/import",
                body: "sku,title,price,quantity\nbad sku,x,1,1\nGOOD-1,Petha,10,1\n"
            )
            #expect(partial.status == 200)
            #expect(try JSONDecoder().decode(ImportResponse.self, from: Data(partial.body)).inserted == 1)
            #expect(await daemon.terminate() == 0)
        }

        @Test func catalogctlImportOfAFileWithNoGoodRowListsItsRowErrorsAndExits1() async throws {
            let daemon = try RunningDaemon()
            _ = try await Blocking.run { try daemon.waitUntilReady() }
            let file = try daemon.state.write("bad.csv", "sku,title,price,quantity\nbad sku,x,1,1\n..,y,1,1\n")
            let run = try await Blocking.run {
                try CatalogctlTests.catalogctl(["import", file], socket: "\(daemon.state.path)/control.sock")
            }
            #expect(run.status == 1)
            #expect(run.output.contains("0 new, 0 updated, 0 unchanged, 2 rejected"), "\(run.output)\(run.errors)")
            #expect(run.output.contains("line 2, sku") && run.output.contains("line 3, sku"), "\(run.output)")
            #expect(await daemon.terminate() == 0)
        }

        @Test func anUnknownKeyOrAMistypedFieldIsA400InPlainWords() async throws {
            let daemon = try RunningDaemon()
            _ = try await Blocking.run { try daemon.waitUntilReady() }
            let typo = try await daemon.request(.post, "/v1/sync", body: #"{"chanel": "amazon-de"}"#)
            #expect(typo.status == 400)
            #expect(try Self.error(typo).message.contains(#"unknown key "chanel" (known: channel, skus, full)"#))

            let cases = [
                (#"{"channel": 5}"#, "field channel must be a string"),
                (#"{"skus": ["A-1", 7]}"#, "field skus[1] must be a string"),
                (#"{"full": "yes"}"#, "field full must be true or false"),
                (#"[1]"#, "the body must be a JSON object"),
                (#"{"channel": "#, "the body is not valid JSON"),
            ]
            for (body, expected) in cases {
                let response = try await daemon.request(.post, "/v1/sync", body: body)
                #expect(response.status == 400, "\(body)")
                let message = try Self.error(response).message
                #expect(message.contains(expected), "\(body): \(message)")
                #expect(!message.contains("DecodingError") && !message.contains("CodingKeys"), "\(message)")
            }
            #expect(await daemon.terminate() == 0)
        }

        @Test func aPutProductWithAnOverlongTitleIsRefusedNamingTheField() async throws {
            let daemon = try RunningDaemon()
            _ = try await Blocking.run { try daemon.waitUntilReady() }
            let title = String(repeating: "t", count: 501)
            let response = try await daemon.request(
                .put,
                "/v1/products/LONG-1",
                body: #"{"title": "\#(title)", "price": "10", "quantity": 1}"#
            )
            #expect(response.status == 400)
            #expect(
                try Self.error(response).message == "field title: title has 501 characters, at most 500 are allowed"
            )
            #expect(try await daemon.request(.get, "/v1/products/LONG-1").status == 404)
            #expect(await daemon.terminate() == 0)
        }

        @Test func fxSetRefusesImplausibleRatesOverflowingPricesAndBigJumpsWithoutForce() async throws {
            let daemon = try RunningDaemon()
            _ = try await Blocking.run { try daemon.waitUntilReady() }
            func put(_ body: String) async throws -> HTTPResponse {
                try await daemon.request(.put, "/v1/fx", body: body)
            }

            for rate in ["0", "0.0000001", "5000000"] {
                let response = try await put(#"{"currency": "JPY", "rate": "\#(rate)"}"#)
                #expect(response.status == 400, "\(rate)")
                #expect(try Self.error(response).message.contains("fx.JPY"), "\(rate)")
            }
            // config/sandbox.toml: JPY = "1.745"; 17.45 is ten times that.
            let jump = try await put(#"{"currency": "JPY", "rate": "17.45"}"#)
            #expect(jump.status == 400)
            let message = try Self.error(jump).message
            #expect(message.contains("by a factor of 10") && message.contains("--force"), "\(message)")
            #expect(try await put(#"{"currency": "JPY", "rate": "1.8"}"#).status == 200, "a small move needs no force")
            let forced = try await put(#"{"currency": "JPY", "rate": "17.45", "force": true}"#)
            #expect(forced.status == 200, "\(forced.bodyText)")

            // 90,000,000,000,000,000 INR is 9e18 paise, just inside Int64; at 1 USD per INR (forced: the
            // sandbox's rate is 0.01128) it is 9e18 cents before amazon-us's markup, which overflows.
            let huge = try await daemon.request(
                .put,
                "/v1/products/HUGE-1",
                body: #"{"title": "x", "price": "90000000000000000", "quantity": 1}"#
            )
            #expect(huge.status == 201, "\(huge.bodyText)")
            let overflow = try await put(#"{"currency": "USD", "rate": "1", "force": true}"#)
            #expect(overflow.status == 400)
            #expect(try Self.error(overflow).message.contains("would not fit in a price on channel amazon-us"))
            let fx = try JSONDecoder().decode(
                FXResponse.self,
                from: Data(try await daemon.request(.get, "/v1/fx").body)
            )
            #expect(fx.rates["USD"] == "0.01128", "a refused rate changes nothing")
            #expect(await daemon.terminate() == 0)
        }

        @Test func catalogctlFxSetNeedsForceForABigJump() async throws {
            let daemon = try RunningDaemon()
            _ = try await Blocking.run { try daemon.waitUntilReady() }
            let socket = "\(daemon.state.path)/control.sock"
            let refused = try await Blocking.run {
                try CatalogctlTests.catalogctl(["fx", "set", "JPY", "17.45"], socket: socket)
            }
            #expect(refused.status == 1)
            #expect(refused.errors.contains("--force"), "\(refused.errors)")
            let forced = try await Blocking.run {
                try CatalogctlTests.catalogctl(["fx", "set", "JPY", "17.45", "--force"], socket: socket)
            }
            #expect(forced.status == 0, "\(forced.errors)")
            #expect(await daemon.terminate() == 0)
        }

        @Test func catalogctlTakesGlobalOptionsBeforeOrAfterTheCommand() async throws {
            let daemon = try RunningDaemon()
            _ = try await Blocking.run { try daemon.waitUntilReady() }
            let socket = "\(daemon.state.path)/control.sock"
            let nowhere = "\(daemon.state.path)/nowhere.sock"
            for arguments in [
                ["--socket", socket, "status"], ["--socket=\(socket)", "channels"], ["status", "--socket", socket],
                ["--socket", socket, "--json", "fx", "list"],
            ] {
                let run = try await Blocking.run { try CatalogctlTests.catalogctl(arguments, socket: nowhere) }
                #expect(run.status == 0, "\(arguments): \(run.errors)")
            }
            #expect(await daemon.terminate() == 0)
        }

        @Test func catalogctlSaysPermissionDeniedWhenTheSocketRefusesTheUser() async throws {
            let daemon = try RunningDaemon()
            _ = try await Blocking.run { try daemon.waitUntilReady() }
            let socket = "\(daemon.state.path)/control.sock"
            chmod(daemon.state.path, 0o755)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments =
                [
                    "--reuid=nobody", "--regid=nogroup", "--clear-groups", CatalogctlTests.binary.path, "--socket",
                    socket,
                ]
                + ["status"]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
            let (text, status) = try await Blocking.run {
                (
                    String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
                    process.waitForExit()
                )
            }
            #expect(status == 3)
            #expect(text.contains("permission denied on the control socket \(socket)"), "\(text)")
            #expect(!text.contains("Is the daemon running?"), "\(text)")
            #expect(await daemon.terminate() == 0)
        }
    }
}
