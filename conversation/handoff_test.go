package conversation_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog"
)

// recordingHandler records what the conversation core tells routing. It
// also changes the owner through the service, as routing does, to prove
// it is called outside the turn lock (it would deadlock otherwise).
type recordingHandler struct {
	mu       sync.Mutex
	s        *conversation.Service
	calls    []string
	err      error
	takeOver bool
}

func (h *recordingHandler) HandOff(ctx context.Context, c *assist.Conversation, ho assist.Handoff, m *assist.Message) error {
	h.mu.Lock()
	h.calls = append(h.calls, "handoff:"+ho.Reason+":"+m.Text+":"+string(c.Owner))
	h.mu.Unlock()
	if h.takeOver {
		if err := h.s.SetOwner(ctx, c.TenantID, c.ID, assist.OwnerAgent, "agent-7", "accepted"); err != nil {
			return err
		}
	}
	return h.err
}

func (h *recordingHandler) CustomerMessage(_ context.Context, c *assist.Conversation, m *assist.Message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = append(h.calls, "customer:"+m.Text)
}

func TestHandoffHook(t *testing.T) {
	s, _, hub := newService(dialog.HandoffPolicy{})
	h := &recordingHandler{s: s, takeOver: true}
	s.Handoffs = h
	c, cust := start(t, s, conversation.NewConversation{Lang: "en"})
	sub := hub.Subscribe(tenant, c.ID)
	defer sub.Close()

	post(t, s, cust, c.ID, "where is my parcel")
	if got := conv(t, s, c.ID); got.Owner != assist.OwnerAgent || got.AssigneeID != "agent-7" {
		t.Fatalf("owner %s %s, want agent-7 (set by the handler)", got.Owner, got.AssigneeID)
	}
	post(t, s, cust, c.ID, "hello?")
	// The bot stays silent while a person owns it.
	res := post(t, s, cust, c.ID, "anyone")
	if len(res.Replies) != 0 {
		t.Errorf("bot replied %d times while an agent owns the conversation", len(res.Replies))
	}
	want := []string{"handoff:no_automation:where is my parcel:queue", "customer:hello?", "customer:anyone"}
	h.mu.Lock()
	got := append([]string(nil), h.calls...)
	h.mu.Unlock()
	if len(got) != len(want) {
		t.Fatalf("calls %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("call %d = %q, want %q", i, got[i], want[i])
		}
	}
	// SetOwner told live clients.
	var owners []assist.Owner
	for _, e := range drain(sub) {
		if e.Type == conversation.EventStatus {
			owners = append(owners, e.Owner)
		}
	}
	if len(owners) != 2 || owners[0] != assist.OwnerQueue || owners[1] != assist.OwnerAgent {
		t.Errorf("status events %v, want [queue agent]", owners)
	}
}

// A failing handler loses nothing: the message and the hand-off are stored.
func TestHandoffHookErrorIsLogged(t *testing.T) {
	s, _, _ := newService(dialog.HandoffPolicy{})
	s.Handoffs = &recordingHandler{s: s, err: errors.New("routing down")}
	c, cust := start(t, s, conversation.NewConversation{})
	res := post(t, s, cust, c.ID, "help")
	if len(res.Replies) != 1 {
		t.Errorf("%d replies, want the hand-off message", len(res.Replies))
	}
	if got := conv(t, s, c.ID); got.Owner != assist.OwnerQueue {
		t.Errorf("owner %s, want queue", got.Owner)
	}
}
