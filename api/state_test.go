package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/assistd/assist/api"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/sentiment"
)

// slotPolicy is a bot that fills an order id slot, keeps notes in the
// state and hands off when told "human".
var slotPolicy = dialog.PolicyFunc(func(_ context.Context, t dialog.Turn) (dialog.Reply, error) {
	st := *t.State
	st.Turns++
	st.Lang = "zh"
	st.Flow = &flow.Run{Flow: "order_status", Step: "ask_order", Awaiting: "order_id", Slots: map[string]string{}}
	st.Intents = append(st.Intents, dialog.IntentNote{Turn: st.Turns, Label: "order_status", Confidence: 0.93})
	st.Entities = map[string]string{"order_id": "DD202611030001"}
	st.Sentiment.Add(sentiment.Score{Label: sentiment.Negative, Polarity: -0.6, Anger: 0.7}, 0.5)
	reply := dialog.Reply{Messages: []string{"好的"}, State: &st}
	if t.Message.Text == "human" {
		st.Escalation = &dialog.Escalation{Reason: "customer_request", Turn: st.Turns, Evidence: map[string]string{"phrase": "human"}}
		reply.Handoff = &dialog.Handoff{Reason: "customer_request"}
	}
	return reply, nil
})

func TestConversationState(t *testing.T) {
	e := newEnv(t)
	e.Convs.Policy = slotPolicy
	s := e.newShop("shop")
	other := e.newShop("other")
	c, tok := e.start("shop")
	_, tok2 := e.start("shop")

	// Before any turn: a zero state.
	res := decode[api.ConversationStateResponse](t, e.get("/v1/conversations/"+c.ID+"/state", s.Agent), http.StatusOK)
	if res.Conversation.ID != c.ID || res.State == nil || res.State.Turns != 0 {
		t.Errorf("state before any turn = %+v", res)
	}

	e.say(c.ID, tok, "我的订单", http.StatusCreated)
	e.say(c.ID, tok, "human", http.StatusCreated)
	r := e.get("/v1/conversations/"+c.ID+"/state", s.Agent)
	res = decode[api.ConversationStateResponse](t, r, http.StatusOK)
	st := res.State
	if res.Conversation.Owner != "queue" || res.Conversation.Reason != "customer_request" {
		t.Errorf("conversation %+v, want queued for customer_request", res.Conversation)
	}
	if st.Turns != 2 || st.Lang != "zh" || st.Flow == nil || st.Flow.Awaiting != "order_id" || len(st.Intents) != 2 ||
		st.Entities["order_id"] != "DD202611030001" || st.Sentiment.Messages != 2 || st.Sentiment.NegativeRun != 2 {
		t.Errorf("state = %+v", st)
	}
	if st.Escalation == nil || st.Escalation.Reason != "customer_request" || st.Escalation.Evidence["phrase"] != "human" {
		t.Errorf("escalation = %+v", st.Escalation)
	}
	// The wire form uses the state's JSON names.
	var raw map[string]map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"turns", "flow", "intents", "entities", "fallbacks", "sentiment", "escalation"} {
		if _, ok := raw["state"][k]; !ok {
			t.Errorf("state JSON has no %q: %s", k, r.Body)
		}
	}
	// An admin sees it too.
	decode[api.ConversationStateResponse](t, e.get("/v1/conversations/"+c.ID+"/state", s.Admin), http.StatusOK)

	tests := []struct {
		name, id, token string
		status          int
		code            string
	}{
		{"own customer token", c.ID, tok, http.StatusForbidden, "forbidden"},
		{"another conversation's token", c.ID, tok2, http.StatusNotFound, "not_found"},
		{"other tenant's staff", c.ID, other.Agent, http.StatusNotFound, "not_found"},
		{"unknown id", "0199a1b2-0000-7000-8000-000000000000", s.Agent, http.StatusNotFound, "not_found"},
		{"no token", c.ID, "", http.StatusUnauthorized, "unauthorized"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, e.get("/v1/conversations/"+tt.id+"/state", tt.token), tt.status, tt.code, "")
		})
	}
}
