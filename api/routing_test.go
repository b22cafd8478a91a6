package api_test

import (
	"bufio"
	"context"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/api"
	"github.com/assistd/assist/auth"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/routing"
	"github.com/assistd/assist/store/sqlite"
)

var _ conversation.HandoffHandler = (*routing.Engine)(nil)
var _ conversation.PeopleWatcher = (*routing.Engine)(nil)
var _ routing.Conversations = (*conversation.Service)(nil)

// withRouting wires a routing engine on the env's database into its
// conversation service and API server, as cmd/assist does.
func (e *env) withRouting(cfg routing.Config) *routing.Engine {
	e.t.Helper()
	bus := &routing.Bus{Buffer: 256}
	eng, err := routing.New(cfg, sqlite.NewRoutingStore(e.DB), e.Convs, bus, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	e.Convs.Handoffs = eng
	e.Server.Routing = eng
	e.Server.Events = bus
	return eng
}

func (e *env) addStaff(s shop, role assist.Role, name string) (token, id string) {
	e.t.Helper()
	email := name + "@" + s.Tenant.Slug + ".example"
	if _, err := e.Auth.CreateUser(context.Background(), s.Tenant.ID, auth.NewUser{Email: email, Name: name, Role: role, Password: password}); err != nil {
		e.t.Fatal(err)
	}
	res := decode[api.LoginResponse](e.t, e.post("/v1/auth/login", "", api.LoginRequest{Tenant: s.Tenant.Slug, Email: email, Password: password}), http.StatusOK)
	return res.Token, res.User.ID
}

func (e *env) routePut(path, token string, body any) response {
	e.t.Helper()
	return e.send(request{method: http.MethodPut, path: path, token: token, body: body})
}

// sseReader reads server-sent events from a stream.
type sseReader struct {
	r    *bufio.Reader
	body interface{ Close() error }
}

func (e *env) events(token string) *sseReader {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.HTTP.URL+"/v1/agent/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := e.HTTP.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		e.t.Fatalf("events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	e.t.Cleanup(func() { res.Body.Close() })
	return &sseReader{r: bufio.NewReader(res.Body), body: res.Body}
}

// next returns the name and data of the next event named one of names.
func (s *sseReader) next(t *testing.T, names ...string) (string, string) {
	t.Helper()
	type ev struct{ name, data string }
	got := make(chan ev, 1)
	go func() {
		var name, data string
		for {
			line, err := s.r.ReadString('\n')
			if err != nil {
				got <- ev{"", err.Error()}
				return
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case strings.HasPrefix(line, "event:"):
				name = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
			case strings.HasPrefix(line, "data:"):
				data = strings.TrimSpace(strings.TrimPrefix(line, "data:"))
			case line == "" && name != "":
				if slices.Contains(names, name) {
					got <- ev{name, data}
					return
				}
				name, data = "", ""
			}
		}
	}()
	select {
	case e := <-got:
		return e.name, e.data
	case <-time.After(10 * time.Second):
		t.Fatalf("no %v event", names)
		return "", ""
	}
}

// A customer's escalation reaches the agent with the skill, who is told,
// accepts, answers and releases it; the customer sees where it stands.
func TestRoutingFlow(t *testing.T) {
	e := newEnv(t)
	e.withRouting(routing.DefaultConfig())
	s := e.newShop("acme")
	supTok, _ := e.addStaff(s, assist.RoleSupervisor, "sup")

	prof := decode[api.AgentJSON](t, e.routePut("/v1/agents/"+s.AgentID, supTok, api.AgentProfileRequest{
		Skills: map[string]int{"general": 3}, Langs: []string{"en"}, Capacity: 2}), http.StatusOK)
	if prof.Presence != "offline" || prof.Capacity != 2 {
		t.Fatalf("profile %+v", prof)
	}
	// Nobody online: the first conversation waits, the second behind it.
	c1, tok1 := e.start("acme")
	e.say(c1.ID, tok1, "I need a human please", http.StatusCreated)
	c2, tok2 := e.start("acme")
	e.say(c2.ID, tok2, "hello, a person please", http.StatusCreated)
	pos := decode[api.PositionResponse](t, e.get("/v1/conversations/"+c2.ID+"/position", tok2), http.StatusOK)
	if pos.State != "queued" || pos.Position != 2 || pos.QueueLength != 2 || pos.Skill != "general" || pos.AgentID != "" {
		t.Fatalf("c2 position %+v, want 2nd of 2 in general", pos)
	}
	queues := decode[api.QueuesResponse](t, e.get("/v1/queues", supTok), http.StatusOK)
	if len(queues.Queues) != 1 || queues.Queues[0].Length != 2 || queues.Queues[0].Entries[0].ConversationID != c1.ID {
		t.Fatalf("queues %+v", queues)
	}

	stream := e.events(s.Agent)
	st := decode[api.AgentJSON](t, e.routePut("/v1/agents/me/presence", s.Agent, api.PresenceRequest{Presence: "online"}), http.StatusOK)
	if st.Load != 2 || len(st.Offered) != 2 {
		t.Fatalf("after going online: %+v, want both offered", st)
	}
	if _, data := stream.next(t, routing.EventOffer); !strings.Contains(data, c1.ID) {
		t.Errorf("first offer %s, want %s (first in line)", data, c1.ID)
	}
	// Only the agent it was offered to may accept.
	otherTok, _ := e.addStaff(s, assist.RoleAgent, "other")
	wantError(t, e.post("/v1/conversations/"+c1.ID+"/accept", otherTok, nil), http.StatusForbidden, assist.EFORBIDDEN, "another agent")
	res := decode[api.RoutingResponse](t, e.post("/v1/conversations/"+c1.ID+"/accept", s.Agent, nil), http.StatusOK)
	if res.Decision.Rule != routing.RuleAccepted {
		t.Errorf("accept decision %+v", res.Decision)
	}
	conv := e.conversation(c1.ID, tok1)
	if conv.Owner != "agent" || conv.AssigneeID != s.AgentID {
		t.Fatalf("after accept: owner %s %s", conv.Owner, conv.AssigneeID)
	}
	// The customer writes: the agent is told, the bot says nothing.
	if r := e.say(c1.ID, tok1, "are you there?", http.StatusCreated); len(r.Replies) != 0 {
		t.Errorf("bot replied while an agent owns the conversation")
	}
	if _, data := stream.next(t, routing.EventCustomerMessage); !strings.Contains(data, "are you there?") {
		t.Errorf("customer message event %s", data)
	}
	pos = decode[api.PositionResponse](t, e.get("/v1/conversations/"+c1.ID+"/position", tok1), http.StatusOK)
	if pos.State != "assigned" || pos.Owner != "agent" || pos.Position != 0 || pos.AgentID != "" {
		t.Errorf("c1 position for the customer %+v", pos)
	}
	// Decline c2: nobody else can take it, it waits.
	decode[api.RoutingResponse](t, e.post("/v1/conversations/"+c2.ID+"/decline", s.Agent, nil), http.StatusOK)
	pos = decode[api.PositionResponse](t, e.get("/v1/conversations/"+c2.ID+"/position", s.Agent), http.StatusOK)
	if pos.State != "queued" || pos.Position != 1 {
		t.Errorf("declined c2 %+v, want queued first", pos)
	}
	// Why was c1 routed so?
	ds := decode[api.DecisionsResponse](t, e.get("/v1/conversations/"+c1.ID+"/routing", supTok), http.StatusOK)
	var rules []string
	for _, d := range ds.Decisions {
		rules = append(rules, d.Rule)
	}
	want := []string{routing.RuleNoAgent, routing.RuleNextInQueue, routing.RuleAccepted}
	if !slices.Equal(rules, want) {
		t.Errorf("c1 decisions %v, want %v", rules, want)
	}
	// Release hands it back to the bot, which answers again.
	decode[api.RoutingResponse](t, e.post("/v1/conversations/"+c1.ID+"/release", s.Agent, nil), http.StatusOK)
	if conv := e.conversation(c1.ID, tok1); conv.Owner != "bot" {
		t.Errorf("after release owner %s", conv.Owner)
	}
	// The supervisor assigns c2 to the other agent and closes it.
	otherID := ""
	for _, a := range decode[api.AgentsResponse](t, e.get("/v1/agents", supTok), http.StatusOK).Agents {
		if a.UserID != s.AgentID {
			otherID = a.UserID
		}
	}
	if otherID != "" {
		t.Fatalf("agent %s listed before having a profile or presence", otherID)
	}
	decode[api.AgentJSON](t, e.routePut("/v1/agents/me/presence", otherTok, api.PresenceRequest{Presence: "away"}), http.StatusOK)
	agents := decode[api.AgentsResponse](t, e.get("/v1/agents", supTok), http.StatusOK).Agents
	if len(agents) != 2 {
		t.Fatalf("%d agents, want 2", len(agents))
	}
	for _, a := range agents {
		if a.UserID != s.AgentID {
			otherID = a.UserID
		}
	}
	decode[api.RoutingResponse](t, e.post("/v1/conversations/"+c2.ID+"/assign", supTok, api.AssignRequest{AgentID: otherID}), http.StatusOK)
	if conv := e.conversation(c2.ID, tok2); conv.Owner != "agent" || conv.AssigneeID != otherID {
		t.Errorf("after assign: %s %s", conv.Owner, conv.AssigneeID)
	}
	decode[api.RoutingResponse](t, e.post("/v1/conversations/"+c2.ID+"/close", otherTok, nil), http.StatusOK)
	if conv := e.conversation(c2.ID, tok2); conv.Owner != "closed" {
		t.Errorf("after close: %s", conv.Owner)
	}
	wantError(t, e.post("/v1/conversations/"+c2.ID+"/messages", tok2, api.PostMessageRequest{Text: "hello?"}), http.StatusConflict, assist.ECONFLICT, "closed")
}

func TestRoutingRefusals(t *testing.T) {
	e := newEnv(t)
	e.withRouting(routing.DefaultConfig())
	s := e.newShop("acme")
	other := e.newShop("other")
	c, tok := e.start("acme")
	e.say(c.ID, tok, "a person please", http.StatusCreated)
	c2, tok2 := e.start("acme")

	tests := []struct {
		name          string
		r             request
		status        int
		code, message string
	}{
		{"customer lists agents", request{method: "GET", path: "/v1/agents", token: tok}, 401, assist.EUNAUTHORIZED, "invalid"},
		{"agent lists agents", request{method: "GET", path: "/v1/agents", token: s.Agent}, 403, assist.EFORBIDDEN, "role"},
		{"knowledge manager accepts", request{method: "POST", path: "/v1/conversations/" + c.ID + "/accept", token: s.Knowledge}, 403, assist.EFORBIDDEN, "role"},
		{"knowledge manager streams events", request{method: "GET", path: "/v1/agent/events", token: s.Knowledge}, 403, assist.EFORBIDDEN, "role"},
		{"customer accepts", request{method: "POST", path: "/v1/conversations/" + c.ID + "/accept", token: tok}, 401, assist.EUNAUTHORIZED, "invalid"},
		{"position with another conversation's token", request{method: "GET", path: "/v1/conversations/" + c.ID + "/position", token: tok2}, 404, assist.ENOTFOUND, "not found"},
		{"position from another tenant's staff", request{method: "GET", path: "/v1/conversations/" + c.ID + "/position", token: other.Agent}, 404, assist.ENOTFOUND, "not found"},
		{"decisions from another tenant", request{method: "GET", path: "/v1/conversations/" + c.ID + "/routing", token: other.Admin}, 404, assist.ENOTFOUND, "not found"},
		{"accept across tenants", request{method: "POST", path: "/v1/conversations/" + c.ID + "/accept", token: other.Agent}, 404, assist.ENOTFOUND, "not waiting"},
		{"accept a bot conversation", request{method: "POST", path: "/v1/conversations/" + c2.ID + "/accept", token: s.Agent}, 404, assist.ENOTFOUND, "not waiting"},
		{"agent closes a conversation not theirs", request{method: "POST", path: "/v1/conversations/" + c.ID + "/close", token: s.Agent}, 403, assist.EFORBIDDEN, "assigned agent"},
		{"assign by an agent", request{method: "POST", path: "/v1/conversations/" + c.ID + "/assign", token: s.Agent, body: api.AssignRequest{AgentID: s.AgentID}}, 403, assist.EFORBIDDEN, "role"},
		{"assign without agent", request{method: "POST", path: "/v1/conversations/" + c.ID + "/assign", token: s.Admin, body: `{}`}, 400, assist.EINVALID, "agent_id"},
		{"assign to an unknown agent", request{method: "POST", path: "/v1/conversations/" + c.ID + "/assign", token: s.Admin, body: api.AssignRequest{AgentID: "nobody"}}, 404, assist.ENOTFOUND, "no agent"},
		{"assign an unknown conversation", request{method: "POST", path: "/v1/conversations/nope/assign", token: s.Admin, body: api.AssignRequest{AgentID: s.AgentID}}, 404, assist.ENOTFOUND, "not found"},
		{"transfer to both", request{method: "POST", path: "/v1/conversations/" + c.ID + "/transfer", token: s.Admin, body: api.TransferRequest{AgentID: "x", Skill: "billing"}}, 400, assist.EINVALID, "not both"},
		{"transfer malformed", request{method: "POST", path: "/v1/conversations/" + c.ID + "/transfer", token: s.Admin, body: `{"skill":`}, 400, assist.EINVALID, "malformed JSON"},
		{"presence unknown", request{method: "PUT", path: "/v1/agents/me/presence", token: s.Agent, body: api.PresenceRequest{Presence: "busy"}}, 400, assist.EINVALID, "presence"},
		{"presence non-UTF-8", request{method: "PUT", path: "/v1/agents/me/presence", token: s.Agent, body: []byte("{\"presence\":\"\xff\"}")}, 400, assist.EINVALID, "UTF-8"},
		{"profile level too high", request{method: "PUT", path: "/v1/agents/" + s.AgentID, token: s.Admin, body: api.AgentProfileRequest{Skills: map[string]int{"billing": 9}, Capacity: 1}}, 400, assist.EINVALID, "level"},
		{"profile capacity zero", request{method: "PUT", path: "/v1/agents/" + s.AgentID, token: s.Admin, body: api.AgentProfileRequest{Skills: map[string]int{}, Capacity: 0}}, 400, assist.EINVALID, "capacity"},
		{"profile of an unknown user", request{method: "PUT", path: "/v1/agents/ghost", token: s.Admin, body: api.AgentProfileRequest{Capacity: 1}}, 404, assist.ENOTFOUND, "no staff member"},
		{"profile of another tenant's user", request{method: "PUT", path: "/v1/agents/" + other.AgentID, token: s.Admin, body: api.AgentProfileRequest{Capacity: 1}}, 404, assist.ENOTFOUND, "no staff member"},
		{"profile of a knowledge manager", request{method: "PUT", path: "/v1/agents/" + s.KnowledgeID, token: s.Admin, body: api.AgentProfileRequest{Capacity: 1}}, 400, assist.EINVALID, "does not take"},
		{"queues limit", request{method: "GET", path: "/v1/queues?limit=0", token: s.Agent}, 400, assist.EINVALID, "limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, e.send(tt.r), tt.status, tt.code, tt.message)
		})
	}
	// An agent sees only the queues of their skills.
	decode[api.AgentJSON](t, e.routePut("/v1/agents/"+s.AgentID, s.Admin, api.AgentProfileRequest{Skills: map[string]int{"billing": 2}, Capacity: 1}), http.StatusOK)
	if qs := decode[api.QueuesResponse](t, e.get("/v1/queues", s.Agent), http.StatusOK); len(qs.Queues) != 1 || qs.Queues[0].Skill != "billing" || qs.Queues[0].Length != 0 {
		t.Errorf("agent's queues %+v, want billing only (empty)", qs)
	}
	if qs := decode[api.QueuesResponse](t, e.get("/v1/queues", s.Admin), http.StatusOK); len(qs.Queues) != 1 || qs.Queues[0].Skill != "general" {
		t.Errorf("admin's queues %+v, want general", qs)
	}
}

func TestRoutingUnconfigured(t *testing.T) {
	e := newEnv(t)
	s := e.newShop("acme")
	wantError(t, e.get("/v1/queues", s.Agent), http.StatusServiceUnavailable, assist.EUNAVAILABLE, "routing")
	wantError(t, e.get("/v1/agent/events", s.Agent), http.StatusServiceUnavailable, assist.EUNAVAILABLE, "routing")
	c, tok := e.start("acme")
	e.say(c.ID, tok, "a person please", http.StatusCreated)
	pos := decode[api.PositionResponse](t, e.get("/v1/conversations/"+c.ID+"/position", tok), http.StatusOK)
	if pos.State != "queued" || pos.Owner != "queue" {
		t.Errorf("position without routing %+v, want queued from the owner", pos)
	}
}

// The event stream ends with "shutdown" when the server closes.
func TestAgentEventsShutdown(t *testing.T) {
	e := newEnv(t)
	e.withRouting(routing.DefaultConfig())
	s := e.newShop("acme")
	stream := e.events(s.Admin)
	stream.next(t, "ready")
	done := make(chan struct{})
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		e.Server.CloseSockets(ctx)
		close(done)
	}()
	if name, _ := stream.next(t, "shutdown"); name != "shutdown" {
		t.Errorf("got %q, want shutdown", name)
	}
	<-done
}

// The routing schemas of openapi.json describe the wire types field by field.
func TestOpenAPIRoutingSchemas(t *testing.T) {
	doc := loadOpenAPI(t)
	for name, v := range map[string]any{
		"Agent": api.AgentJSON{}, "AgentsResponse": api.AgentsResponse{}, "PresenceRequest": api.PresenceRequest{},
		"AgentProfileRequest": api.AgentProfileRequest{}, "QueuedConversation": api.QueuedJSON{}, "Queue": api.QueueJSON{},
		"QueuesResponse": api.QueuesResponse{}, "TransferRequest": api.TransferRequest{}, "AssignRequest": api.AssignRequest{},
		"RoutingResponse": api.RoutingResponse{}, "DecisionsResponse": api.DecisionsResponse{}, "Position": api.PositionResponse{},
		"Decision": routing.Decision{}, "Candidate": routing.Candidate{},
	} {
		s := doc.Components.Schemas[name]
		if s == nil {
			t.Errorf("no schema %s", name)
			continue
		}
		var fields, required []string
		for f := range reflect.TypeOf(v).Fields() {
			tag, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			fields = append(fields, tag)
			if !strings.Contains(opts, "omitempty") {
				required = append(required, tag)
			}
		}
		var props []string
		for p := range s.Properties {
			props = append(props, p)
		}
		slices.Sort(fields)
		slices.Sort(props)
		slices.Sort(required)
		if !slices.Equal(fields, props) {
			t.Errorf("%s: properties %v, Go fields %v", name, props, fields)
		}
		if req := slices.Sorted(slices.Values(s.Required)); !slices.Equal(req, required) {
			t.Errorf("%s: required %v, Go always sends %v", name, req, required)
		}
	}
}

// An event stream ends when its session does (logout, expiry, a disabled
// account): it is checked again at every keep-alive ping.
func TestAgentEventsEndWithSession(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.cfg.PingInterval = 20 * time.Millisecond })
	e.withRouting(routing.DefaultConfig())
	s := e.newShop("acme")
	stream := e.events(s.Agent)
	stream.next(t, "ready")
	if r := e.post("/v1/auth/logout", s.Agent, nil); r.Status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	if name, _ := stream.next(t, "unauthorized"); name != "unauthorized" {
		t.Fatalf("got %q after logout, want unauthorized", name)
	}
	if line, err := stream.r.ReadString('\n'); err == nil {
		t.Errorf("the stream goes on after its session ended: %q", line)
	}
}

// An agent claims a waiting conversation in a queue they serve and only
// then writes in it; a colleague can neither claim another queue's
// conversation nor write in theirs; a supervisor joins with a note the
// customer sees.
func TestClaimThenAnswer(t *testing.T) {
	e := newEnv(t)
	e.withRouting(routing.DefaultConfig())
	s := e.newShop("acme")
	supTok, _ := e.addStaff(s, assist.RoleSupervisor, "sup")
	otherTok, otherID := e.addStaff(s, assist.RoleAgent, "other")
	decode[api.AgentJSON](t, e.routePut("/v1/agents/"+s.AgentID, supTok, api.AgentProfileRequest{
		Skills: map[string]int{"general": 2}, Langs: []string{"en"}, Capacity: 2}), http.StatusOK)
	decode[api.AgentJSON](t, e.routePut("/v1/agents/"+otherID, supTok, api.AgentProfileRequest{
		Skills: map[string]int{"billing": 2}, Capacity: 2}), http.StatusOK)
	c, tok := e.start("acme")
	e.say(c.ID, tok, "a person please", http.StatusCreated) // waits: nobody is online
	msgs := "/v1/conversations/" + c.ID + "/messages"

	wantError(t, e.post(msgs, s.Agent, api.PostMessageRequest{Text: "Hi"}), http.StatusConflict, assist.ECONFLICT, "claim it")
	wantError(t, e.post("/v1/conversations/"+c.ID+"/claim", otherTok, nil), http.StatusForbidden, assist.EFORBIDDEN, "general queue")
	res := decode[api.RoutingResponse](t, e.post("/v1/conversations/"+c.ID+"/claim", s.Agent, nil), http.StatusOK)
	if res.Decision.Rule != routing.RuleClaimed || res.Decision.AgentID != s.AgentID {
		t.Fatalf("claim decision %+v", res.Decision)
	}
	if conv := e.conversation(c.ID, tok); conv.Owner != "agent" || conv.AssigneeID != s.AgentID {
		t.Fatalf("after the claim: %s %s", conv.Owner, conv.AssigneeID)
	}
	e.say(c.ID, s.Agent, "Hello, Ann here.", http.StatusCreated)
	wantError(t, e.post(msgs, otherTok, api.PostMessageRequest{Text: "Mine now"}), http.StatusForbidden, assist.EFORBIDDEN, "colleague")
	e.say(c.ID, supTok, "Checking in.", http.StatusCreated)
	var authors []string
	for _, m := range e.messages(c.ID, tok, "") {
		authors = append(authors, m.Author)
	}
	if got := strings.Join(authors, ","); got != "customer,bot,bot,agent,system,agent" {
		t.Errorf("the customer sees messages by %s", got)
	}
	if conv := e.conversation(c.ID, tok); conv.AssigneeID != s.AgentID {
		t.Errorf("the supervisor's message moved the conversation to %s", conv.AssigneeID)
	}
}
