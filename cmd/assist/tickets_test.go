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
