-- Agent assist and knowledge gaps.
--
-- macros: saved replies per tenant and language (agentassist.Macro).
-- assist_pairs: customer questions and what an agent answered them, both
--   with personal data masked, for "similar" suggestions.
-- assist_suggestions: every suggestion shown to an agent and what they did
--   with it (sent, edited, ignored), for acceptance rates.
-- message_ratings: the customer's thumbs on bot messages, once each.
-- gaps: questions the bot could not answer well (gap.Gap), masked, with
--   the cluster they were put in; gap_clusters: those clusters with their
--   review (open, accepted, published, dismissed) and who did it.

-- +goose Up
CREATE TABLE macros (
    tenant_id  TEXT NOT NULL,
    id         TEXT NOT NULL,
    title      TEXT NOT NULL,
    lang       TEXT NOT NULL,
    intent     TEXT NOT NULL DEFAULT '',
    text       TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE assist_pairs (
    tenant_id       TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    question        TEXT NOT NULL,
    answer          TEXT NOT NULL,
    lang            TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX assist_pairs_tenant ON assist_pairs (tenant_id, created_at);

CREATE TABLE assist_suggestions (
    tenant_id       TEXT NOT NULL,
    id              TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    source          TEXT NOT NULL,
    intent          TEXT NOT NULL DEFAULT '',
    action          TEXT NOT NULL DEFAULT '',
    acted_by        TEXT NOT NULL DEFAULT '',
    shown_at        TEXT NOT NULL,
    acted_at        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE message_ratings (
    tenant_id       TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    rating          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, message_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE gap_clusters (
    tenant_id     TEXT NOT NULL,
    id            TEXT NOT NULL,
    status        TEXT NOT NULL,
    lang          TEXT NOT NULL,
    intent        TEXT NOT NULL DEFAULT '',
    question      TEXT NOT NULL DEFAULT '',
    variants      TEXT NOT NULL DEFAULT '[]',
    answer        TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    reviewed_by   TEXT NOT NULL DEFAULT '',
    reviewed_at   TEXT NOT NULL DEFAULT '',
    published_doc TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE gaps (
    tenant_id       TEXT NOT NULL,
    id              TEXT NOT NULL,
    conversation_id TEXT NOT NULL DEFAULT '',
    message_id      TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,
    question        TEXT NOT NULL,
    lang            TEXT NOT NULL,
    intent          TEXT NOT NULL DEFAULT '',
    confidence      REAL NOT NULL DEFAULT 0,
    best_doc        TEXT NOT NULL DEFAULT '',
    escalated       INTEGER NOT NULL DEFAULT 0,
    agent_answer    TEXT NOT NULL DEFAULT '',
    cluster_id      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX gaps_message_kind ON gaps (tenant_id, message_id, kind) WHERE message_id != '';
CREATE INDEX gaps_conversation ON gaps (tenant_id, conversation_id);
CREATE INDEX gaps_cluster ON gaps (tenant_id, cluster_id);

-- +goose Down
DROP TABLE gaps;
DROP TABLE gap_clusters;
DROP TABLE message_ratings;
DROP TABLE assist_suggestions;
DROP TABLE assist_pairs;
DROP TABLE macros;
