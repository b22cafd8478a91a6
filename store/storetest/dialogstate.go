package storetest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
)

// The dialog state cases of the Conversations suite: the state is opaque
// bytes stored by CompleteTurn with the turn, read back by DialogState.

// dialogState returns the stored state of c.
func dialogState(t *testing.T, s conversation.Store, c *assist.Conversation) []byte {
	t.Helper()
	st, err := s.DialogState(t.Context(), c.TenantID, c.ID)
	must(t, err)
	return st
}

func sameState(t *testing.T, what string, got, want []byte) {
	t.Helper()
	if !bytes.Equal(got, want) || (got == nil) != (want == nil) {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

// completeWithState runs the turn of a new customer message of c with one
// reply and the state.
func completeWithState(t *testing.T, s conversation.Store, c *assist.Conversation, state []byte) {
	t.Helper()
	m := appendMessage(t, s, c, assist.AuthorCustomer, "question")
	must(t, s.CompleteTurn(t.Context(), conversation.TurnResult{
		TenantID: c.TenantID, ConversationID: c.ID, MessageID: m.ID,
		Replies: []*assist.Message{reply(m, "answer")}, State: state,
	}))
}

func testDialogStateRoundTrip(t *testing.T, s conversation.Store) {
	tenant := newID()
	c := createConversation(t, s, tenant, "c1", t0)
	sameState(t, "DialogState of a new conversation", dialogState(t, s, c), nil)

	first := []byte(`{"turns":1,"entities":{"order_id":"DD202611030001"},"lang":"zh"}`)
	completeWithState(t, s, c, first)
	sameState(t, "DialogState after turn 1", dialogState(t, s, c), first)

	// A turn without a state keeps the stored one.
	completeWithState(t, s, c, nil)
	sameState(t, "DialogState after a turn without state", dialogState(t, s, c), first)

	// A later state replaces it whole, also when it is shorter.
	second := []byte(`{"turns":3}`)
	completeWithState(t, s, c, second)
	sameState(t, "DialogState after turn 3", dialogState(t, s, c), second)

	// Any bytes round-trip, not only valid JSON or UTF-8.
	raw := []byte{0, 1, 0xff, '{', 0xfe}
	completeWithState(t, s, c, raw)
	sameState(t, "DialogState of raw bytes", dialogState(t, s, c), raw)

	// The largest allowed state is stored whole.
	big := bytes.Repeat([]byte("x"), conversation.MaxStateBytes)
	completeWithState(t, s, c, big)
	sameState(t, "DialogState of MaxStateBytes", dialogState(t, s, c), big)

	// The returned bytes are the caller's: changing them changes nothing.
	got := dialogState(t, s, c)
	got[0] = 'y'
	if st := dialogState(t, s, c); st[0] != 'x' {
		t.Error("changing the returned state changed the stored one")
	}
}

func testDialogStateNotFound(t *testing.T, s conversation.Store) {
	_, err := s.DialogState(t.Context(), newID(), newID())
	wantCode(t, err, assist.ENOTFOUND)
	_, err = s.DialogState(t.Context(), "", "")
	wantCode(t, err, assist.ENOTFOUND)
}

// Only CompleteTurn writes the state: appending messages or changing the
// owner leaves it as it was.
func testDialogStateOnlyWithTurn(t *testing.T, s conversation.Store) {
	tenant := newID()
	c := createConversation(t, s, tenant, "c1", t0)
	state := []byte(`{"turns":1}`)
	completeWithState(t, s, c, state)

	appendMessage(t, s, c, assist.AuthorAgent, "an agent writes")
	appendMessage(t, s, c, assist.AuthorCustomer, "unanswered")
	must(t, s.SetOwner(t.Context(), tenant, c.ID, assist.OwnerAgent, "agent-1", "agent_joined"))
	sameState(t, "DialogState after messages and an owner change", dialogState(t, s, c), state)

	// A hand-off turn stores its state with the owner change.
	m := appendMessage(t, s, c, assist.AuthorCustomer, "human please")
	handoff := []byte(`{"turns":2,"escalation":{"reason":"customer_request"}}`)
	must(t, s.CompleteTurn(t.Context(), conversation.TurnResult{
		TenantID: tenant, ConversationID: c.ID, MessageID: m.ID, State: handoff,
		Owner: &conversation.OwnerChange{Owner: assist.OwnerQueue, Reason: "customer_request"},
	}))
	sameState(t, "DialogState after the hand-off turn", dialogState(t, s, c), handoff)
	if got := getConversation(t, s, c).Owner; got != assist.OwnerQueue {
		t.Errorf("Owner = %q, want %q", got, assist.OwnerQueue)
	}
}

// A turn completed twice keeps the first turn's state.
func testDialogStateConflict(t *testing.T, s conversation.Store) {
	tenant := newID()
	c := createConversation(t, s, tenant, "c1", t0)
	m := appendMessage(t, s, c, assist.AuthorCustomer, "question")
	turn := func(state string) error {
		return s.CompleteTurn(t.Context(), conversation.TurnResult{
			TenantID: tenant, ConversationID: c.ID, MessageID: m.ID,
			Replies: []*assist.Message{reply(m, state)}, State: []byte(state),
		})
	}
	must(t, turn(`{"turns":1}`))
	wantCode(t, turn(`{"turns":99}`), assist.ECONFLICT)
	sameState(t, "DialogState after a refused second turn", dialogState(t, s, c), []byte(`{"turns":1}`))
}

// A turn that fails writes no state.
func testDialogStateAtomic(t *testing.T, s conversation.Store) {
	tenant := newID()
	c := createConversation(t, s, tenant, "c1", t0)
	completeWithState(t, s, c, []byte(`{"turns":1}`))
	earlier := appendMessage(t, s, c, assist.AuthorCustomer, "earlier")
	m := appendMessage(t, s, c, assist.AuthorCustomer, "question")
	bad := reply(m, "bad reply")
	bad.ID = earlier.ID // already stored: the insert fails
	err := s.CompleteTurn(t.Context(), conversation.TurnResult{
		TenantID: tenant, ConversationID: c.ID, MessageID: m.ID,
		Replies: []*assist.Message{bad}, State: []byte(`{"turns":2}`),
	})
	wantCode(t, err, assist.ECONFLICT)
	sameState(t, "DialogState after a failed turn", dialogState(t, s, c), []byte(`{"turns":1}`))
}

func testDialogStateTooLarge(t *testing.T, s conversation.Store) {
	tenant := newID()
	c := createConversation(t, s, tenant, "c1", t0)
	m := appendMessage(t, s, c, assist.AuthorCustomer, "question")
	err := s.CompleteTurn(t.Context(), conversation.TurnResult{
		TenantID: tenant, ConversationID: c.ID, MessageID: m.ID,
		Replies: []*assist.Message{reply(m, "answer")},
		State:   []byte(`"` + strings.Repeat("x", conversation.MaxStateBytes) + `"`),
	})
	wantCode(t, err, assist.ETOOLARGE)
	if getMessage(t, s, m).Handled {
		t.Error("a turn refused for its state marked the message handled")
	}
	sameState(t, "DialogState after a refused state", dialogState(t, s, c), nil)
}

func testDialogStateTenantIsolation(t *testing.T, s conversation.Store) {
	a, b := newID(), newID()
	ca := createConversation(t, s, a, "a", t0)
	completeWithState(t, s, ca, []byte(`{"turns":1}`))

	_, err := s.DialogState(t.Context(), b, ca.ID)
	wantCode(t, err, assist.ENOTFOUND)

	// Another tenant's turn cannot write the state of a's conversation.
	m := appendMessage(t, s, ca, assist.AuthorCustomer, "question")
	err = s.CompleteTurn(t.Context(), conversation.TurnResult{
		TenantID: b, ConversationID: ca.ID, MessageID: m.ID, State: []byte(`{"turns":42}`),
	})
	wantCode(t, err, assist.ENOTFOUND)
	sameState(t, "DialogState of tenant a", dialogState(t, s, ca), []byte(`{"turns":1}`))

	// A conversation of b with the same state is separate.
	cb := createConversation(t, s, b, "b", t0)
	sameState(t, "DialogState of tenant b's new conversation", dialogState(t, s, cb), nil)
}
