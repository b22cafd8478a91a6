package conversation_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog"
)

// The customer sees the bot's quick replies with the message they belong
// to: in the POST's replies, in the conversation's messages and on the
// live stream; the message without any has none.
func TestReplyAttachmentsReachTheCustomer(t *testing.T) {
	choices := &assist.Attachments{Choices: []assist.Choice{{Label: "1. DD202611030001 (desk lamp)", Value: "DD202611030001"}}}
	s, _, hub := newService(dialog.PolicyFunc(func(context.Context, dialog.Turn) (dialog.Reply, error) {
		return dialog.Reply{Messages: []string{"Which order?", "Or tell me its number."}, Attachments: []*assist.Attachments{choices}}, nil
	}))
	c, p := start(t, s, conversation.NewConversation{Channel: "web"})
	sub := hub.Subscribe(tenant, c.ID)
	defer sub.Close()
	res := post(t, s, p, c.ID, "where is my lamp")
	if len(res.Replies) != 2 || !reflect.DeepEqual(res.Replies[0].Attachments, choices) || res.Replies[1].Attachments != nil {
		t.Fatalf("replies %+v, want the choices on the first only", res.Replies)
	}
	ms, err := s.Messages(context.Background(), p, c.ID, "", 0)
	if err != nil || len(ms) != 3 || !reflect.DeepEqual(ms[1].Attachments, choices) {
		t.Errorf("messages %+v (%v): the stored reply lost its choices", ms, err)
	}
	var streamed bool
	for _, e := range drain(sub) {
		if e.Type == conversation.EventMessage && e.Message.Author == assist.AuthorBot && reflect.DeepEqual(e.Message.Attachments, choices) {
			streamed = true
		}
	}
	if !streamed {
		t.Error("the live stream did not carry the choices")
	}
}
