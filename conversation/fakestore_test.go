package conversation_test

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/store/storetest"
)

// memStore is an in-memory conversation.Store for the service's tests. It
// keeps the Store contracts: rows are scoped by tenant, missing rows are
// ENOTFOUND, AppendMessage is idempotent per conversation and key and
// assigns Seq, CompleteTurn is atomic and (like the SQLite store) refuses
// to complete a turn twice with ECONFLICT. It hands out copies, so callers
// cannot change what it holds.
//
// The function fields, when set, are called with the store unlocked and let
// a test fail or observe single calls.
type memStore struct {
	// BeforeCompleteTurn may fail a CompleteTurn before anything is written.
	BeforeCompleteTurn func(t conversation.TurnResult) error
	// AfterAppend is told about every message AppendMessage creates.
	AfterAppend func(m *assist.Message)

	mu     sync.Mutex
	now    func() time.Time
	convs  map[string]*assist.Conversation // by tenant/id
	states map[string][]byte               // dialog states by tenant/id
	msgs   []*assist.Message               // in Seq order
	seq    int64
}

var _ conversation.Store = (*memStore)(nil)

func newMemStore() *memStore {
	return &memStore{convs: make(map[string]*assist.Conversation), states: make(map[string][]byte), now: time.Now}
}

func key(tenantID, id string) string { return tenantID + "/" + id }

func notFound(what string) error { return assist.Errorf(assist.ENOTFOUND, "%s not found", what) }

func copyConv(c *assist.Conversation) *assist.Conversation {
	cc := *c
	cc.TokenHash = slices.Clone(c.TokenHash)
	return &cc
}

func copyMsg(m *assist.Message) *assist.Message { mm := *m; return &mm }

func (s *memStore) CreateConversation(_ context.Context, c *assist.Conversation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.ID == "" || c.TenantID == "" {
		return assist.Errorf(assist.EINVALID, "conversation id and tenant are required")
	}
	if _, ok := s.convs[key(c.TenantID, c.ID)]; ok {
		return assist.Errorf(assist.ECONFLICT, "conversation already exists")
	}
	s.convs[key(c.TenantID, c.ID)] = copyConv(c)
	return nil
}

func (s *memStore) Conversation(_ context.Context, tenantID, id string) (*assist.Conversation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.convs[key(tenantID, id)]
	if !ok {
		return nil, notFound("conversation")
	}
	return copyConv(c), nil
}

func (s *memStore) ListConversations(_ context.Context, tenantID string, f conversation.Filter) ([]*assist.Conversation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*assist.Conversation
	for _, c := range s.convs {
		if c.TenantID != tenantID || f.Owner != "" && c.Owner != f.Owner || f.AssigneeID != "" && c.AssigneeID != f.AssigneeID {
			continue
		}
		out = append(out, copyConv(c))
	}
	slices.SortFunc(out, func(a, b *assist.Conversation) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(b.ID, a.ID))
	})
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (s *memStore) SetOwner(_ context.Context, tenantID, id string, owner assist.Owner, assigneeID, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.setOwnerLocked(tenantID, id, conversation.OwnerChange{Owner: owner, AssigneeID: assigneeID, Reason: reason})
}

func (s *memStore) setOwnerLocked(tenantID, id string, ch conversation.OwnerChange) error {
	c, ok := s.convs[key(tenantID, id)]
	if !ok {
		return notFound("conversation")
	}
	c.Owner, c.AssigneeID, c.Reason, c.UpdatedAt = ch.Owner, ch.AssigneeID, ch.Reason, s.now().UTC()
	return nil
}

func (s *memStore) messageLocked(tenantID, id string) *assist.Message {
	for _, m := range s.msgs {
		if m.TenantID == tenantID && m.ID == id {
			return m
		}
	}
	return nil
}

func (s *memStore) AppendMessage(_ context.Context, m *assist.Message) (*assist.Message, bool, error) {
	stored, created, err := s.appendMessage(m)
	if err == nil && created && s.AfterAppend != nil {
		s.AfterAppend(copyMsg(stored))
	}
	return stored, created, err
}

func (s *memStore) appendMessage(m *assist.Message) (*assist.Message, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m.ID == "" || m.TenantID == "" || m.ConversationID == "" || m.Author == "" {
		return nil, false, assist.Errorf(assist.EINVALID, "message id, tenant, conversation and author are required")
	}
	if _, ok := s.convs[key(m.TenantID, m.ConversationID)]; !ok {
		return nil, false, notFound("conversation")
	}
	if m.IdempotencyKey != "" {
		for _, old := range s.msgs {
			if old.TenantID == m.TenantID && old.ConversationID == m.ConversationID && old.IdempotencyKey == m.IdempotencyKey {
				return copyMsg(old), false, nil
			}
		}
	}
	for _, old := range s.msgs {
		if old.ID == m.ID {
			return nil, false, assist.Errorf(assist.ECONFLICT, "message already exists")
		}
	}
	s.seq++
	m.Seq = s.seq
	s.msgs = append(s.msgs, copyMsg(m))
	return copyMsg(m), true, nil
}

func (s *memStore) Message(_ context.Context, tenantID, id string) (*assist.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messageLocked(tenantID, id)
	if m == nil {
		return nil, notFound("message")
	}
	return copyMsg(m), nil
}

func (s *memStore) Messages(_ context.Context, tenantID, conversationID string, afterSeq int64, limit int) ([]*assist.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.convs[key(tenantID, conversationID)]; !ok {
		return nil, notFound("conversation")
	}
	if limit <= 0 {
		limit = 100
	}
	var out []*assist.Message
	for _, m := range s.msgs {
		if m.TenantID == tenantID && m.ConversationID == conversationID && m.Seq > afterSeq && len(out) < limit {
			out = append(out, copyMsg(m))
		}
	}
	return out, nil
}

func (s *memStore) Replies(_ context.Context, tenantID, messageID string) ([]*assist.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.messageLocked(tenantID, messageID) == nil {
		return nil, notFound("message")
	}
	var out []*assist.Message
	for _, m := range s.msgs {
		if m.TenantID == tenantID && m.ReplyTo == messageID {
			out = append(out, copyMsg(m))
		}
	}
	return out, nil
}

func (s *memStore) CompleteTurn(_ context.Context, t conversation.TurnResult) error {
	if s.BeforeCompleteTurn != nil {
		if err := s.BeforeCompleteTurn(t); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messageLocked(t.TenantID, t.MessageID)
	if m == nil || m.ConversationID != t.ConversationID {
		return notFound("message")
	}
	if m.Handled {
		return assist.Errorf(assist.ECONFLICT, "turn already completed")
	}
	if _, ok := s.convs[key(t.TenantID, t.ConversationID)]; !ok {
		return notFound("conversation")
	}
	if len(t.State) > conversation.MaxStateBytes {
		return assist.Errorf(assist.ETOOLARGE, "dialog state is too large")
	}
	ids := map[string]bool{}
	for _, r := range t.Replies {
		if r.TenantID != t.TenantID || r.ConversationID != t.ConversationID || r.ReplyTo != t.MessageID || r.ID == "" {
			return assist.Errorf(assist.EINVALID, "reply %s is not a reply to message %s", r.ID, t.MessageID)
		}
		if ids[r.ID] || slices.ContainsFunc(s.msgs, func(m *assist.Message) bool { return m.ID == r.ID }) {
			return assist.Errorf(assist.ECONFLICT, "message already exists")
		}
		ids[r.ID] = true
	}
	// Every check is done: from here on nothing fails, so the turn is
	// applied whole or not at all.
	for _, r := range t.Replies {
		s.seq++
		r.Seq = s.seq
		s.msgs = append(s.msgs, copyMsg(r))
	}
	m.Handled = true
	if t.Owner != nil {
		_ = s.setOwnerLocked(t.TenantID, t.ConversationID, *t.Owner)
	}
	if t.State != nil {
		s.states[key(t.TenantID, t.ConversationID)] = slices.Clone(t.State)
	}
	return nil
}

func (s *memStore) DialogState(_ context.Context, tenantID, conversationID string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.convs[key(tenantID, conversationID)]; !ok {
		return nil, notFound("conversation")
	}
	if st := s.states[key(tenantID, conversationID)]; len(st) > 0 {
		return slices.Clone(st), nil
	}
	return nil, nil
}

// putState stores a dialog state directly, as if a turn had stored it.
func (s *memStore) putState(tenantID, conversationID string, state []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.states[key(tenantID, conversationID)] = slices.Clone(state)
}

func (s *memStore) Unhandled(_ context.Context, limit int) ([]*assist.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if limit <= 0 {
		limit = 100
	}
	var out []*assist.Message
	for _, m := range s.msgs {
		if !m.Handled && m.Author == assist.AuthorCustomer && len(out) < limit {
			out = append(out, copyMsg(m))
		}
	}
	return out, nil
}

// all returns a copy of every stored message, in Seq order.
func (s *memStore) all() []*assist.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*assist.Message, 0, len(s.msgs))
	for _, m := range s.msgs {
		out = append(out, copyMsg(m))
	}
	return out
}

// The fake passes the same conformance suite as the real stores, so the
// service's tests hold against a store that keeps the contracts.
func TestMemStoreConformance(t *testing.T) {
	storetest.Conversations(t, func(*testing.T) conversation.Store { return newMemStore() })
}
