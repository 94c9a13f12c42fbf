import Catalog
import CurlHTTP
import Foundation
import Sync

/// Keeps one Shiprocket account's product master data and stock in sync.
///
/// Per SKU: the product id is the change's `remoteID`, else the one this adapter learnt, else looked up
/// by SKU through "Get All Products" (`GET /v1/external/products?filter_by=sku&filter=…`, every page,
/// the SKU compared exactly) so a lost create answer never leads to a second create. A product
/// Shiprocket does not have is created by "Add New Products" (`POST /v1/external/products`, which
/// refuses an existing SKU); content or price of an existing one is updated by "Bulk Import Products"
/// (`POST /v1/external/products/import`, a one-row CSV in Shiprocket's sample format,
/// ``ShiprocketProductImport``) — the documented API has no other product update call. Stock goes by
/// `PUT /v1/external/inventory/{product_id}/update` with `action: "replace"` — never `add`, which
/// would double-count on a retry. No bulk path: bulk mode loops over single calls. What no public
/// document confirms is listed in the README ("Verified against").
public struct ShiprocketAdapter: MarketplaceAdapter {
    /// Settings of the adapter.
    public struct Configuration: Sendable, Hashable {
        /// Shiprocket's `category_code` for new products.
        public var categoryCode: String
        /// Calls in flight at once.
        public var concurrency: Int
        /// Products per page of the SKU lookup (`per_page`).
        public var lookupPageSize: Int

        /// Category `default`, 4 calls in flight, 100 products per lookup page.
        public init(categoryCode: String = "default", concurrency: Int = 4, lookupPageSize: Int = 100) {
            self.categoryCode = categoryCode
            self.concurrency = concurrency
            self.lookupPageSize = lookupPageSize
        }
    }

    public let capabilities: AdapterCapabilities
    let configuration: Configuration
    let client: ShiprocketClient
    let productIDs = ProductIDs()

    /// An adapter for the channel of `context`.
    public init(context: AdapterContext, configuration: Configuration = Configuration()) {
        self.configuration = configuration
        client = ShiprocketClient(context: context)
        capabilities = AdapterCapabilities(
            facets: Set(Facet.allCases),
            supportsSingleItem: true,
            maximumBatchSize: 1,
            quotas: ShiprocketAdapterFactory.defaultQuotas
        )
    }

    public func push(_ changes: [ListingChange], mode: PushMode) async -> [SKU: ListingOutcome] {
        await withTaskGroup(of: (SKU, ListingOutcome).self) { group in
            var outcomes: [SKU: ListingOutcome] = [:]
            var next = changes.makeIterator()
            for _ in 0..<max(1, configuration.concurrency) {
                guard let change = next.next() else { break }
                group.addTask { (change.sku, await self.sync(change)) }
            }
            for await (sku, outcome) in group {
                outcomes[sku] = outcome
                if let change = next.next() { group.addTask { (change.sku, await self.sync(change)) } }
            }
            return outcomes
        }
    }

    /// One SKU: find its product id, save the product when needed, then replace its stock.
    private func sync(_ change: ListingChange) async -> ListingOutcome {
        var id: Int? = change.remoteID.flatMap { Int($0) }
        if id == nil { id = await productIDs[change.sku] }
        if id == nil {
            switch await lookUp(change.sku) {
            case .failure(let failure): return failure.outcome
            case .success(let found): id = found
            }
        }
        if let existing = id {
            if !change.isRemoval, change.facets.contains(.content) || change.facets.contains(.price) {
                if let failure = await update(change) { return failure }
            }
            id = existing
        } else if change.isRemoval {
            // Nothing to withdraw: Shiprocket has no product with this SKU.
            return .accepted(change)
        } else {
            switch await create(change) {
            case .failure(let failure): return failure.outcome
            case .success(let created): id = created
            }
        }
        guard let productID = id else { return .retry(reason: "Shiprocket returned no product id", after: nil) }
        await productIDs.set(change.sku, productID)
        let quantity = change.isRemoval ? 0 : change.desired.quantity
        let body = Self.encode(ShiprocketWire.InventoryUpdate(quantity: quantity, action: "replace"))
        switch await client.send(.put, "/v1/external/inventory/\(productID)/update", body: body) {
        case .failed(let outcome): return outcome
        case .response(let response) where !response.isSuccess: return ShiprocketClient.rejection(response)
        case .response: return .accepted(change, remoteID: String(productID))
        }
    }

    /// The most pages the lookup reads (100,000 products) before giving up for now.
    static let lookupPageLimit = 1_000

    /// The id of the product with exactly `sku`, `nil` when Shiprocket has none: every page of "Get All
    /// Products" filtered by SKU (whether the filter matches exactly or by substring is not documented).
    private func lookUp(_ sku: SKU) async -> Swift.Result<Int?, Failure> {
        var page = 1
        while page <= Self.lookupPageLimit {
            let path =
                "/v1/external/products?filter_by=sku&filter=\(Self.queryEscaped(sku.rawValue))&page=\(page)&per_page=\(max(1, configuration.lookupPageSize))"
            switch await client.send(.get, path) {
            case .failed(let outcome): return .failure(Failure(outcome))
            case .response(let response) where response.status == 404: return .success(nil)
            case .response(let response) where !response.isSuccess:
                return .failure(Failure(ShiprocketClient.rejection(response)))
            case .response(let response):
                guard let list = try? JSONDecoder().decode(ShiprocketWire.ProductList.self, from: Data(response.body))
                else {
                    return .failure(Failure(.retry(reason: "Shiprocket product list unreadable", after: nil)))
                }
                if let match = list.data.first(where: { $0.sku == sku.rawValue }) { return .success(match.id) }
                let pages = list.meta?.pagination?.totalPages ?? page
                if list.data.isEmpty || page >= pages { return .success(nil) }
                page += 1
            }
        }
        return .failure(Failure(.retry(reason: "Shiprocket product list longer than the lookup reads", after: nil)))
    }

    /// Creates the product ("Add New Products"); the new product's id.
    private func create(_ change: ListingChange) async -> Swift.Result<Int, Failure> {
        let body = Self.encode(product(change.desired))
        switch await client.send(.post, "/v1/external/products", body: body) {
        case .failed(let outcome): return .failure(Failure(outcome))
        case .response(let response) where !response.isSuccess:
            return .failure(Failure(ShiprocketClient.rejection(response)))
        case .response(let response):
            guard let saved = try? JSONDecoder().decode(ShiprocketWire.ProductSaved.self, from: Data(response.body))
            else {
                return .failure(Failure(.retry(reason: "Shiprocket product answer without id", after: nil)))
            }
            return .success(saved.data.id)
        }
    }

    /// Updates an existing product's master data by a one-row "Bulk Import Products" upload; `nil` when
    /// Shiprocket took the import.
    private func update(_ change: ListingChange) async -> ListingOutcome? {
        let upload = ShiprocketProductImport(product: product(change.desired))
        switch await client.send(
            .post,
            "/v1/external/products/import",
            body: upload.body,
            contentType: upload.contentType
        ) {
        case .failed(let outcome): return outcome
        case .response(let response) where !response.isSuccess: return ShiprocketClient.rejection(response)
        case .response(let response):
            guard (try? JSONDecoder().decode(ShiprocketWire.ImportAccepted.self, from: Data(response.body))) != nil
            else {
                return .retry(
                    reason: "Shiprocket import answer without id: \(response.bodyText.prefix(200))",
                    after: nil
                )
            }
            return nil
        }
    }

    /// The product master data of `listing`: weight in kg, HSN from the HS code, MRP and selling
    /// price both the channel price (the catalog has no separate MRP).
    func product(_ listing: DesiredListing) -> ShiprocketWire.Product {
        let content = listing.content
        let price = Decimal(string: listing.price.amountString) ?? 0
        return ShiprocketWire.Product(
            sku: listing.sku.rawValue,
            name: content.title,
            type: "single",
            qty: listing.quantity,
            categoryCode: configuration.categoryCode,
            hsn: content.hsCode,
            weight: content.weightGrams.map { Decimal($0) / 1000 },
            mrp: price,
            sellingPrice: price,
            brand: content.brand,
            description: content.description,
            imageURL: content.imageURLs.first
        )
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data())
    }

    static func queryEscaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
            ?? text
    }

    /// A step's failure carrying the SKU's outcome.
    struct Failure: Error {
        var outcome: ListingOutcome
        init(_ outcome: ListingOutcome) { self.outcome = outcome }
    }
}

/// Product ids learnt per SKU, so retries and later pushes update instead of creating.
actor ProductIDs {
    private var ids: [SKU: Int] = [:]

    subscript(sku: SKU) -> Int? { ids[sku] }

    func set(_ sku: SKU, _ id: Int) { ids[sku] = id }
}
