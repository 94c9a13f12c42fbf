import GRDB

/// The store's migrations. Every table is `STRICT`; the hot ones are `WITHOUT ROWID` so rows
/// sit in primary-key order (the dirty-set rebuild merge-joins `product` and `listing_state` by SKU).
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: catalog, listing state, outbox, dead letters") { db in
            // Collections use CompactCoding; `channels` NULL means every configured channel.
            try db.execute(
                sql: """
                    CREATE TABLE product (
                        sku            TEXT NOT NULL PRIMARY KEY,
                        revision       INTEGER NOT NULL,
                        title          TEXT NOT NULL,
                        price_minor    INTEGER NOT NULL,
                        currency       TEXT NOT NULL,
                        quantity       INTEGER NOT NULL,
                        description    TEXT,
                        brand          TEXT,
                        product_type   TEXT,
                        hs_code        TEXT,
                        origin_country TEXT NOT NULL,
                        district       TEXT,
                        weight_grams   INTEGER,
                        image_urls     TEXT NOT NULL,
                        attributes     TEXT NOT NULL,
                        translations   TEXT NOT NULL,
                        channel_prices TEXT NOT NULL,
                        channels       TEXT,
                        updated_at     INTEGER NOT NULL
                    ) STRICT, WITHOUT ROWID;

                    -- What each marketplace last acknowledged, one hash per facet (NULL: never acked).
                    CREATE TABLE listing_state (
                        sku           TEXT NOT NULL,
                        channel       TEXT NOT NULL,
                        content_hash  INTEGER,
                        price_hash    INTEGER,
                        quantity_hash INTEGER,
                        remote_id     TEXT,
                        status        TEXT NOT NULL,
                        last_error    TEXT,
                        updated_at    INTEGER NOT NULL,
                        PRIMARY KEY (sku, channel)
                    ) STRICT, WITHOUT ROWID;

                    -- The outbox: one coalesced row per (channel, SKU) that needs a send.
                    CREATE TABLE dirty (
                        channel     TEXT NOT NULL,
                        sku         TEXT NOT NULL,
                        generation  INTEGER NOT NULL,
                        priority    INTEGER NOT NULL,
                        marked_at   INTEGER NOT NULL,
                        not_before  INTEGER NOT NULL,
                        attempts    INTEGER NOT NULL,
                        lease_until INTEGER,
                        dead        INTEGER NOT NULL CHECK (dead IN (0, 1)),
                        last_error  TEXT,
                        PRIMARY KEY (channel, sku)
                    ) STRICT, WITHOUT ROWID;
                    CREATE INDEX dirty_due ON dirty(channel, dead, priority DESC, marked_at);
                    CREATE INDEX dirty_sku ON dirty(sku);

                    CREATE TABLE dead_letter (
                        id               INTEGER PRIMARY KEY,
                        channel          TEXT NOT NULL,
                        sku              TEXT NOT NULL,
                        facet            TEXT,
                        reason           TEXT NOT NULL,
                        product_revision INTEGER NOT NULL,
                        created_at       INTEGER NOT NULL
                    ) STRICT;
                    CREATE INDEX dead_letter_sku ON dead_letter(sku, channel);
                    """
            )
        }
        migrator.registerMigration("v2: adapter data") { db in
            // Durable per-account data adapters keep (landed-cost estimates, revision ledgers).
            try db.execute(
                sql: """
                    CREATE TABLE adapter_data (
                        account    TEXT NOT NULL,
                        key        TEXT NOT NULL,
                        value      TEXT NOT NULL,
                        updated_at INTEGER NOT NULL,
                        PRIMARY KEY (account, key)
                    ) STRICT, WITHOUT ROWID;
                    """
            )
        }
        migrator.registerMigration("v3: no SKU index on the outbox") { db in
            // Every mark paid for a third b-tree insert (of three per row) that only per-SKU reads used;
            // those now go through the primary key, one lookup per channel (``CatalogStore/outboxChannels``).
            try db.execute(sql: "DROP INDEX IF EXISTS dirty_sku")
        }
        migrator.registerMigration("v4: when an outbox pair first failed") { db in
            // The engine gives up on a pair whose failures go on too long (SyncEngine.Configuration
            // .maximumRetryAge), counted from its first failure since it was last in sync.
            try db.execute(sql: "ALTER TABLE dirty ADD COLUMN first_failed_at INTEGER")
        }
        migrator.registerMigration("v5: product details") { db in
            // Identifiers, bullet points and per-platform attributes (ProductDetailsCoding); '' for a
            // product without them, so rows written before keep their meaning.
            try db.execute(sql: "ALTER TABLE product ADD COLUMN details TEXT NOT NULL DEFAULT ''")
        }
        migrator.registerMigration("v6: live checks of listings, verifier cursors") { db in
            // What the listing verifier last read back per (SKU, channel), and its cursor and progress
            // per channel (CatalogStore+Verification.swift).
            try db.execute(
                sql: """
                    CREATE TABLE listing_check (
                        sku             TEXT NOT NULL,
                        channel         TEXT NOT NULL,
                        checked_at      INTEGER NOT NULL,
                        live_status     TEXT NOT NULL,
                        platform_status TEXT,
                        issues          TEXT NOT NULL,
                        drift           TEXT,
                        drift_at        INTEGER,
                        PRIMARY KEY (sku, channel)
                    ) STRICT, WITHOUT ROWID;

                    CREATE TABLE verify_progress (
                        channel         TEXT NOT NULL PRIMARY KEY,
                        cursor_sku      TEXT,
                        pass_started_at INTEGER,
                        last_pass_at    INTEGER,
                        pass_checked    INTEGER NOT NULL,
                        pass_drifted    INTEGER NOT NULL,
                        last_checked    INTEGER NOT NULL,
                        last_drifted    INTEGER NOT NULL,
                        total_checked   INTEGER NOT NULL,
                        total_drifted   INTEGER NOT NULL,
                        last_error      TEXT
                    ) STRICT;
                    """
            )
        }
        migrator.registerMigration("v7: order lines applied to stock, order cursors") { db in
            // One row per (platform, order, line) ever seen: the idempotency key of stock following sales.
            // `applied` is what the line took off the catalog's stock (less than `quantity` when stock ran
            // out: the difference is `shortfall`, an oversell); `restored` what a cancellation or a
            // return restock gave back. Written in the same transaction as the stock and its dirty marks.
            try db.execute(
                sql: """
                    CREATE TABLE order_line (
                        platform    TEXT NOT NULL,
                        order_id    TEXT NOT NULL,
                        line_id     TEXT NOT NULL,
                        account     TEXT NOT NULL,
                        channel     TEXT,
                        marketplace TEXT NOT NULL,
                        sku         TEXT NOT NULL,
                        quantity    INTEGER NOT NULL,
                        status      TEXT NOT NULL,
                        applied     INTEGER NOT NULL,
                        shortfall   INTEGER NOT NULL,
                        restored    INTEGER NOT NULL,
                        note        TEXT,
                        seen_at     INTEGER NOT NULL,
                        updated_at  INTEGER NOT NULL,
                        PRIMARY KEY (platform, order_id, line_id)
                    ) STRICT, WITHOUT ROWID;
                    CREATE INDEX order_line_sku ON order_line(sku);
                    CREATE INDEX order_line_updated ON order_line(updated_at);

                    -- Where each account's order polling resumes (the platform's own cursor text).
                    CREATE TABLE order_cursor (
                        account    TEXT NOT NULL PRIMARY KEY,
                        cursor     TEXT NOT NULL,
                        updated_at INTEGER NOT NULL
                    ) STRICT, WITHOUT ROWID;
                    """
            )
        }
        migrator.registerMigration("v8: order lines shipped") { db in
            // A placed line whose units have left the warehouse (the rest of the placed lines are reserved).
            try db.execute(sql: "ALTER TABLE order_line ADD COLUMN fulfilled INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v9: listing checks remember a low quantity's first sighting") { db in
            // When the verifier first saw the platform show fewer units than the catalog (a sale not read
            // yet, most likely); cleared by a check that does not.
            try db.execute(sql: "ALTER TABLE listing_check ADD COLUMN low_since INTEGER")
        }
        return migrator
    }
}
