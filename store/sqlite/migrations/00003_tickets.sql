-- Tickets (ticket.Store): tickets, their comments, the append-only audit
-- log, SLA policies per priority and business hours per team.
--
-- Every row carries its tenant's id. Times are UTC text with nanoseconds,
-- fixed width, as in 00001; an unset time is ''. Tags, custom fields, SLA
-- timers and business hours are JSON text: they are read and written
-- whole with their row, never queried by their parts.

-- +goose Up
CREATE TABLE tickets (
    id              TEXT NOT NULL PRIMARY KEY,
    tenant_id       TEXT NOT NULL,
    number          INTEGER NOT NULL,          -- per tenant, from 1
    subject         TEXT NOT NULL,
    requester_id    TEXT NOT NULL DEFAULT '',
    conversation_id TEXT NOT NULL DEFAULT '',
    escalation_key  TEXT,                      -- NULL unless opened from an escalation
    reason          TEXT NOT NULL DEFAULT '',
    priority        TEXT NOT NULL,
    status          TEXT NOT NULL,
    assignee_id     TEXT NOT NULL DEFAULT '',
    team            TEXT NOT NULL DEFAULT '',
    tags            TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    custom_fields   TEXT NOT NULL DEFAULT '{}', -- JSON object of strings
    sla             TEXT NOT NULL DEFAULT '{}', -- JSON: the three timers
    version         INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    solved_at       TEXT NOT NULL DEFAULT '',
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, number)
) STRICT;

-- OpenFromEscalation's idempotency: one ticket per escalation.
CREATE UNIQUE INDEX tickets_escalation ON tickets (tenant_id, escalation_key) WHERE escalation_key IS NOT NULL;
-- ListTickets: highest number first, by the common filters.
CREATE INDEX tickets_tenant_status ON tickets (tenant_id, status, number DESC);
CREATE INDEX tickets_tenant_assignee ON tickets (tenant_id, assignee_id, number DESC);
CREATE INDEX tickets_tenant_team ON tickets (tenant_id, team, number DESC);
CREATE INDEX tickets_tenant_conversation ON tickets (tenant_id, conversation_id) WHERE conversation_id != '';
CREATE INDEX tickets_tenant_requester ON tickets (tenant_id, requester_id) WHERE requester_id != '';
-- ActiveTickets: the tickets whose SLA timers may run, at start.
CREATE INDEX tickets_active ON tickets (id) WHERE status IN ('new', 'open', 'pending', 'on_hold');

CREATE TABLE ticket_comments (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT, -- order of the comments
    id          TEXT NOT NULL UNIQUE,
    tenant_id   TEXT NOT NULL,
    ticket_id   TEXT NOT NULL,
    author_id   TEXT NOT NULL DEFAULT '',
    author_role TEXT NOT NULL DEFAULT '',
    internal    INTEGER NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
) STRICT;

CREATE INDEX ticket_comments_ticket ON ticket_comments (tenant_id, ticket_id, seq);

-- The audit log of every change, of tickets and of other entities: rows
-- are only ever added.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    tenant_id  TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    actor_id   TEXT NOT NULL DEFAULT '',
    actor_role TEXT NOT NULL DEFAULT '',
    field      TEXT NOT NULL,
    old        TEXT NOT NULL DEFAULT '',
    new        TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL
) STRICT;

CREATE INDEX audit_log_entity ON audit_log (tenant_id, entity, entity_id, seq);

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
-- +goose StatementEnd

CREATE TABLE sla_policies (
    tenant_id      TEXT NOT NULL,
    priority       TEXT NOT NULL,
    first_response INTEGER NOT NULL, -- nanoseconds of business time; 0: none
    next_response  INTEGER NOT NULL,
    resolution     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, priority)
) STRICT, WITHOUT ROWID;

CREATE TABLE team_hours (
    tenant_id TEXT NOT NULL,
    team      TEXT NOT NULL,
    hours     TEXT NOT NULL, -- JSON: time zone, weekly spans, holidays
    PRIMARY KEY (tenant_id, team)
) STRICT, WITHOUT ROWID;

-- +goose Down
DROP TABLE team_hours;
DROP TABLE sla_policies;
DROP TRIGGER audit_log_no_delete;
DROP TRIGGER audit_log_no_update;
DROP TABLE audit_log;
DROP TABLE ticket_comments;
DROP TABLE tickets;
