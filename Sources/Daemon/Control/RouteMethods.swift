/// Which methods each control API path answers (DESIGN §4.3), so a known path asked with another
/// method gets 405 with `Allow`, not 404 as if the path did not exist.
///
/// Keep in step with ``ControlRoutes/register(on:)``; a test asks every route with a wrong method.
enum RouteMethods {
    /// Path patterns (`:name` matches one segment) and their methods.
    static let table: [(pattern: [Substring], methods: [String])] = [
        ("/v1/status", ["GET"]), ("/v1/channels", ["GET"]), ("/v1/channels/:name/pause", ["POST"]),
        ("/v1/channels/:name/resume", ["POST"]), ("/v1/channels/:name/validate/:sku", ["POST"]),
        ("/v1/validate", ["POST"]), ("/v1/import", ["POST"]), ("/v1/products/:sku", ["GET", "PUT", "DELETE"]),
        ("/v1/products/:sku/listings", ["GET"]), ("/v1/queue", ["GET"]), ("/v1/dead-letters", ["GET"]),
        ("/v1/retry", ["POST"]), ("/v1/sync", ["POST"]), ("/v1/fx", ["GET", "PUT", "POST"]),
        ("/v1/events", ["GET"]), ("/metrics", ["GET"]),
    ].map { (pattern: $0.0.split(separator: "/"), methods: $0.1) }

    /// The methods `path` answers; empty when no route has that path.
    static func allowed(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        for route in table where route.pattern.count == segments.count {
            let matches = zip(route.pattern, segments).allSatisfy { pattern, segment in
                pattern.hasPrefix(":") || pattern == segment
            }
            if matches { return route.methods }
        }
        return []
    }
}
