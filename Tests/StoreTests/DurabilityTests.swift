import Catalog
import Foundation
import GRDB
import Store
import Testing

@Suite("Durability and atomicity")
struct DurabilityTests {
    @Test("the writer runs with synchronous=FULL so an acknowledged write survives power loss")
    func synchronousFullIsInEffect() throws {
        let fixture = try TemporaryStore()
        #expect(try fixture.store.synchronousMode() == 2)
    }

    @Test("the database is in WAL mode")
    func walMode() throws {
        let fixture = try TemporaryStore()
        let queue = try DatabaseQueue(path: fixture.path)
        #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test("a product edit and its dirty marks commit together or not at all")
    func productAndDirtyMarksAreAtomic() throws {
        let fixture = try TemporaryStore()
        // A second connection installs a trigger that fails the dirty insert for one channel.
        let other = try DatabaseQueue(path: fixture.path)
        try other.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER fail_ebay BEFORE INSERT ON dirty WHEN NEW.channel = 'ebay-us'
                    BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                    """
            )
        }
        try other.close()
        #expect(throws: DatabaseError.self) {
            try fixture.store.save(makeProduct("PETHA-1"), now: epoch)
        }
        #expect(try fixture.store.product(sku: SKU(validating: "PETHA-1")) == nil)
        #expect(try fixture.store.dirtyEntries().isEmpty)
    }
}
