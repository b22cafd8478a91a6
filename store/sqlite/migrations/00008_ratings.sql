-- Ratings (analytics.Store): a customer's satisfaction with a conversation,
-- 1 to 5 with an optional comment, at most one per conversation. Times as
-- in 00001.

-- +goose Up
CREATE TABLE conversation_ratings (
    tenant_id       TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    score           INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment         TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, conversation_id),
    FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- Ratings over a period.
CREATE INDEX conversation_ratings_created ON conversation_ratings (tenant_id, created_at);

-- +goose Down
DROP TABLE conversation_ratings;
