package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/routing"
)

// RoutingStore is the routing.Store of a DB. It also lists conversations
// by owner across tenants (routing.OwnedLister), for the engine's
// reconciliation at start.
type RoutingStore struct {
	db *DB
}

var (
	_ routing.Store       = (*RoutingStore)(nil)
	_ routing.OwnedLister = (*RoutingStore)(nil)
)

// NewRoutingStore returns the routing store of db.
func NewRoutingStore(db *DB) *RoutingStore { return &RoutingStore{db: db} }

func (s *RoutingStore) exec(ctx context.Context, what, query string, args ...any) error {
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func toJSON(v any) string {
	// Only maps and slices of strings, numbers and structs of them are
	// stored here: they always marshal.
	b, _ := json.Marshal(v)
	return string(b)
}

// jsonCol scans a JSON text column into the value V points to.
type jsonCol struct{ V any }

func (c jsonCol) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("json column holds %T", src)
	}
	return json.Unmarshal(b, c.V)
}

// optTimeCol scans a time stored as text, ” as the zero time.
type optTimeCol struct{ T *time.Time }

func (c optTimeCol) Scan(src any) error {
	if s, ok := src.(string); ok && s == "" {
		*c.T = time.Time{}
		return nil
	}
	return timeCol(c).Scan(src)
}

func formatOptTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatTime(t)
}

// PutAgent creates or replaces an agent.
func (s *RoutingStore) PutAgent(ctx context.Context, a *routing.Agent) error {
	if a.TenantID == "" || a.UserID == "" {
		return invalid("agent tenant and user are required")
	}
	if !a.Presence.Valid() {
		return invalid("unknown presence %q", a.Presence)
	}
	skills := a.Skills
	if skills == nil {
		skills = map[string]int{}
	}
	return s.exec(ctx, "put agent "+a.UserID, `INSERT INTO routing_agents
		(tenant_id, user_id, skills, langs, teams, capacity, presence, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, user_id) DO UPDATE SET skills = excluded.skills, langs = excluded.langs,
		teams = excluded.teams, capacity = excluded.capacity, presence = excluded.presence, updated_at = excluded.updated_at`,
		a.TenantID, a.UserID, toJSON(skills), toJSON(nonNil(a.Langs)), toJSON(nonNil(a.Teams)), a.Capacity, string(a.Presence), formatTime(a.UpdatedAt))
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Agents returns every agent of every tenant.
func (s *RoutingStore) Agents(ctx context.Context) ([]*routing.Agent, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT tenant_id, user_id, skills, langs, teams, capacity, presence, updated_at
		FROM routing_agents ORDER BY tenant_id, user_id`)
	if err != nil {
		return nil, fmt.Errorf("list agents: %w", err)
	}
	defer rows.Close()
	var out []*routing.Agent
	for rows.Next() {
		var a routing.Agent
		if err := rows.Scan(&a.TenantID, &a.UserID, jsonCol{&a.Skills}, jsonCol{&a.Langs}, jsonCol{&a.Teams},
			&a.Capacity, &a.Presence, timeCol{&a.UpdatedAt}); err != nil {
			return nil, fmt.Errorf("list agents: %w", err)
		}
		out = append(out, &a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list agents: %w", err)
	}
	return out, nil
}

func validState(st routing.State) bool {
	return st == routing.StateQueued || st == routing.StateOffered || st == routing.StateAssigned
}

// PutEntry creates or replaces a conversation's routing state.
func (s *RoutingStore) PutEntry(ctx context.Context, e *routing.Entry) error {
	if e.TenantID == "" || e.ConversationID == "" {
		return invalid("entry tenant and conversation are required")
	}
	if !validState(e.State) {
		return invalid("an entry is queued, offered or assigned, not %q", e.State)
	}
	overflowed := 0
	if e.Overflowed {
		overflowed = 1
	}
	return s.exec(ctx, "put routing entry "+e.ConversationID, `INSERT OR REPLACE INTO routing_entries
		(tenant_id, conversation_id, state, skill, lang, reason, intent, tier, sentiment, base_priority,
		 enqueued_at, last_customer_at, agent_id, offered_at, declined, overflowed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.TenantID, e.ConversationID, string(e.State), e.Skill, e.Lang, e.Reason, e.Intent, string(e.Tier), e.Sentiment, e.BasePriority,
		formatTime(e.EnqueuedAt), formatTime(e.LastCustomerAt), e.AgentID, formatOptTime(e.OfferedAt), toJSON(nonNil(e.Declined)), overflowed)
}

// DeleteEntry forgets a conversation's routing state; a missing one is
// not an error.
func (s *RoutingStore) DeleteEntry(ctx context.Context, tenantID, conversationID string) error {
	if tenantID == "" || conversationID == "" {
		return invalid("tenant and conversation are required")
	}
	return s.exec(ctx, "delete routing entry "+conversationID,
		`DELETE FROM routing_entries WHERE tenant_id = ? AND conversation_id = ?`, tenantID, conversationID)
}

// Entries returns every entry of every tenant.
func (s *RoutingStore) Entries(ctx context.Context) ([]*routing.Entry, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT tenant_id, conversation_id, state, skill, lang, reason, intent, tier,
		sentiment, base_priority, enqueued_at, last_customer_at, agent_id, offered_at, declined, overflowed
		FROM routing_entries ORDER BY tenant_id, enqueued_at, conversation_id`)
	if err != nil {
		return nil, fmt.Errorf("list routing entries: %w", err)
	}
	defer rows.Close()
	var out []*routing.Entry
	for rows.Next() {
		var e routing.Entry
		var overflowed int
		if err := rows.Scan(&e.TenantID, &e.ConversationID, &e.State, &e.Skill, &e.Lang, &e.Reason, &e.Intent, &e.Tier,
			&e.Sentiment, &e.BasePriority, timeCol{&e.EnqueuedAt}, timeCol{&e.LastCustomerAt}, &e.AgentID,
			optTimeCol{&e.OfferedAt}, jsonCol{&e.Declined}, &overflowed); err != nil {
			return nil, fmt.Errorf("list routing entries: %w", err)
		}
		e.Overflowed = overflowed != 0
		if len(e.Declined) == 0 {
			e.Declined = nil
		}
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list routing entries: %w", err)
	}
	return out, nil
}

// AddDecision appends a decision; a duplicate ID is ECONFLICT.
func (s *RoutingStore) AddDecision(ctx context.Context, d *routing.Decision) error {
	if d.ID == "" || d.TenantID == "" || d.ConversationID == "" {
		return invalid("decision id, tenant and conversation are required")
	}
	excluded := d.Excluded
	if excluded == nil {
		excluded = map[string]int{}
	}
	cands := d.Candidates
	if cands == nil {
		cands = []routing.Candidate{}
	}
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO routing_decisions
			(id, tenant_id, conversation_id, at, action, rule, skill, agent_id, by_user_id, priority, position, considered, candidates, excluded, note)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.ID, d.TenantID, d.ConversationID, formatTime(d.At), d.Action, d.Rule, d.Skill, d.AgentID, d.ByUserID,
			d.Priority, d.Position, d.Considered, toJSON(cands), toJSON(excluded), d.Note)
		if isDuplicate(err) {
			return assist.Wrap(assist.ECONFLICT, err, "decision already exists")
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("add decision %s: %w", d.ID, err)
	}
	return nil
}

// Decisions returns up to limit decisions about a conversation, oldest
// first.
func (s *RoutingStore) Decisions(ctx context.Context, tenantID, conversationID string, limit int) ([]*routing.Decision, error) {
	if limit <= 0 {
		limit = defaultMessageLimit
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, tenant_id, conversation_id, at, action, rule, skill, agent_id, by_user_id,
		priority, position, considered, candidates, excluded, note
		FROM routing_decisions WHERE tenant_id = ? AND conversation_id = ? ORDER BY seq LIMIT ?`, tenantID, conversationID, limit)
	if err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	defer rows.Close()
	out := []*routing.Decision{}
	for rows.Next() {
		var d routing.Decision
		if err := rows.Scan(&d.ID, &d.TenantID, &d.ConversationID, timeCol{&d.At}, &d.Action, &d.Rule, &d.Skill, &d.AgentID,
			&d.ByUserID, &d.Priority, &d.Position, &d.Considered, jsonCol{&d.Candidates}, jsonCol{&d.Excluded}, &d.Note); err != nil {
			return nil, fmt.Errorf("list decisions: %w", err)
		}
		if len(d.Candidates) == 0 {
			d.Candidates = nil
		}
		if len(d.Excluded) == 0 {
			d.Excluded = nil
		}
		out = append(out, &d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	return out, nil
}

// Owned returns every conversation, of any tenant, with the owner.
func (s *RoutingStore) Owned(ctx context.Context, owner assist.Owner) ([]*assist.Conversation, error) {
	if !validOwner(owner) {
		return nil, invalid("unknown owner %q", owner)
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+conversationColumns+` FROM conversations WHERE owner = ? ORDER BY tenant_id, created_at, id`, string(owner))
	if err != nil {
		return nil, fmt.Errorf("list %s conversations: %w", owner, err)
	}
	defer rows.Close()
	var out []*assist.Conversation
	for rows.Next() {
		c, err := scanConversation(rows)
		if err != nil {
			return nil, fmt.Errorf("list %s conversations: %w", owner, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list %s conversations: %w", owner, err)
	}
	return out, nil
}
