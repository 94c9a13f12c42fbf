import Catalog
import Foundation
import GRDB

/// What a dirty-set rebuild found, per channel.
public struct RebuildReport: Hashable, Sendable {
    /// One channel's findings.
    public struct ChannelFindings: Hashable, Sendable {
        /// Listed (channel, SKU) pairs whose desired hashes differ from the acked ones in some facet.
        public var differingListings = 0
        /// Differing facets by kind (a pair can count under several).
        public var differingFacets: [Facet: Int] = [:]
        /// Acked listings whose product is gone or no longer listed on the channel (to remove).
        public var orphanedListings = 0

        public init() {}
    }

    public var productsScanned = 0
    /// Pairs newly marked dirty (pairs already in the outbox are left as they are).
    public var newlyMarked = 0
    public var channels: [String: ChannelFindings] = [:]
}

/// Recomputes the dirty set from scratch (`sync --full`): for every product and every channel it
/// is listed on, compares the projector's facet hashes with the acked hashes, and marks dirty
/// exactly the pairs where some facet differs.
///
/// `product` and `listing_state` are both stored in SKU order, so the rebuild is one merge join
/// of two cursors. The SKU range is split in two halves hashed in parallel on separate read
/// connections (WAL snapshots); memory stays bounded by the pairs found dirty.
struct DirtySetRebuilder {
    let pool: DatabasePool
    let projectors: [ChannelProjector]
    /// Per channel name, the landed cost each SKU's price adds there (channels whose pricing adds one).
    var landedCosts: [String: [SKU: Money]] = [:]

    /// A pair to mark, and why.
    private struct Finding: Sendable {
        var channel: Int
        var sku: String
        var facets: [Facet]
    }

    private struct PartResult: Sendable {
        var productsScanned = 0
        var findings: [Finding] = []
    }

    func run(now: Int64, parallelism: Int) async throws -> RebuildReport {
        let bounds = try await splitPoints(parts: max(1, parallelism))
        let parts = try await withThrowingTaskGroup(of: PartResult.self) { group in
            for index in 0..<(bounds.count - 1) {
                let (lower, upper) = (bounds[index], bounds[index + 1])
                group.addTask { try await scan(from: lower, to: upper) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        var report = RebuildReport()
        for projector in projectors { report.channels[projector.channel.name] = .init() }
        for part in parts {
            report.productsScanned += part.productsScanned
            for finding in part.findings {
                let name = projectors[finding.channel].channel.name
                if finding.facets.isEmpty {
                    report.channels[name]?.orphanedListings += 1
                } else {
                    report.channels[name]?.differingListings += 1
                    for facet in finding.facets { report.channels[name]?.differingFacets[facet, default: 0] += 1 }
                }
            }
        }
        report.newlyMarked = try await pool.write { [projectors] db in
            let insert = try RawStatement(
                db,
                sql: """
                    INSERT INTO dirty (channel, sku, generation, priority, marked_at, not_before, attempts, lease_until, dead)
                    VALUES (?, ?, 1, 0, ?, 0, 0, NULL, 0) ON CONFLICT (channel, sku) DO NOTHING
                    """
            )
            insert.bind(3, now)
            var marked = 0
            for part in parts {
                for finding in part.findings {
                    insert.bind(1, projectors[finding.channel].channel.name)
                    insert.bind(2, finding.sku)
                    try insert.run()
                    marked += insert.changes
                }
            }
            return marked
        }
        return report
    }

    /// SKUs that cut the catalog into `parts` ranges `[bounds[i], bounds[i+1])`; `nil` = open end.
    private func splitPoints(parts: Int) async throws -> [String?] {
        try await pool.read { db in
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM product") ?? 0
            var bounds: [String?] = [nil]
            for part in 1..<parts where count >= parts * 1_000 {
                bounds.append(
                    try String.fetchOne(
                        db,
                        sql: "SELECT sku FROM product ORDER BY sku LIMIT 1 OFFSET ?",
                        arguments: [count * part / parts]
                    )
                )
            }
            bounds.append(nil)
            return bounds
        }
    }

    /// Merge-joins products and listing states with `lower <= sku < upper`.
    ///
    /// Reads both cursors through ``RawStatement``: listing-state SKUs and channels are compared as
    /// bytes (SQLite's own order), so the ten million acked rows of a large catalog build no strings.
    /// The content hash depends only on the channel's language and listing settings, so it is computed
    /// once per product and (language, settings), and only price and quantity are hashed per channel.
    private func scan(from lower: String?, to upper: String?) async throws -> PartResult {
        try await pool.read { [projectors, landedCosts] db in
            var conditions: [String] = []
            if lower != nil { conditions.append("sku >= ?1") }
            if upper != nil { conditions.append("sku < ?2") }
            let range = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let products = try RawStatement(
                db,
                sql: "SELECT \(ProductRecord.selection) FROM product \(range) ORDER BY sku"
            )
            let states = try RawStatement(
                db,
                sql: """
                    SELECT sku, channel, content_hash, price_hash, quantity_hash FROM listing_state
                    \(range) ORDER BY sku, channel
                    """
            )
            defer {
                products.reset()
                states.reset()
            }
            for statement in [products, states] {
                if let lower { statement.bind(1, lower) }
                if let upper { statement.bind(2, upper) }
            }
            let names = projectors.map(\.channel.name)
            let channelNames = names.map { Array($0.utf8) }
            let landed = names.map { landedCosts[$0] ?? [:] }
            // The first projector with the same language and settings: its content hash serves the others.
            let contentSource = projectors.indices.map { index in
                projectors.firstIndex {
                    $0.channel.language == projectors[index].channel.language
                        && $0.channel.listingSettings == projectors[index].channel.listingSettings
                }!
            }
            var contentHashes = [Int64?](repeating: nil, count: projectors.count)
            var result = PartResult()
            var hasState = try states.step()
            var acked = [AckedHashes?](repeating: nil, count: projectors.count)
            var skuBytes: [UInt8] = []
            while try products.step() {
                let product = try ProductRecord.product(from: products)
                let sku = product.sku.rawValue
                skuBytes.removeAll(keepingCapacity: true)
                skuBytes.append(contentsOf: products.bytes(0))
                result.productsScanned += 1
                for index in acked.indices {
                    acked[index] = nil
                    contentHashes[index] = nil
                }
                // Listing states of SKUs before this one belong to deleted products: orphans.
                while hasState {
                    let order = Self.compare(states.bytes(0), skuBytes)
                    guard order <= 0 else { break }
                    if let channel = Self.index(of: states.bytes(1), in: channelNames) {
                        if order == 0 {
                            acked[channel] = AckedHashes(
                                content: states.optionalInt64(2),
                                price: states.optionalInt64(3),
                                quantity: states.optionalInt64(4)
                            )
                        } else {
                            result.findings.append(Finding(channel: channel, sku: states.string(0), facets: []))
                        }
                    }
                    hasState = try states.step()
                }
                for (index, projector) in projectors.enumerated() {
                    guard product.channels == nil || product.isListed(on: names[index]) else {
                        if acked[index] != nil { result.findings.append(Finding(channel: index, sku: sku, facets: [])) }
                        continue
                    }
                    let source = contentSource[index]
                    let content: Int64
                    if let cached = contentHashes[source] {
                        content = cached
                    } else {
                        content = projector.contentHash(for: product).rawValue
                        contentHashes[source] = content
                    }
                    // A price that waits for its landed cost is not known: it counts as differing.
                    let price = projector.price(for: product, landedCost: landed[index][product.sku])
                        .map { FacetHash(price: $0).rawValue }
                    let quantity = FacetHash(quantity: projector.quantity(for: product)).rawValue
                    let known = acked[index] ?? AckedHashes()
                    var differing: [Facet] = []
                    if known.content != content { differing.append(.content) }
                    if price == nil || known.price != price { differing.append(.price) }
                    if known.quantity != quantity { differing.append(.quantity) }
                    if !differing.isEmpty {
                        result.findings.append(Finding(channel: index, sku: sku, facets: differing))
                    }
                }
            }
            while hasState {
                if let channel = Self.index(of: states.bytes(1), in: channelNames) {
                    result.findings.append(Finding(channel: channel, sku: states.string(0), facets: []))
                }
                hasState = try states.step()
            }
            return result
        }
    }

    /// SQLite's `BINARY` order of two UTF-8 strings: negative, zero or positive.
    private static func compare(_ left: UnsafeBufferPointer<UInt8>, _ right: [UInt8]) -> Int {
        right.withUnsafeBufferPointer { right in
            let common = min(left.count, right.count)
            if common > 0 {
                let order = memcmp(left.baseAddress!, right.baseAddress!, common)
                if order != 0 { return Int(order) }
            }
            return left.count - right.count
        }
    }

    /// The index of the channel named by `bytes`, or `nil` for a channel no projector covers.
    private static func index(of bytes: UnsafeBufferPointer<UInt8>, in names: [[UInt8]]) -> Int? {
        names.firstIndex { $0.count == bytes.count && $0.elementsEqual(bytes) }
    }
}

extension CatalogStore {
    /// Rebuilds the outbox from desired vs acked hashes (`catalogctl sync --full`): marks dirty every
    /// listed (channel, SKU) with a differing facet, and every acked listing whose product is gone
    /// or no longer listed there. Pairs already in the outbox (including dead letters) stay as they are.
    ///
    /// - Parameters:
    ///   - landedCosts: per channel name, the landed cost each SKU's price adds there, in the channel's
    ///     currency (for channels whose pricing adds one; a SKU without one counts as differing).
    ///   - parallelism: SKU ranges hashed at once, each on its own read connection.
    public func rebuildDirtySet(
        projectors: [ChannelProjector],
        landedCosts: [String: [SKU: Money]] = [:],
        parallelism: Int = 2,
        now: Date = Date()
    ) async throws -> RebuildReport {
        try await DirtySetRebuilder(pool: pool, projectors: projectors, landedCosts: landedCosts)
            .run(now: StoreClock.millis(now), parallelism: parallelism)
    }

    /// Records `hashes` as acked for (channel, SKU) without going through a claim: for seeding
    /// a store from a marketplace's existing listings, and for benchmarks.
    public func recordAcked(channel: String, hashes: [(sku: SKU, hashes: FacetHashes)], now: Date = Date()) throws {
        try pool.write { db in
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO listing_state
                        (sku, channel, content_hash, price_hash, quantity_hash, remote_id, status, last_error, updated_at)
                    VALUES (?, ?, ?, ?, ?, NULL, 'active', NULL, ?)
                    ON CONFLICT (sku, channel) DO UPDATE SET content_hash = excluded.content_hash,
                        price_hash = excluded.price_hash, quantity_hash = excluded.quantity_hash,
                        updated_at = excluded.updated_at
                    """
            )
            for entry in hashes {
                try upsert.execute(arguments: [
                    entry.sku.rawValue, channel, entry.hashes.content.rawValue, entry.hashes.price.rawValue,
                    entry.hashes.quantity.rawValue, StoreClock.millis(now),
                ])
            }
        }
    }
}
