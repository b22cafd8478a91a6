package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A hand-off opens a ticket through the wiring of Main, with the
// configured SLA targets; staff and the customer both find it.
func TestHandoffOpensTicket(t *testing.T) {
	m, _ := testMainWith(t, func(c *Config) {
		c.Demo.Seed = true
		c.Ticket.SLA.Normal.FirstResponse = 90 * time.Minute
	})
	base := m.URL()
	var creds demoCredentials
	b, err := readFile(filepath.Join(filepath.Dir(m.Config.Store.Path), "demo-credentials.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &creds); err != nil {
		t.Fatal(err)
	}
	var conv struct {
		Conversation struct{ ID string }
		Token        string
	}
	if code := call(t, "POST", base+"/v1/conversations", "", map[string]string{"tenant": "demo"}, &conv); code != 201 {
		t.Fatalf("create conversation: %d", code)
	}
	if code := call(t, "POST", base+"/v1/conversations/"+conv.Conversation.ID+"/messages", conv.Token, map[string]string{"text": "My parcel is lost"}, nil); code != 201 {
		t.Fatalf("post: %d", code)
	}
	var login struct{ Token string }
	agent := creds.Users[1]
	if code := call(t, "POST", base+"/v1/auth/login", "", map[string]string{"tenant": "demo", "email": agent.Email, "password": agent.Password}, &login); code != 200 {
		t.Fatalf("login: %d", code)
	}
	type ticketJSON struct {
		ID, Subject    string
		ConversationID string `json:"conversation_id"`
		SLA            []struct {
			Metric        string
			TargetSeconds int64 `json:"target_seconds"`
		}
	}
	var list struct{ Tickets []ticketJSON }
	if code := call(t, "GET", base+"/v1/tickets", login.Token, nil, &list); code != 200 || len(list.Tickets) != 1 {
		t.Fatalf("agent's tickets: %d %+v", code, list)
	}
	tk := list.Tickets[0]
	if tk.ConversationID != conv.Conversation.ID || !strings.Contains(tk.Subject, "My parcel is lost") {
		t.Errorf("ticket = %+v", tk)
	}
	if len(tk.SLA) == 0 || tk.SLA[0].TargetSeconds != 90*60 {
		t.Errorf("SLA = %+v, want the configured 90m first response", tk.SLA)
	}
	var mine struct{ Tickets []ticketJSON }
	if code := call(t, "GET", base+"/v1/tickets?conversation_id="+conv.Conversation.ID, conv.Token, nil, &mine); code != 200 || len(mine.Tickets) != 1 {
		t.Errorf("customer's tickets: %d %+v", code, mine)
	}
	if m.Tickets.Scheduled() != 1 {
		t.Errorf("%d SLA checks scheduled, want 1", m.Tickets.Scheduled())
	}
}

// The escalation's ticket follows the conversation, as the agent and the
// supervisor see it in GET /v1/tickets: the agent's first reply meets the
// first response and opens the ticket; closing the
// conversation solves it, the resolution met, nothing left running.
func TestServeTicketFollowsConversation(t *testing.T) {
	m, _ := testMain(t, true)
	base := m.URL()
	var conv struct {
		Conversation struct{ ID string }
		Token        string
	}
	if code := call(t, "POST", base+"/v1/conversations", "", map[string]string{"tenant": "demo", "lang": "en"}, &conv); code != 201 {
		t.Fatalf("create conversation: %d", code)
	}
	id := conv.Conversation.ID
	if code := call(t, "POST", base+"/v1/conversations/"+id+"/messages", conv.Token, map[string]string{"text": "My parcel is lost"}, nil); code != 201 {
		t.Fatalf("post: %d", code)
	}
	// The agent the hand-off was offered to claims it.
	var staff string
	for _, email := range []string{"lin.wei@demo.shop", "emma.clark@demo.shop"} {
		tok := demoLogin(t, m, email)
		if call(t, "POST", base+"/v1/conversations/"+id+"/claim", tok, nil, nil) == 200 {
			staff = tok
			break
		}
	}
	if staff == "" {
		t.Fatal("no demo agent could claim the hand-off")
	}
	type ticketJSON struct {
		Status string
		SLA    []struct{ Metric, State string }
	}
	ticketNow := func() ticketJSON {
		t.Helper()
		var list struct{ Tickets []ticketJSON }
		if code := call(t, "GET", base+"/v1/tickets?conversation_id="+id, demoLogin(t, m, "admin@demo.shop"), nil, &list); code != 200 || len(list.Tickets) != 1 {
			t.Fatalf("tickets: %d %+v", code, list)
		}
		return list.Tickets[0]
	}
	timers := func(tk ticketJSON) map[string]string {
		out := map[string]string{}
		for _, s := range tk.SLA {
			out[s.Metric] = s.State
		}
		return out
	}
	if tk := ticketNow(); tk.Status != "new" || timers(tk)["first_response"] != "running" {
		t.Fatalf("before the agent's reply: %+v", tk)
	}
	if code := call(t, "POST", base+"/v1/conversations/"+id+"/messages", staff, map[string]string{"text": "Hi, I'm checking your parcel now."}, nil); code != 201 {
		t.Fatalf("agent post: %d", code)
	}
	tk := ticketNow()
	if tk.Status != "open" || timers(tk)["first_response"] != "met" || timers(tk)["resolution"] != "running" {
		t.Errorf("after the agent's reply: %+v; want open, first response met, resolution running", tk)
	}
	if code := call(t, "POST", base+"/v1/conversations/"+id+"/close", staff, nil, nil); code != 200 {
		t.Fatalf("close: %d", code)
	}
	tk = ticketNow()
	if tk.Status != "solved" || timers(tk)["resolution"] != "met" {
		t.Errorf("after closing: %+v; want solved, resolution met", tk)
	}
	for metric, state := range timers(tk) {
		if state == "running" {
			t.Errorf("after closing, %s still running", metric)
		}
	}
}
