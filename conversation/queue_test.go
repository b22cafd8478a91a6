package conversation_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog"
)

// queueHandler is a hand-off handler that knows queue positions, as
// routing does, and records the hand-offs it gets.
type queueHandler struct {
	mu        sync.Mutex
	pos       int
	ok        bool
	handoffs  []assist.Handoff
	asked     int
	withdrawn []string
}

func (h *queueHandler) HandOff(_ context.Context, _ *assist.Conversation, ho assist.Handoff, _ *assist.Message) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.handoffs = append(h.handoffs, ho)
	return nil
}

func (h *queueHandler) QueuePosition(string, string) (int, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.asked++
	return h.pos, h.ok
}

func (h *queueHandler) Withdraw(_ context.Context, c *assist.Conversation) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.withdrawn = append(h.withdrawn, c.ID)
	return nil
}

// staffedHandler is a queueHandler that also tells how many people serve
// the queue.
type staffedHandler struct {
	queueHandler
	agents int
}

func (h *staffedHandler) QueueServing(string, string) (int, bool) { return h.agents, true }

// plainHandler cannot tell queue positions.
type plainHandler struct{}

func (plainHandler) HandOff(context.Context, *assist.Conversation, assist.Handoff, *assist.Message) error {
	return nil
}

// escalating hands off every turn with the full escalation, storing the
// language it detected in the state.
func escalating(lang string) dialog.Policy {
	return dialog.PolicyFunc(func(_ context.Context, t dialog.Turn) (dialog.Reply, error) {
		st := *t.State
		st.Lang = lang
		return dialog.Reply{
			Messages: []string{"connecting you"},
			Handoff: &dialog.Handoff{Reason: "angry", Intent: "track_shipment", Sentiment: -0.8, VIP: true,
				Evidence: map[string]string{"anger": "0.93"}},
			State: &st,
		}, nil
	})
}

func TestQueuePositionMessage(t *testing.T) {
	tests := []struct {
		name     string
		convLang string
		bodyLang string // the state's language, used when the conversation has none
		handler  conversation.HandoffHandler
		want     string // "" no queue message
	}{
		{"queued en", "en", "", &queueHandler{pos: 3, ok: true}, "You're number 3 in the queue (about 9 minutes); a person from our support team will reply as soon as they join."},
		{"queued zh", "zh", "", &queueHandler{pos: 3, ok: true}, "您前面还有 2 位顾客在排队，预计等待约 9 分钟，人工客服接入后会马上回复您。"},
		{"next zh", "zh", "", &queueHandler{pos: 1, ok: true}, "您在排队的第一位，预计约 3 分钟，人工客服接入后会马上回复您。"},
		{"agent joining en", "en", "", &queueHandler{pos: 0, ok: true}, conversation.QueueText("en", 0)},
		{"lang from the state", "", "zh", &queueHandler{pos: 2, ok: true}, "您前面还有 1 位顾客在排队，预计等待约 6 分钟，人工客服接入后会马上回复您。"},
		{"not routed", "en", "", &queueHandler{ok: false}, ""},
		// Nobody online for the queue: no wait is promised.
		{"nobody serving en", "en", "", &staffedHandler{queueHandler{pos: 2, ok: true}, 0}, "You're number 2 in the queue, but nobody from our team is online right now, so I can't promise a time: a person will reply as soon as one is available. You can keep writing, and I can still answer questions meanwhile."},
		{"nobody serving zh", "zh", "", &staffedHandler{queueHandler{pos: 1, ok: true}, 0}, "您在排队的第 1 位，但现在没有人工客服在线，暂时无法估计等待时间；客服上线后会第一时间回复您。您可以继续留言，我也可以先为您解答问题。"},
		{"someone serving", "en", "", &staffedHandler{queueHandler{pos: 3, ok: true}, 2}, "You're number 3 in the queue (about 9 minutes); a person from our support team will reply as soon as they join."},
		{"handler cannot tell", "en", "", plainHandler{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, store, hub := newService(escalating(tt.bodyLang))
			s.Handoffs = tt.handler
			c, cust := start(t, s, conversation.NewConversation{Lang: tt.convLang})
			sub := hub.Subscribe(tenant, c.ID)
			defer sub.Close()

			res := post(t, s, cust, c.ID, "where is my parcel")
			var texts []string
			for _, r := range res.Replies {
				texts = append(texts, r.Text)
			}
			want := []string{"connecting you"}
			if tt.want != "" {
				want = append(want, tt.want)
			}
			if !slices.Equal(texts, want) {
				t.Fatalf("replies %q, want %q", texts, want)
			}
			// Stored as a bot reply to the customer message, and published.
			stored, err := store.Replies(context.Background(), tenant, res.Message.ID)
			if err != nil {
				t.Fatal(err)
			}
			var storedTexts []string
			for _, m := range stored {
				storedTexts = append(storedTexts, m.Text)
				if m.Author != assist.AuthorBot {
					t.Errorf("reply %q by %s, want bot", m.Text, m.Author)
				}
			}
			if !slices.Equal(storedTexts, want) {
				t.Errorf("stored replies %q, want %q", storedTexts, want)
			}
			var published []string
			for _, e := range drain(sub) {
				if e.Type == conversation.EventMessage && e.Message.Author == assist.AuthorBot {
					published = append(published, e.Message.Text)
				}
			}
			if !slices.Equal(published, want) {
				t.Errorf("published %q, want %q", published, want)
			}
			// A later message while queued is served by the bot, which
			// hands off no more: where the customer stands instead, when
			// the handler can tell.
			again := post(t, s, cust, c.ID, "hello?")
			if got := conv(t, s, c.ID); got.Owner != assist.OwnerQueue {
				t.Errorf("owner %s after a turn while queued", got.Owner)
			}
			if n := len(again.Replies); n < 1 || n > 2 || (len(want) == 2) != (n == 2) {
				t.Errorf("replies while queued: %d, want the policy's and, when known, the queue position", n)
			}
			if qh, ok := tt.handler.(*queueHandler); ok {
				qh.mu.Lock()
				defer qh.mu.Unlock()
				if len(qh.handoffs) != 1 {
					t.Fatalf("%d hand-offs, want 1", len(qh.handoffs))
				}
				h := qh.handoffs[0]
				if h.Reason != "angry" || h.Intent != "track_shipment" || h.Sentiment != -0.8 || !h.VIP || h.Evidence["anger"] != "0.93" {
					t.Errorf("routing got %+v, want the whole hand-off", h)
				}
			}
		})
	}
}

// A repeated post with the idempotency key gets the queue message among
// its replies, stored once.
func TestQueuePositionMessageIdempotent(t *testing.T) {
	s, store, _ := newService(escalating("en"))
	h := &queueHandler{pos: 5, ok: true}
	s.Handoffs = h
	c, cust := start(t, s, conversation.NewConversation{Lang: "en"})
	in := conversation.NewMessage{Text: "I am angry", IdempotencyKey: "k-1"}
	first, err := s.Post(context.Background(), cust, c.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.Post(context.Background(), cust, c.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if second.Created || len(second.Replies) != 2 || len(first.Replies) != 2 || second.Replies[1].ID != first.Replies[1].ID {
		t.Errorf("replies first %d, retry %d (created %v); want the same two", len(first.Replies), len(second.Replies), second.Created)
	}
	if n := len(store.all()); n != 3 {
		t.Errorf("%d messages stored, want 3 (message, reply, queue position)", n)
	}
}

// While the customer waits for a person the bot keeps serving: asked
// about the wait it says where they stand (the language of the message),
// and a customer who no longer wants a person leaves the queue and is
// the bot's again.
func TestServedWhileQueued(t *testing.T) {
	policy := dialog.PolicyFunc(func(_ context.Context, t dialog.Turn) (dialog.Reply, error) {
		st := *t.State
		switch t.Message.Text {
		case "human please":
			return dialog.Reply{Messages: []string{"connecting you"}, Handoff: &dialog.Handoff{Reason: "customer_request", Lang: "en"}, State: &st}, nil
		case "还要等多久":
			st.Lang = "zh"
			return dialog.Reply{QueueStatus: true, State: &st}, nil
		case "never mind":
			return dialog.Reply{Messages: []string{"OK, out of the queue"}, Leave: true, State: &st}, nil
		}
		return dialog.Reply{Messages: []string{"answer: " + t.Message.Text}, State: &st}, nil
	})
	s, _, _ := newService(policy)
	h := &queueHandler{pos: 3, ok: true}
	s.Handoffs = h
	c, cust := start(t, s, conversation.NewConversation{Lang: "en"})
	post(t, s, cust, c.ID, "human please")
	if r := post(t, s, cust, c.ID, "what are your opening hours?"); len(r.Replies) != 1 || r.Replies[0].Text != "answer: what are your opening hours?" {
		t.Errorf("a question while queued: %+v", r.Replies)
	}
	r := post(t, s, cust, c.ID, "还要等多久")
	if len(r.Replies) != 1 || r.Replies[0].Text != conversation.QueueText("zh", 3) {
		t.Errorf("asked about the wait: %+v, want %q", r.Replies, conversation.QueueText("zh", 3))
	}
	if got := conv(t, s, c.ID).Owner; got != assist.OwnerQueue {
		t.Fatalf("owner %s while waiting, want queue", got)
	}
	post(t, s, cust, c.ID, "never mind")
	if got := conv(t, s, c.ID); got.Owner != assist.OwnerBot || got.Reason != conversation.ReasonCustomerLeft {
		t.Errorf("after leaving: owner %s reason %q, want bot/%s", got.Owner, got.Reason, conversation.ReasonCustomerLeft)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !slices.Equal(h.withdrawn, []string{c.ID}) || len(h.handoffs) != 1 {
		t.Errorf("routing told: withdrawn %v, %d hand-offs; want the conversation withdrawn once and one hand-off", h.withdrawn, len(h.handoffs))
	}
}
