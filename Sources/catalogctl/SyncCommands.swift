import ArgumentParser
import ControlAPI
import Foundation

extension Catalogctl {
    struct SyncCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync",
            abstract: "Queue listings for sending now, optionally waiting until they are sent.",
            discussion: """
                catalogctl sync --sku PETHA-AGRA-500G              send this product to every channel again
                catalogctl sync --channel amazon-de --sku A --sku B  these SKUs on amazon-de only
                catalogctl sync --full [--channel C]              compare everything with what the marketplaces
                                                                  acknowledged and queue whatever differs
                With --wait it follows the queue (a progress bar on a terminal) until the chosen channels have \
                nothing pending, and exits 1 if listings of the synced SKUs were rejected meanwhile.
                """
        )
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Only this channel.") var channel: String?
        @Option(name: .customLong("sku"), help: "Only this SKU (repeat for several).") var skus: [String] = []
        @Flag(help: "Rebuild the queue from desired vs acknowledged state (every SKU).") var full = false
        @Flag(help: "Wait until the chosen channels have nothing pending.") var wait = false
        @Option(help: "Seconds between queue checks with --wait.") var interval: Double = 1

        func validate() throws {
            if full && !skus.isEmpty { throw ValidationError("--full covers every SKU; leave out --sku") }
            if interval <= 0 { throw ValidationError("--interval must be positive") }
        }

        func run() async throws {
            let client = connection.client
            let (before, _) = try await client.send(.get, "/v1/dead-letters", as: DeadLetterResponse.self)
            let request = SyncRequest(channel: channel, skus: skus.isEmpty ? nil : skus, full: full ? true : nil)
            let (queued, _) = try await client.send(.post, "/v1/sync", json: request, as: QueuedResponse.self)
            print("queued \(queued.queued) listing(s)")
            guard wait else { return }
            try await waitForQueue(client: client, deadBefore: Set(before.deadLetters.map(Self.key)))
        }

        private static func key(_ letter: DeadLetterResponse.DeadLetter) -> String {
            "\(letter.channel)\u{0}\(letter.sku)\u{0}\(letter.facet.rawValue)"
        }

        /// Polls `/v1/queue` until the chosen channels have nothing pending, in flight or backing off.
        private func waitForQueue(client: ControlClient, deadBefore: Set<String>) async throws {
            var progress = Progress(label: "syncing")
            var total = 0
            while true {
                let (queue, _) = try await client.send(.get, "/v1/queue", as: QueueResponse.self)
                let chosen = queue.channels.filter { channel == nil || $0.channel == channel }
                let remaining = chosen.reduce(0) { $0 + $1.pending + $1.leased + $1.backingOff }
                total = max(total, remaining)
                let busiest = chosen.filter { $0.pending + $0.leased + $0.backingOff > 0 }
                    .sorted { $0.pending + $0.leased > $1.pending + $1.leased }.prefix(3)
                    .map { "\($0.channel) \($0.pending + $0.leased + $0.backingOff)" }.joined(separator: ", ")
                progress.update(
                    done: total - remaining,
                    total: total,
                    detail: busiest.isEmpty ? "" : "pending: \(busiest)"
                )
                if remaining == 0 { break }
                try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            }
            progress.finish()
            let (after, _) = try await client.send(.get, "/v1/dead-letters", as: DeadLetterResponse.self)
            let fresh = after.deadLetters.filter { letter in
                !deadBefore.contains(Self.key(letter)) && (channel == nil || letter.channel == channel)
                    && (skus.isEmpty || skus.contains(letter.sku))
            }
            guard !fresh.isEmpty else {
                print("done: \(total) listing(s) sent, none rejected")
                return
            }
            print("done, but \(fresh.count) listing(s) were rejected:")
            for letter in fresh {
                print("  \(letter.sku) on \(letter.channel) (\(letter.facet.rawValue)): \(letter.reason)")
                print("    next: \(letter.hint)")
            }
            throw ExitCode.failure
        }
    }

    struct FXCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fx",
            abstract: "Show or set the FX rates prices are converted with.",
            subcommands: [List.self, Set.self]
        )

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Show the rates in force: units of each currency per 1 unit of the base currency."
            )
            @OptionGroup var connection: ConnectionOptions
            @OptionGroup var output: OutputOptions

            func run() async throws {
                let (fx, raw) = try await connection.client.send(.get, "/v1/fx", as: FXResponse.self)
                output.print(raw: raw) { Self.table(fx) }
            }

            static func table(_ fx: FXResponse) -> String {
                let overridden = Swift.Set(fx.overridden ?? [])
                return Table.render(
                    ["CURRENCY", "PER 1 \(fx.base)", "SOURCE"],
                    fx.rates.sorted { $0.key < $1.key }.map {
                        [$0.key, $0.value, overridden.contains($0.key) ? "set with catalogctl fx set" : "config file"]
                    }
                )
            }
        }

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Set one rate on the running daemon; listings priced in that currency are re-priced.",
                discussion: """
                    catalogctl fx set EUR 0.00981   (1 INR = 0.00981 EUR)

                    The rate is checked with every channel's pricing rules first. It is kept in the daemon's \
                    state directory and survives restarts; the configuration file is not rewritten. When the \
                    file's own rate for that currency changes later (edit + reload), the file wins.
                    """
            )
            @OptionGroup var connection: ConnectionOptions
            @Argument(help: "The ISO 4217 currency code, e.g. EUR.") var currency: String
            @Argument(help: "Units of that currency per 1 unit of the base currency, as a decimal.") var rate: String

            func run() async throws {
                let (response, _) = try await connection.client.send(
                    .put,
                    "/v1/fx",
                    json: FXSetRequest(currency: currency.uppercased(), rate: rate),
                    as: FXSetResponse.self
                )
                let channels = response.channels.isEmpty ? "no channel" : response.channels.joined(separator: ", ")
                print(
                    "\(currency.uppercased()) = \(rate) per 1 \(response.fx.base); re-pricing \(channels): "
                        + "\(response.queued) listing(s) queued"
                )
            }
        }
    }
}
