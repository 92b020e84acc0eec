/// The PostgreSQL schema: the same tables, columns and versions as ``SQLiteSchema``, in
/// PostgreSQL's types. Integers are `BIGINT` (seconds, minor units, thousandths); `seq` columns keep
/// the insertion order SQLite's `rowid` gives.
enum PostgresSchema {
    static let all: [(version: Int, name: String, sql: String)] = [
        (1, "orders, lines, customers, products, imports, settings", """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE customers (
            customer_id TEXT PRIMARY KEY,
            country TEXT,
            first_seen_at BIGINT,
            seq BIGSERIAL NOT NULL
        );
        CREATE TABLE products (
            sku TEXT PRIMARY KEY,
            description TEXT,
            category TEXT,
            is_product BIGINT NOT NULL DEFAULT 1
        );
        CREATE TABLE orders (
            order_id TEXT PRIMARY KEY,
            customer_id TEXT,
            placed_at BIGINT NOT NULL,
            kind BIGINT NOT NULL,
            currency TEXT NOT NULL,
            amount_minor BIGINT NOT NULL DEFAULT 0,
            channel TEXT,
            country TEXT,
            import_id BIGINT,
            seq BIGSERIAL NOT NULL
        );
        CREATE INDEX orders_by_customer ON orders (customer_id, placed_at);
        CREATE TABLE order_lines (
            order_id TEXT NOT NULL,
            line_no BIGINT NOT NULL,
            sku TEXT NOT NULL,
            description TEXT,
            quantity BIGINT NOT NULL,
            unit_price_millis BIGINT NOT NULL,
            amount_minor BIGINT NOT NULL,
            PRIMARY KEY (order_id, line_no)
        );
        CREATE TABLE imports (
            import_id BIGSERIAL PRIMARY KEY,
            source TEXT NOT NULL,
            format TEXT NOT NULL,
            started_at BIGINT NOT NULL,
            finished_at BIGINT,
            orders_inserted BIGINT,
            lines_inserted BIGINT,
            lines_unchanged BIGINT
        );
        """),
        (2, "model fits", """
        CREATE TABLE model_fits (
            fit_id BIGSERIAL PRIMARY KEY,
            model TEXT NOT NULL,
            fitted_at BIGINT NOT NULL,
            calibration_end TEXT NOT NULL,
            log_likelihood DOUBLE PRECISION NOT NULL,
            customers DOUBLE PRECISION NOT NULL,
            fit_json TEXT NOT NULL
        );
        """),
        (3, "events, identities, consents, tags, order coupons, holdout reports, API keys", """
        CREATE TABLE events (
            event_id TEXT PRIMARY KEY,
            type TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            occurred_at BIGINT NOT NULL,
            received_at BIGINT NOT NULL,
            body TEXT NOT NULL,
            seq BIGSERIAL NOT NULL
        );
        CREATE INDEX events_by_customer ON events (customer_id, occurred_at);
        CREATE TABLE identities (
            value TEXT NOT NULL,
            kind TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            linked_at BIGINT NOT NULL,
            PRIMARY KEY (value, kind)
        );
        CREATE TABLE consents (
            customer_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            granted BIGINT NOT NULL,
            changed_at BIGINT NOT NULL,
            event_id TEXT NOT NULL,
            PRIMARY KEY (customer_id, channel)
        );
        CREATE TABLE customer_tags (
            customer_id TEXT NOT NULL,
            tag TEXT NOT NULL,
            added_at BIGINT NOT NULL,
            PRIMARY KEY (customer_id, tag)
        );
        ALTER TABLE orders ADD COLUMN coupon_code TEXT;
        ALTER TABLE orders ADD COLUMN event_id TEXT;
        ALTER TABLE model_fits ADD COLUMN holdout_json TEXT;
        CREATE TABLE api_keys (
            key_id TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            label TEXT,
            key_hash TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            revoked_at BIGINT
        );
        """),
        (4, "an index that answers a customer's order facts without reading the table", """
        CREATE INDEX orders_facts ON orders (customer_id, placed_at, order_id) INCLUDE (kind, amount_minor);
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
            next_attempt_at BIGINT NOT NULL,
            last_error TEXT,
            created_at BIGINT NOT NULL,
            delivered_at BIGINT,
            seq BIGSERIAL
        );
        CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
        """),
        (6, "the campaign engine's decisions", """
        CREATE TABLE campaign_decisions (
            decision_id TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            step BIGINT,
            decided_at BIGINT NOT NULL,
            outcome TEXT NOT NULL,
            reason TEXT,
            action TEXT,
            channel TEXT,
            recorded_at BIGINT NOT NULL
        );
        CREATE INDEX decisions_by_campaign ON campaign_decisions (campaign_id, decided_at);
        CREATE INDEX decisions_by_customer ON campaign_decisions (customer_id, decided_at);
        """),
        (7, "the trained recommender model", """
        CREATE TABLE recommender_models (
            model_id BIGSERIAL PRIMARY KEY,
            trained_at BIGINT NOT NULL,
            summary TEXT NOT NULL,
            archive TEXT NOT NULL
        );
        """),
    ]
}
