package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/api"
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
	c := &assist.Conversation{ID: "lost-1", TenantID: "tenant-x", Channel: "web", Owner: assist.OwnerQueue, Reason: "angry", CreatedAt: now, UpdatedAt: now}
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
		{"bad skill name", map[string]string{"routing.reason_skills": "angry=Senior Team"}, false},
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
