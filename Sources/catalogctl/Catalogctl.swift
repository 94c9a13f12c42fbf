import ArgumentParser
import ControlAPI
import Foundation

/// `catalogctl`: drive and watch catalogsyncd over its control socket.
@main
struct Catalogctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogctl",
        abstract: "Drive and watch catalogsyncd over its control socket.",
        discussion: """
            Every command talks to the daemon's control socket: --socket PATH, or $CATALOGSYNC_SOCKET, \
            or /run/catalogsyncd/control.sock. Read commands take --json for scripts. --socket and --json \
            may come before the command too (catalogctl --socket PATH status).

            Exit status: 0 ok, 1 failed, 2 usage, 3 daemon unreachable.
            """,
        subcommands: [
            Status.self, Channels.self, Pause.self, Resume.self, Import.self, ProductCommand.self, Listings.self,
            SyncCommand.self, Queue.self, DeadLetters.self, Retry.self, Validate.self, FXCommand.self, Watch.self,
            Orders.self,
        ]
    )

    /// Runs the command; usage errors exit with 2 as DESIGN §4.4 says (ArgumentParser's default is 64).
    static func main() async {
        do {
            var command = try parseAsRoot(GlobalOptions.reorder(Array(CommandLine.arguments.dropFirst())))
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
        static let configuration = CommandConfiguration(
            abstract: "Show the daemon, its channels (queue, circuit breaker), budgets and rate limits.",
            discussion: """
                Channels: queue counts and circuit breaker (closed, OPEN until a time, half-open). Paths: \
                single calls or the bulk path (feeds, batches) per channel, chosen for the whole account by \
                the expected time each needs to drain its backlog, with both estimates \
                (`path: bulk (single 479 s vs bulk 95 s)`). Budgets: \
                platform limits beyond request rates (eBay revisions per listing per day, Walmart feeds per \
                hour, Shopclues requests per day), per channel or shared by an account. Rate limits: each \
                account's token bucket per operation: rate in use, usable burst, tokens now, 429s seen.
                """
        )
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (status, raw) = try await connection.client.send(.get, "/v1/status", as: StatusResponse.self)
            output.print(raw: raw) {
                var text = "catalogsyncd \(status.version), up \(status.uptimeSeconds) s, config \(status.configPath)\n"
                if let error = status.lastReloadError {
                    text += "last reload REFUSED (the previous configuration keeps running):\n  \(error)\n"
                }
                return text + StatusTables.channels(status.channels)
                    + StatusTables.budgets(channels: status.channels, accounts: status.accounts)
                    + StatusTables.rateLimits(status.accounts) + StatusTables.orders(status.accounts)
                    + StatusTables.verification(status.channels)
            }
        }
    }

    struct Channels: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List channels (queue counts, circuit breaker) and their platform budgets.",
            discussion: """
                Columns: platform, marketplace, paused or running, pending, in flight (leased), backing off, \
                dead letters, acknowledged listings, circuit breaker. Then the budgets: per channel, or shared \
                by the channels of one account. `catalogctl status` adds the accounts' rate limits.
                """
        )
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (response, raw) = try await connection.client.send(.get, "/v1/channels", as: ChannelsResponse.self)
            output.print(raw: raw) {
                StatusTables.channels(response.channels)
                    + StatusTables.budgets(channels: response.channels, accounts: response.accounts)
            }
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop sending to a channel (changes keep queuing; in-flight sends finish).",
            discussion: "Example: catalogctl pause amazon-de   — undo with: catalogctl resume amazon-de"
        )
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The channel name, as `catalogctl channels` lists it.") var channel: String

        func run() async throws {
            _ = try await connection.client.send(
                .post,
                "/v1/channels/\(Path.escape(channel))/pause",
                as: ChannelPauseResponse.self
            )
            print("paused \(channel): changes queue up until `catalogctl resume \(channel)`")
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resume sending to a paused channel; its queue drains at once."
        )
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The channel name.") var channel: String

        func run() async throws {
            _ = try await connection.client.send(
                .post,
                "/v1/channels/\(Path.escape(channel))/resume",
                as: ChannelPauseResponse.self
            )
            print("resumed \(channel)")
        }
    }

    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show pending, in-flight and backing-off listings per channel."
        )
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (queue, raw) = try await connection.client.send(.get, "/v1/queue", as: QueueResponse.self)
            output.print(raw: raw) {
                Table.render(
                    ["CHANNEL", "PENDING", "LEASED", "BACKOFF", "NEXT ATTEMPT"],
                    queue.channels.map {
                        [$0.channel, "\($0.pending)", "\($0.leased)", "\($0.backingOff)", $0.nextAttemptAt ?? "-"]
                    }
                )
            }
        }
    }

    struct DeadLetters: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show listings a marketplace rejected, with its own reason and what to do next.",
            discussion: """
                A rejected listing is sent again by itself as soon as its product changes (fix it with \
                `catalogctl product set` or a corrected import). If the problem was on the marketplace's \
                side, `catalogctl retry --sku SKU --channel CHANNEL` sends it again unchanged.
                """
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
                    $0 + "\($1.sku) on \($1.channel) (\($1.facet.rawValue))\(($1.failedAt.map { ", \($0)" }) ?? "")\n"
                        + "  marketplace says: \($1.reason)\n  next: \($1.hint)\n"
                }
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send rejected listings again unchanged (all, one channel's, or some SKUs').",
            discussion: "Example: catalogctl retry --channel amazon-de --sku PETHA-AGRA-500G"
        )
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Only this channel.") var channel: String?
        @Option(name: .customLong("sku"), help: "Only this SKU (repeat for several).") var skus: [String] = []

        func run() async throws {
            let (response, _) = try await connection.client.send(
                .post,
                "/v1/retry",
                json: RetryRequest(channel: channel, skus: skus.isEmpty ? nil : skus),
                as: QueuedResponse.self
            )
            print("queued \(response.queued) rejected listing(s) again")
        }
    }
}
