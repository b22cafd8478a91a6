package conversation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog"
)

// The dialog state is stored as JSON with each turn (TurnResult.State).
// The service owns its encoding: the store sees opaque bytes.

// loadState returns the conversation's stored dialog state, a zero State
// when none is stored yet. A stored state that does not decode is logged
// (its size and the kind of error, never its content, which holds
// customer data) and replaced by a zero State, so the conversation goes on
// instead of failing every turn. Store errors are returned.
func (s *Service) loadState(ctx context.Context, c *assist.Conversation) (*dialog.State, error) {
	raw, err := s.Store.DialogState(ctx, c.TenantID, c.ID)
	if err != nil {
		return nil, fmt.Errorf("dialog state: %w", err)
	}
	st, err := decodeState(raw)
	if err != nil {
		s.logger().WarnContext(ctx, "stored dialog state is unreadable; starting from a zero state",
			"tenant_id", c.TenantID, "conversation_id", c.ID, "bytes", len(raw), "err_kind", errorKind(err))
		return &dialog.State{}, nil
	}
	return st, nil
}

// decodeState decodes a stored state; nil or empty is a zero State.
func decodeState(raw []byte) (*dialog.State, error) {
	st := &dialog.State{}
	if len(raw) == 0 {
		return st, nil
	}
	if err := json.Unmarshal(raw, st); err != nil {
		return nil, err
	}
	return st, nil
}

// errorKind names a decoding error without quoting the input.
func errorKind(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("syntax error at byte %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("wrong type for field %q", typ.Field)
	}
	return fmt.Sprintf("%T", err)
}

// encodeState returns the JSON of st to store with a turn, at most
// MaxStateBytes long. A larger state is trimmed step by step, least
// useful first: older intents, the last entities, the clarify options,
// the last action result of the flow, the escalation evidence, and at
// last the flow itself; trimmed names what was dropped. The caller's st
// is not changed.
func encodeState(st *dialog.State) (raw []byte, trimmed []string, err error) {
	raw, err = json.Marshal(st)
	if err != nil || len(raw) <= MaxStateBytes {
		return raw, nil, err
	}
	t := *st
	if t.Flow != nil {
		f := *t.Flow
		t.Flow = &f
	}
	if t.Escalation != nil {
		e := *t.Escalation
		t.Escalation = &e
	}
	steps := []struct {
		name string
		drop func()
	}{
		{"intents", func() {
			if len(t.Intents) > 1 {
				t.Intents = t.Intents[len(t.Intents)-1:]
			}
		}},
		{"entities", func() { t.Entities = nil }},
		{"clarify", func() { t.Clarify = nil }},
		{"flow_result", func() {
			if t.Flow != nil {
				t.Flow.Result = nil
			}
		}},
		{"escalation_evidence", func() {
			if t.Escalation != nil {
				t.Escalation.Evidence = nil
			}
		}},
		{"flow", func() { t.Flow = nil }},
		{"intents_all", func() { t.Intents = nil }},
	}
	for _, step := range steps {
		step.drop()
		trimmed = append(trimmed, step.name)
		if raw, err = json.Marshal(&t); err != nil {
			return nil, trimmed, err
		}
		if len(raw) <= MaxStateBytes {
			return raw, trimmed, nil
		}
	}
	// Only scalars and the escalation reason are left; a reason code of
	// this size is not a state to keep.
	raw, err = json.Marshal(&dialog.State{Lang: t.Lang, Turns: t.Turns, Fallbacks: t.Fallbacks, Sentiment: t.Sentiment})
	return raw, append(trimmed, "escalation"), err
}

// DialogState returns what the bot remembers of a conversation: its flow
// and slots, recent intents and entities, fallbacks, sentiment trend and
// escalation. Staff only (EFORBIDDEN for customers, whose messages the
// state describes in the bot's terms); a conversation of another tenant is
// ENOTFOUND. A conversation with no stored state has a zero State.
func (s *Service) DialogState(ctx context.Context, p assist.Principal, id string) (*dialog.State, error) {
	if !p.Role.Staff() {
		return nil, assist.Errorf(assist.EFORBIDDEN, "only staff can see a conversation's dialog state")
	}
	c, err := s.Get(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return s.loadState(ctx, c)
}

// State returns a conversation's dialog state on a service's behalf
// (agent assist, the hand-off summary); a zero State when there is none.
func (s *Service) State(ctx context.Context, tenantID, id string) (*dialog.State, error) {
	return s.loadState(ctx, &assist.Conversation{TenantID: tenantID, ID: id})
}

// History returns up to MaxPageSize messages of a conversation, in order,
// on a service's behalf.
func (s *Service) History(ctx context.Context, tenantID, id string) ([]*assist.Message, error) {
	return s.Store.Messages(ctx, tenantID, id, 0, MaxPageSize)
}
