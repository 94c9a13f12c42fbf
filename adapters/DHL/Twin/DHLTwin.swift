import Foundation
import Hummingbird
import TwinSupport

/// A stateful fake of the MyDHL API's landed-cost call, mounted under `/dhl`.
///
/// - `POST /dhl/landed-cost` needs HTTP Basic auth (any non-empty key and secret; 401 otherwise). The
///   body is validated against `supermodelIoLogisticsExpressLandedCostRequest` of MyDHL API 2.7.0,
///   loaded from `../shared/specs/dhl-express/mydhl-api-2.7.0.yaml` (``PublishedContract``, the
///   keywords ``JSONSchemaValidator`` checks), then by hand (``LandedCostQuery/problem()``: required
///   fields, receiver postal code and city, `quantityType` prt|box, HS code). Without the specs folder
///   (or python3 with PyYAML) only the hand checks run. A refusal is a 400 with DHL's problem JSON
///   `{"instance","detail","message","status"}`. The answer is a deterministic estimate
///   (``LandedCostCalculator``) in the schema's shape (`supermodelIoLogisticsExpressRates`):
///   `products[0].totalPrice[]`, and duties and taxes in `products[0].items[].breakdown[]` typed
///   `DUTY` and `TAX`.
/// - Quota (UNCONFIRMED for MyDHL): 2 requests/s with a burst of 10 per API key, 429 with `Retry-After`.
/// - **Test hook:** an item whose `name` or `description` contains `[REJECT]` is refused with 422
///   "Unprocessable Entity", detail "items[0].description: prohibited content [REJECT] ..."; one whose
///   `name` contains `[PROCESS-ERROR]` gets MyDHL's documented 500 process error
///   (`999: Process failure occurred…`).
///
/// ``listings(marketplace:)``: one row per SKU (the item's `partNumber`) that has an estimate, its
/// marketplace the shipper's country (`IN`, the DHL channel's `marketplace`), its price the declared
/// unit value of the latest request (the DHL channel's price), and `landed_costs` the total landed cost
/// quoted per destination, all in the request's currency.
/// - Quota: 2 requests/s with a burst of 10, both times the sandbox's `--quota-multiplier`.
public struct DHLTwin: PlatformTwin {
    /// Always `dhl`.
    public let platform = "dhl"
    let environment: TwinEnvironment
    let quotas: QuotaBuckets
    private let rateScale: Double
    private let book = EstimateBook()
    /// MyDHL's OpenAPI document, when the specs folder could be read.
    let contract: PublishedContract?

    /// The MyDHL API 2.7.0 contract from the specs folder, loaded once per process; `nil` without it.
    public static let publishedContract = PublishedContract.load(specPath)
    /// Where the contract lives inside the specs folder.
    public static let specPath = "dhl-express/mydhl-api-2.7.0.yaml"
    /// The request schema of `POST /landed-cost`.
    public static let requestSchema = "supermodelIoLogisticsExpressLandedCostRequest"

    /// A twin with no estimates, using `environment`'s options and counters.
    public init(environment: TwinEnvironment) {
        self.init(environment: environment, quotaRateScale: 1)
    }

    /// A twin whose quota refill rate is multiplied by `quotaRateScale`, validating against `contract`
    /// (tests pass `nil` to see the hand checks alone).
    init(
        environment: TwinEnvironment,
        quotaRateScale: Double,
        contract: PublishedContract? = DHLTwin.publishedContract
    ) {
        self.environment = environment
        quotas = QuotaBuckets(environment)
        rateScale = quotaRateScale
        self.contract = contract
    }

    /// Registers `POST landed-cost` on the `/dhl` group.
    public func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("landed-cost") { request, _ in try await self.landedCost(request) }
    }

    /// One row per SKU with an estimate, optionally only those shipped from `marketplace` (`IN`).
    public func listings(marketplace: String?) async -> [TwinListing] {
        book.withEstimates { estimates in
            estimates.keys.sorted().compactMap { sku in
                guard let all = estimates[sku], let latest = all.last else { return nil }
                if let marketplace, marketplace != latest.shipper { return nil }
                var totals: [String: String] = [:]
                for stored in all {
                    totals[stored.destination] = LandedCostCalculator.text(
                        stored.estimate.total,
                        stored.estimate.currency
                    )
                }
                return TwinListing(
                    sku: sku,
                    marketplace: latest.shipper,
                    title: latest.title,
                    price: latest.declaredValue,
                    currency: latest.estimate.currency,
                    landedCosts: totals
                )
            }
        }
    }

    /// The destinations estimated for `sku`, the latest asked last (tests).
    func destinations(of sku: String) -> [String] {
        book.withEstimates { $0[sku]?.map(\.destination) ?? [] }
    }

    /// How many requests for `sku` to `destination` were answered with an estimate (tests).
    func timesAsked(sku: String, destination: String) -> Int {
        book.timesAsked(sku: sku, destination: destination)
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
        if let contract {
            guard let json = try? JSONValue.parse(buffer.readableBytesView) else {
                return Self.problem(.badRequest, title: "Bad request", detail: "The request body is not valid JSON")
            }
            let violations = contract.violations(of: json, schemaNamed: Self.requestSchema)
            if !violations.isEmpty {
                return Self.problem(
                    .badRequest,
                    title: "Bad request",
                    detail: violations.prefix(5).map(\.description).joined(separator: "; ")
                )
            }
        }
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
            if (item.name ?? "").contains("[PROCESS-ERROR]") {
                return Self.problem(
                    .internalServerError,
                    title: "Internal Server Error",
                    detail: "999: Process failure occurred. Process ID associated for that transaction (1234567890)"
                )
            }
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
            declaredValue: item.unitPrice.map { LandedCostCalculator.text($0, estimate.currency) },
            estimate: estimate
        )
        book.recordAsked(sku: sku, destination: stored.destination)
        book.withEstimates { estimates in
            var list = estimates[sku] ?? []
            if let index = list.firstIndex(where: { $0.destination == stored.destination }) {
                list.remove(at: index)
            }
            // The latest request last: its declared value is the listing's price.
            list.append(stored)
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

    /// DHL's problem JSON (`supermodelIoLogisticsExpressErrorResponse`: `instance`, `detail`,
    /// `message`, `status`); `status` is a string, as MyDHL writes it.
    static func problem(_ status: HTTPResponse.Status, title: String, detail: String) -> Response {
        let body: [String: String] = [
            "instance": "/expressapi/landedcost", "detail": detail, "message": title, "status": String(status.code),
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
