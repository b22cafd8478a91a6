package api_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/api"
	"github.com/assistd/assist/auth"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/store/sqlite"
	"github.com/assistd/assist/ticket"
)

// ticketEnv is a running API with the ticket service on SQLite.
type ticketEnv struct {
	*env
	Tickets *ticket.Service
}

func newTicketEnv(t *testing.T) *ticketEnv {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "assist.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	hub := conversation.NewHub(64)
	convs := &conversation.Service{Store: sqlite.NewConversationStore(db), Policy: dialog.HandoffPolicy{}, Hub: hub, Logger: logger}
	authn := &auth.Service{Store: sqlite.NewAuthStore(db), BcryptCost: 4}
	tickets := &ticket.Service{Store: sqlite.NewTicketStore(db), Logger: logger, Warning: ticket.Warning{Fraction: 0.8}}
	srv := api.New(api.Config{}, convs, authn, hub, logger, nil)
	srv.Tickets = tickets
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &ticketEnv{env: &env{t: t, Server: srv, HTTP: ts, DB: db, Convs: convs, Auth: authn, Hub: hub, Log: logs}, Tickets: tickets}
}

func (e *env) patch(path, token string, body any) response {
	e.t.Helper()
	return e.send(request{method: http.MethodPatch, path: path, token: token, body: body})
}

func (e *env) put(path, token string, body any) response {
	e.t.Helper()
	return e.send(request{method: http.MethodPut, path: path, token: token, body: body})
}

func timer(tk api.TicketJSON, metric string) api.SLATimerJSON {
	for _, s := range tk.SLA {
		if s.Metric == metric {
			return s
		}
	}
	return api.SLATimerJSON{}
}

func TestTicketsAPI(t *testing.T) {
	e := newTicketEnv(t)
	s := e.newShop("shop")

	// An admin opens a ticket; its SLA timers run.
	created := decode[api.TicketJSON](t, e.post("/v1/tickets", s.Admin, api.CreateTicketRequest{
		Subject: "Refund for SO-1001", Description: "Customer called the hotline.", Priority: "high",
		Tags: []string{"Refund"}, CustomFields: map[string]string{"order_id": "SO-1001"},
	}), http.StatusCreated)
	if created.Number != 1 || created.Status != "new" || created.Priority != "high" || created.Version != 1 ||
		len(created.Tags) != 1 || created.Tags[0] != "refund" || created.CustomFields["order_id"] != "SO-1001" {
		t.Errorf("created %+v", created)
	}
	fr := timer(created, "first_response")
	if fr.State != "running" || fr.TargetSeconds != 4*3600 || fr.DueAt == nil || fr.Breached || fr.RemainingSeconds > 4*3600 || fr.RemainingSeconds < 4*3600-60 {
		t.Errorf("first response = %+v", fr)
	}
	path := "/v1/tickets/" + created.ID

	// The agent sees it (unassigned), takes it and replies.
	list := decode[api.TicketsResponse](t, e.get("/v1/tickets?status=new,open", s.Agent), http.StatusOK)
	if len(list.Tickets) != 1 || list.Tickets[0].ID != created.ID {
		t.Fatalf("agent's list = %+v", list)
	}
	taken := decode[api.TicketJSON](t, e.patch(path, s.Agent, map[string]any{"assignee_id": s.AgentID, "status": "open", "version": 1}), http.StatusOK)
	if taken.AssigneeID != s.AgentID || taken.Status != "open" || taken.Version != 2 {
		t.Errorf("taken = %+v", taken)
	}
	replied := decode[api.CommentResponse](t, e.post(path+"/comments", s.Agent, api.CommentRequest{Body: "We are on it."}), http.StatusCreated)
	if replied.Comment.Internal || replied.Comment.AuthorID != s.AgentID || timer(replied.Ticket, "first_response").State != "met" {
		t.Errorf("reply = %+v", replied)
	}
	decode[api.CommentResponse](t, e.post(path+"/comments", s.Agent, api.CommentRequest{Body: "Carrier says Friday.", Internal: true}), http.StatusCreated)

	got := decode[api.TicketResponse](t, e.get(path, s.Agent), http.StatusOK)
	if len(got.Comments) != 3 || !got.Comments[0].Internal || got.Comments[1].Body != "We are on it." || !got.Comments[2].Internal {
		t.Errorf("comments = %+v", got.Comments)
	}
	if n := len(decode[api.TicketsResponse](t, e.get("/v1/tickets?assignee_id=me", s.Agent), http.StatusOK).Tickets); n != 1 {
		t.Errorf("assignee_id=me lists %d", n)
	}

	// Errors.
	wantError(t, e.patch(path, s.Agent, map[string]any{"status": "closed"}), http.StatusConflict, "conflict", "cannot become closed")
	wantError(t, e.patch(path, s.Agent, map[string]any{"subject": "x", "version": 1}), http.StatusConflict, "conflict", "changed since version 1")
	wantError(t, e.patch(path, s.Agent, map[string]any{"priority": "asap"}), http.StatusBadRequest, "invalid", "unknown priority")
	wantError(t, e.patch(path, s.Agent, map[string]any{"assignee_id": s.AdminID}), http.StatusForbidden, "forbidden", "supervisors")
	wantError(t, e.patch(path, s.Agent, map[string]any{"subject": strings.Repeat("x", 201)}), http.StatusRequestEntityTooLarge, "too_large", "subject")
	wantError(t, e.patch(path, s.Agent, `{"subject": "bad`), http.StatusBadRequest, "invalid", "malformed JSON")
	wantError(t, e.patch(path, s.Agent, []byte("{\"subject\": \"\xff\"}")), http.StatusBadRequest, "invalid", "UTF-8")
	wantError(t, e.patch(path, s.Agent, map[string]any{"colour": "red"}), http.StatusBadRequest, "invalid", "unknown field")
	wantError(t, e.get("/v1/tickets/no-such-ticket", s.Agent), http.StatusNotFound, "not_found", "ticket not found")
	wantError(t, e.post("/v1/tickets/no-such-ticket/comments", s.Agent, api.CommentRequest{Body: "hi"}), http.StatusNotFound, "not_found", "ticket not found")
	wantError(t, e.post(path+"/comments", s.Agent, api.CommentRequest{Body: " "}), http.StatusBadRequest, "invalid", "empty")
	wantError(t, e.get("/v1/tickets?status=lost", s.Agent), http.StatusBadRequest, "invalid", "unknown status")
	wantError(t, e.get("/v1/tickets?limit=0", s.Agent), http.StatusBadRequest, "invalid", "limit")
	wantError(t, e.get("/v1/tickets", ""), http.StatusUnauthorized, "unauthorized", "")

	// The audit log tells the story.
	audit := decode[api.AuditResponse](t, e.get(path+"/audit", s.Admin), http.StatusOK)
	var fields []string
	for _, r := range audit.Records {
		fields = append(fields, r.Field+"="+r.New)
	}
	for _, want := range []string{"ticket=created by staff", "assignee_id=" + s.AgentID, "status=open", "sla.first_response=met"} {
		found := false
		for _, f := range fields {
			if f == want {
				found = true
			}
		}
		if !found {
			t.Errorf("audit %v lacks %s", fields, want)
		}
	}

	// Another tenant sees nothing.
	other := e.newShop("other")
	wantError(t, e.get(path, other.Admin), http.StatusNotFound, "not_found", "ticket not found")
	if n := len(decode[api.TicketsResponse](t, e.get("/v1/tickets", other.Admin), http.StatusOK).Tickets); n != 0 {
		t.Errorf("another tenant lists %d tickets", n)
	}
}

// Customers read the tickets of their own conversation, without internal
// notes or fields, and nothing else.
func TestTicketsCustomer(t *testing.T) {
	e := newTicketEnv(t)
	s := e.newShop("shop")
	conv, tok := e.start("shop")
	other, otherTok := e.start("shop")
	e.say(conv.ID, tok, "I want a person, my parcel is broken", http.StatusCreated)
	msgs, err := e.Convs.Messages(context.Background(), assist.Principal{TenantID: s.Tenant.ID, Role: assist.RoleAdmin, UserID: s.AdminID}, conv.ID, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	c := assist.Conversation{ID: conv.ID, TenantID: s.Tenant.ID, Channel: conv.Channel, Lang: "en"}
	tk, err := e.Tickets.OpenFromEscalation(context.Background(), c, "customer_request", msgs)
	if err != nil {
		t.Fatal(err)
	}
	decode[api.CommentResponse](t, e.post("/v1/tickets/"+tk.ID+"/comments", s.Agent, api.CommentRequest{Body: "Sorry! A new one is on its way."}), http.StatusCreated)

	q := "?conversation_id=" + conv.ID
	list := decode[api.TicketsResponse](t, e.get("/v1/tickets"+q, tok), http.StatusOK)
	if len(list.Tickets) != 1 {
		t.Fatalf("customer lists %+v", list)
	}
	seen := list.Tickets[0]
	if seen.ID != tk.ID || seen.Reason != "" || seen.Tags != nil || seen.SLA != nil || seen.AssigneeID != "" {
		t.Errorf("customer's view shows internal fields: %+v", seen)
	}
	got := decode[api.TicketResponse](t, e.get("/v1/tickets/"+tk.ID+q, tok), http.StatusOK)
	if len(got.Comments) != 1 || got.Comments[0].Internal || got.Comments[0].Body != "Sorry! A new one is on its way." || got.Comments[0].AuthorID != "" {
		t.Errorf("customer's comments = %+v", got.Comments)
	}
	// The staff see the summary note too.
	staff := decode[api.TicketResponse](t, e.get("/v1/tickets/"+tk.ID, s.Admin), http.StatusOK)
	if len(staff.Comments) != 2 || !strings.Contains(staff.Comments[0].Body, "I want a person") {
		t.Errorf("staff comments = %+v", staff.Comments)
	}

	// Another conversation's customer sees none of it.
	wantError(t, e.get("/v1/tickets/"+tk.ID+"?conversation_id="+other.ID, otherTok), http.StatusNotFound, "not_found", "ticket not found")
	if n := len(decode[api.TicketsResponse](t, e.get("/v1/tickets?conversation_id="+other.ID, otherTok), http.StatusOK).Tickets); n != 0 {
		t.Errorf("another customer lists %d tickets", n)
	}
	wantError(t, e.get("/v1/tickets/"+tk.ID+"?conversation_id="+conv.ID, otherTok), http.StatusNotFound, "not_found", "")
	wantError(t, e.get("/v1/tickets", tok), http.StatusBadRequest, "invalid", "conversation_id is required")
	// Customers change nothing.
	wantError(t, e.patch("/v1/tickets/"+tk.ID+q, tok, map[string]any{"status": "solved"}), http.StatusUnauthorized, "unauthorized", "")
	wantError(t, e.post("/v1/tickets/"+tk.ID+"/comments"+q, tok, api.CommentRequest{Body: "hi"}), http.StatusUnauthorized, "unauthorized", "")
}

func TestSLAAdminAPI(t *testing.T) {
	e := newTicketEnv(t)
	s := e.newShop("shop")
	pol := decode[api.SLAPoliciesJSON](t, e.get("/v1/sla/policies", s.Agent), http.StatusOK)
	if len(pol.Policies) != 4 || pol.Policies[3].Priority != "urgent" || pol.Policies[3].FirstResponseSeconds != 3600 {
		t.Errorf("default policies = %+v", pol)
	}
	body := api.SLAPoliciesJSON{Policies: []api.SLAPolicyJSON{{Priority: "urgent", FirstResponseSeconds: 900, NextResponseSeconds: 1800, ResolutionSeconds: 4 * 3600}}}
	wantError(t, e.put("/v1/sla/policies", s.Agent, body), http.StatusForbidden, "forbidden", "")
	pol = decode[api.SLAPoliciesJSON](t, e.put("/v1/sla/policies", s.Admin, body), http.StatusOK)
	if len(pol.Policies) != 4 || pol.Policies[3].FirstResponseSeconds != 900 || pol.Policies[0].FirstResponseSeconds != 24*3600 {
		t.Errorf("policies after the change = %+v", pol)
	}
	wantError(t, e.put("/v1/sla/policies", s.Admin, api.SLAPoliciesJSON{Policies: []api.SLAPolicyJSON{{Priority: "asap"}}}), http.StatusBadRequest, "invalid", "unknown priority")
	wantError(t, e.put("/v1/sla/policies", s.Admin, api.SLAPoliciesJSON{Policies: []api.SLAPolicyJSON{{Priority: "low", ResolutionSeconds: -1}}}), http.StatusBadRequest, "invalid", "between 0")
	tk := decode[api.TicketJSON](t, e.post("/v1/tickets", s.Admin, api.CreateTicketRequest{Subject: "fast", Priority: "urgent"}), http.StatusCreated)
	if fr := timer(tk, "first_response"); fr.TargetSeconds != 900 {
		t.Errorf("new urgent ticket's first response target = %d s, want 900", fr.TargetSeconds)
	}

	h := decode[api.HoursJSON](t, e.get("/v1/teams/billing/hours", s.Agent), http.StatusOK)
	if !h.Always || h.Team != "billing" {
		t.Errorf("unset hours = %+v", h)
	}
	office := api.HoursJSON{TimeZone: "Asia/Shanghai", Holidays: []string{"2026-10-01"}, Weekly: map[string][]api.SpanJSON{
		"mon": {{Start: "09:00", End: "12:00"}, {Start: "13:00", End: "18:00"}}, "fri": {{Start: "09:00", End: "24:00"}},
	}}
	wantError(t, e.put("/v1/teams/billing/hours", s.Agent, office), http.StatusForbidden, "forbidden", "")
	h = decode[api.HoursJSON](t, e.put("/v1/teams/billing/hours", s.Admin, office), http.StatusOK)
	if h.Always || h.TimeZone != "Asia/Shanghai" || len(h.Weekly["mon"]) != 2 || h.Weekly["fri"][0].End != "24:00" || len(h.Holidays) != 1 {
		t.Errorf("stored hours = %+v", h)
	}
	if again := decode[api.HoursJSON](t, e.get("/v1/teams/billing/hours", s.Agent), http.StatusOK); again.TimeZone != "Asia/Shanghai" {
		t.Errorf("read back %+v", again)
	}
	for _, bad := range []struct {
		h   api.HoursJSON
		msg string
	}{
		{api.HoursJSON{Weekly: map[string][]api.SpanJSON{"mon": {{Start: "9", End: "17:00"}}}}, "time of day"},
		{api.HoursJSON{Weekly: map[string][]api.SpanJSON{"funday": {{Start: "09:00", End: "17:00"}}}}, "unknown weekday"},
		{api.HoursJSON{TimeZone: "Mars/Base", Weekly: map[string][]api.SpanJSON{"mon": {{Start: "09:00", End: "17:00"}}}}, "time zone"},
		{api.HoursJSON{Weekly: map[string][]api.SpanJSON{"mon": {{Start: "17:00", End: "09:00"}}}}, "start before end"},
	} {
		wantError(t, e.put("/v1/teams/billing/hours", s.Admin, bad.h), http.StatusBadRequest, "invalid", bad.msg)
	}
	wantError(t, e.get("/v1/teams/Bad%20Team/hours", s.Agent), http.StatusBadRequest, "invalid", "team")
}

// A server without the ticket service says so.
func TestTicketsDisabled(t *testing.T) {
	e := newEnv(t)
	s := e.newShop("shop")
	wantError(t, e.get("/v1/sla/policies", s.Admin), http.StatusServiceUnavailable, "unavailable", "not enabled")
}

// The tickets' wire types match their OpenAPI schemas.
func TestOpenAPITicketSchemas(t *testing.T) {
	doc := loadOpenAPI(t)
	for name, v := range map[string]any{
		"Ticket": api.TicketJSON{}, "SLATimer": api.SLATimerJSON{}, "Comment": api.CommentJSON{},
		"TicketResponse": api.TicketResponse{}, "TicketsResponse": api.TicketsResponse{},
		"CreateTicketRequest": api.CreateTicketRequest{}, "UpdateTicketRequest": api.UpdateTicketRequest{},
		"CommentRequest": api.CommentRequest{}, "CommentResponse": api.CommentResponse{}, "Audit": api.AuditJSON{},
		"AuditResponse": api.AuditResponse{}, "SLAPolicy": api.SLAPolicyJSON{}, "SLAPolicies": api.SLAPoliciesJSON{},
		"Span": api.SpanJSON{}, "BusinessHours": api.HoursJSON{},
	} {
		s := doc.Components.Schemas[name]
		if s == nil {
			t.Errorf("no schema %s", name)
			continue
		}
		fields := jsonFields(v)
		for f, required := range fields {
			if s.Properties[f] == nil {
				t.Errorf("%s: the wire field %s is not in the schema", name, f)
			}
			if required != contains(s.Required, f) && name != "UpdateTicketRequest" {
				t.Errorf("%s: field %s required %v in Go, %v in the schema", name, f, required, !required)
			}
		}
		for p := range s.Properties {
			if _, ok := fields[p]; !ok {
				t.Errorf("%s: the schema lists %s, which the Go type lacks", name, p)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// jsonFields returns the JSON names of a struct's fields, each with
// whether it is always sent (no omitempty).
func jsonFields(v any) map[string]bool {
	out := map[string]bool{}
	for f := range reflect.TypeOf(v).Fields() {
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		out[name] = !strings.Contains(opts, "omitempty")
	}
	return out
}
