package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
)

// ConversationStore is the conversation.Store of a DB.
type ConversationStore struct {
	db *DB
}

var _ conversation.Store = (*ConversationStore)(nil)

// NewConversationStore returns the conversation store of db.
func NewConversationStore(db *DB) *ConversationStore { return &ConversationStore{db: db} }

// Defaults for a zero or negative limit.
const (
	defaultConversationLimit = 50  // conversation.Filter documents it
	defaultMessageLimit      = 100 // Messages and Unhandled
)

const conversationColumns = `id, tenant_id, channel, customer_ref, lang, owner, assignee_id, reason, token_hash, created_at, updated_at`

func scanConversation(s scanner) (*assist.Conversation, error) {
	var c assist.Conversation
	err := s.Scan(&c.ID, &c.TenantID, &c.Channel, &c.CustomerRef, &c.Lang, &c.Owner,
		&c.AssigneeID, &c.Reason, &c.TokenHash, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

func validOwner(o assist.Owner) bool {
	switch o {
	case assist.OwnerBot, assist.OwnerQueue, assist.OwnerAgent, assist.OwnerClosed:
		return true
	}
	return false
}

// CreateConversation stores c. An empty Owner is stored as OwnerBot. A
// conversation with c's ID already stored returns ECONFLICT.
func (s *ConversationStore) CreateConversation(ctx context.Context, c *assist.Conversation) error {
	if c.ID == "" || c.TenantID == "" {
		return invalid("conversation id and tenant are required")
	}
	if c.Owner == "" {
		c.Owner = assist.OwnerBot
	}
	if !validOwner(c.Owner) {
		return invalid("unknown owner %q", c.Owner)
	}
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO conversations (`+conversationColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.TenantID, c.Channel, c.CustomerRef, c.Lang, string(c.Owner), c.AssigneeID, c.Reason,
			orNull(c.TokenHash), formatTime(c.CreatedAt), formatTime(c.UpdatedAt))
		if isDuplicate(err) {
			return assist.Wrap(assist.ECONFLICT, err, "conversation already exists")
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("create conversation %s: %w", c.ID, err)
	}
	return nil
}

// Conversation returns one conversation of the tenant.
func (s *ConversationStore) Conversation(ctx context.Context, tenantID, id string) (*assist.Conversation, error) {
	c, err := scanConversation(s.db.readRow(ctx,
		`SELECT `+conversationColumns+` FROM conversations WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("conversation %s: %w", id, notFound("conversation"))
	}
	if err != nil {
		return nil, fmt.Errorf("conversation %s: %w", id, err)
	}
	return c, nil
}

// ListConversations returns the tenant's conversations matching f, newest
// (by CreatedAt) first.
func (s *ConversationStore) ListConversations(ctx context.Context, tenantID string, f conversation.Filter) ([]*assist.Conversation, error) {
	q := `SELECT ` + conversationColumns + ` FROM conversations WHERE tenant_id = ?`
	args := []any{tenantID}
	if f.Owner != "" {
		q += ` AND owner = ?`
		args = append(args, string(f.Owner))
	}
	if f.AssigneeID != "" {
		q += ` AND assignee_id = ?`
		args = append(args, f.AssigneeID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = defaultConversationLimit
	}
	q += ` ORDER BY created_at DESC, id DESC LIMIT ?`
	args = append(args, limit)

	rows, err := s.db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	defer rows.Close()
	var list []*assist.Conversation
	for rows.Next() {
		c, err := scanConversation(rows)
		if err != nil {
			return nil, fmt.Errorf("list conversations: %w", err)
		}
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	return list, nil
}

// SetOwner changes who answers the conversation and sets UpdatedAt to now.
func (s *ConversationStore) SetOwner(ctx context.Context, tenantID, id string, owner assist.Owner, assigneeID, reason string) error {
	if !validOwner(owner) {
		return invalid("unknown owner %q", owner)
	}
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return s.setOwner(ctx, tx, tenantID, id, conversation.OwnerChange{Owner: owner, AssigneeID: assigneeID, Reason: reason})
	})
	if err != nil {
		return fmt.Errorf("set owner of conversation %s: %w", id, err)
	}
	return nil
}

func (s *ConversationStore) setOwner(ctx context.Context, tx *sql.Tx, tenantID, id string, ch conversation.OwnerChange) error {
	res, err := s.db.exec(ctx, tx, `UPDATE conversations SET owner = ?, assignee_id = ?, reason = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`,
		string(ch.Owner), ch.AssigneeID, ch.Reason, formatTime(s.db.now()), tenantID, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return notFound("conversation")
	}
	return nil
}

const messageColumns = `seq, id, tenant_id, conversation_id, author, author_id, text, idempotency_key, reply_to, handled, created_at, attachments`

func scanMessage(s scanner) (*assist.Message, error) {
	var m assist.Message
	var att string
	err := s.Scan(&m.Seq, &m.ID, &m.TenantID, &m.ConversationID, &m.Author, &m.AuthorID, &m.Text,
		nullText{&m.IdempotencyKey}, nullText{&m.ReplyTo}, &m.Handled, timeCol{&m.CreatedAt}, nullText{&att})
	if err != nil {
		return nil, err
	}
	if att != "" {
		m.Attachments = new(assist.Attachments)
		if err := json.Unmarshal([]byte(att), m.Attachments); err != nil {
			return nil, fmt.Errorf("message %s: attachments: %w", m.ID, err)
		}
	}
	return &m, nil
}

func scanMessages(rows *sql.Rows) ([]*assist.Message, error) {
	defer rows.Close()
	var list []*assist.Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, m)
	}
	return list, rows.Err()
}

// insertMessage is the INSERT of a message without its seq; AppendMessage
// adds the ON CONFLICT clause of the idempotency index.
const insertMessage = `INSERT INTO messages
	(id, tenant_id, conversation_id, author, author_id, text, idempotency_key, reply_to, handled, created_at, attachments)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// messageArgs are m's values for insertMessage.
func messageArgs(m *assist.Message) []any {
	var att []byte
	if !m.Attachments.Empty() {
		att, _ = json.Marshal(m.Attachments)
	}
	return []any{m.ID, m.TenantID, m.ConversationID, string(m.Author), m.AuthorID, m.Text,
		orNull(m.IdempotencyKey), orNull(m.ReplyTo), m.Handled, formatTime(m.CreatedAt), orNull(string(att))}
}

func checkMessage(m *assist.Message) error {
	if m.ID == "" || m.TenantID == "" || m.ConversationID == "" {
		return invalid("message id, tenant and conversation are required")
	}
	if m.Author == "" {
		return invalid("message author is required")
	}
	return nil
}

// conversationExists returns ENOTFOUND unless the tenant has the conversation.
func conversationExists(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, tenantID, id string) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM conversations WHERE tenant_id = ? AND id = ?`, tenantID, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("conversation")
	}
	return err
}

// AppendMessage stores m and assigns its Seq (also in m when created). With
// an idempotency key already used in the conversation it writes nothing and
// returns the stored message. The returned message is always as read back
// from the database. A message ID already stored returns ECONFLICT.
func (s *ConversationStore) AppendMessage(ctx context.Context, m *assist.Message) (*assist.Message, bool, error) {
	if err := checkMessage(m); err != nil {
		return nil, false, fmt.Errorf("append message %s: %w", m.ID, err)
	}
	var (
		stored  *assist.Message
		created bool
	)
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		// The foreign key on (tenant_id, conversation_id) refuses a message
		// for a conversation the tenant does not have.
		res, err := s.db.exec(ctx, tx, insertMessage+`
			ON CONFLICT (tenant_id, conversation_id, idempotency_key)
			WHERE idempotency_key IS NOT NULL AND idempotency_key != '' DO NOTHING`,
			messageArgs(m)...)
		switch {
		case isDuplicate(err):
			return assist.Wrap(assist.ECONFLICT, err, "message already exists")
		case isMissingParent(err):
			return assist.Wrap(assist.ENOTFOUND, err, "conversation not found")
		}
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		var row *sql.Row
		if created = n == 1; created {
			seq, err := res.LastInsertId()
			if err != nil {
				return err
			}
			row = s.db.queryRow(ctx, tx, `SELECT `+messageColumns+` FROM messages WHERE seq = ?`, seq)
		} else {
			row = s.db.queryRow(ctx, tx, `SELECT `+messageColumns+` FROM messages
				WHERE tenant_id = ? AND conversation_id = ? AND idempotency_key = ?`,
				m.TenantID, m.ConversationID, m.IdempotencyKey)
		}
		stored, err = scanMessage(row)
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("append message %s: %w", m.ID, err)
	}
	if created {
		m.Seq = stored.Seq
	}
	return stored, created, nil
}

// Message returns one message of the tenant.
func (s *ConversationStore) Message(ctx context.Context, tenantID, id string) (*assist.Message, error) {
	m, err := scanMessage(s.db.readRow(ctx,
		`SELECT `+messageColumns+` FROM messages WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("message %s: %w", id, notFound("message"))
	}
	if err != nil {
		return nil, fmt.Errorf("message %s: %w", id, err)
	}
	return m, nil
}

// Messages returns up to limit (default 100) messages of a conversation
// after afterSeq, in Seq order. A conversation the tenant does not have
// returns ENOTFOUND.
func (s *ConversationStore) Messages(ctx context.Context, tenantID, conversationID string, afterSeq int64, limit int) ([]*assist.Message, error) {
	if limit <= 0 {
		limit = defaultMessageLimit
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+messageColumns+` FROM messages
		WHERE tenant_id = ? AND conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
		tenantID, conversationID, afterSeq, limit)
	var list []*assist.Message
	if err == nil {
		list, err = scanMessages(rows)
	}
	if err == nil && len(list) == 0 {
		// Nothing after afterSeq, or no such conversation: tell them apart.
		err = conversationExists(ctx, s.db.read, tenantID, conversationID)
	}
	if err != nil {
		return nil, fmt.Errorf("messages of conversation %s: %w", conversationID, err)
	}
	return list, nil
}

// Replies returns the replies to a message in Seq order. A message the
// tenant does not have returns ENOTFOUND.
func (s *ConversationStore) Replies(ctx context.Context, tenantID, messageID string) ([]*assist.Message, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+messageColumns+` FROM messages
		WHERE tenant_id = ? AND reply_to = ? ORDER BY seq`, tenantID, messageID)
	var list []*assist.Message
	if err == nil {
		list, err = scanMessages(rows)
	}
	if err == nil && len(list) == 0 {
		var one int
		err = s.db.read.QueryRowContext(ctx, `SELECT 1 FROM messages WHERE tenant_id = ? AND id = ?`,
			tenantID, messageID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			err = notFound("message")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("replies to message %s: %w", messageID, err)
	}
	return list, nil
}

// CompleteTurn, in one transaction, marks the message handled, stores the
// replies, applies the owner change and replaces the dialog state (when
// t.State is not nil; larger than conversation.MaxStateBytes is
// ETOOLARGE and writes nothing). Empty TenantID, ConversationID and
// ReplyTo of a reply are taken from t; other values must match t. A message
// already handled returns ECONFLICT and writes nothing, so a turn run twice
// (two workers resuming the same message) stores its replies once. On
// success each reply's Seq is set.
func (s *ConversationStore) CompleteTurn(ctx context.Context, t conversation.TurnResult) error {
	if err := s.completeTurn(ctx, t); err != nil {
		return fmt.Errorf("complete turn of message %s: %w", t.MessageID, err)
	}
	return nil
}

func (s *ConversationStore) completeTurn(ctx context.Context, t conversation.TurnResult) error {
	replies := make([]assist.Message, len(t.Replies))
	for i, r := range t.Replies {
		if r == nil {
			return invalid("reply %d is nil", i)
		}
		replies[i] = *r
		rr := &replies[i]
		if rr.TenantID == "" {
			rr.TenantID = t.TenantID
		}
		if rr.ConversationID == "" {
			rr.ConversationID = t.ConversationID
		}
		if rr.ReplyTo == "" {
			rr.ReplyTo = t.MessageID
		}
		if rr.TenantID != t.TenantID || rr.ConversationID != t.ConversationID || rr.ReplyTo != t.MessageID {
			return invalid("reply %s is not a reply to message %s", rr.ID, t.MessageID)
		}
		if err := checkMessage(rr); err != nil {
			return err
		}
	}
	if t.Owner != nil && !validOwner(t.Owner.Owner) {
		return invalid("unknown owner %q", t.Owner.Owner)
	}
	if len(t.State) > conversation.MaxStateBytes {
		return assist.Errorf(assist.ETOOLARGE, "dialog state is %d bytes; the limit is %d", len(t.State), conversation.MaxStateBytes)
	}

	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := s.db.exec(ctx, tx, `UPDATE messages SET handled = 1
			WHERE tenant_id = ? AND conversation_id = ? AND id = ? AND handled = 0`,
			t.TenantID, t.ConversationID, t.MessageID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			var one int
			err := s.db.queryRow(ctx, tx, `SELECT 1 FROM messages WHERE tenant_id = ? AND conversation_id = ? AND id = ?`,
				t.TenantID, t.ConversationID, t.MessageID).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return notFound("message")
			}
			if err != nil {
				return err
			}
			return assist.Errorf(assist.ECONFLICT, "turn already completed")
		}
		for i := range replies {
			res, err := s.db.exec(ctx, tx, insertMessage, messageArgs(&replies[i])...)
			if isDuplicate(err) {
				return assist.Wrap(assist.ECONFLICT, err, "message already exists")
			}
			if err != nil {
				return fmt.Errorf("reply %s: %w", replies[i].ID, err)
			}
			if replies[i].Seq, err = res.LastInsertId(); err != nil {
				return err
			}
		}
		if t.Owner != nil {
			if err := s.setOwner(ctx, tx, t.TenantID, t.ConversationID, *t.Owner); err != nil {
				return err
			}
		}
		if t.State != nil {
			_, err := s.db.exec(ctx, tx, `INSERT INTO dialog_states (tenant_id, conversation_id, state, updated_at)
				VALUES (?, ?, ?, ?)
				ON CONFLICT (tenant_id, conversation_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
				t.TenantID, t.ConversationID, t.State, formatTime(s.db.now()))
			if isMissingParent(err) {
				return assist.Wrap(assist.ENOTFOUND, err, "conversation not found")
			}
			if err != nil {
				return fmt.Errorf("dialog state: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, r := range t.Replies {
		r.TenantID, r.ConversationID, r.ReplyTo = replies[i].TenantID, replies[i].ConversationID, replies[i].ReplyTo
		r.Seq = replies[i].Seq
	}
	return nil
}

// DialogState returns the conversation's stored dialog state, nil when no
// turn stored one. A conversation the tenant does not have returns
// ENOTFOUND.
func (s *ConversationStore) DialogState(ctx context.Context, tenantID, conversationID string) ([]byte, error) {
	var state []byte
	err := s.db.readRow(ctx, `SELECT state FROM dialog_states WHERE tenant_id = ? AND conversation_id = ?`,
		tenantID, conversationID).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		state, err = nil, conversationExists(ctx, s.db.read, tenantID, conversationID)
	}
	if err != nil {
		return nil, fmt.Errorf("dialog state of conversation %s: %w", conversationID, err)
	}
	if len(state) == 0 {
		return nil, nil
	}
	return state, nil
}

// Unhandled returns up to limit (default 100) unhandled customer messages
// of every tenant in Seq order.
func (s *ConversationStore) Unhandled(ctx context.Context, limit int) ([]*assist.Message, error) {
	if limit <= 0 {
		limit = defaultMessageLimit
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+messageColumns+` FROM messages
		WHERE handled = 0 AND author = 'customer' ORDER BY seq LIMIT ?`, limit)
	var list []*assist.Message
	if err == nil {
		list, err = scanMessages(rows)
	}
	if err != nil {
		return nil, fmt.Errorf("unhandled messages: %w", err)
	}
	return list, nil
}
