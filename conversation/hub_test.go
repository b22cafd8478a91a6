package conversation_test

import (
	"fmt"
	"testing"

	"github.com/assistd/assist/conversation"
)

func ev(convID string, i int) conversation.Event {
	return conversation.Event{Type: conversation.EventTyping, ConversationID: convID, Reason: fmt.Sprint(i)}
}

func TestHubSlowSubscriberIsDropped(t *testing.T) {
	const buffer = 4
	h := conversation.NewHub(buffer)
	slow := h.Subscribe("t", "c")
	fast := h.Subscribe("t", "c")
	defer fast.Close()

	const n = 3 * buffer
	for i := range n {
		h.Publish("t", ev("c", i))
		select {
		case e := <-fast.C:
			if e.Reason != fmt.Sprint(i) {
				t.Fatalf("fast subscriber got event %s, want %d", e.Reason, i)
			}
		default:
			t.Fatalf("fast subscriber missed event %d", i)
		}
	}
	// The slow one keeps what fitted in its buffer, then its channel is closed.
	var got int
	for range slow.C {
		got++
	}
	if got != buffer {
		t.Errorf("slow subscriber read %d buffered events before the close, want %d", got, buffer)
	}
	if !slow.Lagged() {
		t.Error("slow subscriber: Lagged() = false, want true")
	}
	if fast.Lagged() {
		t.Error("fast subscriber: Lagged() = true")
	}
	if n := h.Subscribers(); n != 1 {
		t.Errorf("Subscribers() = %d after the slow one was dropped, want 1", n)
	}
	slow.Close() // closing a dropped subscription is harmless
}

func TestHubRoutesByTenantAndConversation(t *testing.T) {
	var h conversation.Hub // the zero value works
	a := h.Subscribe("t1", "c1")
	b := h.Subscribe("t1", "c2")
	other := h.Subscribe("t2", "c1") // same conversation id, another tenant
	defer a.Close()
	defer b.Close()
	defer other.Close()

	h.Publish("t1", ev("c1", 1))
	h.Publish("t1", ev("c2", 2))
	h.Publish("t3", ev("c1", 3)) // nobody listens

	for _, tt := range []struct {
		name string
		sub  *conversation.Subscription
		want []string
	}{{"t1/c1", a, []string{"1"}}, {"t1/c2", b, []string{"2"}}, {"t2/c1", other, nil}} {
		var got []string
		for _, e := range drain(tt.sub) {
			got = append(got, e.Reason)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s got events %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSubscriptionClose(t *testing.T) {
	h := conversation.NewHub(1)
	s := h.Subscribe("t", "c")
	if n := h.Subscribers(); n != 1 {
		t.Fatalf("Subscribers() = %d, want 1", n)
	}
	s.Close()
	s.Close()
	if _, ok := <-s.C; ok {
		t.Error("channel still open after Close")
	}
	if s.Lagged() {
		t.Error("Lagged() = true after a plain Close")
	}
	if n := h.Subscribers(); n != 0 {
		t.Errorf("Subscribers() = %d after Close, want 0", n)
	}
	h.Publish("t", ev("c", 1)) // must not panic on the closed channel
}
