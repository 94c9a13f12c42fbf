import Catalog
import CurlHTTP
import Foundation
import Logging
import Sync

/// The DHL Express (MyDHL API) adapter of one channel: keeps every SKU's export data ready and priced.
///
/// DHL has no catalog. For each SKU the adapter checks the customs fields (``CustomsReadiness``): a SKU
/// missing any is rejected as "not ready to ship". A ready SKU gets a landed-cost estimate per
/// destination country of the channel (`POST /landed-cost`, one unit, priced at the channel price),
/// each stored with a timestamp and the digest of its request in the account's data store
/// (``LandedCostEstimate``). The SKU is accepted once every destination is stored; a transient failure on
/// any destination retries the SKU. A destination whose stored estimate answers the very request that
/// would be sent now is not asked again (a SKU due because the channel gained a destination costs one
/// request), and estimates of destinations the channel no longer has are forgotten. Single and bulk mode
/// both send one request per (SKU, destination) — an estimate prices one unit shipped alone —
/// concurrently as the account's rate limiter allows.
public struct DHLAdapter: MarketplaceAdapter {
    /// The adapter's options; the factory reads overrides from the account's and channel's extra keys.
    public struct Configuration: Sendable, Hashable {
        /// Destination countries (channel key `destinations`, e.g. `"US,GB,DE,AE,JP"`).
        public var destinations: [String]
        /// The shipper's country, postal code and city (account keys `shipper_country`,
        /// `shipper_postal_code`, `shipper_city`).
        public var shipperCountry: String
        public var shipperPostalCode: String
        public var shipperCity: String
        /// The package's length, width and height in cm (account key `package_cm`, e.g. `"20x15x10"`).
        public var packageLength: Int
        public var packageWidth: Int
        public var packageHeight: Int
        /// The most SKUs the engine passes in one bulk push.
        public var maximumBatchSize: Int
        /// The receiver address each destination is estimated to (channel key `receiver_addresses`
        /// over ``ReceiverAddress/defaults``).
        public var receiverAddresses: [String: ReceiverAddress]
        /// How many DHL "process error" answers (500, detail `999: Process failure…`) in a row one
        /// (SKU, destination) may get before the SKU is rejected in DHL's words instead of retried.
        public var processErrorLimit: Int

        /// The defaults: US, GB and DE; shipped from Agra, India, in a 20×15×10 cm box; 50 SKUs per batch.
        public init(
            destinations: [String] = ["US", "GB", "DE"],
            shipperCountry: String = "IN",
            shipperPostalCode: String = "282001",
            shipperCity: String = "Agra",
            packageLength: Int = 20,
            packageWidth: Int = 15,
            packageHeight: Int = 10,
            maximumBatchSize: Int = 50,
            receiverAddresses: [String: ReceiverAddress] = ReceiverAddress.defaults,
            processErrorLimit: Int = 3
        ) {
            self.destinations = destinations
            self.shipperCountry = shipperCountry
            self.shipperPostalCode = shipperPostalCode
            self.shipperCity = shipperCity
            self.packageLength = packageLength
            self.packageWidth = packageWidth
            self.packageHeight = packageHeight
            self.maximumBatchSize = maximumBatchSize
            self.receiverAddresses = receiverAddresses
            self.processErrorLimit = processErrorLimit
        }
    }

    /// The rate limiter's operation name for `POST /landed-cost`.
    public static let landedCostOperation = "landedCost"

    public let capabilities: AdapterCapabilities
    /// The options this adapter runs with.
    public let configuration: Configuration
    private let context: AdapterContext
    private let baseURL: String
    private let authorization: Secret
    private let request: LandedCostRequest

    init(context: AdapterContext, configuration: Configuration, authorization: Secret, quotas: [OperationQuota]) {
        self.context = context
        self.configuration = configuration
        self.authorization = authorization
        var base = context.account.endpoint ?? DHLAdapterFactory.defaultEndpoint
        while base.hasSuffix("/") { base.removeLast() }
        baseURL = base
        capabilities = AdapterCapabilities(
            facets: [.content, .price],
            supportsSingleItem: true,
            maximumBatchSize: configuration.maximumBatchSize,
            quotas: quotas
        )
        request = LandedCostRequest(
            shipperCountry: configuration.shipperCountry,
            shipperPostalCode: configuration.shipperPostalCode,
            shipperCity: configuration.shipperCity,
            accountNumber: context.account.sellerID ?? "",
            receiverAddresses: configuration.receiverAddresses,
            packageDimensions: (configuration.packageLength, configuration.packageWidth, configuration.packageHeight)
        )
    }

    /// Checks and prices every SKU of `changes`; one outcome per SKU.
    public func push(_ changes: [ListingChange], mode: PushMode) async -> [SKU: ListingOutcome] {
        await withTaskGroup(of: (SKU, ListingOutcome).self) { group in
            for change in changes {
                group.addTask { (change.sku, await self.push(change)) }
            }
            var outcomes: [SKU: ListingOutcome] = [:]
            for await (sku, outcome) in group { outcomes[sku] = outcome }
            return outcomes
        }
    }

    /// One SKU: removal forgets its estimates; not ready → rejected; else every destination priced
    /// whose stored estimate does not answer today's request.
    func push(_ change: ListingChange) async -> ListingOutcome {
        let data = context.data
        let destinations = configuration.destinations
        var requests: [(destination: String, body: [UInt8], digest: String)] = []
        do {
            if change.isRemoval {
                try await LandedCostEstimate.removeAll(for: change.sku, in: data)
                return .accepted(change)
            }
            let issues = CustomsReadiness.issues(change.desired.content)
            if !issues.isEmpty {
                try await LandedCostEstimate.removeAll(for: change.sku, in: data)
                return .rejected(issues: issues)
            }
            let stored = try await LandedCostEstimate.estimates(for: change.sku, in: data)
            for destination in stored.keys where !destinations.contains(destination) {
                try await LandedCostEstimate.remove(for: change.sku, destination: destination, in: data)
            }
            for destination in destinations {
                let body = request.body(for: change.desired, destination: destination)
                let digest = LandedCostRequest.digest(body)
                if stored[destination]?.requestDigest != digest { requests.append((destination, body, digest)) }
            }
        } catch {
            return .retry(reason: "adapter data store: \(error)", after: nil)
        }
        let outcomes = await withTaskGroup(of: ListingOutcome?.self) { group in
            for (destination, body, digest) in requests {
                group.addTask { await self.fetch(change, destination: destination, body: body, digest: digest) }
            }
            var failures: [ListingOutcome] = []
            for await outcome in group {
                if let outcome { failures.append(outcome) }
            }
            return failures
        }
        // A rejection wins over a retry: a retry cannot fix what DHL refused.
        if let rejected = outcomes.first(where: { if case .rejected = $0 { true } else { false } }) {
            return rejected
        }
        return outcomes.first ?? .accepted(change)
    }

    /// Fetches and stores one destination's estimate; `nil` when stored, else the SKU's failure.
    private func fetch(
        _ change: ListingChange,
        destination: String,
        body: [UInt8],
        digest: String
    ) async -> ListingOutcome? {
        let operation = Self.landedCostOperation
        var headers: HTTPHeaders = ["Content-Type": "application/json", "Accept": "application/json"]
        authorization.withRevealedValue { headers.add(name: "Authorization", value: $0) }
        headers.add(name: "Message-Reference", value: UUID().uuidString.lowercased())
        do {
            try await context.rateLimiter.acquire(operation)
        } catch {
            return .retry(reason: "cancelled while waiting for the \(operation) quota", after: nil)
        }
        let response: HTTPResponse
        do {
            response = try await context.http.execute(
                HTTPRequest(
                    method: .post,
                    url: baseURL + "/landed-cost",
                    headers: headers,
                    body: body,
                    timeout: context.requestTimeout
                ),
                platform: context.account.platform,
                operation: operation
            )
        } catch {
            return .retry(reason: "landed-cost \(destination): \(error.kind.rawValue) (\(error.message))", after: nil)
        }
        return await outcome(
            of: response,
            change: change,
            destination: destination,
            digest: digest
        )
    }

    private func outcome(
        of response: HTTPResponse,
        change: ListingChange,
        destination: String,
        digest: String
    ) async -> ListingOutcome? {
        let status = response.status
        switch status {
        case 200..<300:
            guard
                var estimate = LandedCostResponse.estimate(response.body, destination: destination, fetchedAt: Date())
            else {
                return .retry(reason: "landed-cost \(destination) answered \(status) without a total price", after: nil)
            }
            estimate.requestDigest = digest
            do {
                try await estimate.store(for: change.sku, in: context.data)
                try await Self.resetProcessErrors(sku: change.sku, destination: destination, in: context.data)
                return nil
            } catch {
                return .retry(reason: "adapter data store: \(error)", after: nil)
            }
        case 401, 403:
            let problem = LandedCostResponse.problemText(response.body, status: status)
            context.logger.error(
                "DHL refused the API credentials",
                metadata: ["status": "\(status)", "title": "\(problem.title)"]
            )
            // No retry helps until an operator replaces the key: the channel needs attention.
            return .needsAttention(reason: "DHL refused the API credentials (\(status) \(problem.title))")
        case 429:
            let after = response.retryAfter
            await context.rateLimiter.throttled(Self.landedCostOperation, retryAfter: after)
            return .retry(reason: "429 landed-cost quota exceeded", after: after)
        case 500 where LandedCostResponse.isProcessError(response.body):
            return await processError(response, change: change, destination: destination)
        case 408, 500...599:
            return .retry(reason: "landed-cost \(destination) answered \(status)", after: response.retryAfter)
        default:
            let problem = LandedCostResponse.problemText(response.body, status: status)
            return .rejected(issues: [
                MarketplaceIssue(
                    code: "\(status) \(problem.title)",
                    message: "\(destination): \(problem.detail)"
                )
            ])
        }
    }

    /// DHL's documented 500 "process error": retried until it has come ``Configuration/processErrorLimit``
    /// times in a row for this (SKU, destination), then the SKU is rejected in DHL's words. The count
    /// lives in the account's data store, so a restart does not reset it; an estimate clears it.
    private func processError(_ response: HTTPResponse, change: ListingChange, destination: String) async
        -> ListingOutcome
    {
        let problem = LandedCostResponse.problemText(response.body, status: response.status)
        let count: Int
        do {
            count = try await Self.countProcessError(sku: change.sku, destination: destination, in: context.data)
        } catch {
            return .retry(reason: "adapter data store: \(error)", after: nil)
        }
        guard count >= configuration.processErrorLimit else {
            return .retry(
                reason: "landed-cost \(destination) answered 500 \(problem.title) (\(count) of "
                    + "\(configuration.processErrorLimit)): \(problem.detail)",
                after: response.retryAfter
            )
        }
        try? await Self.resetProcessErrors(sku: change.sku, destination: destination, in: context.data)
        return .rejected(issues: [
            MarketplaceIssue(code: "500 \(problem.title)", message: "\(destination): \(problem.detail)")
        ])
    }

    /// The data-store key counting `sku`'s process errors for `destination`.
    static func processErrorKey(sku: SKU, destination: String) -> String {
        "landed-cost-process-errors/\(sku.rawValue)/\(destination)"
    }

    /// Adds one process error for (`sku`, `destination`); the count so far.
    static func countProcessError(sku: SKU, destination: String, in data: any AdapterDataStore) async throws -> Int {
        let key = processErrorKey(sku: sku, destination: destination)
        let count = (try await data.value(for: key).flatMap { Int($0) } ?? 0) + 1
        try await data.setValue(String(count), for: key)
        return count
    }

    /// Forgets the process errors of (`sku`, `destination`).
    static func resetProcessErrors(sku: SKU, destination: String, in data: any AdapterDataStore) async throws {
        try await data.setValue(nil, for: processErrorKey(sku: sku, destination: destination))
    }

    /// `Basic base64(key:secret)`, built once; the value stays a ``Secret``.
    static func basicAuthorization(key: Secret, secret: Secret) -> Secret {
        let pair = key.withRevealedValue { key in secret.withRevealedValue { "\(key):\($0)" } }
        return Secret("Basic " + Data(pair.utf8).base64EncodedString())
    }
}
