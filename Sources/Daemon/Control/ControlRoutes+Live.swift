import Catalog
import ControlAPI
import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle

/// FX rates on the running daemon and the live event stream.
extension ControlRoutes {
    /// `GET /v1/fx`: the rates in force (the file's, with overrides set through the API).
    func fx() -> FXResponse {
        let state = runtime.snapshot
        let configuration = state.configuration
        return FXResponse(
            base: configuration.daemon.baseCurrency.code,
            rates: Dictionary(
                configuration.fxRates.map { ($0.key.code, "\($0.value)") },
                uniquingKeysWith: { a, _ in a }
            ),
            overridden: state.fxOverrides.keys.map(\.code).sorted()
        )
    }

    /// `PUT|POST /v1/fx {currency, rate}`: sets one rate on the running daemon. The rate is checked
    /// with every channel's rules before anything changes (an impossible combination is a 400 naming
    /// the key); it is kept in the state directory, not written into the configuration file (see
    /// ``FXOverrides``); exactly the channels priced in that currency are re-marked.
    func setFX(_ request: Request, _ context: ControlRequestContext) async throws -> FXSetResponse {
        try context.requireMutationRights()
        let body = try await Self.decode(FXSetRequest.self, from: request, what: "an FX request {currency, rate}")
        guard let reloader else {
            throw ControlError(.notImplemented, code: "unsupported", "FX rates cannot be changed on this daemon")
        }
        let outcome: ConfigurationReloader.Outcome
        do {
            outcome = try await reloader.setFXRate(
                currencyCode: body.currency,
                rate: body.rate,
                force: body.force ?? false
            )
        } catch let error as ConfigurationFileError {
            throw ControlError(
                .badRequest,
                code: "invalid_fx",
                error.issues.map(\.description).joined(separator: "; ")
            )
        }
        return FXSetResponse(fx: fx(), channels: outcome.diff.changedChannels, queued: outcome.marked)
    }

    /// `GET /v1/events`: every sync outcome from now on, one JSON object per line (NDJSON), chunked.
    ///
    /// The stream stays open; an idle stream sends an empty line every ``eventHeartbeat`` so a client
    /// that went away is noticed and its subscription to the engine ends.
    func events() async -> Response {
        let events = await sync.events()
        let heartbeat = eventHeartbeat
        return Response(
            status: .ok,
            headers: [.contentType: "application/x-ndjson", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                let (lines, continuation) = AsyncStream<ByteBuffer>.makeStream()
                // Graceful shutdown (SIGTERM) ends open streams, so they do not hold up the drain.
                try await withGracefulShutdownHandler {
                    try await Self.pump(lines, continuation, events: events, heartbeat: heartbeat, to: &writer)
                } onGracefulShutdown: {
                    continuation.finish()
                }
                try await writer.finish(nil)
            }
        )
    }

    /// Copies event lines and heartbeats to `writer` until the events end, the client goes away (a
    /// write throws) or the task is cancelled; the engine's stream ends with it.
    private static func pump(
        _ lines: AsyncStream<ByteBuffer>,
        _ continuation: AsyncStream<ByteBuffer>.Continuation,
        events: AsyncStream<SyncEvent>,
        heartbeat: Duration,
        to writer: inout some ResponseBodyWriter
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                for await event in events {
                    guard var line = try? encoder.encode(event) else { continue }
                    line.append(UInt8(ascii: "\n"))
                    continuation.yield(ByteBuffer(bytes: line))
                }
                continuation.finish()
            }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: heartbeat)
                    continuation.yield(ByteBuffer(string: "\n"))
                }
            }
            defer { group.cancelAll() }
            // A write to a client that went away throws: the group's tasks are cancelled and
            // the engine's stream ends with them.
            for await line in lines { try await writer.write(line) }
        }
    }
}
