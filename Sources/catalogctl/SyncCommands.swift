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
                nothing pending, in flight or backing off, then prints a summary. It exits 1 if listings of the \
                chosen channels (and SKUs) were rejected meanwhile, if a chosen channel is paused or not running \
                (no adapter, bad credentials: the reason is printed) with work pending (it would never drain), \
                or when --timeout runs out first.
                """
        )
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Only this channel.") var channel: String?
        @Option(name: .customLong("sku"), help: "Only this SKU (repeat for several).") var skus: [String] = []
        @Flag(help: "Rebuild the queue from desired vs acknowledged state (every SKU).") var full = false
        @Flag(help: "Wait until the chosen channels have nothing pending.") var wait = false
        @Option(help: "Seconds between queue checks with --wait.") var interval: Double = 1
        @Option(help: "With --wait: give up after this many seconds and exit 1 (0: no limit).") var timeout: Double = 0

        func validate() throws {
            if full && !skus.isEmpty { throw ValidationError("--full covers every SKU; leave out --sku") }
            if interval <= 0 { throw ValidationError("--interval must be positive") }
            if timeout < 0 { throw ValidationError("--timeout must be 0 (no limit) or positive") }
        }

        func run() async throws {
            let client = connection.client
            let (before, _) = try await client.send(.get, "/v1/dead-letters", as: DeadLetterResponse.self)
            let request = SyncRequest(channel: channel, skus: skus.isEmpty ? nil : skus, full: full ? true : nil)
            let (queued, _) = try await client.send(.post, "/v1/sync", json: request, as: QueuedResponse.self)
            print("queued \(queued.queued) listing(s)")
            guard wait else { return }
            try await waitForQueue(client: client, deadBefore: Self.counts(before.deadLetters))
        }

        private static func key(_ letter: DeadLetterResponse.DeadLetter) -> String {
            "\(letter.channel)\u{0}\(letter.sku)\u{0}\(letter.facet.rawValue)"
        }

        /// Dead letters per (channel, SKU, facet): a listing rejected again while waiting has one more.
        private static func counts(_ letters: [DeadLetterResponse.DeadLetter]) -> [String: Int] {
            letters.reduce(into: [:]) { $0[key($1), default: 0] += 1 }
        }

        /// Polls `/v1/channels` until the chosen channels have nothing pending, in flight or backing off;
        /// fails on a paused channel with work pending and when the timeout is over.
        private func waitForQueue(client: ControlClient, deadBefore: [String: Int]) async throws {
            let clock = ContinuousClock()
            let started = clock.now
            let deadline = timeout > 0 ? started + .milliseconds(Int64(timeout * 1000)) : nil
            var progress = Progress(label: "syncing")
            var total = 0
            while true {
                let (response, _) = try await client.send(.get, "/v1/channels", as: ChannelsResponse.self)
                let chosen = response.channels.filter { channel == nil || $0.name == channel }
                let remaining = chosen.reduce(0) { $0 + Self.busy($1) }
                total = max(total, remaining)
                progress.update(done: total - remaining, total: total, detail: Self.detail(chosen))
                if remaining == 0 { break }
                if let stopped = chosen.first(where: {
                    ($0.state == .notRunning || $0.state == .needsAttention) && Self.busy($0) > 0
                }) {
                    progress.finish()
                    let standing = stopped.state == .needsAttention ? "needs attention" : "is not running"
                    ControlClient.fail(
                        "catalogctl: channel \(stopped.name) \(standing), with \(Self.busy(stopped)) listing(s) "
                            + "waiting: \(stopped.stateReason ?? "no reason given")",
                        status: ControlClient.Status.failed
                    )
                }
                if let stuck = chosen.first(where: { $0.paused && $0.pending + $0.backingOff > 0 }) {
                    progress.finish()
                    ControlClient.fail(
                        "catalogctl: channel \(stuck.name) is paused with \(stuck.pending + stuck.backingOff) "
                            + "listing(s) waiting: nothing is sent until `catalogctl resume \(stuck.name)`",
                        status: ControlClient.Status.failed
                    )
                }
                if let deadline, clock.now >= deadline {
                    progress.finish()
                    ControlClient.fail(
                        "catalogctl: gave up waiting after \(Self.seconds(clock.now - started)) s (--timeout); still "
                            + "to send: \(Self.detail(chosen))",
                        status: ControlClient.Status.failed
                    )
                }
                var pause = Duration.milliseconds(Int64(interval * 1000))
                if let deadline { pause = max(.milliseconds(10), min(pause, deadline - clock.now)) }
                try await Task.sleep(for: pause)
            }
            progress.finish()
            let elapsed = Self.seconds(clock.now - started)
            let scope = channel.map { "on \($0)" } ?? "on any channel"
            let sent = total > 0 ? " (\(total) listing(s) sent while waiting)" : ""
            let (after, _) = try await client.send(.get, "/v1/dead-letters", as: DeadLetterResponse.self)
            let deadAfter = Self.counts(after.deadLetters)
            var fresh: [DeadLetterResponse.DeadLetter] = []
            var seen: Set<String> = []
            for letter in after.deadLetters where channel == nil || letter.channel == channel {
                let key = Self.key(letter)
                guard skus.isEmpty || skus.contains(letter.sku), !seen.contains(key) else { continue }
                seen.insert(key)
                if deadAfter[key, default: 0] > deadBefore[key, default: 0] { fresh.append(letter) }
            }
            guard !fresh.isEmpty else {
                print("done in \(elapsed) s: nothing pending \(scope), none rejected\(sent)")
                return
            }
            print("done in \(elapsed) s: nothing pending \(scope), but \(fresh.count) listing(s) were rejected:")
            for letter in fresh {
                print("  \(letter.sku) on \(letter.channel) (\(letter.facet.rawValue)): \(letter.reason)")
                print("    next: \(letter.hint)")
            }
            throw ExitCode.failure
        }

        /// Listings of `channel` not settled yet: pending, in flight or backing off.
        private static func busy(_ channel: ChannelSummary) -> Int {
            channel.pending + channel.leased + channel.backingOff
        }

        /// The busiest channels with work left, and any open circuit breaker among them.
        private static func detail(_ channels: [ChannelSummary]) -> String {
            let busiest = channels.filter { busy($0) > 0 }.sorted { busy($0) > busy($1) }.prefix(3).map {
                var text = "\($0.name) \(busy($0))"
                if $0.backingOff > 0 { text += " (\($0.backingOff) backing off)" }
                if $0.breaker?.state == "open" { text += " [circuit \(StatusTables.breaker($0.breaker))]" }
                return text
            }
            return busiest.isEmpty ? "" : "pending: " + busiest.joined(separator: ", ")
        }

        private static func seconds(_ duration: Duration) -> String {
            let (seconds, attoseconds) = duration.components
            return String(format: "%.1f", Double(seconds) + Double(attoseconds) / 1e18)
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

                    The rate is checked with every channel's pricing rules first; a rate outside 0.000001 to \
                    1000000, or one under which a catalog price would overflow, is refused, and so is a change \
                    by more than the daemon's fx_max_change_factor (default 2) unless --force is given. It is \
                    kept in the daemon's state directory and survives restarts; the configuration file is not \
                    rewritten. When the file's own rate for that currency changes later (edit + reload), the \
                    file wins.
                    """
            )
            @OptionGroup var connection: ConnectionOptions
            @Argument(help: "The ISO 4217 currency code, e.g. EUR.") var currency: String
            @Argument(help: "Units of that currency per 1 unit of the base currency, as a decimal.") var rate: String
            @Flag(help: "Accept a change beyond the daemon's fx_max_change_factor of the rate in force.")
            var force = false

            func run() async throws {
                let (response, _) = try await connection.client.send(
                    .put,
                    "/v1/fx",
                    json: FXSetRequest(currency: currency.uppercased(), rate: rate, force: force ? true : nil),
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
