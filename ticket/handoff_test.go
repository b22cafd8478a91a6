package ticket_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/ticket"
)

// A hand-off's evidence, sentiment and VIP flag are in the ticket's
// summary note; a VIP hand-off is urgent.
func TestOpenFromHandoff(t *testing.T) {
	svc, _, _ := newService(t)
	ctx := context.Background()
	h := assist.Handoff{Reason: "anger", Intent: "track_shipment", Sentiment: -0.734, VIP: true,
		Evidence: map[string]string{"anger": "0.91", "message": "I want to talk\nto a person NOW.", "negative_run": "3"}}
	tk := must[*ticket.Ticket](t)(svc.OpenFromHandoff(ctx, conv(), h, botPart()))
	if tk.Priority != ticket.PriorityUrgent || tk.Reason != "anger" {
		t.Errorf("ticket priority %s reason %s, want urgent angry", tk.Priority, tk.Reason)
	}
	cs := must[[]*ticket.Comment](t)(svc.Comments(ctx, supervisor, tk.ID))
	if len(cs) != 1 {
		t.Fatalf("%d comments, want the summary", len(cs))
	}
	golden(t, "handoff_summary.golden", cs[0].Body)

	// The same hand-off again finds the same ticket.
	again := must[*ticket.Ticket](t)(svc.OpenFromHandoff(ctx, conv(), h, botPart()))
	if again.ID != tk.ID {
		t.Errorf("retry opened %s, want %s", again.ID, tk.ID)
	}
}

func TestHandoffDetails(t *testing.T) {
	many := map[string]string{}
	for _, k := range strings.Split("a b c d e f g h i j k l m n", " ") {
		many[k] = "v"
	}
	tests := []struct {
		name string
		h    assist.Handoff
		want string
	}{
		{"nothing", assist.Handoff{Reason: "customer_request"}, ""},
		{"sentiment clamped", assist.Handoff{Sentiment: -4}, "Sentiment trend: -1.00 (−1 negative … +1 positive).\n"},
		{"evidence cut", assist.Handoff{Evidence: map[string]string{"x": strings.Repeat("长", 200), " ": "blank key"}},
			"Evidence:\n- x: " + strings.Repeat("长", 119) + "…\n"},
		{"many keys", assist.Handoff{Evidence: many}, "Evidence:\n- a: v\n- b: v\n- c: v\n- d: v\n- e: v\n- f: v\n- g: v\n- h: v\n- i: v\n- j: v\n- k: v\n- l: v\n- … 2 more\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ticket.HandoffDetails(tt.h); got != tt.want {
				t.Errorf("HandoffDetails = %q, want %q", got, tt.want)
			}
		})
	}
}

// queueingRouting is fakeRouting that knows queue positions.
type queueingRouting struct {
	fakeRouting
	pos       map[string]int
	withdrawn []string
}

func (q *queueingRouting) QueuePosition(tenantID, conversationID string) (int, bool) {
	p, ok := q.pos[tenantID+"/"+conversationID]
	return p, ok
}

func (q *queueingRouting) QueueServing(tenantID, conversationID string) (int, bool) {
	_, ok := q.pos[tenantID+"/"+conversationID]
	return 2, ok
}

func (q *queueingRouting) Withdraw(_ context.Context, c *assist.Conversation) error {
	q.withdrawn = append(q.withdrawn, c.ID)
	return nil
}

// Escalations passes on to routing a customer leaving the queue and the
// question whether anyone serves it.
func TestEscalationsWithdrawAndServing(t *testing.T) {
	svc, _, _ := newService(t)
	r := &queueingRouting{pos: map[string]int{tenant + "/conv-1": 4}}
	esc := &ticket.Escalations{Tickets: svc, Next: r}
	cv := conv()
	if err := esc.Withdraw(context.Background(), &cv); err != nil || !slices.Equal(r.withdrawn, []string{cv.ID}) {
		t.Errorf("Withdraw: err %v, routing withdrew %v; want %s", err, r.withdrawn, cv.ID)
	}
	if n, ok := esc.QueueServing(tenant, "conv-1"); !ok || n != 2 {
		t.Errorf("QueueServing = %d, %v; want 2, true", n, ok)
	}
	plain := &ticket.Escalations{Tickets: svc, Next: &fakeRouting{}}
	if err := plain.Withdraw(context.Background(), &cv); err != nil {
		t.Errorf("Withdraw without routing: %v", err)
	}
	if _, ok := plain.QueueServing(tenant, "conv-1"); ok {
		t.Error("QueueServing without a routing that tells is ok")
	}
}

// Escalations passes queue positions on from routing, and the whole
// hand-off to the ticket.
func TestEscalationsQueuePosition(t *testing.T) {
	svc, _, _ := newService(t)
	r := &queueingRouting{pos: map[string]int{tenant + "/conv-1": 4}}
	esc := &ticket.Escalations{Tickets: svc, Next: r}
	if pos, ok := esc.QueuePosition(tenant, "conv-1"); !ok || pos != 4 {
		t.Errorf("QueuePosition = %d, %v; want 4, true", pos, ok)
	}
	if _, ok := esc.QueuePosition(tenant, "conv-2"); ok {
		t.Error("QueuePosition of a conversation routing does not hold is ok")
	}
	plain := &ticket.Escalations{Tickets: svc, Next: &fakeRouting{}}
	if _, ok := plain.QueuePosition(tenant, "conv-1"); ok {
		t.Error("QueuePosition without a routing that tells is ok")
	}

	cv := conv()
	h := assist.Handoff{Reason: "customer_request", Evidence: map[string]string{"phrase": "human please"}}
	if err := esc.HandOff(context.Background(), &cv, h, botPart()[4]); err != nil {
		t.Fatal(err)
	}
	list := must[[]*ticket.Ticket](t)(svc.List(context.Background(), supervisor, ticket.Filter{}))
	if len(list) != 1 {
		t.Fatalf("%d tickets, want 1", len(list))
	}
	cs := must[[]*ticket.Comment](t)(svc.Comments(context.Background(), supervisor, list[0].ID))
	if !strings.Contains(cs[0].Body, "- phrase: human please\n") {
		t.Errorf("summary without the evidence:\n%s", cs[0].Body)
	}
}
