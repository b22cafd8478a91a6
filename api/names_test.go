package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/api"
	"github.com/assistd/assist/dialog/flow"
)

// members is a shop that knows one customer's name.
type members map[string]string

func (m members) Call(_ context.Context, req flow.Request) (flow.Result, error) {
	if req.Action != "get_member" {
		return flow.Result{}, assist.Errorf(assist.ENOTFOUND, "no action %q", req.Action)
	}
	name, ok := m[req.CustomerRef]
	if !ok {
		return flow.Result{Status: "not_found", Data: map[string]any{}}, nil
	}
	return flow.Result{Status: flow.StatusOK, Data: map[string]any{"name": name, "tier": "gold"}}, nil
}

// Staff see whom they talk to: the signed-in customer's name from the
// shop on the conversation, and their own name on /v1/me.
func TestStaffSeeNames(t *testing.T) {
	e := newEnv(t)
	sh := e.newShop("shop")
	e.Server.Shop = members{"demo-customer-6": "Olivia Brown"}

	me := decode[api.MeResponse](t, e.get("/v1/me", sh.Agent), http.StatusOK)
	if me.Name != "agent" || me.Role != "agent" {
		t.Errorf("/v1/me = %+v, want the agent's name", me)
	}

	res := decode[api.CreateConversationResponse](t, e.post("/v1/conversations", sh.Agent,
		api.CreateConversationRequest{Tenant: "shop", CustomerRef: "demo-customer-6"}), http.StatusCreated)
	got := decode[api.ConversationJSON](t, e.get("/v1/conversations/"+res.Conversation.ID, sh.Agent), http.StatusOK)
	if got.CustomerName != "Olivia Brown" {
		t.Errorf("staff GET customer_name = %q, want Olivia Brown", got.CustomerName)
	}
	// The customer's own token reads the conversation without it.
	if own := decode[api.ConversationJSON](t, e.get("/v1/conversations/"+res.Conversation.ID, res.Token), http.StatusOK); own.CustomerName != "" {
		t.Errorf("customer GET customer_name = %q, want none", own.CustomerName)
	}
	// Unknown to the shop, or anonymous: no name.
	for _, ref := range []string{"demo-customer-99", ""} {
		r := decode[api.CreateConversationResponse](t, e.post("/v1/conversations", sh.Agent, api.CreateConversationRequest{Tenant: "shop", CustomerRef: ref}), http.StatusCreated)
		if c := decode[api.ConversationJSON](t, e.get("/v1/conversations/"+r.Conversation.ID, sh.Agent), http.StatusOK); c.CustomerName != "" {
			t.Errorf("ref %q: customer_name %q, want none", ref, c.CustomerName)
		}
	}
}

// Pages name intents from the catalogue, in the page's language.
func TestIntentsNamed(t *testing.T) {
	e := newEnv(t)
	sh := e.newShop("shop")
	wantError(t, e.get("/v1/intents", ""), http.StatusUnauthorized, assist.EUNAUTHORIZED, "")
	got := decode[api.IntentsResponse](t, e.get("/v1/intents", sh.Agent), http.StatusOK)
	names := map[string]map[string]string{}
	for _, in := range got.Intents {
		names[in.Label] = in.Name
	}
	if n := names["human_agent"]; n["en"] != "talk to a person" || n["zh"] != "转人工客服" {
		t.Errorf("human_agent named %v", n)
	}
	if len(got.Intents) < 20 {
		t.Errorf("%d intents, want the whole catalogue", len(got.Intents))
	}
}
