package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/analytics"
)

// AnalyticsStore is the analytics.Store of a DB: it reads conversations,
// messages, tickets, routing decisions and dialog states, and keeps the
// customers' ratings.
type AnalyticsStore struct {
	db *DB
}

var _ analytics.Store = (*AnalyticsStore)(nil)

// NewAnalyticsStore returns the analytics store of db.
func NewAnalyticsStore(db *DB) *AnalyticsStore { return &AnalyticsStore{db: db} }

// Conversations implements analytics.Store. The intents are the labels in
// the conversation's dialog state (dialog.State.Intents), read here
// rather than with SQLite's JSON functions: a third of the time.
func (s *AnalyticsStore) Conversations(ctx context.Context, tenantID string, from, to time.Time) ([]analytics.Conversation, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT c.id, c.created_at,
		(SELECT count(*) FROM messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND m.author = 'customer'),
		d.state
		FROM conversations c LEFT JOIN dialog_states d ON d.tenant_id = c.tenant_id AND d.conversation_id = c.id
		WHERE c.tenant_id = ? AND c.created_at >= ? AND c.created_at < ?`, tenantID, formatTime(from), formatTime(to))
	if err != nil {
		return nil, fmt.Errorf("analytics conversations: %w", err)
	}
	defer rows.Close()
	var out []analytics.Conversation
	var st struct {
		Intents []struct {
			Label string `json:"label"`
		} `json:"intents"`
	}
	for rows.Next() {
		var c analytics.Conversation
		var state []byte
		if err := rows.Scan(&c.ID, timeCol{&c.CreatedAt}, &c.CustomerMessages, &state); err != nil {
			return nil, fmt.Errorf("analytics conversations: %w", err)
		}
		st.Intents = st.Intents[:0]
		// A state that does not parse has no intents to count.
		if len(state) > 0 && json.Unmarshal(state, &st) == nil {
			for _, in := range st.Intents {
				c.Intents = append(c.Intents, in.Label)
			}
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Handoffs implements analytics.Store: the tickets opened by escalations,
// with the first agent message and the close that followed each.
func (s *AnalyticsStore) Handoffs(ctx context.Context, tenantID string, from, to time.Time) ([]analytics.Handoff, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT t.conversation_id, t.reason, t.created_at,
		COALESCE((SELECT min(m.created_at) FROM messages m WHERE m.tenant_id = t.tenant_id AND m.conversation_id = t.conversation_id
			AND m.author = 'agent' AND m.created_at >= t.created_at), ''),
		COALESCE((SELECT min(d.at) FROM routing_decisions d WHERE d.tenant_id = t.tenant_id AND d.conversation_id = t.conversation_id
			AND d.action = 'close' AND d.at >= t.created_at), '')
		FROM tickets t
		WHERE t.tenant_id = ? AND t.escalation_key IS NOT NULL AND t.conversation_id != '' AND t.created_at >= ? AND t.created_at < ?`,
		tenantID, formatTime(from), formatTime(to))
	if err != nil {
		return nil, fmt.Errorf("analytics hand-offs: %w", err)
	}
	defer rows.Close()
	var out []analytics.Handoff
	for rows.Next() {
		var h analytics.Handoff
		if err := rows.Scan(&h.ConversationID, &h.Reason, timeCol{&h.At}, optTimeCol{&h.FirstAgentAt}, optTimeCol{&h.ClosedAt}); err != nil {
			return nil, fmt.Errorf("analytics hand-offs: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Ratings implements analytics.Store.
func (s *AnalyticsStore) Ratings(ctx context.Context, tenantID string, from, to time.Time) ([]analytics.Rating, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT conversation_id, score, comment, created_at FROM conversation_ratings
		WHERE tenant_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at`, tenantID, formatTime(from), formatTime(to))
	if err != nil {
		return nil, fmt.Errorf("analytics ratings: %w", err)
	}
	defer rows.Close()
	var out []analytics.Rating
	for rows.Next() {
		r := analytics.Rating{TenantID: tenantID}
		if err := rows.Scan(&r.ConversationID, &r.Score, &r.Comment, timeCol{&r.At}); err != nil {
			return nil, fmt.Errorf("analytics ratings: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// HourlyVolume implements analytics.Store: conversations in which the
// customer wrote, by the hour they started.
func (s *AnalyticsStore) HourlyVolume(ctx context.Context, tenantID string, from, to time.Time) (map[time.Time]int, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT substr(c.created_at, 1, 13), count(*) FROM conversations c
		WHERE c.tenant_id = ? AND c.created_at >= ? AND c.created_at < ?
		AND EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND m.author = 'customer')
		GROUP BY 1`, tenantID, formatTime(from), formatTime(to))
	if err != nil {
		return nil, fmt.Errorf("analytics volume: %w", err)
	}
	defer rows.Close()
	out := map[time.Time]int{}
	for rows.Next() {
		var hour string
		var n int
		if err := rows.Scan(&hour, &n); err != nil {
			return nil, fmt.Errorf("analytics volume: %w", err)
		}
		t, err := time.Parse("2006-01-02T15", hour)
		if err != nil {
			return nil, fmt.Errorf("analytics volume: hour %q: %w", hour, err)
		}
		out[t] = n
	}
	return out, rows.Err()
}

// AddRating implements analytics.Store.
func (s *AnalyticsStore) AddRating(ctx context.Context, r analytics.Rating) error {
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO conversation_ratings (tenant_id, conversation_id, score, comment, created_at)
			VALUES (?, ?, ?, ?, ?)`, r.TenantID, r.ConversationID, r.Score, r.Comment, formatTime(r.At))
		return err
	})
	switch {
	case err == nil:
		return nil
	case isDuplicate(err):
		return assist.Wrap(assist.ECONFLICT, err, "this conversation has already been rated")
	case isMissingParent(err):
		return assist.Wrap(assist.ENOTFOUND, err, "conversation not found")
	}
	return fmt.Errorf("add rating: %w", err)
}

var _ analytics.TenantLister = (*AnalyticsStore)(nil)

// Tenants implements analytics.TenantLister.
func (s *AnalyticsStore) Tenants(ctx context.Context) ([]analytics.Tenant, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, slug FROM tenants ORDER BY slug`)
	if err != nil {
		return nil, fmt.Errorf("list tenants: %w", err)
	}
	defer rows.Close()
	var out []analytics.Tenant
	for rows.Next() {
		var t analytics.Tenant
		if err := rows.Scan(&t.ID, &t.Slug); err != nil {
			return nil, fmt.Errorf("list tenants: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
