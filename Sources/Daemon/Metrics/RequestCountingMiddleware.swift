import Hummingbird

/// Counts every control API request in `catalogsync_http_requests_total`.
struct RequestCountingMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: DaemonMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        metrics.countHTTPRequest()
        return try await next(request, context)
    }
}
