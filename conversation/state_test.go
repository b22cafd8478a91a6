package conversation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/dialog/flow"
)

// counter is a policy that keeps a counter and the last message in the
// state's entities, and checks that it gets the state the previous turn
// stored. "fail" fails the turn; "human" hands off.
type counter struct {
	mu   sync.Mutex
	seen []dialog.State // the state each turn got, in order
}

func (p *counter) Respond(_ context.Context, t dialog.Turn) (dialog.Reply, error) {
	if t.State == nil {
		return dialog.Reply{}, errors.New("turn without a state")
	}
	p.mu.Lock()
	p.seen = append(p.seen, *t.State)
	p.mu.Unlock()
	if t.Message.Text == "fail" {
		t.State.Turns = 1000 // changed in place, then the turn fails: not stored
		return dialog.Reply{}, errors.New("backend down")
	}
	st := *t.State
	st.Turns++
	st.Entities = maps.Clone(st.Entities)
	if st.Entities == nil {
		st.Entities = map[string]string{}
	}
	st.Entities["last"] = t.Message.Text
	st.Intents = append(st.Intents, dialog.IntentNote{Turn: st.Turns, Label: "order_status", Confidence: 0.9})
	reply := dialog.Reply{Messages: []string{"turn " + strconv.Itoa(st.Turns)}, State: &st}
	if t.Message.Text == "human" {
		st.Escalation = &dialog.Escalation{Reason: "customer_request", Turn: st.Turns, Evidence: map[string]string{"phrase": "human"}}
		reply.Handoff = &dialog.Handoff{Reason: "customer_request", Evidence: map[string]string{"phrase": "human"}}
	}
	return reply, nil
}

func (p *counter) turns() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []int
	for _, s := range p.seen {
		out = append(out, s.Turns)
	}
	return out
}

func storedState(t *testing.T, s *conversation.Service, id string) *dialog.State {
	t.Helper()
	st, err := s.DialogState(context.Background(), staff(assist.RoleAgent), id)
	if err != nil {
		t.Fatalf("DialogState: %v", err)
	}
	return st
}

func TestStateCarriesAcrossTurns(t *testing.T) {
	p := &counter{}
	s, _, _ := newService(p)
	c, cust := start(t, s, conversation.NewConversation{Lang: "en"})

	if st := storedState(t, s, c.ID); st.Turns != 0 || st.Entities != nil {
		t.Errorf("state of a new conversation = %+v, want zero", st)
	}
	post(t, s, cust, c.ID, "one")
	post(t, s, cust, c.ID, "two")
	res := post(t, s, cust, c.ID, "fail") // the policy fails: state unchanged, hand-off
	if len(res.Replies) != 1 || res.Replies[0].Text != dialog.ErrorText("en") {
		t.Errorf("replies to a failed turn = %v", res.Replies)
	}
	st := storedState(t, s, c.ID)
	if st.Turns != 2 || st.Entities["last"] != "two" || len(st.Intents) != 2 {
		t.Errorf("stored state after a failed turn = %+v, want the state of turn 2", st)
	}
	if got, want := fmt.Sprint(p.turns()), "[0 1 2]"; got != want {
		t.Errorf("turns saw states %s, want %s", got, want)
	}
}

func TestStateKeptThroughHandoff(t *testing.T) {
	p := &counter{}
	s, _, _ := newService(p)
	c, cust := start(t, s, conversation.NewConversation{Lang: "en"})
	post(t, s, cust, c.ID, "one")
	post(t, s, cust, c.ID, "human")
	if got := conv(t, s, c.ID).Owner; got != assist.OwnerQueue {
		t.Fatalf("owner %s, want queue", got)
	}
	// While the customer waits, the bot still serves them: the turn runs
	// on the kept state, and the conversation stays queued.
	if r := post(t, s, cust, c.ID, "still there?"); len(r.Replies) != 1 || r.Replies[0].Text != "turn 3" {
		t.Errorf("replies while queued: %+v", r.Replies)
	}
	st := storedState(t, s, c.ID)
	if st.Turns != 3 || st.Escalation == nil || st.Escalation.Reason != "customer_request" || st.Escalation.Evidence["phrase"] != "human" {
		t.Errorf("state after the hand-off = %+v (escalation %+v)", st, st.Escalation)
	}
	if got := conv(t, s, c.ID).Owner; got != assist.OwnerQueue {
		t.Errorf("owner %s after a turn while queued, want queue", got)
	}
	// Once a person has it, the bot says nothing and the state is left alone.
	if err := s.SetOwner(context.Background(), tenant, c.ID, assist.OwnerAgent, "agent-1", "claimed"); err != nil {
		t.Fatal(err)
	}
	if r := post(t, s, cust, c.ID, "hello?"); len(r.Replies) != 0 {
		t.Errorf("bot replies while an agent has the conversation: %+v", r.Replies)
	}
	// Back to the bot: the next turn starts from the kept state.
	if err := s.SetOwner(context.Background(), tenant, c.ID, assist.OwnerBot, "", "released"); err != nil {
		t.Fatal(err)
	}
	post(t, s, cust, c.ID, "four")
	if st := storedState(t, s, c.ID); st.Turns != 4 {
		t.Errorf("turns after release = %d, want 4", st.Turns)
	}
}

// A policy that returns no State keeps the stored one.
func TestStateNilKeepsStored(t *testing.T) {
	s, store, _ := newService(echo)
	c, cust := start(t, s, conversation.NewConversation{})
	store.putState(tenant, c.ID, []byte(`{"turns":7,"lang":"zh"}`))
	post(t, s, cust, c.ID, "hello")
	if st := storedState(t, s, c.ID); st.Turns != 7 || st.Lang != "zh" {
		t.Errorf("state = %+v, want the stored one", st)
	}
}

func TestCorruptStateIsReplaced(t *testing.T) {
	const secret = "DD202611030001 13800138000"
	tests := []struct {
		name string
		raw  string
	}{
		{"not json", "order " + secret},
		{"wrong type", `{"turns":"` + secret + `"}`},
		{"truncated", `{"turns":3,"entities":{"phone":"` + secret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &counter{}
			s, store, _ := newService(p)
			var logs bytes.Buffer
			s.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c, cust := start(t, s, conversation.NewConversation{Lang: "en"})
			store.putState(tenant, c.ID, []byte(tt.raw))

			res := post(t, s, cust, c.ID, "hi")
			if len(res.Replies) != 1 || res.Replies[0].Text != "turn 1" {
				t.Errorf("replies %v, want the turn to run from a zero state", res.Replies)
			}
			if got := fmt.Sprint(p.turns()); got != "[0]" {
				t.Errorf("policy saw turns %s, want a zero state", got)
			}
			if st := storedState(t, s, c.ID); st.Turns != 1 {
				t.Errorf("stored turns %d, want 1", st.Turns)
			}
			out := logs.String()
			if !strings.Contains(out, "unreadable") {
				t.Errorf("no warning about the unreadable state in the log:\n%s", out)
			}
			if strings.Contains(out, "13800138000") {
				t.Errorf("the log quotes the stored state:\n%s", out)
			}
		})
	}
}

func TestDialogStateAccess(t *testing.T) {
	s, _, _ := newService(&counter{})
	c, cust := start(t, s, conversation.NewConversation{})
	post(t, s, cust, c.ID, "one")
	tests := []struct {
		name string
		p    assist.Principal
		id   string
		code string
	}{
		{"agent", staff(assist.RoleAgent), c.ID, ""},
		{"supervisor", staff(assist.RoleSupervisor), c.ID, ""},
		{"customer of the conversation", cust, c.ID, assist.EFORBIDDEN},
		{"other tenant", assist.Principal{TenantID: "tenant-2", UserID: "u", Role: assist.RoleAdmin}, c.ID, assist.ENOTFOUND},
		{"unknown id", staff(assist.RoleAgent), "nope", assist.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := s.DialogState(context.Background(), tt.p, tt.id)
			if tt.code != "" {
				wantCode(t, err, tt.code)
				return
			}
			if err != nil || st.Turns != 1 {
				t.Errorf("DialogState = %+v, %v; want turn 1", st, err)
			}
		})
	}
}

// bigState returns a policy storing a state of about size bytes, mostly
// in entities and an action result.
func bigState(size int) dialog.Policy {
	return dialog.PolicyFunc(func(_ context.Context, t dialog.Turn) (dialog.Reply, error) {
		st := *t.State
		st.Turns++
		st.Entities = map[string]string{}
		for i := 0; i < size/1000; i++ {
			st.Entities[fmt.Sprintf("e%04d", i)] = strings.Repeat("x", 1000)
		}
		st.Intents = []dialog.IntentNote{{Turn: 1, Label: "a"}, {Turn: 2, Label: "b"}}
		st.Flow = &flow.Run{Flow: "order_status", Step: "ask_order", Slots: map[string]string{"order_id": "DD202611030001"},
			Result: &flow.Result{Status: "ok", Data: map[string]any{"items": strings.Repeat("y", size/2)}}}
		return dialog.Reply{Messages: []string{"ok"}, State: &st}, nil
	})
}

func TestOversizedStateIsTrimmed(t *testing.T) {
	tests := []struct {
		name         string
		size         int
		wantEntities bool
		wantResult   bool
	}{
		{"small", 10_000, true, true},
		{"entities dropped", conversation.MaxStateBytes, false, true},
		{"result dropped too", 3 * conversation.MaxStateBytes, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, store, _ := newService(bigState(tt.size))
			var logs bytes.Buffer
			s.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
			c, cust := start(t, s, conversation.NewConversation{})
			res := post(t, s, cust, c.ID, "hi")
			if len(res.Replies) != 1 || res.Replies[0].Text != "ok" {
				t.Fatalf("replies %v", res.Replies)
			}
			raw, err := store.DialogState(context.Background(), tenant, c.ID)
			if err != nil || len(raw) == 0 || len(raw) > conversation.MaxStateBytes {
				t.Fatalf("stored %d bytes, %v; want 1..%d", len(raw), err, conversation.MaxStateBytes)
			}
			var st dialog.State
			if err := json.Unmarshal(raw, &st); err != nil {
				t.Fatal(err)
			}
			if st.Turns != 1 || st.Flow == nil || st.Flow.Slots["order_id"] != "DD202611030001" {
				t.Errorf("stored state lost what it must keep: %+v (flow %+v)", st, st.Flow)
			}
			if got := len(st.Entities) > 0; got != tt.wantEntities {
				t.Errorf("entities kept = %v, want %v", got, tt.wantEntities)
			}
			if got := st.Flow != nil && st.Flow.Result != nil; got != tt.wantResult {
				t.Errorf("flow result kept = %v, want %v", got, tt.wantResult)
			}
			if want := tt.wantEntities; (len(st.Intents) == 2) != want {
				t.Errorf("intents %v: want all kept = %v", st.Intents, want)
			}
			if trimmed := strings.Contains(logs.String(), "trimmed"); trimmed == tt.wantEntities {
				t.Errorf("trim logged = %v, want %v", trimmed, !tt.wantEntities)
			}
		})
	}
}
