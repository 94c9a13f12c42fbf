import Catalog
import Foundation
import GRDB

/// The catalog database: products, what each marketplace acknowledged, the outbox of dirty
/// (channel, SKU) pairs and the dead letters, in one SQLite file.
///
/// One `DatabasePool` (WAL) per process. Every catalog change and its dirty marks commit in
/// the same transaction, so after any crash either both exist or neither does.
///
/// Durability: GRDB sets `synchronous=NORMAL` on WAL databases, which may lose the last
/// transactions on power loss. The store sets `synchronous=FULL` on its writer connection right
/// after opening (``Configuration/synchronousFull``), so an import or an ack that returned has
/// reached stable storage. Measured on this machine the cost is small for batched writes.
public struct CatalogStore: Sendable {
    /// How to open the store.
    public struct Configuration: Sendable {
        /// The SQLite file; its directory must exist.
        public var path: String
        /// Channels the store marks dirty for products with no explicit channel list.
        public var channels: [String]
        /// `true` (default): `PRAGMA synchronous=FULL`, an acknowledged write survives power loss.
        public var synchronousFull: Bool
        /// How long a claimed (channel, SKU) stays leased before it returns to the due set.
        public var leaseDuration: Duration
        /// Rows per transaction on import and bulk saves. Each commit is an `fsync` (synchronous=FULL),
        /// so larger batches import faster: on the 1,000,000-row benchmark 5,000 took 23 s, 25,000
        /// 17 s, 50,000 15 s (peak RSS 176, 217 and 267 MB; Benchmarks/README.md).
        public var importBatchSize: Int
        /// How long a write waits for another process (the `sqlite3` tool, a second daemon) holding the lock.
        public var busyTimeout: Duration
        /// The writer connection's page cache. Large enough that an import batch (products, dirty
        /// marks and their indexes) stays in memory until commit instead of spilling pages to the WAL
        /// mid-transaction and reading them back (measured: the import's `pwrite`/`pread` calls).
        public var writerCacheMegabytes: Int

        public init(
            path: String,
            channels: [String],
            synchronousFull: Bool = true,
            leaseDuration: Duration = .seconds(120),
            importBatchSize: Int = 25_000,
            busyTimeout: Duration = .seconds(5),
            writerCacheMegabytes: Int = 64
        ) {
            self.path = path
            self.channels = channels
            self.synchronousFull = synchronousFull
            self.leaseDuration = leaseDuration
            self.importBatchSize = importBatchSize
            self.busyTimeout = busyTimeout
            self.writerCacheMegabytes = writerCacheMegabytes
        }
    }

    public let configuration: Configuration
    let pool: DatabasePool

    /// Opens (creating if needed) and migrates the database at `configuration.path`.
    public init(configuration: Configuration) throws {
        self.configuration = configuration
        var grdb = GRDB.Configuration()
        grdb.busyMode = .timeout(configuration.busyTimeout.timeInterval)
        pool = try DatabasePool(path: configuration.path, configuration: grdb)
        try pool.writeWithoutTransaction { db in
            if configuration.synchronousFull { try db.execute(sql: "PRAGMA synchronous = FULL") }
            try db.execute(sql: "PRAGMA cache_size = -\(max(2, configuration.writerCacheMegabytes) * 1024)")
        }
        try StoreSchema.migrator.migrate(pool)
    }

    /// The writer connection's `PRAGMA synchronous` value (0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA).
    public func synchronousMode() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// Runs `body` in one write transaction, for callers that must combine store writes atomically.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.write(body)
    }

    var leaseMillis: Int64 {
        let (seconds, attoseconds) = configuration.leaseDuration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

extension Duration {
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
