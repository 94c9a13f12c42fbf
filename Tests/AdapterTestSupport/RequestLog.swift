import Hummingbird
import Synchronization

/// The requests a twin received, as `METHOD /path?query`, in arrival order.
public final class RequestLog: Sendable {
    private let lines = Mutex<[String]>([])

    /// An empty log.
    public init() {}

    /// Appends `line`.
    public func record(_ line: String) { lines.withLock { $0.append(line) } }

    /// Every request so far.
    public var all: [String] { lines.withLock { $0 } }
}

/// Records each request in a ``RequestLog`` before the twin answers it.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let log: RequestLog

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        log.record("\(request.method.rawValue) \(request.uri)")
        return try await next(request, context)
    }
}
