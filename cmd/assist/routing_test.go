package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/api"
	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/routing"
	"github.com/assistd/assist/store/sqlite"
)

// With --demo, a customer who asks for a person reaches a demo agent.
func TestDemoRoutesToAgents(t *testing.T) {
	m, _ := testMain(t, true)
	base := m.URL()
	var created api.CreateConversationResponse
	if st := call(t, "POST", base+"/v1/conversations", "", api.CreateConversationRequest{Tenant: "demo", Lang: "en"}, &created); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	if st := call(t, "POST", base+"/v1/conversations/"+created.Conversation.ID+"/messages", created.Token, api.PostMessageRequest{Text: "I want to talk to a person"}, nil); st != http.StatusCreated {
		t.Fatalf("post: %d", st)
	}
	var pos api.PositionResponse
	if st := call(t, "GET", base+"/v1/conversations/"+created.Conversation.ID+"/position", created.Token, nil, &pos); st != http.StatusOK {
		t.Fatalf("position: %d", st)
	}
	if pos.State != "offered" || pos.Skill != "general" {
		t.Errorf("position %+v, want offered in general", pos)
	}
	tenant, err := m.Auth.Store.TenantBySlug(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	en, ok := m.Routing.Entry(tenant.ID, created.Conversation.ID)
	if !ok || en.AgentID == "" {
		t.Fatalf("not offered to a demo agent: %+v", en)
	}
}

// A conversation handed off just before a crash (owner queue, nothing in
// routing) is queued at the next start.
func TestRoutingReconcilesAtStart(t *testing.T) {
	path := t.TempDir() + "/assist.db"
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	c := &assist.Conversation{ID: "lost-1", TenantID: "tenant-x", Channel: "web", Owner: assist.OwnerQueue, Reason: catalog.ReasonAnger, CreatedAt: now, UpdatedAt: now}
	if err := sqlite.NewConversationStore(db).CreateConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	db.Close()
	m, _ := testMainWith(t, func(cfg *Config) { cfg.Store.Path = path })
	en, ok := m.Routing.Entry("tenant-x", "lost-1")
	if !ok || en.State != "queued" || en.Skill != "senior" {
		t.Fatalf("after start: %+v, %v; want queued for senior", en, ok)
	}
}

func TestRoutingConfig(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]string
		ok   bool
	}{
		{"defaults", nil, true},
		{"skill maps from a list", map[string]string{"routing.intent_skills": "return_request=returns, lost_parcel=logistics", "routing.fallback_team": ""}, true},
		{"malformed skill map", map[string]string{"routing.intent_skills": "return_request"}, false},
		{"bad skill name", map[string]string{"routing.reason_skills": "anger=Senior Team"}, false},
		{"unknown reason", map[string]string{"routing.reason_skills": "angry=senior"}, false},
		{"every reason", map[string]string{"routing.reason_skills": "anger=senior, repeated_fallback=tier2"}, true},
		{"offer timeout too short", map[string]string{"routing.offer_timeout": "10ms"}, false},
		{"zero capacity", map[string]string{"routing.default_capacity": "0"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := LoadConfig("", nil, tt.set)
			if (err == nil) != tt.ok {
				t.Fatalf("LoadConfig: %v, want ok=%v", err, tt.ok)
			}
			if err != nil {
				return
			}
			rc, err := routingConfig(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if tt.set["routing.intent_skills"] != "" && (rc.IntentSkills["lost_parcel"] != "logistics" || len(rc.IntentSkills) != 2) {
				t.Errorf("intent skills %v", rc.IntentSkills)
			}
		})
	}
}

// An unknown hand-off reason in routing.reason_skills is refused with a
// message naming it and the known codes.
func TestRoutingConfigNamesUnknownReason(t *testing.T) {
	_, err := LoadConfig("", nil, map[string]string{"routing.reason_skills": "angry=senior"})
	if err == nil || !strings.Contains(err.Error(), `"angry"`) || !strings.Contains(err.Error(), "anger") {
		t.Fatalf("err = %v; want the unknown reason and the known ones named", err)
	}
}

// The hand-off reason codes are one list (catalog.Reasons): the dialog
// and the flows hand off with codes of it, routing's defaults are keyed
// by codes of it, and the README's configuration table lists exactly it.
func TestRoutingReasonCodesAgree(t *testing.T) {
	for _, code := range []string{dialog.ReasonCustomerRequest, dialog.ReasonAnger, dialog.ReasonNegativeTrend,
		dialog.ReasonRepeatedFallback, dialog.ReasonComplaint, dialog.ReasonVIPComplaint, dialog.ReasonNoAutomation,
		dialog.ReasonActionFailed, dialog.ReasonBotError, flow.ReasonActionFailed, flow.ReasonStuck} {
		if !catalog.IsReason(code) {
			t.Errorf("the dialog hands off with %q, which catalog.Reasons does not list", code)
		}
	}
	d := routing.DefaultConfig()
	for code := range d.ReasonSkills {
		if !catalog.IsReason(code) {
			t.Errorf("routing.DefaultConfig().ReasonSkills has %q, which the dialog never hands off with", code)
		}
	}
	for code := range d.ReasonWeights {
		if !catalog.IsReason(code) {
			t.Errorf("routing.DefaultConfig().ReasonWeights has %q, which the dialog never hands off with", code)
		}
	}
	if d.SkillFor("complaint", dialog.ReasonAnger) != "senior" {
		t.Errorf("an angry complaint goes to %q, want senior", d.SkillFor("complaint", dialog.ReasonAnger))
	}
	readme, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var row string
	for _, l := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(l, "| `routing.intent_skills`, `routing.reason_skills`") {
			row = l
		}
	}
	var listed []string
	if _, after, ok := strings.Cut(row, "reason codes:"); ok {
		for _, w := range strings.Split(after, "`") {
			if w = strings.TrimSpace(w); w != "" && !strings.ContainsAny(w, " |,;") {
				listed = append(listed, w)
			}
		}
	}
	if !slices.Equal(listed, catalog.Reasons()) {
		t.Errorf("README's routing.reason_skills row lists reason codes %v, want %v", listed, catalog.Reasons())
	}
}

// demoModels points the configuration at the demo help center, shop and
// catalogue and the story models, with the assistant answering.
func demoAssistant(t testing.TB) func(*Config) {
	root := repoRoot(t)
	intentDir, sentimentDir := storyModels(t)
	return func(c *Config) {
		c.Demo.Seed = true
		c.Dialog.Policy = "assistant"
		c.NLU.ModelDir, c.Sentiment.ModelDir = intentDir, sentimentDir
		c.KB.DemoDir = filepath.Join(root, "data", "kb", "demo")
		c.Demo.Shop = filepath.Join(root, "data", "demo", "shop.json")
		c.Demo.Catalog = filepath.Join(root, "data", "demo", "catalog.json")
	}
}

// demoLogin logs a demo user in and returns the token.
func demoLogin(t testing.TB, m *Main, email string) string {
	t.Helper()
	b, err := readFile(filepath.Join(filepath.Dir(m.Config.Store.Path), "demo-credentials.json"))
	if err != nil {
		t.Fatal(err)
	}
	var creds demoCredentials
	json.Unmarshal(b, &creds)
	for _, u := range creds.Users {
		if u.Email == email {
			var login struct{ Token string }
			if code := call(t, "POST", m.URL()+"/v1/auth/login", "", map[string]string{"tenant": "demo", "email": email, "password": u.Password}, &login); code != 200 {
				t.Fatalf("login %s: %d", email, code)
			}
			return login.Token
		}
	}
	t.Fatalf("no demo user %s", email)
	return ""
}

// The README's "Try it": an angry Chinese customer is handed to a person
// of the senior queue who reads Chinese (lin.wei), who accepts the offer.
func TestRoutingAngryChineseCustomerReachesSenior(t *testing.T) {
	m, _ := testMainWith(t, demoAssistant(t))
	base := m.URL()
	var created api.CreateConversationResponse
	if st := call(t, "POST", base+"/v1/conversations", "", api.CreateConversationRequest{Tenant: "demo", Lang: "zh"}, &created); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	id := created.Conversation.ID
	if st := call(t, "POST", base+"/v1/conversations/"+id+"/messages", created.Token, api.PostMessageRequest{Text: "你们这什么破服务，气死我了"}, nil); st != http.StatusCreated {
		t.Fatalf("post: %d", st)
	}
	var pos api.PositionResponse
	if st := call(t, "GET", base+"/v1/conversations/"+id+"/position", created.Token, nil, &pos); st != http.StatusOK {
		t.Fatalf("position: %d", st)
	}
	if pos.Skill != "senior" || pos.State != "offered" {
		t.Fatalf("the angry customer waits %+v; want offered in senior", pos)
	}
	tenant, err := m.Auth.Store.TenantBySlug(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	if en, _ := m.Routing.Entry(tenant.ID, id); en == nil || en.Reason != catalog.ReasonAnger || en.BasePriority < routing.DefaultConfig().ReasonWeights[catalog.ReasonAnger] {
		t.Errorf("entry %+v: want reason anger with its priority weight", en)
	}
	staff := demoLogin(t, m, "lin.wei@demo.shop")
	var acc map[string]any
	if st := call(t, "POST", base+"/v1/conversations/"+id+"/accept", staff, nil, &acc); st != http.StatusOK {
		t.Fatalf("lin.wei accepts: %d %v", st, acc)
	}
}

// A transfer's note reaches the next agent: the transfer's routing
// decision says it, and the conversation's ticket carries it as an
// internal note the next agent reads (the workspace shows internal notes
// under the hand-off summary). An over-long note is refused.
func TestRoutingTransferNoteReachesNextAgent(t *testing.T) {
	m, _ := testMain(t, true)
	base := m.URL()
	var created api.CreateConversationResponse
	if st := call(t, "POST", base+"/v1/conversations", "", api.CreateConversationRequest{Tenant: "demo", Lang: "en"}, &created); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	id := created.Conversation.ID
	if st := call(t, "POST", base+"/v1/conversations/"+id+"/messages", created.Token, api.PostMessageRequest{Text: "I want a refund"}, nil); st != http.StatusCreated {
		t.Fatalf("post: %d", st)
	}
	tokens := map[string]string{} // user id → token
	var first string
	for _, email := range []string{"emma.clark@demo.shop", "lin.wei@demo.shop", "admin@demo.shop"} {
		tok := demoLogin(t, m, email)
		var me api.MeResponse
		call(t, "GET", base+"/v1/me", tok, nil, &me)
		tokens[me.UserID] = tok
		if first == "" && email != "admin@demo.shop" && call(t, "POST", base+"/v1/conversations/"+id+"/claim", tok, nil, nil) == http.StatusOK {
			first = tok
		}
	}
	if first == "" {
		t.Fatal("no demo agent could claim the hand-off")
	}
	long := strings.Repeat("x", routing.MaxTransferNote+1)
	if st := call(t, "POST", base+"/v1/conversations/"+id+"/transfer", first, api.TransferRequest{Skill: "general", Note: long}, nil); st != http.StatusBadRequest {
		t.Errorf("an over-long note: %d, want 400", st)
	}
	note := "Customer wants a refund instead; please check with warehouse."
	if st := call(t, "POST", base+"/v1/conversations/"+id+"/transfer", first, api.TransferRequest{Skill: "general", Note: note}, nil); st != http.StatusOK {
		t.Fatalf("transfer: %d", st)
	}
	tenant, err := m.Auth.Store.TenantBySlug(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	en, ok := m.Routing.Entry(tenant.ID, id)
	if !ok || en.AgentID == "" || tokens[en.AgentID] == "" || tokens[en.AgentID] == first {
		t.Fatalf("after the transfer: %+v; want offered to another demo agent", en)
	}
	next := tokens[en.AgentID]
	var ds api.DecisionsResponse
	if st := call(t, "GET", base+"/v1/conversations/"+id+"/routing", next, nil, &ds); st != http.StatusOK {
		t.Fatalf("routing: %d", st)
	}
	found := false
	for _, d := range ds.Decisions {
		found = found || (d.Rule == routing.RuleTransferQueue && d.Note == note)
	}
	if !found {
		t.Errorf("no transfer decision with the note among %d decisions", len(ds.Decisions))
	}
	if st := call(t, "POST", base+"/v1/conversations/"+id+"/accept", next, nil, nil); st != http.StatusOK {
		t.Fatalf("next agent accepts: %d", st)
	}
	var list api.TicketsResponse
	if st := call(t, "GET", base+"/v1/tickets?conversation_id="+id, next, nil, &list); st != http.StatusOK || len(list.Tickets) != 1 {
		t.Fatalf("the next agent's tickets: %d %+v", st, list)
	}
	var tk api.TicketResponse
	if st := call(t, "GET", base+"/v1/tickets/"+list.Tickets[0].ID, next, nil, &tk); st != http.StatusOK {
		t.Fatalf("ticket: %d", st)
	}
	var internal []string
	for _, c := range tk.Comments {
		if c.Internal {
			internal = append(internal, c.Body)
		}
	}
	if len(internal) < 2 || internal[len(internal)-1] != "Transfer note: "+note {
		t.Errorf("internal notes %q; want the summary, then %q", internal, "Transfer note: "+note)
	}
}

// An agent's transfer form offers every skill queue of the shop, not only
// their own skills: emma.clark (no returns skill) passes a customer to
// returns, where lin.wei gets the offer.
func TestRoutingAgentTransfersToAnySkill(t *testing.T) {
	m, _ := testMain(t, true)
	base := m.URL()
	var created api.CreateConversationResponse
	if st := call(t, "POST", base+"/v1/conversations", "", api.CreateConversationRequest{Tenant: "demo", Lang: "en"}, &created); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	id := created.Conversation.ID
	if st := call(t, "POST", base+"/v1/conversations/"+id+"/messages", created.Token, api.PostMessageRequest{Text: "I want to talk to a person"}, nil); st != http.StatusCreated {
		t.Fatalf("post: %d", st)
	}
	emma := demoLogin(t, m, "emma.clark@demo.shop")
	if st := call(t, "POST", base+"/v1/conversations/"+id+"/claim", emma, nil, nil); st != http.StatusOK {
		t.Fatalf("emma claims: %d", st)
	}
	var skills api.SkillsResponse
	if st := call(t, "GET", base+"/v1/skills", emma, nil, &skills); st != http.StatusOK {
		t.Fatalf("skills: %d", st)
	}
	served := map[string]int{}
	for _, s := range skills.Skills {
		served[s.Skill] = s.Online
	}
	for _, want := range []string{"returns", "billing", "senior", "complaints", "general", "orders"} {
		if _, ok := served[want]; !ok {
			t.Errorf("emma's transfer targets %v lack %s", served, want)
		}
	}
	if served["returns"] < 1 {
		t.Errorf("returns has %d online agents, want lin.wei", served["returns"])
	}
	if st := call(t, "POST", base+"/v1/conversations/"+id+"/transfer", emma, api.TransferRequest{Skill: "returns"}, nil); st != http.StatusOK {
		t.Fatalf("transfer to returns: %d", st)
	}
	var pos api.PositionResponse
	call(t, "GET", base+"/v1/conversations/"+id+"/position", created.Token, nil, &pos)
	if pos.Skill != "returns" || pos.State != "offered" {
		t.Errorf("after the transfer: %+v; want offered in returns", pos)
	}
	// A customer cannot list them.
	if st := call(t, "GET", base+"/v1/skills", created.Token, nil, nil); st != http.StatusUnauthorized && st != http.StatusForbidden {
		t.Errorf("customer lists skills: %d", st)
	}
}
