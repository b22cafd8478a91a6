-- Routing (routing.Store): agents' profiles and presence, the routing state
-- of every conversation people own or wait for, and the decisions made
-- about them. Times as in 00001; lists and maps are JSON text.

-- +goose Up
CREATE TABLE routing_agents (
    tenant_id  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    skills     TEXT NOT NULL DEFAULT '{}', -- {"skill": level}
    langs      TEXT NOT NULL DEFAULT '[]',
    teams      TEXT NOT NULL DEFAULT '[]',
    capacity   INTEGER NOT NULL,
    presence   TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE routing_entries (
    tenant_id        TEXT NOT NULL,
    conversation_id  TEXT NOT NULL,
    state            TEXT NOT NULL,
    skill            TEXT NOT NULL,
    lang             TEXT NOT NULL DEFAULT '',
    reason           TEXT NOT NULL DEFAULT '',
    intent           TEXT NOT NULL DEFAULT '',
    tier             TEXT NOT NULL DEFAULT '',
    sentiment        REAL NOT NULL DEFAULT 0,
    base_priority    REAL NOT NULL DEFAULT 0,
    enqueued_at      TEXT NOT NULL,
    last_customer_at TEXT NOT NULL,
    agent_id         TEXT NOT NULL DEFAULT '',
    offered_at       TEXT NOT NULL DEFAULT '',
    declined         TEXT NOT NULL DEFAULT '[]',
    overflowed       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, conversation_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE routing_decisions (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    tenant_id       TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    at              TEXT NOT NULL,
    action          TEXT NOT NULL,
    rule            TEXT NOT NULL,
    skill           TEXT NOT NULL DEFAULT '',
    agent_id        TEXT NOT NULL DEFAULT '',
    by_user_id      TEXT NOT NULL DEFAULT '',
    priority        REAL NOT NULL DEFAULT 0,
    position        INTEGER NOT NULL DEFAULT 0,
    considered      INTEGER NOT NULL DEFAULT 0,
    candidates      TEXT NOT NULL DEFAULT '[]',
    excluded        TEXT NOT NULL DEFAULT '{}',
    note            TEXT NOT NULL DEFAULT ''
) STRICT;

-- Decisions: one conversation's, in order.
CREATE INDEX routing_decisions_conversation ON routing_decisions (tenant_id, conversation_id, seq);

-- +goose Down
DROP TABLE routing_decisions;
DROP TABLE routing_entries;
DROP TABLE routing_agents;
