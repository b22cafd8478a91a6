package eval

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog"
)

func TestRunReplayComparesWithWhatHappened(t *testing.T) {
	convs := []*Recorded{
		// The scripted bot answers "ok" to everything: unchanged.
		{ID: "same", Turns: []RecordedTurn{{Say: "hi", Replies: []string{"ok"}}}},
		// Replies changed on the second turn.
		{ID: "changed", Turns: []RecordedTurn{{Say: "hi", Replies: []string{"ok"}}, {Say: "where", Replies: []string{"in transit"}}}},
		// It handed off at turn 1 for anger, would now hand off at turn 2.
		{ID: "moved", Turns: []RecordedTurn{{Say: "grr", Replies: []string{"ok"}}, {Say: "PERSON:anger", Replies: []string{"ok"}}}, EscalationTurn: 1, Reason: "anger"},
		// It kept the conversation; would now hand off.
		{ID: "new", Turns: []RecordedTurn{{Say: "PERSON:customer_request", Replies: []string{"ok"}}}},
		// It handed off; would not now.
		{ID: "gone", Turns: []RecordedTurn{{Say: "help", Replies: []string{"ok"}}}, EscalationTurn: 1, Reason: "no_automation"},
		// Same turn and reason.
		{ID: "kept", Turns: []RecordedTurn{{Say: "PERSON:anger", Replies: []string{"ok"}}}, EscalationTurn: 1, Reason: "anger"},
	}
	r, err := RunReplay(context.Background(), &scriptedBot{}, convs)
	if err != nil {
		t.Fatal(err)
	}
	if r.RepliesChanged != 1 || r.EscalationMoved != 1 || r.EscalationNew != 1 || r.EscalationGone != 1 || r.EscalationSame != 1 {
		t.Errorf("report %+v", r)
	}
	if len(r.Changed) != 1 || r.Changed[0].Conversation != "changed" || r.Changed[0].Turn != 2 {
		t.Errorf("changed turns %+v", r.Changed)
	}
	var buf bytes.Buffer
	if err := WriteRecorded(&buf, convs); err != nil {
		t.Fatal(err)
	}
	back, err := ReadRecorded(&buf)
	if err != nil || len(back) != len(convs) || back[2].Reason != "anger" {
		t.Fatalf("round trip: %v %+v", err, back)
	}
	if _, err := ReadRecorded(bytes.NewBufferString(`{"id":"x","turns":[]}`)); err == nil {
		t.Error("a conversation without turns: want an error")
	}
}

type fakeSource struct {
	convs []*assist.Conversation
	msgs  map[string][]*assist.Message
	state map[string]*dialog.State
}

func (f fakeSource) ListConversations(context.Context, string, conversation.Filter) ([]*assist.Conversation, error) {
	return f.convs, nil
}

func (f fakeSource) Messages(_ context.Context, _, id string, after int64, limit int) ([]*assist.Message, error) {
	var out []*assist.Message
	for _, m := range f.msgs[id] {
		if m.Seq > after && len(out) < limit {
			out = append(out, m)
		}
	}
	return out, nil
}

func (f fakeSource) DialogState(_ context.Context, _, id string) ([]byte, error) {
	if f.state[id] == nil {
		return nil, nil
	}
	return json.Marshal(f.state[id])
}

func TestExportGroupsRepliesAndFindsTheHandoff(t *testing.T) {
	msg := func(seq int64, id string, a assist.Author, text, replyTo string) *assist.Message {
		return &assist.Message{ID: id, Seq: seq, Author: a, Text: text, ReplyTo: replyTo}
	}
	src := fakeSource{
		convs: []*assist.Conversation{
			{ID: "c1", Lang: "zh", CustomerRef: "demo-customer-1", Owner: assist.OwnerAgent, Reason: "anger"},
			{ID: "empty", Owner: assist.OwnerBot},
		},
		msgs: map[string][]*assist.Message{"c1": {
			msg(1, "m1", assist.AuthorCustomer, "我的快递呢，电话13812345678", ""),
			msg(2, "b1", assist.AuthorBot, "已发货", "m1"),
			msg(3, "b2", assist.AuthorBot, "预计明天到", "m1"),
			msg(4, "m2", assist.AuthorCustomer, "骗子", ""),
			msg(5, "b3", assist.AuthorBot, "正在为您转人工", "m2"),
			msg(6, "a1", assist.AuthorAgent, "您好", ""),
			msg(7, "m3", assist.AuthorCustomer, "好的", ""),
		}},
		state: map[string]*dialog.State{"c1": {Turns: 2, Intents: []dialog.IntentNote{{Turn: 1, Label: "track_shipment"}, {Turn: 2, Label: "complaint"}}, Escalation: &dialog.Escalation{Reason: "anger", Turn: 2}}},
	}
	got, err := Export(context.Background(), src, "t1", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("exported %d conversations, want 1 (the empty one left out)", len(got))
	}
	c := got[0]
	if len(c.Turns) != 3 || len(c.Turns[0].Replies) != 2 || c.Turns[0].Intent != "track_shipment" || c.Turns[1].Intent != "complaint" || len(c.Turns[2].Replies) != 0 {
		t.Errorf("turns %+v", c.Turns)
	}
	if strings.Contains(c.Turns[0].Say, "13812345678") || !strings.Contains(c.Turns[0].Say, "我的快递呢") {
		t.Errorf("the export keeps a phone number: %q", c.Turns[0].Say)
	}
	if c.EscalationTurn != 2 || c.Reason != "anger" || c.Customer != "demo-customer-1" {
		t.Errorf("escalation %d %q customer %q", c.EscalationTurn, c.Reason, c.Customer)
	}
}
