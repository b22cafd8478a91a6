-- +goose Up
-- The demo shop's own systems: members, orders, shipments, refunds and
-- returns, per tenant. Times are UTC text in a fixed-width layout, so text
-- order is time order; money is in cents.
CREATE TABLE members (
    tenant_id    TEXT NOT NULL,
    customer_ref TEXT NOT NULL,
    name         TEXT NOT NULL,
    tier         TEXT NOT NULL CHECK (tier IN ('standard', 'silver', 'gold', 'platinum')),
    PRIMARY KEY (tenant_id, customer_ref)
) WITHOUT ROWID;

CREATE TABLE orders (
    tenant_id    TEXT NOT NULL,
    order_id     TEXT NOT NULL,
    customer_ref TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending_payment', 'paid', 'shipped', 'delivered', 'cancelled', 'returned')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    total_cents  INTEGER NOT NULL CHECK (total_cents >= 0),
    currency     TEXT NOT NULL,
    items        TEXT NOT NULL, -- JSON array of items
    address      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, order_id)
) WITHOUT ROWID;
CREATE INDEX orders_by_customer ON orders (tenant_id, customer_ref, created_at DESC);

CREATE TABLE shipments (
    tenant_id       TEXT NOT NULL,
    order_id        TEXT NOT NULL,
    carrier         TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'returning')),
    eta             TEXT,          -- NULL once delivered
    delivered_at    TEXT,          -- NULL until delivered
    events          TEXT NOT NULL, -- JSON array of events, oldest first
    PRIMARY KEY (tenant_id, order_id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, order_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE UNIQUE INDEX shipments_by_tracking ON shipments (tenant_id, tracking_number);

CREATE TABLE refunds (
    tenant_id    TEXT NOT NULL,
    refund_id    TEXT NOT NULL,
    order_id     TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('processing', 'completed', 'rejected')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    currency     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    eta          TEXT,  -- expected completion while processing
    done_at      TEXT,  -- when completed or rejected
    PRIMARY KEY (tenant_id, refund_id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, order_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX refunds_by_order ON refunds (tenant_id, order_id, created_at DESC);

CREATE TABLE returns (
    tenant_id  TEXT NOT NULL,
    return_id  TEXT NOT NULL,
    order_id   TEXT NOT NULL,
    reason     TEXT NOT NULL,
    photos     INTEGER NOT NULL DEFAULT 0,
    status     TEXT NOT NULL CHECK (status IN ('requested', 'received', 'refunded')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, return_id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, order_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE UNIQUE INDEX returns_by_order ON returns (tenant_id, order_id);

-- The first result of every changing call, by idempotency key: a repeated
-- call returns it and changes nothing.
CREATE TABLE idempotency (
    tenant_id   TEXT NOT NULL,
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL, -- action, customer and params of the first call
    result      TEXT NOT NULL, -- the flow.Result as JSON
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, key)
) WITHOUT ROWID;

-- When each tenant's demo data was last seeded, and from which file.
CREATE TABLE seeds (
    tenant_id TEXT PRIMARY KEY,
    seeded_at TEXT NOT NULL,
    digest    TEXT NOT NULL
) WITHOUT ROWID;

-- +goose Down
DROP TABLE seeds;
DROP TABLE idempotency;
DROP TABLE returns;
DROP TABLE refunds;
DROP TABLE shipments;
DROP TABLE orders;
DROP TABLE members;
