-- The first schema: tenants and their staff (auth.Store), conversations and
-- their messages (conversation.Store).
--
-- Every row carries its tenant's id (tenants: their own id). Times are UTC
-- text with nanoseconds, fixed width ("2006-01-02T15:04:05.000000000Z"), so
-- they sort as text. Optional text is '' (or NULL where a partial index
-- depends on it). Conversations do not reference tenants: the two stores may
-- live in different databases, and a conversation store is usable on its own.

-- +goose Up
CREATE TABLE tenants (
    id         TEXT NOT NULL PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id            TEXT NOT NULL PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email         TEXT NOT NULL,
    -- email lower-cased in Go (Unicode); SQLite's lower() folds ASCII only.
    email_key     TEXT NOT NULL,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (tenant_id, id)
) STRICT;

CREATE UNIQUE INDEX users_tenant_email ON users (tenant_id, email_key);

CREATE TABLE api_keys (
    id         TEXT NOT NULL PRIMARY KEY,
    tenant_id  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    hash       BLOB NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
) STRICT;

CREATE INDEX api_keys_user ON api_keys (tenant_id, user_id);

CREATE TABLE sessions (
    hash       BLOB NOT NULL PRIMARY KEY,
    tenant_id  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    role       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE INDEX sessions_user ON sessions (tenant_id, user_id);

CREATE TABLE conversations (
    id           TEXT NOT NULL PRIMARY KEY,
    tenant_id    TEXT NOT NULL,
    channel      TEXT NOT NULL,
    customer_ref TEXT NOT NULL DEFAULT '',
    lang         TEXT NOT NULL DEFAULT '',
    owner        TEXT NOT NULL,
    assignee_id  TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    token_hash   BLOB,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (tenant_id, id)
) STRICT;

-- ListConversations: newest first, optionally by owner or assignee.
CREATE INDEX conversations_tenant_created ON conversations (tenant_id, created_at DESC, id DESC);
CREATE INDEX conversations_tenant_owner ON conversations (tenant_id, owner, created_at DESC, id DESC);
CREATE INDEX conversations_tenant_assignee ON conversations (tenant_id, assignee_id, created_at DESC, id DESC);

CREATE TABLE messages (
    -- seq is Message.Seq: global, increasing, never reused.
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    tenant_id       TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    author          TEXT NOT NULL,
    author_id       TEXT NOT NULL DEFAULT '',
    text            TEXT NOT NULL,
    idempotency_key TEXT,           -- NULL when not set
    reply_to        TEXT,           -- NULL when not a reply
    handled         INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id) ON DELETE CASCADE
) STRICT;

-- AppendMessage's exactly-once: one message per key and conversation.
CREATE UNIQUE INDEX messages_idempotency ON messages (tenant_id, conversation_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL AND idempotency_key != '';
-- Messages: a conversation in Seq order.
CREATE INDEX messages_conversation_seq ON messages (tenant_id, conversation_id, seq);
-- Replies: the replies to one message in Seq order.
CREATE INDEX messages_reply_to ON messages (tenant_id, reply_to, seq) WHERE reply_to IS NOT NULL;
-- Unhandled: customer messages whose turn has not run, oldest first.
CREATE INDEX messages_unhandled ON messages (seq) WHERE handled = 0 AND author = 'customer';

-- +goose Down
DROP TABLE messages;
DROP TABLE conversations;
DROP TABLE sessions;
DROP TABLE api_keys;
DROP TABLE users;
DROP TABLE tenants;
