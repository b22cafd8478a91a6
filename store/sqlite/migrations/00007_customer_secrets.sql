-- Each tenant's secrets for checking the shop's customer signatures
-- (auth.CustomerSecret). A rotation adds a secret and gives the older ones
-- an expiry: signatures made with either are accepted until then. The
-- secret is stored as is: verifying an HMAC needs it.

-- +goose Up
CREATE TABLE customer_secrets (
    id         TEXT NOT NULL PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    secret     BLOB NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT          -- NULL: until the next rotation
) STRICT;

CREATE INDEX customer_secrets_tenant ON customer_secrets (tenant_id, created_at);

-- +goose Down
DROP TABLE customer_secrets;
