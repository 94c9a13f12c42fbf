import Foundation
import Hummingbird
import TwinSupport

/// The platform-neutral inspection routes under `/_sandbox`: listings, stats, and run-time faults.
struct SandboxInspection: Sendable {
    let twins: [any PlatformTwin]
    let stats: SandboxStats
    let injector: FaultInjector

    func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.get("listings") { request, _ in try await self.listings(request) }
        group.get("stats") { _, _ in try Self.json(.ok, StatsBody(platforms: self.stats.snapshot)) }
        group.post("faults") { request, _ in try await self.changeFaults(request) }
    }

    private struct ListingsBody: Encodable {
        var listings: [TwinListing]
    }

    private struct StatsBody: Encodable {
        var platforms: [String: SandboxStats.Counts]
    }

    private struct FaultsRequest: Decodable {
        var faults: String?
        var latencyMs: Int?

        enum CodingKeys: String, CodingKey {
            case faults
            case latencyMs = "latency_ms"
        }
    }

    private struct FaultsBody: Encodable {
        var faults: String
        var latencyMs: Int

        enum CodingKeys: String, CodingKey {
            case faults
            case latencyMs = "latency_ms"
        }
    }

    private func listings(_ request: Request) async throws -> Response {
        let platform = request.uri.queryParameters.get("platform") ?? ""
        guard let twin = twins.first(where: { $0.platform == platform }) else {
            let known = twins.map(\.platform).joined(separator: ", ")
            return try Self.error(.notFound, "unknown_platform", "Unknown platform '\(platform)' (known: \(known)).")
        }
        let listings = await twin.listings(marketplace: request.uri.queryParameters.get("marketplace"))
            .sorted { ($0.marketplace, $0.sku) < ($1.marketplace, $1.sku) }
        return try Self.json(.ok, ListingsBody(listings: listings))
    }

    private func changeFaults(_ request: Request) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 1 << 16)
        let body: FaultsRequest
        do {
            body = try JSONDecoder().decode(FaultsRequest.self, from: Data(buffer.readableBytesView))
        } catch {
            return try Self.error(.badRequest, "invalid_body", "Expected {\"faults\": SPEC, \"latency_ms\": N}.")
        }
        var spec = injector.settings.spec
        if let text = body.faults {
            do {
                spec = try FaultSpec(parsing: text)
            } catch {
                return try Self.error(.badRequest, "invalid_faults", error.description)
            }
        }
        if let latency = body.latencyMs, latency < 0 {
            return try Self.error(.badRequest, "invalid_latency", "latency_ms must be 0 or more.")
        }
        injector.update(spec: spec, latency: body.latencyMs.map { .milliseconds($0) })
        let settings = injector.settings
        let milliseconds = Int(
            settings.latency.components.seconds * 1000 + settings.latency.components.attoseconds / 1_000_000_000_000_000
        )
        return try Self.json(.ok, FaultsBody(faults: settings.spec.description, latencyMs: milliseconds))
    }

    private static func json(_ status: HTTPResponse.Status, _ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    private static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) throws -> Response {
        try json(status, ["error": ["code": code, "message": message]])
    }
}
