package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/assistd/assist/agentassist"
)

// AssistStore is the agent-assist store of a DB: macros, answered
// question pairs and the suggestions shown with what agents did with
// them.
type AssistStore struct {
	db *DB
}

var (
	_ agentassist.MacroStore    = (*AssistStore)(nil)
	_ agentassist.PairStore     = (*AssistStore)(nil)
	_ agentassist.SuggestionLog = (*AssistStore)(nil)
)

// NewAssistStore returns the agent-assist store of db.
func NewAssistStore(db *DB) *AssistStore { return &AssistStore{db: db} }

func (s *AssistStore) exec(ctx context.Context, what, query string, args ...any) (int64, error) {
	var n int64
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return n, nil
}

// Macros implements agentassist.MacroStore.
func (s *AssistStore) Macros(ctx context.Context, tenantID string) ([]*agentassist.Macro, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, title, lang, intent, text, updated_by, updated_at
		FROM macros WHERE tenant_id = ? ORDER BY title, id`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("list macros: %w", err)
	}
	defer rows.Close()
	out := []*agentassist.Macro{}
	for rows.Next() {
		m := &agentassist.Macro{TenantID: tenantID}
		if err := rows.Scan(&m.ID, &m.Title, &m.Lang, &m.Intent, &m.Text, &m.UpdatedBy, timeCol{&m.UpdatedAt}); err != nil {
			return nil, fmt.Errorf("list macros: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list macros: %w", err)
	}
	return out, nil
}

// PutMacro implements agentassist.MacroStore.
func (s *AssistStore) PutMacro(ctx context.Context, m *agentassist.Macro) error {
	if m.TenantID == "" || m.ID == "" {
		return invalid("macro tenant and id are required")
	}
	_, err := s.exec(ctx, "put macro", `INSERT INTO macros (tenant_id, id, title, lang, intent, text, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, id) DO UPDATE SET title = excluded.title, lang = excluded.lang,
		intent = excluded.intent, text = excluded.text, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		m.TenantID, m.ID, m.Title, m.Lang, m.Intent, m.Text, m.UpdatedBy, formatTime(m.UpdatedAt))
	return err
}

// DeleteMacro implements agentassist.MacroStore.
func (s *AssistStore) DeleteMacro(ctx context.Context, tenantID, id string) error {
	n, err := s.exec(ctx, "delete macro", `DELETE FROM macros WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("macro")
	}
	return nil
}

// AddPair implements agentassist.PairStore.
func (s *AssistStore) AddPair(ctx context.Context, p agentassist.Pair) error {
	if p.TenantID == "" || p.Question == "" || p.Answer == "" {
		return invalid("pair tenant, question and answer are required")
	}
	_, err := s.exec(ctx, "add answered pair", `INSERT INTO assist_pairs (tenant_id, conversation_id, question, answer, lang, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, p.TenantID, p.ConversationID, p.Question, p.Answer, p.Lang, formatTime(p.At))
	return err
}

// Pairs implements agentassist.PairStore: the newest limit pairs, oldest
// first.
func (s *AssistStore) Pairs(ctx context.Context, tenantID string, limit int) ([]agentassist.Pair, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT conversation_id, question, answer, lang, created_at FROM (
		SELECT rowid, * FROM assist_pairs WHERE tenant_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?) ORDER BY created_at, rowid`, tenantID, limit)
	if err != nil {
		return nil, fmt.Errorf("list answered pairs: %w", err)
	}
	defer rows.Close()
	var out []agentassist.Pair
	for rows.Next() {
		p := agentassist.Pair{TenantID: tenantID}
		if err := rows.Scan(&p.ConversationID, &p.Question, &p.Answer, &p.Lang, timeCol{&p.At}); err != nil {
			return nil, fmt.Errorf("list answered pairs: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Shown implements agentassist.SuggestionLog.
func (s *AssistStore) Shown(ctx context.Context, recs []agentassist.SuggestionRecord) error {
	return s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, r := range recs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO assist_suggestions (tenant_id, id, conversation_id, message_id, source, intent, shown_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, id) DO NOTHING`,
				r.TenantID, r.ID, r.ConversationID, r.MessageID, r.Source, r.Intent, formatTime(r.ShownAt)); err != nil {
				return fmt.Errorf("record suggestion: %w", err)
			}
		}
		return nil
	})
}

// Act implements agentassist.SuggestionLog.
func (s *AssistStore) Act(ctx context.Context, tenantID, id, action, by string, at time.Time) (agentassist.SuggestionRecord, error) {
	n, err := s.exec(ctx, "record suggestion action", `UPDATE assist_suggestions SET action = ?, acted_by = ?, acted_at = ?
		WHERE tenant_id = ? AND id = ?`, action, by, formatTime(at), tenantID, id)
	if err != nil {
		return agentassist.SuggestionRecord{}, err
	}
	if n == 0 {
		return agentassist.SuggestionRecord{}, notFound("suggestion")
	}
	r := agentassist.SuggestionRecord{TenantID: tenantID, ID: id}
	err = s.db.read.QueryRowContext(ctx, `SELECT conversation_id, message_id, source, intent, action, acted_by, shown_at, acted_at
		FROM assist_suggestions WHERE tenant_id = ? AND id = ?`, tenantID, id).Scan(&r.ConversationID, &r.MessageID, &r.Source,
		&r.Intent, &r.Action, &r.By, timeCol{&r.ShownAt}, optTimeCol{&r.ActedAt})
	if err != nil {
		return agentassist.SuggestionRecord{}, fmt.Errorf("read suggestion: %w", err)
	}
	return r, nil
}

// Stats implements agentassist.SuggestionLog.
func (s *AssistStore) Stats(ctx context.Context, tenantID string) (agentassist.Stats, error) {
	var st agentassist.Stats
	var err error
	if st.BySource, err = s.rates(ctx, "source", tenantID); err != nil {
		return st, err
	}
	st.ByIntent, err = s.rates(ctx, "intent", tenantID)
	return st, err
}

func (s *AssistStore) rates(ctx context.Context, col, tenantID string) ([]agentassist.Rate, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+col+`, COUNT(*), SUM(action = 'sent'), SUM(action = 'edited'), SUM(action = 'ignored')
		FROM assist_suggestions WHERE (? = '' OR tenant_id = ?) GROUP BY `+col+` ORDER BY `+col, tenantID, tenantID)
	if err != nil {
		return nil, fmt.Errorf("suggestion stats: %w", err)
	}
	defer rows.Close()
	out := []agentassist.Rate{}
	for rows.Next() {
		var r agentassist.Rate
		if err := rows.Scan(&r.Key, &r.Shown, &r.Sent, &r.Edited, &r.Ignored); err != nil {
			return nil, fmt.Errorf("suggestion stats: %w", err)
		}
		out = append(out, agentassist.Rates(r))
	}
	return out, rows.Err()
}
