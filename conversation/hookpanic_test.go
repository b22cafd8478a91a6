package conversation_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog"
)

// panickingHandler is a routing hook with a bug: every call panics.
type panickingHandler struct{}

func (panickingHandler) HandOff(context.Context, *assist.Conversation, assist.Handoff, *assist.Message) error {
	panic("routing bug")
}

func (panickingHandler) CustomerMessage(context.Context, *assist.Conversation, *assist.Message) {
	panic("routing bug")
}

// A hook that panics loses no message and fails no Post: the message and
// the bot's reply are stored and returned, the conversation stays queued,
// and the panic is logged.
func TestHookPanicLosesNothing(t *testing.T) {
	s, _, _ := newService(dialog.HandoffPolicy{})
	var logs bytes.Buffer
	s.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	s.Handoffs = panickingHandler{}
	c, cust := start(t, s, conversation.NewConversation{Lang: "en"})

	res := post(t, s, cust, c.ID, "where is my parcel") // hands off: HandOff panics
	if !res.Created || len(res.Replies) == 0 {
		t.Fatalf("post = %+v, want the message stored with the bot's reply", res)
	}
	if got := conv(t, s, c.ID); got.Owner != assist.OwnerQueue {
		t.Errorf("owner %s, want queue", got.Owner)
	}
	post(t, s, cust, c.ID, "hello?") // CustomerMessage panics
	ms, err := s.Messages(context.Background(), cust, c.ID, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, m := range ms {
		if m.Author == assist.AuthorCustomer {
			texts = append(texts, m.Text)
		}
	}
	if strings.Join(texts, "|") != "where is my parcel|hello?" {
		t.Errorf("customer messages %q", texts)
	}
	if n := strings.Count(logs.String(), "routing bug"); n < 2 {
		t.Errorf("%d panics logged, want 2: %s", n, logs.String())
	}
}
