package ticket_test

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/ticket"
)

// view returns the timer of metric m as the service shows it now.
func view(t *testing.T, svc *ticket.Service, tk *ticket.Ticket, m ticket.Metric) ticket.TimerView {
	t.Helper()
	for _, v := range must[[]ticket.TimerView](t)(svc.SLAView(context.Background(), tk)) {
		if v.Metric == m {
			return v
		}
	}
	return ticket.TimerView{Metric: m}
}

// The timers follow the ticket's life: pending pauses them, the first
// public reply meets the first response, a customer reply starts the next
// response, solving meets the resolution and reopening resumes it.
func TestSLATimersLifecycle(t *testing.T) {
	svc, _, c := newService(t)
	ctx := context.Background()
	// urgent: first response 1h, next response 2h, resolution 8h; 24/7.
	tk := must[*ticket.Ticket](t)(svc.Create(ctx, supervisor, ticket.NewTicket{Subject: "x", Priority: ticket.PriorityUrgent}))
	fr := view(t, svc, tk, ticket.FirstResponse)
	if fr.State != ticket.TimerRunning || fr.Target != time.Hour || !fr.DueAt.Equal(t0.Add(time.Hour)) || fr.Remaining != time.Hour {
		t.Fatalf("first response at creation = %+v", fr)
	}
	c.advance(10 * time.Minute)
	tk = must[*ticket.Ticket](t)(svc.Update(ctx, supervisor, tk.ID, ticket.Update{Status: ptr(ticket.StatusPending)}))
	c.advance(3 * time.Hour) // paused: does not count
	fr = view(t, svc, tk, ticket.FirstResponse)
	if fr.State != ticket.TimerPaused || fr.Elapsed != 10*time.Minute || fr.Remaining != 50*time.Minute || fr.Breached {
		t.Fatalf("first response while pending = %+v", fr)
	}
	// An internal note changes no timer.
	_, tk, _ = svc.Reply(ctx, supervisor, tk.ID, "checking with the carrier", true)
	tk = must[*ticket.Ticket](t)(svc.Update(ctx, supervisor, tk.ID, ticket.Update{Status: ptr(ticket.StatusOpen)}))
	if due := tk.SLA.FirstResponse.DueAt; !due.Equal(c.Now().Add(50 * time.Minute)) {
		t.Errorf("resumed due at %s, want now + 50m", due)
	}
	c.advance(20 * time.Minute)
	_, tk, err := svc.Reply(ctx, supervisor, tk.ID, "Your parcel is at the depot.", false)
	if err != nil {
		t.Fatal(err)
	}
	fr = view(t, svc, tk, ticket.FirstResponse)
	if fr.State != ticket.TimerMet || fr.Elapsed != 30*time.Minute || fr.Breached || !fr.MetAt.Equal(c.Now()) {
		t.Errorf("first response after the reply = %+v", fr)
	}
	if view(t, svc, tk, ticket.NextResponse).State != ticket.TimerOff {
		t.Error("next response runs before the customer wrote")
	}

	// The customer writes: next response starts; a second customer message
	// does not restart it.
	c.advance(5 * time.Minute)
	changed := must[[]*ticket.Ticket](t)(svc.CustomerReplied(ctx, tenant, "conv-none"))
	if len(changed) != 0 {
		t.Errorf("another conversation's reply changed %d tickets", len(changed))
	}
	tk = must[*ticket.Ticket](t)(svc.Update(ctx, supervisor, tk.ID, ticket.Update{Status: ptr(ticket.StatusOpen)}))
	esc := must[*ticket.Ticket](t)(svc.OpenFromEscalation(ctx, conv(), "vip_complaint", botPart()))
	_, esc, _ = svc.Reply(ctx, supervisor, esc.ID, "Hello, I am on it.", false)
	esc = must[*ticket.Ticket](t)(svc.Update(ctx, supervisor, esc.ID, ticket.Update{Status: ptr(ticket.StatusPending)}))
	c.advance(time.Minute)
	changed = must[[]*ticket.Ticket](t)(svc.CustomerReplied(ctx, tenant, "conv-1"))
	if len(changed) != 1 || changed[0].Status != ticket.StatusOpen {
		t.Fatalf("customer reply changed %+v; want the pending escalation reopened", changed)
	}
	esc = changed[0]
	nr := view(t, svc, esc, ticket.NextResponse)
	if nr.State != ticket.TimerRunning || nr.Target != 2*time.Hour || !nr.DueAt.Equal(c.Now().Add(2*time.Hour)) {
		t.Errorf("next response = %+v", nr)
	}
	c.advance(3 * time.Hour)
	if again := must[[]*ticket.Ticket](t)(svc.CustomerReplied(ctx, tenant, "conv-1")); len(again) != 0 {
		t.Errorf("a second customer message changed %d tickets", len(again))
	}
	nr = view(t, svc, esc, ticket.NextResponse)
	if !nr.Breached || nr.Remaining != -time.Hour {
		t.Errorf("next response 3h later = %+v, want breached by 1h", nr)
	}
	_, esc, _ = svc.Reply(ctx, supervisor, esc.ID, "Sorry for the wait.", false)
	nr = view(t, svc, esc, ticket.NextResponse)
	if nr.State != ticket.TimerMet || !nr.Breached {
		t.Errorf("next response met late = %+v, want met and breached", nr)
	}

	// Solve, then reopen: the resolution keeps its elapsed time.
	res := view(t, svc, esc, ticket.Resolution)
	esc = must[*ticket.Ticket](t)(svc.Update(ctx, supervisor, esc.ID, ticket.Update{Status: ptr(ticket.StatusSolved)}))
	solved := view(t, svc, esc, ticket.Resolution)
	if solved.State != ticket.TimerMet || solved.Elapsed != res.Elapsed || esc.SolvedAt.IsZero() {
		t.Errorf("resolution when solved = %+v (before %+v)", solved, res)
	}
	c.advance(24 * time.Hour)
	esc = must[*ticket.Ticket](t)(svc.Update(ctx, supervisor, esc.ID, ticket.Update{Status: ptr(ticket.StatusOpen)}))
	reopened := view(t, svc, esc, ticket.Resolution)
	if reopened.State != ticket.TimerRunning || reopened.Elapsed != res.Elapsed || !esc.SolvedAt.IsZero() {
		t.Errorf("resolution when reopened = %+v", reopened)
	}
}

// Due times count business hours only, and follow the ticket's team.
func TestSLABusinessHours(t *testing.T) {
	svc, _, c := newService(t)
	ctx := context.Background()
	office := &ticket.Hours{TimeZone: "UTC", Holidays: []string{"2026-09-29"}}
	for d := time.Monday; d <= time.Friday; d++ {
		office.Weekly[d] = []ticket.Span{{Start: 9 * 60, End: 17 * 60}}
	}
	if err := svc.SetHours(ctx, supervisor, "billing", office); err != nil {
		t.Fatal(err)
	}
	err := svc.SetHours(ctx, alice, "billing", office)
	wantCode(t, err, assist.EFORBIDDEN)
	// high: first response 4h. Created Monday 16:00: 1h today, Tuesday is a
	// holiday, 3h on Wednesday.
	c.advance(6 * time.Hour)
	tk := must[*ticket.Ticket](t)(svc.Create(ctx, supervisor, ticket.NewTicket{Subject: "x", Priority: ticket.PriorityHigh, Team: "billing"}))
	if want := time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC); !tk.SLA.FirstResponse.DueAt.Equal(want) {
		t.Errorf("due %s, want %s", tk.SLA.FirstResponse.DueAt, want)
	}
	// Moving the ticket to a team without hours (24/7) recomputes the due
	// time from the business time already used (30m).
	c.advance(30 * time.Minute)
	tk = must[*ticket.Ticket](t)(svc.Update(ctx, supervisor, tk.ID, ticket.Update{Team: ptr("shipping")}))
	if want := c.Now().Add(3*time.Hour + 30*time.Minute); !tk.SLA.FirstResponse.DueAt.Equal(want) {
		t.Errorf("due after the team change %s, want %s", tk.SLA.FirstResponse.DueAt, want)
	}
	// Raising the priority shortens the target: urgent's first response is 1h.
	tk = must[*ticket.Ticket](t)(svc.Update(ctx, supervisor, tk.ID, ticket.Update{Priority: ptr(ticket.PriorityUrgent)}))
	if want := c.Now().Add(30 * time.Minute); !tk.SLA.FirstResponse.DueAt.Equal(want) {
		t.Errorf("due after the priority change %s, want %s", tk.SLA.FirstResponse.DueAt, want)
	}
	// Tenant policies override the defaults.
	if _, err := svc.SetPolicies(ctx, supervisor, ticket.Policies{ticket.PriorityLow: {FirstResponse: 5 * time.Minute}}); err != nil {
		t.Fatal(err)
	}
	low := must[*ticket.Ticket](t)(svc.Create(ctx, supervisor, ticket.NewTicket{Subject: "y", Priority: ticket.PriorityLow}))
	if low.SLA.FirstResponse.Target != 5*time.Minute || low.SLA.Resolution.State != ticket.TimerOff {
		t.Errorf("low ticket timers = %+v", low.SLA)
	}
	_, err = svc.SetPolicies(ctx, supervisor, ticket.Policies{"asap": {}})
	wantCode(t, err, assist.EINVALID)
}

// events collects what the scheduler notifies.
type events struct {
	mu   sync.Mutex
	list []ticket.Event
}

func (e *events) Notify(ctx context.Context, ev ticket.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.list = append(e.list, ev)
}

func (e *events) take() []ticket.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.list
	e.list = nil
	return out
}

type want struct {
	kind   ticket.EventKind
	metric ticket.Metric
}

func wantEvents(t *testing.T, got []ticket.Event, w ...want) {
	t.Helper()
	if len(got) != len(w) {
		t.Fatalf("events = %+v, want %v", got, w)
	}
	for i := range w {
		if got[i].Kind != w[i].kind || got[i].Metric != w[i].metric {
			t.Errorf("event %d = %s %s, want %s %s", i, got[i].Kind, got[i].Metric, w[i].kind, w[i].metric)
		}
	}
}

// The scheduler warns at 80% of a target and reports the breach at the
// due time, on fake time.
func TestSLASchedulerWarnsAndBreaches(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		evs := &events{}
		svc := &ticket.Service{Store: st, Notifier: evs, Warning: ticket.Warning{Fraction: 0.8}}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- svc.RunSLA(ctx) }()

		// urgent: first response 1h (warn at 48m), resolution 8h (warn at 6h24m).
		tk := must[*ticket.Ticket](t)(svc.Create(ctx, supervisor, ticket.NewTicket{Subject: "x", Priority: ticket.PriorityUrgent, AssigneeID: "sup"}))
		time.Sleep(47 * time.Minute)
		synctest.Wait()
		wantEvents(t, evs.take())
		time.Sleep(time.Minute)
		synctest.Wait()
		got := evs.take()
		wantEvents(t, got, want{ticket.EventWarning, ticket.FirstResponse})
		if e := got[0]; e.TicketID != tk.ID || e.TenantID != tenant || e.Number != 1 || e.AssigneeID != "sup" || !e.DueAt.Equal(tk.SLA.FirstResponse.DueAt) {
			t.Errorf("warning = %+v", e)
		}
		time.Sleep(12 * time.Minute)
		synctest.Wait()
		wantEvents(t, evs.take(), want{ticket.EventBreach, ticket.FirstResponse})
		cur := must[*ticket.Ticket](t)(svc.Get(ctx, supervisor, tk.ID))
		if !cur.SLA.FirstResponse.Breached || !cur.SLA.FirstResponse.Warned {
			t.Errorf("stored first response = %+v", cur.SLA.FirstResponse)
		}

		// Pending stops the clock: nothing fires while it waits.
		tk = must[*ticket.Ticket](t)(svc.Update(ctx, supervisor, tk.ID, ticket.Update{Status: ptr(ticket.StatusPending)}))
		time.Sleep(24 * time.Hour)
		synctest.Wait()
		wantEvents(t, evs.take())
		if svc.Scheduled() != 0 {
			t.Errorf("%d checks scheduled for a pending ticket", svc.Scheduled())
		}
		// Open again: the resolution has 7h left, warns after 5h24m.
		must[*ticket.Ticket](t)(svc.Update(ctx, supervisor, tk.ID, ticket.Update{Status: ptr(ticket.StatusOpen)}))
		time.Sleep(5*time.Hour + 24*time.Minute)
		synctest.Wait()
		wantEvents(t, evs.take(), want{ticket.EventWarning, ticket.Resolution})
		time.Sleep(96 * time.Minute)
		synctest.Wait()
		wantEvents(t, evs.take(), want{ticket.EventBreach, ticket.Resolution})

		log := must[[]*ticket.Audit](t)(svc.AuditLog(ctx, supervisor, tk.ID))
		n := 0
		for _, a := range log {
			if a.Field == "sla.first_response" || a.Field == "sla.resolution" {
				if a.New == "warning" || a.New == "breached" {
					n++
				}
			}
		}
		if n != 4 {
			t.Errorf("%d SLA event records in the audit log, want 4", n)
		}
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
}

// Business hours move the breach: a ticket opened on a Saturday breaches
// its first response an hour after Monday's opening.
func TestSLASchedulerBusinessHours(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		evs := &events{}
		svc := &ticket.Service{Store: st, Notifier: evs}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		office := &ticket.Hours{}
		for d := time.Monday; d <= time.Friday; d++ {
			office.Weekly[d] = []ticket.Span{{Start: 9 * 60, End: 17 * 60}}
		}
		if err := svc.SetHours(ctx, supervisor, ticket.DefaultTeam, office); err != nil {
			t.Fatal(err)
		}
		go svc.RunSLA(ctx)
		start := time.Now()
		for start.Weekday() != time.Saturday {
			time.Sleep(time.Until(start.Truncate(24 * time.Hour).Add(24 * time.Hour)))
			start = time.Now()
		}
		tk := must[*ticket.Ticket](t)(svc.Create(ctx, supervisor, ticket.NewTicket{Subject: "weekend", Priority: ticket.PriorityUrgent}))
		monday := start.Truncate(24*time.Hour).AddDate(0, 0, 2).Add(9 * time.Hour)
		if want := monday.Add(time.Hour); !tk.SLA.FirstResponse.DueAt.Equal(want) {
			t.Fatalf("due %s, want %s", tk.SLA.FirstResponse.DueAt, want)
		}
		time.Sleep(time.Until(monday.Add(time.Hour)) - time.Second)
		synctest.Wait()
		wantEvents(t, evs.take())
		time.Sleep(time.Second)
		synctest.Wait()
		wantEvents(t, evs.take(), want{ticket.EventBreach, ticket.FirstResponse})
	})
}

// After a restart the scheduler picks up the running timers from the
// store, reports what fell due while it was down, once, and keeps going.
func TestSLASchedulerRestore(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		evs := &events{}
		first := &ticket.Service{Store: st, Notifier: evs, Warning: ticket.Warning{Before: 10 * time.Minute}}
		ctx := context.Background()
		a := must[*ticket.Ticket](t)(first.Create(ctx, supervisor, ticket.NewTicket{Subject: "a", Priority: ticket.PriorityUrgent}))
		b := must[*ticket.Ticket](t)(first.Create(ctx, supervisor, ticket.NewTicket{Subject: "b", Priority: ticket.PriorityHigh}))
		solved := must[*ticket.Ticket](t)(first.Create(ctx, supervisor, ticket.NewTicket{Subject: "c", Priority: ticket.PriorityUrgent}))
		must[*ticket.Ticket](t)(first.Update(ctx, supervisor, solved.ID, ticket.Update{Status: ptr(ticket.StatusSolved)}))

		// Down for 90 minutes: a's first response (1h) breached meanwhile.
		time.Sleep(90 * time.Minute)
		second := &ticket.Service{Store: st, Notifier: evs, Warning: ticket.Warning{Before: 10 * time.Minute}}
		runCtx, cancel := context.WithCancel(ctx)
		go second.RunSLA(runCtx)
		synctest.Wait()
		got := evs.take()
		wantEvents(t, got, want{ticket.EventBreach, ticket.FirstResponse})
		if got[0].TicketID != a.ID {
			t.Errorf("breach of %s, want ticket a", got[0].TicketID)
		}
		// b (high: first response 4h) warns 10 minutes before its due time.
		time.Sleep(time.Until(b.SLA.FirstResponse.DueAt.Add(-10 * time.Minute)))
		synctest.Wait()
		got = evs.take()
		wantEvents(t, got, want{ticket.EventWarning, ticket.FirstResponse})
		if got[0].TicketID != b.ID {
			t.Errorf("warning for %s, want ticket b", got[0].TicketID)
		}
		cancel()
		synctest.Wait()
	})
}
