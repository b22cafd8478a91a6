package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/gap"
)

// GapStore is the gap.Store of a DB.
type GapStore struct {
	db *DB
}

var _ gap.Store = (*GapStore)(nil)

// NewGapStore returns the gap store of db.
func NewGapStore(db *DB) *GapStore { return &GapStore{db: db} }

// AddGap implements gap.Store.
func (s *GapStore) AddGap(ctx context.Context, g *gap.Gap) error {
	if g.TenantID == "" || g.ID == "" || g.Question == "" {
		return invalid("gap tenant, id and question are required")
	}
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO gaps (tenant_id, id, conversation_id, message_id, kind, question, lang, intent,
			confidence, best_doc, escalated, agent_answer, cluster_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			g.TenantID, g.ID, g.ConversationID, g.MessageID, string(g.Kind), g.Question, g.Lang, g.Intent, g.Confidence, g.BestDoc,
			boolInt(g.Escalated), g.AgentAnswer, g.ClusterID, formatTime(g.At))
		return err
	})
	if isDuplicate(err) {
		return conflict("this message already has a %s gap", g.Kind)
	}
	if err != nil {
		return fmt.Errorf("add gap: %w", err)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Gaps implements gap.Store.
func (s *GapStore) Gaps(ctx context.Context, tenantID string, f gap.Filter) ([]gap.Gap, error) {
	q := `SELECT id, conversation_id, message_id, kind, question, lang, intent, confidence, best_doc, escalated, agent_answer,
		cluster_id, created_at FROM gaps WHERE tenant_id = ?`
	args := []any{tenantID}
	if f.ConversationID != "" {
		q += ` AND conversation_id = ?`
		args = append(args, f.ConversationID)
	}
	if f.ClusterID != "" {
		q += ` AND cluster_id = ?`
		args = append(args, f.ClusterID)
	}
	if f.Unclustered {
		q += ` AND cluster_id = ''`
	}
	q += ` ORDER BY created_at, id`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := s.db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list gaps: %w", err)
	}
	defer rows.Close()
	var out []gap.Gap
	for rows.Next() {
		g := gap.Gap{TenantID: tenantID}
		var esc int
		if err := rows.Scan(&g.ID, &g.ConversationID, &g.MessageID, &g.Kind, &g.Question, &g.Lang, &g.Intent, &g.Confidence,
			&g.BestDoc, &esc, &g.AgentAnswer, &g.ClusterID, timeCol{&g.At}); err != nil {
			return nil, fmt.Errorf("list gaps: %w", err)
		}
		g.Escalated = esc != 0
		out = append(out, g)
	}
	return out, rows.Err()
}

func (s *GapStore) exec(ctx context.Context, what, query string, args ...any) error {
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// MarkEscalated implements gap.Store.
func (s *GapStore) MarkEscalated(ctx context.Context, tenantID, conversationID string) error {
	return s.exec(ctx, "mark gaps escalated", `UPDATE gaps SET escalated = 1 WHERE tenant_id = ? AND conversation_id = ? AND escalated = 0`,
		tenantID, conversationID)
}

// AddAgentAnswer implements gap.Store.
func (s *GapStore) AddAgentAnswer(ctx context.Context, tenantID, conversationID, text string, at time.Time) error {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	return s.exec(ctx, "add agent answer", `UPDATE gaps SET agent_answer = CASE WHEN agent_answer = '' THEN ? ELSE substr(agent_answer || char(10, 10) || ?, 1, 4000) END
		WHERE tenant_id = ? AND conversation_id = ? AND created_at <= ?`, text, text, tenantID, conversationID, formatTime(at))
}

// SetCluster implements gap.Store.
func (s *GapStore) SetCluster(ctx context.Context, tenantID, clusterID string, gapIDs []string) error {
	return s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, id := range gapIDs {
			if _, err := tx.ExecContext(ctx, `UPDATE gaps SET cluster_id = ? WHERE tenant_id = ? AND id = ?`, clusterID, tenantID, id); err != nil {
				return fmt.Errorf("cluster gaps: %w", err)
			}
		}
		return nil
	})
}

// PutCluster implements gap.Store.
func (s *GapStore) PutCluster(ctx context.Context, c *gap.Cluster) error {
	if c.TenantID == "" || c.ID == "" || !c.Status.Valid() {
		return invalid("cluster tenant, id and a valid status are required")
	}
	return s.exec(ctx, "put gap cluster", `INSERT INTO gap_clusters (tenant_id, id, status, lang, intent, question, variants, answer, note,
		created_at, updated_at, reviewed_by, reviewed_at, published_doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, id) DO UPDATE SET status = excluded.status, lang = excluded.lang, intent = excluded.intent,
		question = excluded.question, variants = excluded.variants, answer = excluded.answer, note = excluded.note,
		updated_at = excluded.updated_at, reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at,
		published_doc = excluded.published_doc`,
		c.TenantID, c.ID, string(c.Status), c.Lang, c.Intent, c.Question, toJSON(nonNil(c.Variants)), c.Answer, c.Note,
		formatTime(c.CreatedAt), formatTime(c.UpdatedAt), c.ReviewedBy, formatOptTime(c.ReviewedAt), c.PublishedDoc)
}

// Clusters implements gap.Store.
func (s *GapStore) Clusters(ctx context.Context, tenantID string) ([]*gap.Cluster, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, status, lang, intent, question, variants, answer, note, created_at, updated_at,
		reviewed_by, reviewed_at, published_doc FROM gap_clusters WHERE tenant_id = ? ORDER BY id`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("list gap clusters: %w", err)
	}
	defer rows.Close()
	var out []*gap.Cluster
	for rows.Next() {
		c := &gap.Cluster{TenantID: tenantID}
		if err := rows.Scan(&c.ID, &c.Status, &c.Lang, &c.Intent, &c.Question, jsonCol{&c.Variants}, &c.Answer, &c.Note,
			timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt}, &c.ReviewedBy, optTimeCol{&c.ReviewedAt}, &c.PublishedDoc); err != nil {
			return nil, fmt.Errorf("list gap clusters: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Rate implements gap.Store.
func (s *GapStore) Rate(ctx context.Context, tenantID, conversationID, messageID, rating string, at time.Time) error {
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO message_ratings (tenant_id, message_id, conversation_id, rating, created_at)
			VALUES (?, ?, ?, ?, ?)`, tenantID, messageID, conversationID, rating, formatTime(at))
		return err
	})
	if isDuplicate(err) {
		return conflict("this message was rated already")
	}
	if err != nil {
		return fmt.Errorf("rate message: %w", err)
	}
	return nil
}

func conflict(format string, args ...any) error {
	return assist.Errorf(assist.ECONFLICT, format, args...)
}
