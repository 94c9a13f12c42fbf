import Foundation
import Hummingbird
import TwinSupport

/// A stateful fake of the MyDHL API's landed-cost call, mounted under `/dhl`.
///
/// - `POST /dhl/landed-cost` needs HTTP Basic auth (any non-empty key and secret; 401 otherwise) and
///   checks the spec's required fields (400 with DHL's problem JSON `{"instance","detail","title",
///   "status"}` naming the field). It answers a deterministic estimate (``LandedCostCalculator``) in
///   MyDHL's shape: `products[0].totalPrice[]` and `detailedPriceBreakdown[].breakdown[]` with charges
///   typed `SPRQD` (shipping), `DUTY` and `TAX`, plus per-item `items[].breakdown[]`.
/// - Quota (UNCONFIRMED for MyDHL): 2 requests/s with a burst of 10 per API key, 429 with `Retry-After`.
/// - **Test hook:** an item whose `name` or `description` contains `[REJECT]` is refused with 422
///   "Unprocessable Entity", detail "items[0].description: prohibited content [REJECT] ...".
///
/// ``listings(marketplace:)``: one row per SKU (the item's `partNumber`) that has an estimate, its
/// marketplace the shipper's country (`IN`, the DHL channel's `marketplace`), its price the total landed
/// cost to the first destination it was asked for, in the request's currency.
public struct DHLTwin: PlatformTwin {
    /// Always `dhl`.
    public let platform = "dhl"
    let environment: TwinEnvironment
    let quotas: QuotaBuckets
    private let rateScale: Double
    private let book = EstimateBook()

    /// A twin with no estimates, using `environment`'s options and counters.
    public init(environment: TwinEnvironment) {
        self.init(environment: environment, quotaRateScale: 1)
    }

    /// A twin whose quota refill rate is multiplied by `quotaRateScale` (tests).
    init(environment: TwinEnvironment, quotaRateScale: Double) {
        self.environment = environment
        quotas = QuotaBuckets(isEnabled: environment.quotasEnabled)
        rateScale = quotaRateScale
    }

    /// Registers `POST landed-cost` on the `/dhl` group.
    public func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("landed-cost") { request, _ in try await self.landedCost(request) }
    }

    /// One row per SKU with an estimate, optionally only those shipped from `marketplace` (`IN`).
    public func listings(marketplace: String?) async -> [TwinListing] {
        book.withEstimates { estimates in
            estimates.keys.sorted().compactMap { sku in
                guard let first = estimates[sku]?.first else { return nil }
                if let marketplace, marketplace != first.shipper { return nil }
                let estimate = first.estimate
                return TwinListing(
                    sku: sku,
                    marketplace: first.shipper,
                    title: first.title,
                    price: LandedCostCalculator.text(estimate.total, estimate.currency),
                    currency: estimate.currency
                )
            }
        }
    }

    /// The destinations estimated for `sku`, in the order first asked (tests).
    func destinations(of sku: String) -> [String] {
        book.withEstimates { $0[sku]?.map(\.destination) ?? [] }
    }

    // MARK: - POST /landed-cost

    private func landedCost(_ request: Request) async throws -> Response {
        guard let apiKey = Self.basicUser(request.headers[.authorization]) else {
            return Self.problem(.unauthorized, title: "Unauthorized", detail: "Invalid Credentials")
        }
        if let retryAfter = quotas.take("\(apiKey)|landed-cost", rate: 2 * rateScale, burst: 10) {
            environment.stats.recordThrottle(platform: platform)
            var response = Self.problem(
                .tooManyRequests,
                title: "Too Many Requests",
                detail: "Rate limit exceeded for the API key"
            )
            let (seconds, attoseconds) = retryAfter.components
            response.headers[.retryAfter] = String(max(1, seconds + (attoseconds > 0 ? 1 : 0)))
            return response
        }
        let buffer = try await request.body.collect(upTo: 1 << 20)
        let query: LandedCostQuery
        do {
            query = try JSONDecoder().decode(LandedCostQuery.self, from: Data(buffer.readableBytesView))
        } catch {
            return Self.problem(.badRequest, title: "Bad request", detail: "The request body is not valid JSON")
        }
        if let detail = query.problem() {
            return Self.problem(.badRequest, title: "Missing parameters", detail: detail)
        }
        for (index, item) in (query.items ?? []).enumerated() {
            let text = (item.name ?? "") + " " + (item.description ?? "")
            if text.contains("[REJECT]") {
                return Self.problem(
                    .unprocessableContent,
                    title: "Unprocessable Entity",
                    detail: "items[\(index)].description: prohibited content [REJECT] cannot be declared to customs"
                )
            }
        }
        let estimate = LandedCostCalculator.estimate(query)
        remember(query, estimate)
        return Self.json(.ok, DHLTwinResponses.landedCost(query, estimate))
    }

    private func remember(_ query: LandedCostQuery, _ estimate: LandedCostCalculator.Estimate) {
        guard let item = query.items?.first, let sku = item.partNumber, !sku.isEmpty else { return }
        let stored = EstimateBook.Stored(
            shipper: query.customerDetails?.shipperDetails?.countryCode?.uppercased() ?? "",
            destination: query.customerDetails?.receiverDetails?.countryCode?.uppercased() ?? "",
            title: item.name,
            estimate: estimate
        )
        book.withEstimates { estimates in
            var list = estimates[sku] ?? []
            if let index = list.firstIndex(where: { $0.destination == stored.destination }) {
                list[index] = stored
            } else {
                list.append(stored)
            }
            estimates[sku] = list
        }
    }

    // MARK: - Wire helpers

    /// The user (API key) of a `Basic` authorization with a non-empty user and password, else `nil`.
    static func basicUser(_ header: String?) -> String? {
        guard let header, header.hasPrefix("Basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6))),
            let text = String(data: decoded, encoding: .utf8)
        else { return nil }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return String(parts[0])
    }

    /// DHL's problem JSON; `status` is a string, as MyDHL writes it.
    static func problem(_ status: HTTPResponse.Status, title: String, detail: String) -> Response {
        let body: [String: String] = [
            "instance": "/mydhlapi/landed-cost", "detail": detail, "title": title, "status": String(status.code),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = (try? encoder.encode(body)).map { Array($0) } ?? []
        return Response(
            status: status,
            headers: [.contentType: "application/problem+json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: Array(text.utf8)))
        )
    }
}
