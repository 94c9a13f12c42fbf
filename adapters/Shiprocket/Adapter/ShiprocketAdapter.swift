import Catalog
import CurlHTTP
import Foundation
import Sync

/// Keeps one Shiprocket account's product master data and stock in sync.
///
/// Per SKU: the product id is the change's `remoteID`, else the one this adapter learnt, else looked up
/// by SKU (`GET /v1/external/products?sku=`) so a retry never creates a duplicate. Content or price
/// changes (and unknown products) go by `POST /v1/external/products` (with `id` to update); stock by
/// `PUT /v1/external/inventory/{product_id}/update` with `action: "replace"` — never `add`, which
/// would double-count on a retry. No bulk path: bulk mode loops over single calls.
public struct ShiprocketAdapter: MarketplaceAdapter {
    /// Settings of the adapter.
    public struct Configuration: Sendable, Hashable {
        /// Shiprocket's `category_code` for new products.
        public var categoryCode: String
        /// Calls in flight at once.
        public var concurrency: Int

        /// Category `default`, 4 calls in flight.
        public init(categoryCode: String = "default", concurrency: Int = 4) {
            self.categoryCode = categoryCode
            self.concurrency = concurrency
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
        if id == nil
            || change.isRemoval == false && (change.facets.contains(.content) || change.facets.contains(.price))
        {
            switch await save(change, id: id) {
            case .failure(let failure): return failure.outcome
            case .success(let saved): id = saved
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

    /// The id of the product with `sku`, `nil` when Shiprocket has none.
    private func lookUp(_ sku: SKU) async -> Swift.Result<Int?, Failure> {
        let path = "/v1/external/products?sku=" + Self.queryEscaped(sku.rawValue)
        switch await client.send(.get, path) {
        case .failed(let outcome): return .failure(Failure(outcome))
        case .response(let response) where response.status == 404: return .success(nil)
        case .response(let response) where !response.isSuccess:
            return .failure(Failure(ShiprocketClient.rejection(response)))
        case .response(let response):
            let list = try? JSONDecoder().decode(ShiprocketWire.ProductList.self, from: Data(response.body))
            return .success(list?.data.first { $0.sku == sku.rawValue }?.id)
        }
    }

    /// Creates the product, or updates product `id`; the saved product's id.
    private func save(_ change: ListingChange, id: Int?) async -> Swift.Result<Int, Failure> {
        let body = Self.encode(product(change.desired, id: id))
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

    /// The product master data of `listing`: weight in kg, HSN from the HS code, MRP and selling
    /// price both the channel price (the catalog has no separate MRP).
    func product(_ listing: DesiredListing, id: Int?) -> ShiprocketWire.Product {
        let content = listing.content
        let price = Decimal(string: listing.price.amountString) ?? 0
        return ShiprocketWire.Product(
            id: id,
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
