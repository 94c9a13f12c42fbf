import AmazonModel
import Foundation
import Hummingbird
import TwinSupport

/// The Listings Items 2021-08-01 routes: put, patch, get and delete one SKU.
extension AmazonTwin {
    private static let itemPath: RouterPath = "listings/2021-08-01/items/:sellerId/:sku"

    func addListingsRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.put(Self.itemPath) { request, context in
            try await self.listingsCall(request, context, .putListingsItem) { target, rateLimit in
                try await self.put(request, target: target, rateLimit: rateLimit)
            }
        }
        group.patch(Self.itemPath) { request, context in
            try await self.listingsCall(request, context, .patchListingsItem) { target, rateLimit in
                try await self.patch(request, target: target, rateLimit: rateLimit)
            }
        }
        group.get(Self.itemPath) { request, context in
            try await self.listingsCall(request, context, .getListingsItem) { targets, rateLimit in
                await self.get(request, targets: targets, rateLimit: rateLimit)
            }
        }
        group.delete(Self.itemPath) { request, context in
            try await self.listingsCall(request, context, .deleteListingsItem) { targets, rateLimit in
                let submission = await self.store.delete(targets[0])
                return Self.submissionResponse(submission, sku: targets[0].sku, rateLimit: rateLimit)
            }
        }
    }

    /// Checks token and quota, then the path and `marketplaceIds`, and hands one target per marketplace
    /// to `handler` (PUT and DELETE take exactly one marketplace).
    private func listingsCall(
        _ request: Request,
        _ context: BasicRequestContext,
        _ operation: AmazonTwinQuotas.Operation,
        handler: ([ListingsStore.Target], String) async throws -> Response
    ) async throws -> Response {
        let seller = context.parameters.get("sellerId") ?? ""
        let sku = context.parameters.get("sku").map { $0.removingPercentEncoding ?? $0 } ?? ""
        let rateLimit = quotas.header(operation)
        return try await guarded(request, operation, seller: seller) { _ in
            let ids = (request.uri.queryParameters.get("marketplaceIds") ?? "")
                .split(separator: ",").map { String($0) }
            guard !ids.isEmpty else {
                return AmazonResponses.invalidInput(
                    "Missing required parameter 'marketplaceIds'.",
                    rateLimit: rateLimit
                )
            }
            if ids.count > 1, operation == .putListingsItem || operation == .deleteListingsItem {
                return AmazonResponses.invalidInput(
                    "'marketplaceIds' accepts exactly one marketplace for this operation; got \(ids.count).",
                    rateLimit: rateLimit
                )
            }
            var targets: [ListingsStore.Target] = []
            for id in ids {
                guard let marketplace = AmazonMarketplace.withID(id) else {
                    return AmazonResponses.invalidInput("Invalid marketplaceIds: '\(id)'.", rateLimit: rateLimit)
                }
                targets.append(
                    .init(sellerID: seller, marketplace: marketplace, sku: sku, allowedMarketplaceIDs: Set(ids))
                )
            }
            if let mode = request.uri.queryParameters.get("mode"), mode != "VALIDATION_PREVIEW" {
                return AmazonResponses.invalidInput("Invalid mode: '\(mode)'.", rateLimit: rateLimit)
            }
            return try await handler(targets, rateLimit)
        }
    }

    private func isPreview(_ request: Request) -> Bool {
        request.uri.queryParameters.get("mode") == "VALIDATION_PREVIEW"
    }

    private func put(_ request: Request, target: [ListingsStore.Target], rateLimit: String) async throws -> Response {
        guard let body = try await AmazonResponses.jsonBody(request), body.object != nil else {
            return AmazonResponses.invalidInput("The request body is not a valid JSON object.", rateLimit: rateLimit)
        }
        guard let productType = body["productType"]?.string, !productType.isEmpty else {
            return AmazonResponses.invalidInput("Missing required field 'productType'.", rateLimit: rateLimit)
        }
        guard let attributes = body["attributes"]?.object else {
            return AmazonResponses.invalidInput("Missing required field 'attributes'.", rateLimit: rateLimit)
        }
        let requirements = body["requirements"]?.string ?? "LISTING"
        guard ["LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY"].contains(requirements) else {
            return AmazonResponses.invalidInput("Invalid requirements: '\(requirements)'.", rateLimit: rateLimit)
        }
        let submission = await store.put(
            target[0],
            productType: productType,
            requirements: requirements,
            attributes: attributes,
            preview: isPreview(request)
        )
        return Self.submissionResponse(submission, sku: target[0].sku, rateLimit: rateLimit)
    }

    private func patch(_ request: Request, target: [ListingsStore.Target], rateLimit: String) async throws -> Response {
        guard let body = try await AmazonResponses.jsonBody(request), body.object != nil else {
            return AmazonResponses.invalidInput("The request body is not a valid JSON object.", rateLimit: rateLimit)
        }
        guard let productType = body["productType"]?.string, !productType.isEmpty else {
            return AmazonResponses.invalidInput("Missing required field 'productType'.", rateLimit: rateLimit)
        }
        guard let patches = body["patches"]?.array, !patches.isEmpty else {
            return AmazonResponses.invalidInput(
                "Missing required field 'patches' (at least one operation).",
                rateLimit: rateLimit
            )
        }
        var issues: [ListingIssue] = []
        do {
            // Every marketplace must accept the patch before any of them changes.
            for each in target {
                let preview = try await store.patch(each, productType: productType, patches: patches, preview: true)
                issues += preview.issues
            }
            if issues.contains(where: { $0.severity == "ERROR" }) || isPreview(request) {
                let status = issues.contains { $0.severity == "ERROR" } ? "INVALID" : "VALID"
                return Self.submissionResponse(
                    .init(status: status, issues: issues),
                    sku: target[0].sku,
                    rateLimit: rateLimit
                )
            }
            for each in target {
                _ = try await store.patch(each, productType: productType, patches: patches, preview: false)
            }
        } catch {
            return AmazonResponses.invalidInput(error.message, rateLimit: rateLimit)
        }
        return Self.submissionResponse(
            .init(status: "ACCEPTED", issues: issues),
            sku: target[0].sku,
            rateLimit: rateLimit
        )
    }

    private func get(_ request: Request, targets: [ListingsStore.Target], rateLimit: String) async -> Response {
        let included = Set(
            (request.uri.queryParameters.get("includedData") ?? "summaries").split(separator: ",").map { String($0) }
        )
        if let unknown = included.subtracting(Self.includedDataValues).sorted().first {
            return AmazonResponses.invalidInput("Invalid includedData: '\(unknown)'.", rateLimit: rateLimit)
        }
        var records: [ListingRecord] = []
        for target in targets {
            if let record = await store.record(target) { records.append(record) }
        }
        guard let first = records.first else {
            return AmazonResponses.error(
                .notFound,
                code: "NOT_FOUND",
                message:
                    "SKU '\(targets[0].sku)' not found in marketplace \(targets.map(\.marketplace.id).joined(separator: ","))",
                rateLimit: rateLimit
            )
        }
        guard var item = first.item(includedData: included).object else { return AmazonResponses.json(.ok, [:]) }
        if included.contains("summaries") {
            item["summaries"] = .array(
                records.flatMap { $0.item(includedData: ["summaries"])["summaries"]?.array ?? [] }
            )
        }
        return AmazonResponses.json(.ok, .object(item), rateLimit: rateLimit)
    }

    /// The `includedData` values `getListingsItem` takes (the model's parameter enum).
    static let includedDataValues: Set<String> = [
        "summaries", "attributes", "issues", "offers", "fulfillmentAvailability", "procurement", "relationships",
        "productTypes",
    ]

    /// A `ListingsItemSubmissionResponse`.
    static func submissionResponse(_ submission: ListingsStore.Submission, sku: String, rateLimit: String) -> Response {
        let body: TwinJSON = [
            "sku": .string(sku), "status": .string(submission.status),
            "submissionId": .string(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()),
            "issues": .array(submission.issues.map(\.json)),
        ]
        return AmazonResponses.json(.ok, body, rateLimit: rateLimit)
    }
}
