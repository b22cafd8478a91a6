-- The knowledge-base index: chunks with their metadata and dense vectors,
-- an FTS5 table over their pre-segmented terms (the keyword leg), and the
-- knowledge gaps.
--
-- kb_fts is contentless (its rowid is kb_chunks.rid): lang holds the chunk's
-- language, terms its space-joined terms, each prefixed with a token naming
-- the tenant and kb (a hash, see scopePrefix) so that a search reads only
-- its own knowledge base's postings and BM25's term statistics are per
-- knowledge base. Times are UTC text with nanoseconds, fixed width, so they
-- sort as text.

-- +goose Up
CREATE TABLE kb_chunks (
    rid          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    tenant_id    TEXT NOT NULL,
    kb           TEXT NOT NULL,
    doc          TEXT NOT NULL,
    ord          INTEGER NOT NULL,
    title        TEXT NOT NULL,
    lang         TEXT NOT NULL,
    heading_path TEXT NOT NULL, -- JSON array of strings
    source       TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    text         TEXT NOT NULL,
    question     TEXT NOT NULL,
    answer       TEXT NOT NULL,
    vector       BLOB -- little-endian float32s, NULL without a dense leg
) STRICT;

CREATE INDEX kb_chunks_doc ON kb_chunks (tenant_id, kb, doc, ord);

CREATE VIRTUAL TABLE kb_fts USING fts5 (
    lang, terms,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- Document frequencies of kb_fts's terms, read to leave very common terms
-- out of a query.
CREATE VIRTUAL TABLE kb_vocab USING fts5vocab (kb_fts, 'row');

CREATE TABLE kb_gaps (
    id              INTEGER PRIMARY KEY,
    tenant_id       TEXT NOT NULL,
    kb              TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    question        TEXT NOT NULL,
    lang            TEXT NOT NULL,
    confidence      REAL NOT NULL,
    best_doc        TEXT NOT NULL,
    best_score      REAL NOT NULL,
    keyword_score   REAL NOT NULL,
    dense_score     REAL NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;

CREATE INDEX kb_gaps_tenant ON kb_gaps (tenant_id, kb, created_at);

-- +goose Down
DROP TABLE kb_gaps;
DROP TABLE kb_vocab;
DROP TABLE kb_fts;
DROP TABLE kb_chunks;
