/// The SQLite texts of migrations 1–7, written before one text served both databases (see ``Migration``).
///
/// A migration is never edited once released; changes are new migrations. Timestamps are UTC seconds
/// since 1970; money is integer minor units (`amount_minor`) or thousandths of a major unit
/// (`unit_price_millis`). `orders.amount_minor` is the sum of the order's line amounts, kept by the
/// importer in the same transaction as the lines, so whole-store analysis scans one table.
enum SQLiteSchema {
    static let all: [(version: Int, name: String, sql: String)] = [
        (1, "orders, lines, customers, products, imports, settings", """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE customers (
            customer_id TEXT PRIMARY KEY,
            country TEXT,
            first_seen_at INTEGER
        );
        CREATE TABLE products (
            sku TEXT PRIMARY KEY,
            description TEXT,
            category TEXT,
            is_product INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE orders (
            order_id TEXT PRIMARY KEY,
            customer_id TEXT,
            placed_at INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            currency TEXT NOT NULL,
            amount_minor INTEGER NOT NULL DEFAULT 0,
            channel TEXT,
            country TEXT,
            import_id INTEGER
        );
        CREATE INDEX orders_by_customer ON orders (customer_id, placed_at);
        CREATE TABLE order_lines (
            order_id TEXT NOT NULL,
            line_no INTEGER NOT NULL,
            sku TEXT NOT NULL,
            description TEXT,
            quantity INTEGER NOT NULL,
            unit_price_millis INTEGER NOT NULL,
            amount_minor INTEGER NOT NULL,
            PRIMARY KEY (order_id, line_no)
        ) WITHOUT ROWID;
        CREATE TABLE imports (
            import_id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            format TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            orders_inserted INTEGER,
            lines_inserted INTEGER,
            lines_unchanged INTEGER
        );
        """),
        (2, "model fits", """
        CREATE TABLE model_fits (
            fit_id INTEGER PRIMARY KEY,
            model TEXT NOT NULL,
            fitted_at INTEGER NOT NULL,
            calibration_end TEXT NOT NULL,
            log_likelihood REAL NOT NULL,
            customers REAL NOT NULL,
            fit_json TEXT NOT NULL
        );
        """),
        (3, "events, identities, consents, tags, order coupons, holdout reports, API keys", """
        CREATE TABLE events (
            event_id TEXT PRIMARY KEY,
            type TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            occurred_at INTEGER NOT NULL,
            received_at INTEGER NOT NULL,
            body TEXT NOT NULL
        );
        CREATE INDEX events_by_customer ON events (customer_id, occurred_at);
        CREATE TABLE identities (
            value TEXT NOT NULL,
            kind TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            linked_at INTEGER NOT NULL,
            PRIMARY KEY (value, kind)
        ) WITHOUT ROWID;
        CREATE TABLE consents (
            customer_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            granted INTEGER NOT NULL,
            changed_at INTEGER NOT NULL,
            event_id TEXT NOT NULL,
            PRIMARY KEY (customer_id, channel)
        ) WITHOUT ROWID;
        CREATE TABLE customer_tags (
            customer_id TEXT NOT NULL,
            tag TEXT NOT NULL,
            added_at INTEGER NOT NULL,
            PRIMARY KEY (customer_id, tag)
        ) WITHOUT ROWID;
        ALTER TABLE orders ADD COLUMN coupon_code TEXT;
        ALTER TABLE orders ADD COLUMN event_id TEXT;
        ALTER TABLE model_fits ADD COLUMN holdout_json TEXT;
        CREATE TABLE api_keys (
            key_id TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            label TEXT,
            key_hash TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER
        );
        """),
        (4, "an index that answers a customer's order facts without reading the table", """
        CREATE INDEX orders_facts ON orders (customer_id, placed_at, order_id, kind, amount_minor);
        DROP INDEX orders_by_customer;
        """),
        (5, "the campaign message outbox", """
        CREATE TABLE outbox (
            message_id TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            last_error TEXT,
            created_at INTEGER NOT NULL,
            delivered_at INTEGER
        );
        CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
        """),
        (6, "the campaign engine's decisions", """
        CREATE TABLE campaign_decisions (
            decision_id TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            step INTEGER,
            decided_at INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            reason TEXT,
            action TEXT,
            channel TEXT,
            recorded_at INTEGER NOT NULL
        );
        CREATE INDEX decisions_by_campaign ON campaign_decisions (campaign_id, decided_at);
        CREATE INDEX decisions_by_customer ON campaign_decisions (customer_id, decided_at);
        """),
        (7, "the trained recommender model", """
        CREATE TABLE recommender_models (
            model_id INTEGER PRIMARY KEY,
            trained_at INTEGER NOT NULL,
            summary TEXT NOT NULL,
            archive TEXT NOT NULL
        );
        """),
    ]
}
