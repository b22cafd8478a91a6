package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/agentassist"
	"github.com/assistd/assist/api"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/routing"
	"github.com/assistd/assist/store/sqlite"
)

// withAssist wires agent assist on the env's database, pushing to the
// routing bus, as cmd/assist does.
func (e *env) withAssist(bus *routing.Bus) *agentassist.Service {
	store := sqlite.NewAssistStore(e.DB)
	a := &agentassist.Service{Conversations: e.Convs, Macros: store, Suggestions: store,
		Replies: &agentassist.Replies{Store: store}, Notifier: busNotifier{bus}}
	e.Convs.Observers = []conversation.Observer{a}
	e.Server.Assist = a
	return a
}

type busNotifier struct{ bus *routing.Bus }

func (n busNotifier) Assist(tenantID, agentID string, s *agentassist.Set) {
	n.bus.Publish(routing.Event{Type: "assist", TenantID: tenantID, ConversationID: s.ConversationID, To: []string{agentID}, Payload: s})
}

// A knowledge manager saves a reply for refunds; the agent who claimed a
// refund conversation gets it, filled, on their event stream when the
// customer writes, and on GET; what they do with it is counted.
func TestAgentAssistFlow(t *testing.T) {
	e := newEnv(t)
	eng := e.withRouting(routing.DefaultConfig())
	a := e.withAssist(e.Server.Events)
	s := e.newShop("acme")
	supTok, _ := e.addStaff(s, assist.RoleSupervisor, "sup")
	otherTok, _ := e.addStaff(s, assist.RoleAgent, "other")
	_ = eng

	// Macros: knowledge managers write, agents read but do not write.
	macro := api.MacroRequest{Title: "Refund on its way", Lang: "en", Intent: "", Text: "Your refund is on its way; it arrives within 3-5 working days."}
	wantError(t, e.post("/v1/macros", s.Agent, macro), http.StatusForbidden, assist.EFORBIDDEN, "")
	wantError(t, e.post("/v1/macros", s.Knowledge, api.MacroRequest{Title: "x", Lang: "en", Text: "{{pin}}"}), http.StatusBadRequest, assist.EINVALID, "unknown variable")
	created := decode[agentassist.Macro](t, e.post("/v1/macros", s.Knowledge, macro), http.StatusCreated)
	list := decode[api.MacrosResponse](t, e.get("/v1/macros?lang=en", s.Agent), http.StatusOK)
	if len(list.Macros) != 1 || list.Macros[0].ID != created.ID {
		t.Fatalf("macros %+v", list.Macros)
	}
	macro.Title = "Refund timing"
	if got := decode[agentassist.Macro](t, e.send(request{method: http.MethodPut, path: "/v1/macros/" + created.ID, token: supTok, body: macro}), http.StatusOK); got.Title != "Refund timing" {
		t.Errorf("updated macro %+v", got)
	}

	decode[api.AgentJSON](t, e.routePut("/v1/agents/"+s.AgentID, supTok, api.AgentProfileRequest{Skills: map[string]int{"general": 2}, Capacity: 2}), http.StatusOK)
	// An earlier customer asked the same; the agent answered.
	c0, tok0 := e.start("acme")
	e.say(c0.ID, tok0, "a person please", http.StatusCreated)
	decode[api.RoutingResponse](t, e.post("/v1/conversations/"+c0.ID+"/claim", s.Agent, nil), http.StatusOK)
	e.say(c0.ID, tok0, "when will my refund arrive?", http.StatusCreated)
	e.say(c0.ID, s.Agent, "Refunds arrive 3-5 working days after the warehouse receives the parcel.", http.StatusCreated)
	deadline := time.Now().Add(5 * time.Second)
	for len(a.Replies.Nearest(s.Tenant.ID, "", "when will my refund arrive?", "en", 1)) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the agent's answer was not learnt")
		}
		time.Sleep(10 * time.Millisecond)
	}
	decode[api.RoutingResponse](t, e.post("/v1/conversations/"+c0.ID+"/close", s.Agent, nil), http.StatusOK)

	c, tok := e.start("acme")
	e.say(c.ID, tok, "a person please", http.StatusCreated)
	decode[api.RoutingResponse](t, e.post("/v1/conversations/"+c.ID+"/claim", s.Agent, nil), http.StatusOK)
	stream := e.events(s.Agent)
	e.say(c.ID, tok, "when does my refund arrive?", http.StatusCreated)
	_, data := stream.next(t, "assist")
	var set agentassist.Set
	if err := json.Unmarshal([]byte(data), &set); err != nil {
		t.Fatalf("assist event %s: %v", data, err)
	}
	if set.ConversationID != c.ID || set.MessageID == "" || len(set.Suggestions) != 1 || set.Suggestions[0].Source != "similar" ||
		!strings.Contains(set.Suggestions[0].Text, "warehouse") || set.Suggestions[0].ConversationID != c0.ID {
		t.Fatalf("assist event %+v, want the earlier agent's answer", set)
	}
	got := decode[agentassist.Set](t, e.get("/v1/conversations/"+c.ID+"/assist", s.Agent), http.StatusOK)
	if got.MessageID != set.MessageID {
		t.Errorf("GET assist answers %s, the stream %s", got.MessageID, set.MessageID)
	}
	wantError(t, e.get("/v1/conversations/"+c.ID+"/assist", otherTok), http.StatusForbidden, assist.EFORBIDDEN, "assigned")
	decode[agentassist.Set](t, e.get("/v1/conversations/"+c.ID+"/assist", supTok), http.StatusOK)

	// Feedback on a suggestion the agent was shown.
	wantError(t, e.post("/v1/conversations/"+c.ID+"/assist/feedback", s.Agent, api.AssistFeedbackRequest{SuggestionID: "x", Action: "liked"}), http.StatusBadRequest, assist.EINVALID, "action")
	wantError(t, e.post("/v1/conversations/"+c.ID+"/assist/feedback", s.Agent, api.AssistFeedbackRequest{SuggestionID: "nope", Action: "sent"}), http.StatusNotFound, assist.ENOTFOUND, "suggestion")
	stats := decode[agentassist.Stats](t, e.get("/v1/assist/stats", supTok), http.StatusOK)
	{
		sg := set.Suggestions[0]
		rec := decode[agentassist.SuggestionRecord](t, e.post("/v1/conversations/"+c.ID+"/assist/feedback", s.Agent, api.AssistFeedbackRequest{SuggestionID: sg.ID, Action: "edited"}), http.StatusOK)
		if rec.Source != sg.Source || rec.Action != "edited" {
			t.Errorf("feedback %+v", rec)
		}
		stats = decode[agentassist.Stats](t, e.get("/v1/assist/stats", supTok), http.StatusOK)
		if len(stats.BySource) == 0 || stats.BySource[0].Edited != 1 || stats.BySource[0].Acceptance <= 0 {
			t.Errorf("stats %+v", stats)
		}
	}
	// The customer asked before the agent claimed: the suggestions the
	// agent is shown come from GET (no push), and sending one is recorded.
	{
		c2, tok2 := e.start("acme")
		e.say(c2.ID, tok2, "when does my refund arrive? a person please", http.StatusCreated)
		decode[api.RoutingResponse](t, e.post("/v1/conversations/"+c2.ID+"/claim", s.Agent, nil), http.StatusOK)
		got := decode[agentassist.Set](t, e.get("/v1/conversations/"+c2.ID+"/assist", s.Agent), http.StatusOK)
		if len(got.Suggestions) == 0 {
			t.Fatalf("no suggestion on GET for a question asked before the claim: %+v", got)
		}
		rec := decode[agentassist.SuggestionRecord](t, e.post("/v1/conversations/"+c2.ID+"/assist/feedback", s.Agent,
			api.AssistFeedbackRequest{SuggestionID: got.Suggestions[0].ID, Action: "sent"}), http.StatusOK)
		if rec.Action != "sent" || rec.ConversationID != c2.ID {
			t.Errorf("feedback %+v", rec)
		}
		stats = decode[agentassist.Stats](t, e.get("/v1/assist/stats", supTok), http.StatusOK)
		if len(stats.BySource) == 0 || stats.BySource[0].Sent != 1 {
			t.Errorf("stats %+v, want the sent suggestion counted", stats)
		}
	}
	metrics := e.get("/metrics", "")
	if !strings.Contains(string(metrics.Body), `assist_suggestion_actions_total{action="edited",source="similar"} 1`) {
		t.Errorf("/metrics lacks the suggestion counts")
	}
	if r := e.send(request{method: http.MethodDelete, path: "/v1/macros/" + created.ID, token: supTok}); r.Status != http.StatusNoContent {
		t.Errorf("delete macro: %d", r.Status)
	}
}
