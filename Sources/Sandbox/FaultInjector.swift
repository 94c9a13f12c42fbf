import Hummingbird
import Synchronization
import TwinSupport

/// The sandbox's misbehaviour in front of every platform route: latency, then (with the configured
/// probabilities, from a seeded generator) an injected 500, 429, timeout or connection reset.
///
/// Faults and latency can change at run time (`POST /_sandbox/faults`).
final class FaultInjector: Sendable {
    private struct State {
        var spec: FaultSpec
        var latency: Duration
        var random: SandboxRandom
    }

    private let state: Mutex<State>
    /// How long a `timeout` fault stalls before it answers 503.
    let timeoutDelay: Duration

    init(spec: FaultSpec, latency: Duration, seed: UInt64, timeoutDelay: Duration) {
        state = Mutex(State(spec: spec, latency: latency, random: SandboxRandom(seed: seed)))
        self.timeoutDelay = timeoutDelay
    }

    /// The current faults and latency.
    var settings: (spec: FaultSpec, latency: Duration) {
        state.withLock { ($0.spec, $0.latency) }
    }

    /// Replaces the faults and, when given, the latency.
    func update(spec: FaultSpec, latency: Duration?) {
        state.withLock { state in
            state.spec = spec
            if let latency { state.latency = latency }
        }
    }

    /// The latency to apply and the fault (if any) for the next request.
    func draw() -> (latency: Duration, fault: FaultSpec.Kind?) {
        state.withLock { state in
            let roll = Double(state.random.next() >> 11) / Double(1 << 53)
            return (state.latency, state.spec.fault(forRoll: roll))
        }
    }
}

/// Applies a ``FaultInjector`` and counts requests to the platforms' routes. Inspection routes
/// (`/_sandbox/…`) and the Amazon document stand-in (`/amazon/_documents/…`) pass untouched.
struct FaultMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    let injector: FaultInjector
    let stats: SandboxStats
    let platforms: Set<String>
    var tokenOutage = TokenOutage(duration: .zero, paths: [:])

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let components = request.uri.path.split(separator: "/", maxSplits: 2)
        guard let first = components.first.map(String.init), platforms.contains(first) else {
            return try await next(request, context)
        }
        if components.count > 1, components[1] == "_documents" { return try await next(request, context) }
        stats.recordRequest(platform: first)
        if tokenOutage.covers(platform: first, path: components.dropFirst().joined(separator: "/")) {
            stats.recordFault(platform: first, kind: TokenOutage.faultKind)
            return Self.json(
                .internalServerError,
                #"{"errors":[{"code":"InternalFailure","message":"sandbox token outage"}]}"#
            )
        }
        let (latency, fault) = injector.draw()
        if latency > .zero { try await Task.sleep(for: latency) }
        guard let fault else { return try await next(request, context) }
        stats.recordFault(platform: first, kind: fault.rawValue)
        switch fault {
        case .internalError:
            return Self.json(
                .internalServerError,
                #"{"errors":[{"code":"InternalFailure","message":"sandbox injected fault"}]}"#
            )
        case .tooManyRequests:
            var response = Self.json(
                .tooManyRequests,
                #"{"errors":[{"code":"QuotaExceeded","message":"You exceeded your quota for the requested resource.","details":"sandbox injected fault"}]}"#
            )
            response.headers[.retryAfter] = "1"
            return response
        case .timeout:
            try await Task.sleep(for: injector.timeoutDelay)
            return Self.json(
                .serviceUnavailable,
                #"{"errors":[{"code":"ServiceUnavailable","message":"sandbox injected timeout"}]}"#
            )
        case .reset:
            return Self.reset()
        }
    }

    private static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body))
        )
    }

    /// A response that promises 1 KiB, writes a few bytes and fails, so the server closes the
    /// connection under the client (a reset or partial response on the client's side).
    private static func reset() -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json", .contentLength: "1024"],
            body: ResponseBody(contentLength: 1024) { writer in
                try await writer.write(ByteBuffer(string: #"{"partial":"#))
                throw InjectedReset()
            }
        )
    }

    /// Thrown on purpose to make the server drop the connection.
    struct InjectedReset: Error {}
}

/// Every twin's token endpoint down for a while from that platform's first token request
/// (`--token-outage-ms`): identity providers that are down when a daemon starts, however long the
/// daemon takes to start and in whatever order its channels first ask for tokens.
final class TokenOutage: Sendable {
    /// How the sandbox's stats count a refused token request.
    static let faultKind = "token-outage"
    let duration: Duration
    /// Token paths (below `/<platform>`) by platform.
    let paths: [String: Set<String>]
    /// When each platform's first token request came.
    private let started = Mutex<[String: ContinuousClock.Instant]>([:])

    init(duration: Duration, paths: [String: Set<String>]) {
        self.duration = duration
        self.paths = paths
    }

    /// Whether a request to `path` of `platform` falls in the outage now (the platform's first token
    /// request starts it).
    func covers(platform: String, path: String) -> Bool {
        guard duration > .zero, paths[platform]?.contains(path) == true else { return false }
        let now = ContinuousClock.now
        let start = started.withLock { started in
            if let start = started[platform] { return start }
            started[platform] = now
            return now
        }
        return now < start + duration
    }
}

/// SplitMix64: a small seeded generator, so fault sequences repeat for a seed.
struct SandboxRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
