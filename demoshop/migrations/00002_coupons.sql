-- Goodwill coupons (issue_coupon): one per customer and reason, the amount
-- by the shop's playbook.

-- +goose Up
CREATE TABLE coupons (
    tenant_id    TEXT NOT NULL,
    customer_ref TEXT NOT NULL,
    reason       TEXT NOT NULL,
    code         TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    valid_until  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, customer_ref, reason)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE coupons;
