package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/ticket"
)

// Tickets runs the conformance suite of ticket.Store. open returns a new,
// empty store for each subtest.
func Tickets(t *testing.T, open func(t *testing.T) ticket.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s ticket.Store)
	}{
		{"CreateAndGet", testTicketCreateAndGet},
		{"Numbers", testTicketNumbers},
		{"NumbersConcurrent", testTicketNumbersConcurrent},
		{"CreateConflict", testTicketCreateConflict},
		{"EscalationIdempotent", testTicketEscalationIdempotent},
		{"NotFound", testTicketNotFound},
		{"List", testTicketList},
		{"ListPaging", testTicketListPaging},
		{"Update", testTicketUpdate},
		{"UpdateError", testTicketUpdateError},
		{"UpdateConcurrent", testTicketUpdateConcurrent},
		{"Comments", testTicketComments},
		{"Audit", testTicketAudit},
		{"ActiveTickets", testActiveTickets},
		{"Policies", testTicketPolicies},
		{"Hours", testTicketHours},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, open(t)) })
	}
}

func normTicket(tk ticket.Ticket) ticket.Ticket {
	tk.CreatedAt, tk.UpdatedAt, tk.SolvedAt = normTime(tk.CreatedAt), normTime(tk.UpdatedAt), normTime(tk.SolvedAt)
	for _, m := range ticket.Metrics {
		tm := tk.SLA.Timer(m)
		tm.Since, tm.DueAt, tm.WarnAt, tm.BreachedAt, tm.MetAt = normTime(tm.Since), normTime(tm.DueAt), normTime(tm.WarnAt), normTime(tm.BreachedAt), normTime(tm.MetAt)
	}
	if len(tk.Tags) == 0 {
		tk.Tags = nil
	}
	if len(tk.CustomFields) == 0 {
		tk.CustomFields = nil
	}
	return tk
}

func normComment(c ticket.Comment) ticket.Comment {
	c.CreatedAt = normTime(c.CreatedAt)
	return c
}

func normAudit(a ticket.Audit) ticket.Audit {
	a.At = normTime(a.At)
	return a
}

// newTicket returns an unsaved ticket of the tenant labelled subject.
func newTicket(tenantID, subject string, when time.Time, edit ...func(*ticket.Ticket)) *ticket.Ticket {
	tk := &ticket.Ticket{
		ID: newID(), TenantID: tenantID, Subject: subject, Priority: ticket.PriorityNormal,
		Status: ticket.StatusNew, Version: 1, CreatedAt: when, UpdatedAt: when,
	}
	for _, e := range edit {
		e(tk)
	}
	return tk
}

func createTicket(t *testing.T, s ticket.Store, tk *ticket.Ticket) *ticket.Ticket {
	t.Helper()
	got, created, err := s.CreateTicket(context.Background(), tk, ticket.Change{})
	must(t, err)
	if !created {
		t.Fatalf("CreateTicket(%s) created = false", tk.Subject)
	}
	return got
}

func subjects(list []*ticket.Ticket) []string {
	return ids(list, func(t *ticket.Ticket) string { return t.Subject })
}

func testTicketCreateAndGet(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tenant := newID()
	tk := newTicket(tenant, "Parcel arrived broken 包裹破损", at(0), func(tk *ticket.Ticket) {
		tk.RequesterID, tk.ConversationID, tk.EscalationKey, tk.Reason = "cust-7", newID(), "conv/msg", "angry"
		tk.Priority, tk.Status, tk.AssigneeID, tk.Team = ticket.PriorityHigh, ticket.StatusOpen, newID(), "billing"
		tk.Tags = []string{"escalation", "reason:angry"}
		tk.CustomFields = map[string]string{"order_id": "SO-1001", "note": "易碎品"}
		tk.SLA.FirstResponse = ticket.Timer{State: ticket.TimerRunning, Target: 4 * time.Hour, Elapsed: time.Minute,
			Since: at(1), DueAt: at(240), WarnAt: at(190)}
		tk.SLA.Resolution = ticket.Timer{State: ticket.TimerMet, Target: 24 * time.Hour, Elapsed: 3 * time.Hour,
			Warned: true, Breached: true, BreachedAt: at(5), MetAt: at(6)}
		tk.SolvedAt = at(6)
	})
	got, created, err := s.CreateTicket(ctx, tk, ticket.Change{
		Comments: []*ticket.Comment{{ID: newID(), TenantID: tenant, TicketID: tk.ID, Internal: true, Body: "summary", CreatedAt: at(0)}},
		Audit:    []*ticket.Audit{{ID: newID(), TenantID: tenant, Entity: ticket.EntityTicket, EntityID: tk.ID, Field: "ticket", New: "created", At: at(0)}},
	})
	must(t, err)
	if !created || got.Number != 1 {
		t.Fatalf("created %v, number %d; want a new ticket #1", created, got.Number)
	}
	want := *tk
	want.Number = 1
	same(t, "created ticket", got, &want, normTicket)
	read, err := s.Ticket(ctx, tenant, tk.ID)
	must(t, err)
	same(t, "read ticket", read, &want, normTicket)
	cs, err := s.Comments(ctx, tenant, tk.ID, true)
	must(t, err)
	if len(cs) != 1 || cs[0].Body != "summary" || !cs[0].Internal {
		t.Errorf("comments = %+v, want the summary note", cs)
	}
	log, err := s.AuditLog(ctx, tenant, ticket.EntityTicket, tk.ID)
	must(t, err)
	if len(log) != 1 || log[0].New != "created" {
		t.Errorf("audit = %+v, want the creation record", log)
	}
}

func testTicketNumbers(t *testing.T, s ticket.Store) {
	a, b := newID(), newID()
	for i, tenant := range []string{a, b, a, a, b} {
		createTicket(t, s, newTicket(tenant, fmt.Sprint(i), at(i)))
	}
	for tenant, want := range map[string][]string{a: {"3", "2", "0"}, b: {"4", "1"}} {
		list, err := s.ListTickets(context.Background(), tenant, ticket.Filter{})
		must(t, err)
		sameIDs(t, "tickets", subjects(list), want)
		for i, tk := range list {
			if wantN := int64(len(list) - i); tk.Number != wantN {
				t.Errorf("ticket %s has number %d, want %d", tk.Subject, tk.Number, wantN)
			}
		}
	}
}

func testTicketNumbersConcurrent(t *testing.T, s ticket.Store) {
	tenant := newID()
	const n = 24
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			_, _, err := s.CreateTicket(context.Background(), newTicket(tenant, fmt.Sprint(i), at(i)), ticket.Change{})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	list, err := s.ListTickets(context.Background(), tenant, ticket.Filter{Limit: n})
	must(t, err)
	var nums []int64
	for _, tk := range list {
		nums = append(nums, tk.Number)
	}
	slices.Sort(nums)
	for i, num := range nums {
		if num != int64(i+1) {
			t.Fatalf("numbers = %v, want 1..%d each once", nums, n)
		}
	}
	if len(nums) != n {
		t.Fatalf("%d tickets, want %d", len(nums), n)
	}
}

func testTicketCreateConflict(t *testing.T, s ticket.Store) {
	tenant := newID()
	tk := createTicket(t, s, newTicket(tenant, "first", at(0)))
	dup := newTicket(tenant, "second", at(1))
	dup.ID = tk.ID
	_, _, err := s.CreateTicket(context.Background(), dup, ticket.Change{})
	wantCode(t, err, assist.ECONFLICT)
	_, _, err = s.CreateTicket(context.Background(), newTicket("", "no tenant", at(1)), ticket.Change{})
	wantCode(t, err, assist.EINVALID)
}

func testTicketEscalationIdempotent(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tenant, other := newID(), newID()
	key := newID() + "/" + newID()
	note := func(tk *ticket.Ticket) ticket.Change {
		return ticket.Change{Comments: []*ticket.Comment{{ID: newID(), TenantID: tk.TenantID, TicketID: tk.ID, Internal: true, Body: "summary", CreatedAt: at(0)}}}
	}
	first := newTicket(tenant, "first", at(0), func(tk *ticket.Ticket) { tk.EscalationKey = key })
	got1, created, err := s.CreateTicket(ctx, first, note(first))
	must(t, err)
	if !created {
		t.Fatal("the first escalation was not created")
	}
	again := newTicket(tenant, "retry", at(1), func(tk *ticket.Ticket) { tk.EscalationKey = key })
	got2, created, err := s.CreateTicket(ctx, again, note(again))
	must(t, err)
	if created || got2.ID != got1.ID || got2.Subject != "first" {
		t.Errorf("retry: created %v, ticket %s %q; want the first ticket back", created, got2.ID, got2.Subject)
	}
	if _, err := s.Ticket(ctx, tenant, again.ID); assist.ErrorCode(err) != assist.ENOTFOUND {
		t.Errorf("the retry's ticket was stored: %v", err)
	}
	cs, err := s.Comments(ctx, tenant, got1.ID, true)
	must(t, err)
	if len(cs) != 1 {
		t.Errorf("%d comments after a retry, want 1", len(cs))
	}
	// Another tenant with the same key is another ticket.
	elsewhere := newTicket(other, "other tenant", at(2), func(tk *ticket.Ticket) { tk.EscalationKey = key })
	if _, created, err := s.CreateTicket(ctx, elsewhere, ticket.Change{}); err != nil || !created {
		t.Errorf("same key in another tenant: created %v, err %v", created, err)
	}
}

func testTicketNotFound(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tenant := newID()
	tk := createTicket(t, s, newTicket(tenant, "mine", at(0)))
	other := newID()
	_, err := s.Ticket(ctx, other, tk.ID)
	wantCode(t, err, assist.ENOTFOUND)
	_, err = s.Ticket(ctx, tenant, newID())
	wantCode(t, err, assist.ENOTFOUND)
	called := false
	_, err = s.UpdateTicket(ctx, other, tk.ID, func(*ticket.Ticket) (ticket.Change, error) {
		called = true
		return ticket.Change{}, nil
	})
	wantCode(t, err, assist.ENOTFOUND)
	if called {
		t.Error("UpdateTicket called fn for another tenant's ticket")
	}
	_, err = s.Comments(ctx, other, tk.ID, true)
	wantCode(t, err, assist.ENOTFOUND)
	list, err := s.ListTickets(ctx, other, ticket.Filter{})
	must(t, err)
	if len(list) != 0 {
		t.Errorf("another tenant lists %v", subjects(list))
	}
}

func testTicketList(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tenant := newID()
	agent, other := newID(), newID()
	conv := newID()
	for i, e := range []func(*ticket.Ticket){
		func(tk *ticket.Ticket) { tk.Subject = "a-new-mine"; tk.AssigneeID = agent },
		func(tk *ticket.Ticket) {
			tk.Subject = "b-open-other-billing"
			tk.Status, tk.AssigneeID, tk.Team = ticket.StatusOpen, other, "billing"
		},
		func(tk *ticket.Ticket) {
			tk.Subject = "c-pending-unassigned"
			tk.Status, tk.Priority = ticket.StatusPending, ticket.PriorityUrgent
		},
		func(tk *ticket.Ticket) {
			tk.Subject = "d-solved-other-conv"
			tk.Status, tk.AssigneeID, tk.ConversationID, tk.RequesterID = ticket.StatusSolved, other, conv, "cust-1"
		},
		func(tk *ticket.Ticket) {
			tk.Subject = "e-high-other-shipping"
			tk.Priority, tk.AssigneeID, tk.Team = ticket.PriorityHigh, other, "shipping"
		},
	} {
		createTicket(t, s, newTicket(tenant, "", at(i), e))
	}
	createTicket(t, s, newTicket(newID(), "z-other-tenant", at(9)))
	tests := []struct {
		name string
		f    ticket.Filter
		want []string
	}{
		{"all", ticket.Filter{}, []string{"e-high-other-shipping", "d-solved-other-conv", "c-pending-unassigned", "b-open-other-billing", "a-new-mine"}},
		{"status", ticket.Filter{Status: []ticket.Status{ticket.StatusOpen, ticket.StatusPending}}, []string{"c-pending-unassigned", "b-open-other-billing"}},
		{"priority", ticket.Filter{Priority: []ticket.Priority{ticket.PriorityUrgent, ticket.PriorityHigh}}, []string{"e-high-other-shipping", "c-pending-unassigned"}},
		{"assignee", ticket.Filter{AssigneeID: agent}, []string{"a-new-mine"}},
		{"unassigned", ticket.Filter{AssigneeID: ticket.Unassigned}, []string{"c-pending-unassigned"}},
		{"team", ticket.Filter{Team: "billing"}, []string{"b-open-other-billing"}},
		{"requester", ticket.Filter{RequesterID: "cust-1"}, []string{"d-solved-other-conv"}},
		{"conversation", ticket.Filter{ConversationID: conv}, []string{"d-solved-other-conv"}},
		{"visible to the agent", ticket.Filter{Visible: &ticket.Visibility{UserID: agent}}, []string{"c-pending-unassigned", "a-new-mine"}},
		{"visible with a team", ticket.Filter{Visible: &ticket.Visibility{UserID: agent, Teams: []string{"billing", "returns"}}},
			[]string{"c-pending-unassigned", "b-open-other-billing", "a-new-mine"}},
		{"visible and filtered", ticket.Filter{Status: []ticket.Status{ticket.StatusNew}, Visible: &ticket.Visibility{UserID: agent, Teams: []string{"shipping"}}},
			[]string{"e-high-other-shipping", "a-new-mine"}},
		{"limit", ticket.Filter{Limit: 2}, []string{"e-high-other-shipping", "d-solved-other-conv"}},
		{"before", ticket.Filter{BeforeNumber: 3}, []string{"b-open-other-billing", "a-new-mine"}},
		{"nothing", ticket.Filter{Team: "nobody"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := s.ListTickets(ctx, tenant, tt.f)
			must(t, err)
			sameIDs(t, "tickets", subjects(list), tt.want)
		})
	}
}

func testTicketListPaging(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tenant := newID()
	for i := range ticket.DefaultPageSize + 5 {
		createTicket(t, s, newTicket(tenant, fmt.Sprint(i), at(i)))
	}
	list, err := s.ListTickets(ctx, tenant, ticket.Filter{})
	must(t, err)
	if len(list) != ticket.DefaultPageSize {
		t.Fatalf("default page holds %d tickets, want %d", len(list), ticket.DefaultPageSize)
	}
	rest, err := s.ListTickets(ctx, tenant, ticket.Filter{BeforeNumber: list[len(list)-1].Number})
	must(t, err)
	if len(rest) != 5 || rest[0].Number != 5 || rest[4].Number != 1 {
		t.Errorf("second page = %v", subjects(rest))
	}
}

func testTicketUpdate(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tenant := newID()
	tk := createTicket(t, s, newTicket(tenant, "before", at(0)))
	note := &ticket.Comment{ID: newID(), TenantID: tenant, TicketID: tk.ID, AuthorID: "u1", AuthorRole: assist.RoleAgent, Body: "hello", CreatedAt: at(1)}
	rec := &ticket.Audit{ID: newID(), TenantID: tenant, Entity: ticket.EntityTicket, EntityID: tk.ID, ActorID: "u1", ActorRole: assist.RoleAgent,
		Field: "subject", Old: "before", New: "after", At: at(1)}
	got, err := s.UpdateTicket(ctx, tenant, tk.ID, func(x *ticket.Ticket) (ticket.Change, error) {
		if x.Subject != "before" || x.Version != 1 {
			t.Errorf("fn got %+v", x)
		}
		x.Subject, x.Status, x.Tags, x.CustomFields = "after", ticket.StatusOpen, []string{"vip"}, map[string]string{"k": "v"}
		x.SLA.FirstResponse = ticket.Timer{State: ticket.TimerMet, Target: time.Hour, Elapsed: time.Minute, MetAt: at(1)}
		x.UpdatedAt = at(1)
		return ticket.Change{Comments: []*ticket.Comment{note}, Audit: []*ticket.Audit{rec}}, nil
	})
	must(t, err)
	want := *tk
	want.Subject, want.Status, want.Tags, want.CustomFields, want.Version, want.UpdatedAt = "after", ticket.StatusOpen, []string{"vip"}, map[string]string{"k": "v"}, 2, at(1)
	want.SLA.FirstResponse = ticket.Timer{State: ticket.TimerMet, Target: time.Hour, Elapsed: time.Minute, MetAt: at(1)}
	same(t, "returned ticket", got, &want, normTicket)
	read, err := s.Ticket(ctx, tenant, tk.ID)
	must(t, err)
	same(t, "stored ticket", read, &want, normTicket)
	cs, err := s.Comments(ctx, tenant, tk.ID, false)
	must(t, err)
	if len(cs) != 1 {
		t.Fatalf("comments = %+v", cs)
	}
	same(t, "comment", cs[0], note, normComment)
	log, err := s.AuditLog(ctx, tenant, ticket.EntityTicket, tk.ID)
	must(t, err)
	if len(log) != 1 {
		t.Fatalf("audit = %+v", log)
	}
	same(t, "audit record", log[0], rec, normAudit)
}

func testTicketUpdateError(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tenant := newID()
	tk := createTicket(t, s, newTicket(tenant, "keep", at(0)))
	boom := errors.New("boom")
	_, err := s.UpdateTicket(ctx, tenant, tk.ID, func(x *ticket.Ticket) (ticket.Change, error) {
		x.Subject = "lost"
		return ticket.Change{Audit: []*ticket.Audit{{ID: newID(), TenantID: tenant, Entity: ticket.EntityTicket, EntityID: tk.ID, Field: "subject", At: at(1)}}}, boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("error = %v, want fn's error", err)
	}
	read, err := s.Ticket(ctx, tenant, tk.ID)
	must(t, err)
	if read.Subject != "keep" || read.Version != 1 {
		t.Errorf("after a failed update: %q version %d", read.Subject, read.Version)
	}
	log, err := s.AuditLog(ctx, tenant, ticket.EntityTicket, tk.ID)
	must(t, err)
	if len(log) != 0 {
		t.Errorf("a failed update wrote audit records: %+v", log)
	}
}

func testTicketUpdateConcurrent(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tenant := newID()
	tk := createTicket(t, s, newTicket(tenant, "busy", at(0)))
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := s.UpdateTicket(ctx, tenant, tk.ID, func(x *ticket.Ticket) (ticket.Change, error) {
				x.Tags = append(x.Tags, fmt.Sprintf("t%02d", i))
				slices.Sort(x.Tags)
				return ticket.Change{}, nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	read, err := s.Ticket(ctx, tenant, tk.ID)
	must(t, err)
	if len(read.Tags) != n || read.Version != n+1 {
		t.Errorf("after %d concurrent updates: %d tags, version %d; an update was lost", n, len(read.Tags), read.Version)
	}
}

func testTicketComments(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tenant := newID()
	tk := createTicket(t, s, newTicket(tenant, "talk", at(0)))
	for i, internal := range []bool{false, true, false} {
		c := &ticket.Comment{ID: newID(), TenantID: tenant, TicketID: tk.ID, AuthorID: "u", AuthorRole: assist.RoleAgent,
			Internal: internal, Body: fmt.Sprint("c", i), CreatedAt: at(i + 1)}
		_, err := s.UpdateTicket(ctx, tenant, tk.ID, func(*ticket.Ticket) (ticket.Change, error) {
			return ticket.Change{Comments: []*ticket.Comment{c}}, nil
		})
		must(t, err)
	}
	body := func(list []*ticket.Comment) []string {
		return ids(list, func(c *ticket.Comment) string { return c.Body })
	}
	all, err := s.Comments(ctx, tenant, tk.ID, true)
	must(t, err)
	sameIDs(t, "all comments", body(all), []string{"c0", "c1", "c2"})
	public, err := s.Comments(ctx, tenant, tk.ID, false)
	must(t, err)
	sameIDs(t, "public comments", body(public), []string{"c0", "c2"})
}

func testTicketAudit(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tenant := newID()
	a1 := &ticket.Audit{ID: newID(), TenantID: tenant, Entity: "conversation", EntityID: "c1", ActorID: "u", ActorRole: assist.RoleSupervisor,
		Field: "assignee_id", Old: "a", New: "b", At: at(1)}
	a2 := &ticket.Audit{ID: newID(), TenantID: tenant, Entity: "conversation", EntityID: "c1", Field: "owner", Old: "queue", New: "agent", At: at(2)}
	a3 := &ticket.Audit{ID: newID(), TenantID: tenant, Entity: "conversation", EntityID: "c2", Field: "owner", At: at(3)}
	must(t, s.AppendAudit(ctx, a1, a2))
	must(t, s.AppendAudit(ctx, a3))
	log, err := s.AuditLog(ctx, tenant, "conversation", "c1")
	must(t, err)
	if len(log) != 2 {
		t.Fatalf("audit of c1 = %+v", log)
	}
	same(t, "first record", log[0], a1, normAudit)
	same(t, "second record", log[1], a2, normAudit)
	if log, err := s.AuditLog(ctx, newID(), "conversation", "c1"); err != nil || len(log) != 0 {
		t.Errorf("another tenant reads %d records, err %v", len(log), err)
	}
	wantCode(t, s.AppendAudit(ctx, &ticket.Audit{ID: newID(), TenantID: tenant, At: at(4)}), assist.EINVALID)
}

func testActiveTickets(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	var want []string
	for i, st := range []ticket.Status{ticket.StatusNew, ticket.StatusSolved, ticket.StatusOpen, ticket.StatusClosed, ticket.StatusPending, ticket.StatusOnHold} {
		tk := createTicket(t, s, newTicket(newID(), fmt.Sprint(st), at(i), func(tk *ticket.Ticket) { tk.Status = st }))
		if st.Active() {
			want = append(want, tk.ID)
		}
	}
	slices.Sort(want)
	var got []string
	after := ""
	for range 10 {
		page, err := s.ActiveTickets(ctx, after, 3)
		must(t, err)
		for _, tk := range page {
			got = append(got, tk.ID)
			after = tk.ID
		}
		if len(page) < 3 {
			break
		}
	}
	sameIDs(t, "active tickets", got, want)
}

func testTicketPolicies(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tenant := newID()
	p, err := s.Policies(ctx, tenant)
	must(t, err)
	if len(p) != 0 {
		t.Errorf("a new tenant has policies %v", p)
	}
	want := ticket.Policies{
		ticket.PriorityUrgent: {FirstResponse: 15 * time.Minute, NextResponse: time.Hour, Resolution: 4 * time.Hour},
		ticket.PriorityLow:    {FirstResponse: 48 * time.Hour},
	}
	must(t, s.SetPolicies(ctx, tenant, want))
	got, err := s.Policies(ctx, tenant)
	must(t, err)
	same(t, "policies", &got, &want, func(p ticket.Policies) ticket.Policies { return p })
	must(t, s.SetPolicies(ctx, tenant, ticket.Policies{ticket.PriorityHigh: {Resolution: time.Hour}}))
	got, err = s.Policies(ctx, tenant)
	must(t, err)
	if len(got) != 1 || got[ticket.PriorityHigh].Resolution != time.Hour {
		t.Errorf("after replacing: %v", got)
	}
	if other, err := s.Policies(ctx, newID()); err != nil || len(other) != 0 {
		t.Errorf("another tenant sees %v, err %v", other, err)
	}
}

func testTicketHours(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tenant := newID()
	h, err := s.Hours(ctx, tenant, "billing")
	must(t, err)
	if h != nil {
		t.Errorf("unset hours = %+v, want nil", h)
	}
	want := &ticket.Hours{TimeZone: "Asia/Shanghai", Holidays: []string{"2026-10-01", "2026-10-02"}}
	for d := time.Monday; d <= time.Friday; d++ {
		want.Weekly[d] = []ticket.Span{{Start: 9 * 60, End: 12 * 60}, {Start: 13 * 60, End: 18 * 60}}
	}
	want.Weekly[time.Saturday] = []ticket.Span{{Start: 10 * 60, End: 14 * 60}}
	must(t, s.SetHours(ctx, tenant, "billing", want))
	got, err := s.Hours(ctx, tenant, "billing")
	must(t, err)
	same(t, "hours", got, want, func(h ticket.Hours) ticket.Hours { return h })
	if h, err := s.Hours(ctx, tenant, "shipping"); err != nil || h != nil {
		t.Errorf("another team's hours = %+v, %v", h, err)
	}
	if h, err := s.Hours(ctx, newID(), "billing"); err != nil || h != nil {
		t.Errorf("another tenant's hours = %+v, %v", h, err)
	}
	must(t, s.SetHours(ctx, tenant, "billing", nil))
	if h, err := s.Hours(ctx, tenant, "billing"); err != nil || h != nil {
		t.Errorf("removed hours = %+v, %v", h, err)
	}
}
