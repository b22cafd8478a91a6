package sqlite

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/dialog/flow"
)

// slotCounter is a policy that keeps a turn counter and an order id slot
// in the dialog state: the first message names the order, later ones are
// answered from the slot, "reset" clears it. It replies with what it saw,
// so the test reads the state the turn started from in the replies.
var slotCounter = dialog.PolicyFunc(func(_ context.Context, t dialog.Turn) (dialog.Reply, error) {
	st := *t.State
	saw := "turn " + strconv.Itoa(st.Turns) + " slot " + slotOf(&st)
	st.Turns++
	switch text := t.Message.Text; {
	case text == "reset":
		st.Flow = nil
	case st.Flow == nil:
		st.Flow = &flow.Run{Flow: "order_status", Step: "confirm", Slots: map[string]string{"order_id": text}}
	}
	return dialog.Reply{Messages: []string{saw}, State: &st}, nil
})

func slotOf(st *dialog.State) string {
	if st.Flow == nil {
		return "-"
	}
	return st.Flow.Slots["order_id"]
}

// A restart resumes every conversation where it was: the state stored
// with each turn is read by the next turn of a new service on the
// reopened database.
func TestDialogStateSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "assist.db")
	open := func() (*DB, *conversation.Service) {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		return db, &conversation.Service{Store: NewConversationStore(db), Policy: slotCounter}
	}
	say := func(s *conversation.Service, p assist.Principal, convID, text string) string {
		t.Helper()
		res, err := s.Post(ctx, p, convID, conversation.NewMessage{Text: text})
		if err != nil || len(res.Replies) != 1 {
			t.Fatalf("Post %q: %v, %v", text, res, err)
		}
		return res.Replies[0].Text
	}

	db, svc := open()
	a, tokA, err := svc.Create(ctx, "tenant-1", conversation.NewConversation{Lang: "zh"})
	if err != nil {
		t.Fatal(err)
	}
	b, tokB, err := svc.Create(ctx, "tenant-1", conversation.NewConversation{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	pa, err := svc.Authorize(ctx, a.ID, tokA)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := svc.Authorize(ctx, b.ID, tokB)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		s    *conversation.Service
		p    assist.Principal
		conv string
		text string
		want string
	}{
		{svc, pa, a.ID, "DD202611030001", "turn 0 slot -"},
		{svc, pa, a.ID, "where is it", "turn 1 slot DD202611030001"},
		{svc, pb, b.ID, "DD202611050002", "turn 0 slot -"},
	}
	for _, st := range steps {
		if got := say(st.s, st.p, st.conv, st.text); got != st.want {
			t.Errorf("before the restart, %q: reply %q, want %q", st.text, got, st.want)
		}
	}
	// The process dies after storing b's next message, before its turn.
	pending := &assist.Message{ID: "pending-1", TenantID: "tenant-1", ConversationID: b.ID, Author: assist.AuthorCustomer,
		Text: "still there?", CreatedAt: b.CreatedAt}
	if _, _, err := svc.Store.AppendMessage(ctx, pending); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, svc = open()
	defer db.Close()
	// Recover runs the pending turn from the stored state.
	if n, err := svc.Recover(ctx); err != nil || n != 1 {
		t.Fatalf("Recover = %d, %v; want 1 turn", n, err)
	}
	replies, err := svc.Store.Replies(ctx, "tenant-1", pending.ID)
	if err != nil || len(replies) != 1 || replies[0].Text != "turn 1 slot DD202611050002" {
		t.Errorf("recovered turn replies %v, %v; want it to see b's state", replies, err)
	}
	after := []struct {
		p    assist.Principal
		conv string
		text string
		want string
	}{
		{pa, a.ID, "and now?", "turn 2 slot DD202611030001"},
		{pb, b.ID, "status", "turn 2 slot DD202611050002"},
		{pa, a.ID, "reset", "turn 3 slot DD202611030001"},
		{pa, a.ID, "DD202611010003", "turn 4 slot -"},
		{pa, a.ID, "ok", "turn 5 slot DD202611010003"},
	}
	for _, st := range after {
		if got := say(svc, st.p, st.conv, st.text); got != st.want {
			t.Errorf("after the restart, %q: reply %q, want %q", st.text, got, st.want)
		}
	}

	// Staff see the state as stored.
	staff := assist.Principal{TenantID: "tenant-1", UserID: "u1", Role: assist.RoleAgent}
	got, err := svc.DialogState(ctx, staff, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Turns != 6 || slotOf(got) != "DD202611010003" {
		js, _ := json.Marshal(got)
		t.Errorf("state of a = %s, want 6 turns and the last order", js)
	}
}

// BenchmarkTurnDialogState measures a whole customer turn through
// conversation.Service on SQLite (store the message, load the state, run
// a trivial policy, store reply and state in one transaction), with a
// typical mid-flow state (about 600 bytes) against no state at all: the
// difference is what persisting the dialog state costs a turn.
func BenchmarkTurnDialogState(b *testing.B) {
	midFlow := dialog.State{Lang: "zh", Turns: 4, Fallbacks: 0,
		Flow: &flow.Run{Flow: "return_request", Step: "ask_reason", Awaiting: "reason", Calls: 1,
			Slots:  map[string]string{"order_id": "DD202611010003"},
			Result: &flow.Result{Status: "ok", Data: map[string]any{"status": "delivered", "items": "蓝色连帽卫衣 L ×1", "total": "199.00 CNY"}}},
		Intents: []dialog.IntentNote{{Turn: 1, Label: "order_status", Confidence: 0.91},
			{Turn: 2, Label: "return_request", Confidence: 0.88}, {Turn: 3, Label: "return_request", Confidence: 0.93}},
		Entities: map[string]string{"order_id": "DD202611010003", "product": "卫衣", "color": "蓝色"},
	}
	for _, withState := range []bool{false, true} {
		b.Run("state="+strconv.FormatBool(withState), func(b *testing.B) {
			ctx := context.Background()
			db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"), WithSynchronous(SyncNormal))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			policy := dialog.PolicyFunc(func(_ context.Context, t dialog.Turn) (dialog.Reply, error) {
				r := dialog.Reply{Messages: []string{"好的，请问退货原因是？"}}
				if withState {
					st := midFlow
					st.Turns = t.State.Turns + 1
					r.State = &st
				}
				return r, nil
			})
			svc := &conversation.Service{Store: NewConversationStore(db), Policy: policy}
			c, tok, err := svc.Create(ctx, "tenant-1", conversation.NewConversation{Lang: "zh"})
			if err != nil {
				b.Fatal(err)
			}
			p, err := svc.Authorize(ctx, c.ID, tok)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := svc.Post(ctx, p, c.ID, conversation.NewMessage{Text: "尺码不合适"}); err != nil {
					b.Fatal(err)
				}
			}
			raw, err := svc.Store.DialogState(ctx, c.TenantID, c.ID)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(raw)), "state-bytes")
		})
	}
}
