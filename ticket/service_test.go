package ticket_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/ticket"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fakeTeams is a hand-written ticket.Teams.
type fakeTeams map[string][]string // user id → teams

func (f fakeTeams) TeamsOf(ctx context.Context, tenantID, userID string) ([]string, error) {
	return f[userID], nil
}

// clock is a settable clock for tests that do not run the scheduler.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// t0 is a Monday, 10:00 UTC.
var t0 = time.Date(2026, 9, 28, 10, 0, 0, 0, time.UTC)

const tenant = "tenant-1"

var (
	admin      = assist.Principal{TenantID: tenant, UserID: "admin", Role: assist.RoleAdmin}
	supervisor = assist.Principal{TenantID: tenant, UserID: "sup", Role: assist.RoleSupervisor}
	alice      = assist.Principal{TenantID: tenant, UserID: "alice", Role: assist.RoleAgent} // team billing
	bob        = assist.Principal{TenantID: tenant, UserID: "bob", Role: assist.RoleAgent}   // team shipping
	outsider   = assist.Principal{TenantID: "tenant-2", UserID: "eve", Role: assist.RoleAdmin}
)

func newService(t *testing.T) (*ticket.Service, *memStore, *clock) {
	t.Helper()
	st := newMemStore()
	c := &clock{t: t0}
	n := 0
	var mu sync.Mutex
	svc := &ticket.Service{
		Store: st,
		Teams: fakeTeams{"alice": {"billing"}, "bob": {"shipping"}},
		Now:   c.Now,
		NewID: func() string {
			mu.Lock()
			defer mu.Unlock()
			n++
			return fmt.Sprintf("id-%04d", n)
		},
		Warning: ticket.Warning{Fraction: 0.8},
	}
	return svc, st, c
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := assist.ErrorCode(err); got != code {
		t.Errorf("error = %v (code %q), want code %q", err, got, code)
	}
}

func must[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func conv() assist.Conversation {
	return assist.Conversation{ID: "conv-1", TenantID: tenant, Channel: "web", Lang: "en", CustomerRef: "cust-42", Owner: assist.OwnerQueue}
}

func botPart() []*assist.Message {
	at := func(m int) time.Time { return t0.Add(time.Duration(m-10) * time.Minute) }
	return []*assist.Message{
		{ID: "m1", Author: assist.AuthorCustomer, Text: "Hi, my order SO-1001 has not arrived.", CreatedAt: at(0)},
		{ID: "m2", Author: assist.AuthorBot, Text: "Sorry to hear that! Your parcel is on its way.", CreatedAt: at(0)},
		{ID: "m3", Author: assist.AuthorCustomer, Text: "It said that   a week ago.\nThis is the third time I ask!", CreatedAt: at(3)},
		{ID: "m4", Author: assist.AuthorBot, Text: "I am sorry. Let me look again.", CreatedAt: at(3)},
		{ID: "m5", Author: assist.AuthorCustomer, Text: "I want to talk to a person NOW.", CreatedAt: at(5)},
	}
}

func TestOpenFromEscalation(t *testing.T) {
	svc, st, _ := newService(t)
	ctx := context.Background()
	tk := must[*ticket.Ticket](t)(svc.OpenFromEscalation(ctx, conv(), "anger", botPart()))
	if tk.Number != 1 || tk.Status != ticket.StatusNew || tk.Priority != ticket.PriorityHigh || tk.ConversationID != "conv-1" ||
		tk.RequesterID != "cust-42" || tk.Reason != "anger" {
		t.Errorf("ticket = %+v", tk)
	}
	if want := "Customer is upset: I want to talk to a person NOW."; tk.Subject != want {
		t.Errorf("subject %q, want %q", tk.Subject, want)
	}
	if !slices.Equal(tk.Tags, []string{"escalation", "reason:anger"}) {
		t.Errorf("tags %v", tk.Tags)
	}
	cs := must[[]*ticket.Comment](t)(svc.Comments(ctx, supervisor, tk.ID))
	if len(cs) != 1 || !cs[0].Internal {
		t.Fatalf("comments = %+v, want one internal summary", cs)
	}
	golden(t, "escalation_summary.golden", cs[0].Body)

	// A retried handoff opens nothing new.
	again := must[*ticket.Ticket](t)(svc.OpenFromEscalation(ctx, conv(), "anger", botPart()))
	if again.ID != tk.ID {
		t.Errorf("retry opened %s, want %s", again.ID, tk.ID)
	}
	if n := len(must[[]*ticket.Comment](t)(svc.Comments(ctx, supervisor, tk.ID))); n != 1 {
		t.Errorf("%d comments after the retry", n)
	}
	// A later escalation of the same conversation is a new ticket.
	later := append(botPart(), &assist.Message{ID: "m9", Author: assist.AuthorCustomer, Text: "VIP here", CreatedAt: t0})
	next := must[*ticket.Ticket](t)(svc.OpenFromEscalation(ctx, conv(), "vip_complaint", later))
	if next.ID == tk.ID || next.Number != 2 || next.Priority != ticket.PriorityUrgent {
		t.Errorf("second escalation = %+v", next)
	}
	if n := len(st.tickets); n != 2 {
		t.Errorf("%d tickets stored, want 2", n)
	}
	// The customer of the conversation sees both, without the notes.
	cust := assist.Principal{TenantID: tenant, Role: assist.RoleCustomer, ConversationID: "conv-1"}
	list := must[[]*ticket.Ticket](t)(svc.List(ctx, cust, ticket.Filter{}))
	if len(list) != 2 {
		t.Errorf("customer lists %d tickets", len(list))
	}
	if cs := must[[]*ticket.Comment](t)(svc.Comments(ctx, cust, tk.ID)); len(cs) != 0 {
		t.Errorf("the customer sees %d internal notes", len(cs))
	}
}

func TestEscalationChinese(t *testing.T) {
	svc, _, _ := newService(t)
	c := conv()
	c.Lang = "zh"
	tk := must[*ticket.Ticket](t)(svc.OpenFromEscalation(context.Background(), c, "customer_request",
		[]*assist.Message{{ID: "z1", Author: assist.AuthorCustomer, Text: "我要转人工，订单一直没发货", CreatedAt: t0}}))
	if want := "客户要求人工服务：我要转人工，订单一直没发货"; tk.Subject != want || tk.Priority != ticket.PriorityNormal {
		t.Errorf("subject %q priority %s, want %q normal", tk.Subject, tk.Priority, want)
	}
}

func TestPriorityFor(t *testing.T) {
	tests := map[string]ticket.Priority{
		"vip_complaint": ticket.PriorityUrgent, "vip": ticket.PriorityUrgent, "angry": ticket.PriorityHigh,
		"complaint": ticket.PriorityHigh, "negative_trend": ticket.PriorityHigh, "customer_request": ticket.PriorityNormal,
		"no_automation": ticket.PriorityNormal, "": ticket.PriorityNormal,
	}
	for reason, want := range tests {
		if got := ticket.PriorityFor(reason); got != want {
			t.Errorf("PriorityFor(%q) = %s, want %s", reason, got, want)
		}
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestVisibility(t *testing.T) {
	svc, _, _ := newService(t)
	ctx := context.Background()
	mk := func(subject, assignee, team string) *ticket.Ticket {
		return must[*ticket.Ticket](t)(svc.Create(ctx, supervisor, ticket.NewTicket{Subject: subject, AssigneeID: assignee, Team: team}))
	}
	mine := mk("alice's", "alice", "")
	billing := mk("bob's in billing", "bob", "billing")
	shipping := mk("bob's in shipping", "bob", "shipping")
	open := mk("unassigned", "", "")
	esc := must[*ticket.Ticket](t)(svc.OpenFromEscalation(ctx, conv(), "anger", botPart()))
	subjects := func(list []*ticket.Ticket) []string {
		var out []string
		for _, x := range list {
			out = append(out, x.Subject)
		}
		return out
	}
	tests := []struct {
		name string
		p    assist.Principal
		want []string
	}{
		{"alice sees hers, billing's and unassigned", alice, []string{esc.Subject, open.Subject, billing.Subject, mine.Subject}},
		{"bob sees his and unassigned", bob, []string{esc.Subject, open.Subject, shipping.Subject, billing.Subject}},
		{"supervisors see everything", supervisor, []string{esc.Subject, open.Subject, shipping.Subject, billing.Subject, mine.Subject}},
		{"the customer sees their conversation's", assist.Principal{TenantID: tenant, Role: assist.RoleCustomer, ConversationID: "conv-1"}, []string{esc.Subject}},
		{"another customer sees nothing", assist.Principal{TenantID: tenant, Role: assist.RoleCustomer, ConversationID: "conv-2"}, nil},
		{"another tenant sees nothing", outsider, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := subjects(must[[]*ticket.Ticket](t)(svc.List(ctx, tt.p, ticket.Filter{})))
			if !slices.Equal(got, tt.want) {
				t.Errorf("list = %q, want %q", got, tt.want)
			}
		})
	}
	_, err := svc.Get(ctx, bob, mine.ID)
	wantCode(t, err, assist.ENOTFOUND)
	_, err = svc.Get(ctx, outsider, mine.ID)
	wantCode(t, err, assist.ENOTFOUND)
	_, err = svc.Update(ctx, bob, mine.ID, ticket.Update{Subject: ptr("mine now")})
	wantCode(t, err, assist.ENOTFOUND)
	_, _, err = svc.Reply(ctx, bob, mine.ID, "hello", false)
	wantCode(t, err, assist.ENOTFOUND)
	_, err = svc.AuditLog(ctx, assist.Principal{TenantID: tenant, Role: assist.RoleCustomer, ConversationID: "conv-1"}, esc.ID)
	wantCode(t, err, assist.EFORBIDDEN)
	_, err = svc.Create(ctx, assist.Principal{TenantID: tenant, Role: assist.RoleCustomer, ConversationID: "conv-1"}, ticket.NewTicket{Subject: "x"})
	wantCode(t, err, assist.EFORBIDDEN)
}

func ptr[T any](v T) *T { return &v }

func TestCreateValidation(t *testing.T) {
	svc, _, _ := newService(t)
	long := strings.Repeat("长", ticket.MaxSubjectRunes+1)
	tests := []struct {
		name string
		p    assist.Principal
		in   ticket.NewTicket
		code string
	}{
		{"ok", alice, ticket.NewTicket{Subject: "Refund", Tags: []string{"Refund", "refund", "vip"}, CustomFields: map[string]string{"order_id": "SO-1"}}, ""},
		{"no subject", alice, ticket.NewTicket{Subject: "  "}, assist.EINVALID},
		{"long subject", alice, ticket.NewTicket{Subject: long}, assist.ETOOLARGE},
		{"not UTF-8", alice, ticket.NewTicket{Subject: "bad \xff"}, assist.EINVALID},
		{"unknown priority", alice, ticket.NewTicket{Subject: "x", Priority: "asap"}, assist.EINVALID},
		{"solved at birth", alice, ticket.NewTicket{Subject: "x", Status: ticket.StatusSolved}, assist.EINVALID},
		{"bad tag", alice, ticket.NewTicket{Subject: "x", Tags: []string{"two words"}}, assist.EINVALID},
		{"too many tags", alice, ticket.NewTicket{Subject: "x", Tags: strings.Fields(strings.Repeat("t ", ticket.MaxTags+1))}, assist.ETOOLARGE},
		{"bad field key", alice, ticket.NewTicket{Subject: "x", CustomFields: map[string]string{"Order ID": "1"}}, assist.EINVALID},
		{"bad team", alice, ticket.NewTicket{Subject: "x", Team: "Billing Team"}, assist.EINVALID},
		{"agent assigns someone else", alice, ticket.NewTicket{Subject: "x", AssigneeID: "bob"}, assist.EFORBIDDEN},
		{"supervisor assigns", supervisor, ticket.NewTicket{Subject: "x", AssigneeID: "bob"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk, err := svc.Create(context.Background(), tt.p, tt.in)
			wantCode(t, err, tt.code)
			if tt.name == "ok" && err == nil && !slices.Equal(tk.Tags, []string{"refund", "vip"}) {
				t.Errorf("tags = %v, want them lower-cased and unique", tk.Tags)
			}
		})
	}
}

func TestStatusTransitions(t *testing.T) {
	all := ticket.Statuses
	allowed := map[[2]ticket.Status]bool{}
	for _, p := range [][2]ticket.Status{
		{"new", "open"}, {"new", "pending"}, {"new", "on_hold"}, {"new", "solved"},
		{"open", "pending"}, {"open", "on_hold"}, {"open", "solved"},
		{"pending", "open"}, {"pending", "on_hold"}, {"pending", "solved"},
		{"on_hold", "open"}, {"on_hold", "pending"}, {"on_hold", "solved"},
		{"solved", "open"}, {"solved", "closed"},
	} {
		allowed[p] = true
	}
	// path reaches each status from new through allowed moves.
	path := map[ticket.Status][]ticket.Status{
		"new": nil, "open": {"open"}, "pending": {"pending"}, "on_hold": {"on_hold"},
		"solved": {"solved"}, "closed": {"solved", "closed"},
	}
	for _, from := range all {
		for _, to := range all {
			if from == to {
				continue
			}
			t.Run(string(from)+"→"+string(to), func(t *testing.T) {
				if got := ticket.CanTransition(from, to); got != allowed[[2]ticket.Status{from, to}] {
					t.Fatalf("CanTransition = %v", got)
				}
				svc, _, _ := newService(t)
				ctx := context.Background()
				tk := must[*ticket.Ticket](t)(svc.Create(ctx, supervisor, ticket.NewTicket{Subject: "x"}))
				for _, st := range path[from] {
					tk = must[*ticket.Ticket](t)(svc.Update(ctx, supervisor, tk.ID, ticket.Update{Status: ptr(st)}))
				}
				got, err := svc.Update(ctx, supervisor, tk.ID, ticket.Update{Status: ptr(to)})
				if allowed[[2]ticket.Status{from, to}] {
					if err != nil || got.Status != to {
						t.Errorf("update = %v, %v", got, err)
					}
					return
				}
				wantCode(t, err, assist.ECONFLICT)
			})
		}
	}
}

func TestUpdateAndAudit(t *testing.T) {
	svc, _, c := newService(t)
	ctx := context.Background()
	tk := must[*ticket.Ticket](t)(svc.Create(ctx, alice, ticket.NewTicket{Subject: "Refund", Tags: []string{"refund"},
		CustomFields: map[string]string{"order_id": "SO-1"}}))
	c.advance(time.Minute)
	got := must[*ticket.Ticket](t)(svc.Update(ctx, alice, tk.ID, ticket.Update{
		Subject: ptr("Refund for SO-1"), AssigneeID: ptr("alice"), Tags: &[]string{"refund", "vip"},
		CustomFields: map[string]string{"order_id": "", "amount": "99.00"}, Status: ptr(ticket.StatusOpen),
		Version: tk.Version,
	}))
	if got.Subject != "Refund for SO-1" || got.AssigneeID != "alice" || got.Status != ticket.StatusOpen || got.Version != 2 ||
		!slices.Equal(got.Tags, []string{"refund", "vip"}) || len(got.CustomFields) != 1 || got.CustomFields["amount"] != "99.00" {
		t.Errorf("updated = %+v", got)
	}
	// A stale version is refused.
	_, err := svc.Update(ctx, alice, tk.ID, ticket.Update{Subject: ptr("again"), Version: 1})
	wantCode(t, err, assist.ECONFLICT)
	// Agents may not hand tickets to others; supervisors may.
	_, err = svc.Update(ctx, alice, tk.ID, ticket.Update{AssigneeID: ptr("bob")})
	wantCode(t, err, assist.EFORBIDDEN)
	must[*ticket.Ticket](t)(svc.Update(ctx, supervisor, tk.ID, ticket.Update{AssigneeID: ptr("bob"), Priority: ptr(ticket.PriorityUrgent)}))
	// An update that changes nothing writes nothing.
	same := must[*ticket.Ticket](t)(svc.Update(ctx, supervisor, tk.ID, ticket.Update{Priority: ptr(ticket.PriorityUrgent)}))
	if same.Version != 3 {
		t.Errorf("version after a no-op = %d, want 3", same.Version)
	}

	log := must[[]*ticket.Audit](t)(svc.AuditLog(ctx, supervisor, tk.ID))
	var lines []string
	for _, a := range log {
		lines = append(lines, fmt.Sprintf("%s %s: %q → %q", a.ActorID, a.Field, a.Old, a.New))
		if a.Entity != ticket.EntityTicket || a.EntityID != tk.ID || a.TenantID != tenant || a.At.IsZero() {
			t.Errorf("record %+v", a)
		}
	}
	want := []string{
		`alice ticket: "" → "created by staff"`,
		`alice subject: "Refund" → "Refund for SO-1"`,
		`alice assignee_id: "" → "alice"`,
		`alice tags: "refund" → "refund,vip"`,
		`alice custom_fields.amount: "" → "99.00"`,
		`alice custom_fields.order_id: "SO-1" → ""`,
		`alice status: "new" → "open"`,
		`sup assignee_id: "alice" → "bob"`,
		`sup priority: "normal" → "urgent"`,
	}
	if !slices.Equal(lines, want) {
		t.Errorf("audit:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// Concurrent updates of different fields are all kept.
func TestConcurrentUpdates(t *testing.T) {
	svc, st, _ := newService(t)
	ctx := context.Background()
	tk := must[*ticket.Ticket](t)(svc.Create(ctx, supervisor, ticket.NewTicket{Subject: "busy"}))
	const n = 16
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := svc.Update(ctx, supervisor, tk.ID, ticket.Update{CustomFields: map[string]string{fmt.Sprintf("f%02d", i): "v"}})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got := must[*ticket.Ticket](t)(svc.Get(ctx, supervisor, tk.ID))
	if len(got.CustomFields) != n || got.Version != n+1 || st.updates != n {
		t.Errorf("%d fields, version %d, %d writes; want %d, %d, %d", len(got.CustomFields), got.Version, st.updates, n, n+1, n)
	}
}

func TestClosedTicketIsFinal(t *testing.T) {
	svc, _, _ := newService(t)
	ctx := context.Background()
	tk := must[*ticket.Ticket](t)(svc.Create(ctx, supervisor, ticket.NewTicket{Subject: "done"}))
	for _, st := range []ticket.Status{ticket.StatusSolved, ticket.StatusClosed} {
		tk = must[*ticket.Ticket](t)(svc.Update(ctx, supervisor, tk.ID, ticket.Update{Status: ptr(st)}))
	}
	_, err := svc.Update(ctx, supervisor, tk.ID, ticket.Update{Subject: ptr("more")})
	wantCode(t, err, assist.ECONFLICT)
	_, _, err = svc.Reply(ctx, supervisor, tk.ID, "hello?", false)
	wantCode(t, err, assist.ECONFLICT)
}

// fakeRouting is a hand-written hand-off handler standing in for routing.
type fakeRouting struct {
	mu        sync.Mutex
	handoffs  []string
	customers int
	err       error
}

func (f *fakeRouting) HandOff(ctx context.Context, c *assist.Conversation, h assist.Handoff, m *assist.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handoffs = append(f.handoffs, c.ID+":"+h.Reason)
	return f.err
}

func (f *fakeRouting) CustomerMessage(ctx context.Context, c *assist.Conversation, m *assist.Message) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.customers++
}

func TestEscalationsHook(t *testing.T) {
	svc, st, c := newService(t)
	ctx := context.Background()
	routing := &fakeRouting{err: assist.Errorf(assist.EUNAVAILABLE, "no agents")}
	history := botPart()
	for i, m := range history {
		m.Seq = int64(i + 1)
	}
	// A bot reply stored after the trigger is not part of the summary.
	history = append(history, &assist.Message{ID: "m6", Seq: 6, Author: assist.AuthorBot, Text: "Connecting you to a person.", CreatedAt: t0})
	esc := &ticket.Escalations{Tickets: svc, Next: routing,
		History: func(ctx context.Context, tenantID, conversationID string) ([]*assist.Message, error) {
			return history, nil
		}}
	cv := conv()
	trigger := history[4]
	err := esc.HandOff(ctx, &cv, assist.Handoff{Reason: "anger"}, trigger)
	if assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Errorf("HandOff error = %v, want routing's error passed on", err)
	}
	if err := esc.HandOff(ctx, &cv, assist.Handoff{Reason: "anger"}, trigger); assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Errorf("retried HandOff error = %v", err)
	}
	if len(routing.handoffs) != 2 || len(st.tickets) != 1 {
		t.Fatalf("routing saw %v; %d tickets stored, want 1", routing.handoffs, len(st.tickets))
	}
	list := must[[]*ticket.Ticket](t)(svc.List(ctx, supervisor, ticket.Filter{}))
	cs := must[[]*ticket.Comment](t)(svc.Comments(ctx, supervisor, list[0].ID))
	if strings.Contains(cs[0].Body, "Connecting you") || !strings.Contains(cs[0].Body, "talk to a person NOW") {
		t.Errorf("summary = %s", cs[0].Body)
	}
	// A customer message reaches routing and the ticket.
	_, _, err = svc.Reply(ctx, supervisor, list[0].ID, "Hello!", false)
	if err != nil {
		t.Fatal(err)
	}
	c.advance(time.Minute)
	esc.CustomerMessage(ctx, &cv, &assist.Message{ID: "m7", Author: assist.AuthorCustomer, Text: "Thanks"})
	tk := must[*ticket.Ticket](t)(svc.Get(ctx, supervisor, list[0].ID))
	if routing.customers != 1 || tk.SLA.NextResponse.State != ticket.TimerRunning {
		t.Errorf("routing customers %d; next response %+v", routing.customers, tk.SLA.NextResponse)
	}
}
