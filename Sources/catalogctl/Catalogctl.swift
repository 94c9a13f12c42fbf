import ArgumentParser
import ControlAPI
import Foundation

/// `catalogctl`: drive and watch catalogsyncd over its control socket.
@main
struct Catalogctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogctl",
        abstract: "Drive and watch catalogsyncd over its control socket.",
        discussion: "Exit status: 0 ok, 1 failed, 2 usage, 3 daemon unreachable.",
        subcommands: [Status.self, Channels.self, Import.self, ProductCommand.self, Queue.self, DeadLetters.self]
    )

    /// Runs the command; usage errors exit with 2 as DESIGN §4.4 says (ArgumentParser's default is 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the daemon's version, uptime and channels.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (status, raw) = try await connection.client.send(.get, "/v1/status", as: StatusResponse.self)
            output.print(raw: raw) {
                "catalogsyncd \(status.version), up \(status.uptimeSeconds) s, config \(status.configPath)\n"
                    + Channels.table(status.channels)
            }
        }
    }

    struct Channels: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List channels with their pending work.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (response, raw) = try await connection.client.send(.get, "/v1/channels", as: ChannelsResponse.self)
            output.print(raw: raw) { Self.table(response.channels) }
        }

        static func table(_ channels: [ChannelSummary]) -> String {
            var text = pad(["CHANNEL", "PLATFORM", "MARKET", "PENDING", "LEASED", "BACKOFF", "DEAD"])
            for channel in channels {
                text += pad([
                    channel.name, channel.platform, channel.marketplace, "\(channel.pending)", "\(channel.leased)",
                    "\(channel.backingOff)", "\(channel.deadLetters)",
                ])
            }
            return text
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a catalog file (CSV with a header row, or a JSON array); bad rows are listed by line."
        )
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The CSV or JSON file.") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                ControlClient.fail("catalogctl: cannot read \(file)", status: ControlClient.Status.failed)
            }
            let (report, raw) = try await connection.client.send(
                .post,
                "/v1/import",
                body: Array(data),
                as: ImportResponse.self
            )
            output.print(raw: raw) {
                var text =
                    "imported \(file): \(report.inserted) new, \(report.updated) updated, "
                    + "\(report.unchanged) unchanged, \(report.errors.count) rejected\n"
                for error in report.errors {
                    text += "  line \(error.line)\(error.column.map { ", \($0)" } ?? ""): \(error.message)\n"
                }
                return text
            }
            if !report.errors.isEmpty { throw ExitCode.failure }
        }
    }

    struct ProductCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "product",
            abstract: "Read or delete one product.",
            subcommands: [Get.self, Delete.self]
        )

        struct Get: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show one product as stored.")
            @OptionGroup var connection: ConnectionOptions
            @OptionGroup var output: OutputOptions
            @Argument(help: "The SKU.") var sku: String

            func run() async throws {
                let (response, raw) = try await connection.client.send(
                    .get,
                    "/v1/products/\(sku)",
                    as: ProductResponse.self
                )
                output.print(raw: raw) {
                    let product = response.product
                    return "\(product.sku)  \(product.title)\n  price \(product.price)  quantity \(product.quantity)\n"
                }
            }
        }

        struct Delete: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Delete a product; its listings are withdrawn.")
            @OptionGroup var connection: ConnectionOptions
            @Argument(help: "The SKU.") var sku: String

            func run() async throws {
                struct Empty: Decodable {}
                _ = try? await connection.client.send(.delete, "/v1/products/\(sku)", as: Empty.self)
                print("deleted \(sku)")
            }
        }
    }

    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show pending, leased and backing-off listings.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (queue, raw) = try await connection.client.send(.get, "/v1/queue", as: QueueResponse.self)
            output.print(raw: raw) {
                queue.channels.reduce(pad(["CHANNEL", "PENDING", "LEASED", "BACKOFF"])) {
                    $0 + pad([$1.channel, "\($1.pending)", "\($1.leased)", "\($1.backingOff)"])
                }
            }
        }
    }

    struct DeadLetters: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show listings a marketplace rejected, with its own reason and what to do next."
        )
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (response, raw) = try await connection.client.send(
                .get,
                "/v1/dead-letters",
                as: DeadLetterResponse.self
            )
            output.print(raw: raw) {
                guard !response.deadLetters.isEmpty else { return "no dead letters\n" }
                return response.deadLetters.reduce("") {
                    $0 + "\($1.sku) on \($1.channel) (\($1.facet.rawValue)): \($1.reason)\n  next: \($1.hint)\n"
                }
            }
        }
    }
}

/// One table row: columns padded to fixed widths.
private func pad(_ columns: [String]) -> String {
    columns.map { $0.padding(toLength: max(10, $0.count + 2), withPad: " ", startingAt: 0) }.joined() + "\n"
}
