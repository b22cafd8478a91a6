package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/ticket"
)

// TicketStore is the ticket.Store of a DB.
type TicketStore struct {
	db *DB
}

var _ ticket.Store = (*TicketStore)(nil)

// NewTicketStore returns the ticket store of db.
func NewTicketStore(db *DB) *TicketStore { return &TicketStore{db: db} }

const ticketColumns = `id, tenant_id, number, subject, requester_id, conversation_id, escalation_key, reason,
	priority, status, assignee_id, team, tags, custom_fields, sla, version, created_at, updated_at, solved_at`

// storedTimer is the JSON form of a ticket.Timer.
type storedTimer struct {
	State      string `json:"state,omitempty"`
	Target     int64  `json:"target,omitempty"`  // ns
	Elapsed    int64  `json:"elapsed,omitempty"` // ns
	Since      string `json:"since,omitempty"`
	DueAt      string `json:"due_at,omitempty"`
	WarnAt     string `json:"warn_at,omitempty"`
	Warned     bool   `json:"warned,omitempty"`
	Breached   bool   `json:"breached,omitempty"`
	BreachedAt string `json:"breached_at,omitempty"`
	MetAt      string `json:"met_at,omitempty"`
}

type storedSLA struct {
	FirstResponse storedTimer `json:"first_response"`
	NextResponse  storedTimer `json:"next_response"`
	Resolution    storedTimer `json:"resolution"`
}

// optTime formats t, or "" for the zero time.
func optTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatTime(t)
}

func parseOptTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(timeLayout, s)
}

func toStoredTimer(t ticket.Timer) storedTimer {
	return storedTimer{State: string(t.State), Target: int64(t.Target), Elapsed: int64(t.Elapsed), Since: optTime(t.Since),
		DueAt: optTime(t.DueAt), WarnAt: optTime(t.WarnAt), Warned: t.Warned, Breached: t.Breached,
		BreachedAt: optTime(t.BreachedAt), MetAt: optTime(t.MetAt)}
}

func fromStoredTimer(s storedTimer) (ticket.Timer, error) {
	t := ticket.Timer{State: ticket.TimerState(s.State), Target: time.Duration(s.Target), Elapsed: time.Duration(s.Elapsed),
		Warned: s.Warned, Breached: s.Breached}
	var err error
	for _, f := range []struct {
		dst *time.Time
		src string
	}{{&t.Since, s.Since}, {&t.DueAt, s.DueAt}, {&t.WarnAt, s.WarnAt}, {&t.BreachedAt, s.BreachedAt}, {&t.MetAt, s.MetAt}} {
		if *f.dst, err = parseOptTime(f.src); err != nil {
			return t, err
		}
	}
	return t, nil
}

func encodeTicket(t *ticket.Ticket) (tags, fields, sla string, err error) {
	tagList := t.Tags
	if tagList == nil {
		tagList = []string{}
	}
	fieldMap := t.CustomFields
	if fieldMap == nil {
		fieldMap = map[string]string{}
	}
	b1, err := json.Marshal(tagList)
	if err != nil {
		return "", "", "", err
	}
	b2, err := json.Marshal(fieldMap)
	if err != nil {
		return "", "", "", err
	}
	b3, err := json.Marshal(storedSLA{
		FirstResponse: toStoredTimer(t.SLA.FirstResponse),
		NextResponse:  toStoredTimer(t.SLA.NextResponse),
		Resolution:    toStoredTimer(t.SLA.Resolution),
	})
	if err != nil {
		return "", "", "", err
	}
	return string(b1), string(b2), string(b3), nil
}

func scanTicket(s scanner) (*ticket.Ticket, error) {
	var t ticket.Ticket
	var key sql.NullString
	var tags, fields, sla, solved string
	err := s.Scan(&t.ID, &t.TenantID, &t.Number, &t.Subject, &t.RequesterID, &t.ConversationID, &key, &t.Reason,
		&t.Priority, &t.Status, &t.AssigneeID, &t.Team, &tags, &fields, &sla, &t.Version,
		timeCol{&t.CreatedAt}, timeCol{&t.UpdatedAt}, &solved)
	if err != nil {
		return nil, err
	}
	t.EscalationKey = key.String
	if t.SolvedAt, err = parseOptTime(solved); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(tags), &t.Tags); err != nil {
		return nil, fmt.Errorf("tags: %w", err)
	}
	if len(t.Tags) == 0 {
		t.Tags = nil
	}
	if err := json.Unmarshal([]byte(fields), &t.CustomFields); err != nil {
		return nil, fmt.Errorf("custom fields: %w", err)
	}
	if len(t.CustomFields) == 0 {
		t.CustomFields = nil
	}
	var st storedSLA
	if err := json.Unmarshal([]byte(sla), &st); err != nil {
		return nil, fmt.Errorf("sla: %w", err)
	}
	if t.SLA.FirstResponse, err = fromStoredTimer(st.FirstResponse); err != nil {
		return nil, err
	}
	if t.SLA.NextResponse, err = fromStoredTimer(st.NextResponse); err != nil {
		return nil, err
	}
	if t.SLA.Resolution, err = fromStoredTimer(st.Resolution); err != nil {
		return nil, err
	}
	return &t, nil
}

// CreateTicket stores t with its first comments and audit records and
// assigns its number; see ticket.Store.
func (s *TicketStore) CreateTicket(ctx context.Context, t *ticket.Ticket, c ticket.Change) (*ticket.Ticket, bool, error) {
	if t.ID == "" || t.TenantID == "" {
		return nil, false, invalid("ticket id and tenant are required")
	}
	tags, fields, sla, err := encodeTicket(t)
	if err != nil {
		return nil, false, fmt.Errorf("create ticket %s: %w", t.ID, err)
	}
	var stored *ticket.Ticket
	created := false
	err = s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if t.EscalationKey != "" {
			old, err := scanTicket(tx.QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM tickets
				WHERE tenant_id = ? AND escalation_key = ?`, t.TenantID, t.EscalationKey))
			if err == nil {
				stored = old
				return nil
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		var number int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM tickets WHERE tenant_id = ?`, t.TenantID).Scan(&number); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO tickets (`+ticketColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ID, t.TenantID, number, t.Subject, t.RequesterID, t.ConversationID, orNull(t.EscalationKey), t.Reason,
			string(t.Priority), string(t.Status), t.AssigneeID, t.Team, tags, fields, sla, t.Version,
			formatTime(t.CreatedAt), formatTime(t.UpdatedAt), optTime(t.SolvedAt))
		if isDuplicate(err) {
			return assist.Wrap(assist.ECONFLICT, err, "ticket already exists")
		}
		if err != nil {
			return err
		}
		if err := writeChange(ctx, tx, c); err != nil {
			return err
		}
		cp := t.Clone()
		cp.Number = number
		stored, created = cp, true
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("create ticket %s: %w", t.ID, err)
	}
	if created {
		t.Number = stored.Number
	}
	return stored, created, nil
}

// writeChange inserts the comments and audit records of a change.
func writeChange(ctx context.Context, tx *sql.Tx, c ticket.Change) error {
	for _, m := range c.Comments {
		if m.ID == "" || m.TenantID == "" || m.TicketID == "" {
			return invalid("comment id, tenant and ticket are required")
		}
		internal := 0
		if m.Internal {
			internal = 1
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO ticket_comments (id, tenant_id, ticket_id, author_id, author_role, internal, body, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, m.TenantID, m.TicketID, m.AuthorID, string(m.AuthorRole), internal, m.Body, formatTime(m.CreatedAt))
		switch {
		case isDuplicate(err):
			return assist.Wrap(assist.ECONFLICT, err, "comment already exists")
		case isMissingParent(err):
			return notFound("ticket")
		case err != nil:
			return err
		}
	}
	return appendAudit(ctx, tx, c.Audit)
}

func appendAudit(ctx context.Context, tx *sql.Tx, records []*ticket.Audit) error {
	for _, a := range records {
		if a.ID == "" || a.TenantID == "" || a.Entity == "" {
			return invalid("audit records need an id, a tenant and an entity")
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (id, tenant_id, entity, entity_id, actor_id, actor_role, field, old, new, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, a.TenantID, a.Entity, a.EntityID, a.ActorID, string(a.ActorRole), a.Field, a.Old, a.New, formatTime(a.At))
		if isDuplicate(err) {
			return assist.Wrap(assist.ECONFLICT, err, "audit record already exists")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Ticket returns one ticket of the tenant.
func (s *TicketStore) Ticket(ctx context.Context, tenantID, id string) (*ticket.Ticket, error) {
	t, err := scanTicket(s.db.readRow(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("ticket %s: %w", id, notFound("ticket"))
	}
	if err != nil {
		return nil, fmt.Errorf("ticket %s: %w", id, err)
	}
	return t, nil
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// ListTickets returns the tenant's tickets matching f, highest number
// first.
func (s *TicketStore) ListTickets(ctx context.Context, tenantID string, f ticket.Filter) ([]*ticket.Ticket, error) {
	q := `SELECT ` + ticketColumns + ` FROM tickets WHERE tenant_id = ?`
	args := []any{tenantID}
	if len(f.Status) > 0 {
		q += ` AND status IN (` + placeholders(len(f.Status)) + `)`
		for _, st := range f.Status {
			args = append(args, string(st))
		}
	}
	if len(f.Priority) > 0 {
		q += ` AND priority IN (` + placeholders(len(f.Priority)) + `)`
		for _, p := range f.Priority {
			args = append(args, string(p))
		}
	}
	switch f.AssigneeID {
	case "":
	case ticket.Unassigned:
		q += ` AND assignee_id = ''`
	default:
		q += ` AND assignee_id = ?`
		args = append(args, f.AssigneeID)
	}
	for _, c := range [...]struct{ col, v string }{{"team", f.Team}, {"requester_id", f.RequesterID}, {"conversation_id", f.ConversationID}} {
		if c.v != "" {
			q += ` AND ` + c.col + ` = ?`
			args = append(args, c.v)
		}
	}
	if f.BeforeNumber > 0 {
		q += ` AND number < ?`
		args = append(args, f.BeforeNumber)
	}
	if v := f.Visible; v != nil {
		q += ` AND (assignee_id = '' OR assignee_id = ?`
		args = append(args, v.UserID)
		if len(v.Teams) > 0 {
			q += ` OR (team != '' AND team IN (` + placeholders(len(v.Teams)) + `))`
			for _, team := range v.Teams {
				args = append(args, team)
			}
		}
		q += `)`
	}
	limit := f.Limit
	if limit <= 0 {
		limit = ticket.DefaultPageSize
	}
	limit = min(limit, ticket.MaxPageSize)
	q += ` ORDER BY number DESC LIMIT ` + strconv.Itoa(limit)
	// The text varies with the filter (IN lists): prepared only for a
	// conversation's tickets, which every customer message reads
	// (ticket.Service.CustomerReplied); an IN list of statuses has at most
	// a few lengths. Other filters (agents' lists) run unprepared.
	rows := s.db.read.QueryContext
	if f.ConversationID != "" && f.Visible == nil && len(f.Priority) == 0 {
		rows = s.db.readRows
	}
	list, err := scanTickets(rows(ctx, q, args...))
	if err != nil {
		return nil, fmt.Errorf("list tickets: %w", err)
	}
	return list, nil
}

// queryTickets runs a fixed query of tickets, prepared once.
func (s *TicketStore) queryTickets(ctx context.Context, q string, args ...any) ([]*ticket.Ticket, error) {
	return scanTickets(s.db.readRows(ctx, q, args...))
}

func scanTickets(rows *sql.Rows, err error) ([]*ticket.Ticket, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []*ticket.Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, t)
	}
	return list, rows.Err()
}

// UpdateTicket reads, changes and writes a ticket in one transaction of
// the group-commit writer, so concurrent updates never overwrite each
// other; see ticket.Store.
func (s *TicketStore) UpdateTicket(ctx context.Context, tenantID, id string, fn func(t *ticket.Ticket) (ticket.Change, error)) (*ticket.Ticket, error) {
	var out *ticket.Ticket
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		cur, err := scanTicket(s.db.queryRow(ctx, tx, `SELECT `+ticketColumns+` FROM tickets WHERE tenant_id = ? AND id = ?`, tenantID, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("ticket")
		}
		if err != nil {
			return err
		}
		t := cur.Clone()
		c, err := fn(t)
		if err != nil {
			return err
		}
		t.ID, t.TenantID, t.Number, t.EscalationKey, t.Version = cur.ID, cur.TenantID, cur.Number, cur.EscalationKey, cur.Version+1
		tags, fields, sla, err := encodeTicket(t)
		if err != nil {
			return err
		}
		_, err = s.db.exec(ctx, tx, `UPDATE tickets SET subject = ?, requester_id = ?, conversation_id = ?, reason = ?,
			priority = ?, status = ?, assignee_id = ?, team = ?, tags = ?, custom_fields = ?, sla = ?, version = ?,
			updated_at = ?, solved_at = ? WHERE tenant_id = ? AND id = ?`,
			t.Subject, t.RequesterID, t.ConversationID, t.Reason, string(t.Priority), string(t.Status), t.AssigneeID, t.Team,
			tags, fields, sla, t.Version, formatTime(t.UpdatedAt), optTime(t.SolvedAt), tenantID, id)
		if err != nil {
			return err
		}
		if err := writeChange(ctx, tx, c); err != nil {
			return err
		}
		out = t
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update ticket %s: %w", id, err)
	}
	return out, nil
}

// ActiveTickets returns tickets of any tenant whose SLA timers may run.
func (s *TicketStore) ActiveTickets(ctx context.Context, afterID string, limit int) ([]*ticket.Ticket, error) {
	if limit <= 0 {
		limit = 100
	}
	list, err := s.queryTickets(ctx, `SELECT `+ticketColumns+` FROM tickets
		WHERE status IN ('new', 'open', 'pending', 'on_hold') AND id > ? ORDER BY id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("active tickets: %w", err)
	}
	return list, nil
}

// Comments returns a ticket's comments, oldest first.
func (s *TicketStore) Comments(ctx context.Context, tenantID, ticketID string, internal bool) ([]*ticket.Comment, error) {
	if _, err := s.Ticket(ctx, tenantID, ticketID); err != nil {
		return nil, err
	}
	q := `SELECT id, tenant_id, ticket_id, author_id, author_role, internal, body, created_at FROM ticket_comments
		WHERE tenant_id = ? AND ticket_id = ?`
	if !internal {
		q += ` AND internal = 0`
	}
	rows, err := s.db.read.QueryContext(ctx, q+` ORDER BY seq`, tenantID, ticketID)
	if err != nil {
		return nil, fmt.Errorf("comments of ticket %s: %w", ticketID, err)
	}
	defer rows.Close()
	var list []*ticket.Comment
	for rows.Next() {
		var c ticket.Comment
		if err := rows.Scan(&c.ID, &c.TenantID, &c.TicketID, &c.AuthorID, &c.AuthorRole, &c.Internal, &c.Body, timeCol{&c.CreatedAt}); err != nil {
			return nil, fmt.Errorf("comments of ticket %s: %w", ticketID, err)
		}
		list = append(list, &c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("comments of ticket %s: %w", ticketID, err)
	}
	return list, nil
}

// AppendAudit adds records to the audit log.
func (s *TicketStore) AppendAudit(ctx context.Context, records ...*ticket.Audit) error {
	for _, a := range records {
		if a.ID == "" || a.TenantID == "" || a.Entity == "" {
			return invalid("audit records need an id, a tenant and an entity")
		}
	}
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error { return appendAudit(ctx, tx, records) })
	if err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	return nil
}

// AuditLog returns the records of one entity, oldest first.
func (s *TicketStore) AuditLog(ctx context.Context, tenantID, entity, entityID string) ([]*ticket.Audit, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, tenant_id, entity, entity_id, actor_id, actor_role, field, old, new, at
		FROM audit_log WHERE tenant_id = ? AND entity = ? AND entity_id = ? ORDER BY seq`, tenantID, entity, entityID)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var list []*ticket.Audit
	for rows.Next() {
		var a ticket.Audit
		if err := rows.Scan(&a.ID, &a.TenantID, &a.Entity, &a.EntityID, &a.ActorID, &a.ActorRole, &a.Field, &a.Old, &a.New, timeCol{&a.At}); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		list = append(list, &a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return list, nil
}

// Policies returns the tenant's SLA policies.
func (s *TicketStore) Policies(ctx context.Context, tenantID string) (ticket.Policies, error) {
	rows, err := s.db.readRows(ctx, `SELECT priority, first_response, next_response, resolution
		FROM sla_policies WHERE tenant_id = ?`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("sla policies: %w", err)
	}
	defer rows.Close()
	out := ticket.Policies{}
	for rows.Next() {
		var p ticket.Priority
		var fr, nr, res int64
		if err := rows.Scan(&p, &fr, &nr, &res); err != nil {
			return nil, fmt.Errorf("sla policies: %w", err)
		}
		out[p] = ticket.Targets{FirstResponse: time.Duration(fr), NextResponse: time.Duration(nr), Resolution: time.Duration(res)}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sla policies: %w", err)
	}
	return out, nil
}

// SetPolicies replaces the tenant's SLA policies.
func (s *TicketStore) SetPolicies(ctx context.Context, tenantID string, p ticket.Policies) error {
	if tenantID == "" {
		return invalid("tenant is required")
	}
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sla_policies WHERE tenant_id = ?`, tenantID); err != nil {
			return err
		}
		for pr, t := range p {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sla_policies (tenant_id, priority, first_response, next_response, resolution)
				VALUES (?, ?, ?, ?, ?)`, tenantID, string(pr), int64(t.FirstResponse), int64(t.NextResponse), int64(t.Resolution)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set sla policies: %w", err)
	}
	return nil
}

// storedHours is the JSON form of ticket.Hours.
type storedHours struct {
	TimeZone string      `json:"tz,omitempty"`
	Weekly   [7][][2]int `json:"weekly"` // by weekday, Sunday first: [start, end) minutes
	Holidays []string    `json:"holidays,omitempty"`
}

// Hours returns a team's business hours, nil when none are set.
func (s *TicketStore) Hours(ctx context.Context, tenantID, team string) (*ticket.Hours, error) {
	var raw string
	err := s.db.read.QueryRowContext(ctx, `SELECT hours FROM team_hours WHERE tenant_id = ? AND team = ?`, tenantID, team).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("hours of %s: %w", team, err)
	}
	var sh storedHours
	if err := json.Unmarshal([]byte(raw), &sh); err != nil {
		return nil, fmt.Errorf("hours of %s: %w", team, err)
	}
	h := &ticket.Hours{TimeZone: sh.TimeZone, Holidays: sh.Holidays}
	for d, spans := range sh.Weekly {
		for _, sp := range spans {
			h.Weekly[d] = append(h.Weekly[d], ticket.Span{Start: sp[0], End: sp[1]})
		}
	}
	return h, nil
}

// SetHours replaces a team's business hours; nil removes them.
func (s *TicketStore) SetHours(ctx context.Context, tenantID, team string, h *ticket.Hours) error {
	if tenantID == "" || team == "" {
		return invalid("tenant and team are required")
	}
	var raw string
	if h != nil {
		sh := storedHours{TimeZone: h.TimeZone, Holidays: h.Holidays}
		for d, spans := range h.Weekly {
			for _, sp := range spans {
				sh.Weekly[d] = append(sh.Weekly[d], [2]int{sp.Start, sp.End})
			}
		}
		b, err := json.Marshal(sh)
		if err != nil {
			return fmt.Errorf("hours of %s: %w", team, err)
		}
		raw = string(b)
	}
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if h == nil {
			_, err := tx.ExecContext(ctx, `DELETE FROM team_hours WHERE tenant_id = ? AND team = ?`, tenantID, team)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO team_hours (tenant_id, team, hours) VALUES (?, ?, ?)
			ON CONFLICT (tenant_id, team) DO UPDATE SET hours = excluded.hours`, tenantID, team, raw)
		return err
	})
	if err != nil {
		return fmt.Errorf("set hours of %s: %w", team, err)
	}
	return nil
}
