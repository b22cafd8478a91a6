package ticket

import (
	"context"
	"time"

	"github.com/assistd/assist"
)

// Targets are the SLA targets of one priority, in business time. A zero
// target means no timer for that metric.
type Targets struct {
	FirstResponse time.Duration // creation → first public agent reply
	NextResponse  time.Duration // a customer reply → the next public agent reply
	Resolution    time.Duration // creation → solved
}

// Policies are a tenant's SLA targets by priority.
type Policies map[Priority]Targets

// DefaultPolicies returns the targets used when neither the configuration
// nor the tenant sets any.
func DefaultPolicies() Policies {
	return Policies{
		PriorityUrgent: {FirstResponse: time.Hour, NextResponse: 2 * time.Hour, Resolution: 8 * time.Hour},
		PriorityHigh:   {FirstResponse: 4 * time.Hour, NextResponse: 8 * time.Hour, Resolution: 24 * time.Hour},
		PriorityNormal: {FirstResponse: 8 * time.Hour, NextResponse: 24 * time.Hour, Resolution: 72 * time.Hour},
		PriorityLow:    {FirstResponse: 24 * time.Hour, NextResponse: 48 * time.Hour, Resolution: 120 * time.Hour},
	}
}

// MaxTarget bounds one SLA target.
const MaxTarget = 365 * 24 * time.Hour

// Check reports targets that are negative or too long, as EINVALID.
func (p Policies) Check() error {
	for pr, t := range p {
		if !pr.Valid() {
			return assist.Errorf(assist.EINVALID, "unknown priority %q", pr)
		}
		for _, d := range []time.Duration{t.FirstResponse, t.NextResponse, t.Resolution} {
			if d < 0 || d > MaxTarget {
				return assist.Errorf(assist.EINVALID, "%s: SLA targets must be between 0 and %s", pr, MaxTarget)
			}
		}
	}
	return nil
}

// Warning says when a running timer warns before its breach: when the
// business time left falls to Before, if set, else when the share Fraction
// of the target has passed. Neither set: no warnings.
type Warning struct {
	Fraction float64
	Before   time.Duration
}

// threshold is the elapsed business time at which a timer of the target
// warns, or -1 for none.
func (w Warning) threshold(target time.Duration) time.Duration {
	switch {
	case w.Before > 0:
		return max(0, target-w.Before)
	case w.Fraction > 0 && w.Fraction < 1:
		return time.Duration(float64(target) * w.Fraction)
	}
	return -1
}

// Metric names an SLA timer.
type Metric string

const (
	FirstResponse Metric = "first_response"
	NextResponse  Metric = "next_response"
	Resolution    Metric = "resolution"
)

// Metrics lists the SLA metrics.
var Metrics = []Metric{FirstResponse, NextResponse, Resolution}

// TimerState is where an SLA timer stands.
type TimerState string

const (
	TimerOff     TimerState = ""        // not started (or no target)
	TimerRunning TimerState = "running" // counting business time
	TimerPaused  TimerState = "paused"  // the ticket is pending, on hold or solved
	TimerMet     TimerState = "met"     // its goal was reached (possibly late: see Breached)
)

// Timer is one SLA clock. Elapsed is the business time counted before
// Since; while running, DueAt is when the target is used up.
type Timer struct {
	State      TimerState
	Target     time.Duration
	Elapsed    time.Duration
	Since      time.Time // start of the running period; zero unless running
	DueAt      time.Time // zero unless running
	WarnAt     time.Time // zero unless running with a warning still to come
	Warned     bool
	Breached   bool
	BreachedAt time.Time
	MetAt      time.Time
}

// SLA holds a ticket's three timers.
type SLA struct {
	FirstResponse Timer
	NextResponse  Timer
	Resolution    Timer
}

// Timer returns the timer of metric m.
func (s *SLA) Timer(m Metric) *Timer {
	switch m {
	case FirstResponse:
		return &s.FirstResponse
	case NextResponse:
		return &s.NextResponse
	default:
		return &s.Resolution
	}
}

func (t *Timer) start(target time.Duration, now time.Time, cal *Calendar, w Warning, paused bool) {
	if target <= 0 {
		*t = Timer{}
		return
	}
	*t = Timer{State: TimerPaused, Target: target}
	if !paused {
		t.resume(now, cal, w)
	}
}

// schedule sets DueAt and WarnAt of a running timer.
func (t *Timer) schedule(cal *Calendar, w Warning) {
	t.DueAt = cal.Add(t.Since, max(0, t.Target-t.Elapsed))
	t.WarnAt = time.Time{}
	if th := w.threshold(t.Target); !t.Warned && !t.Breached && th >= 0 && th > t.Elapsed {
		t.WarnAt = cal.Add(t.Since, th-t.Elapsed)
	}
}

// fold adds the business time since Since to Elapsed and restarts the
// running period at now.
func (t *Timer) fold(now time.Time, cal *Calendar) {
	if t.State == TimerRunning {
		t.Elapsed += cal.Between(t.Since, now)
		t.Since = now
	}
}

func (t *Timer) pause(now time.Time, cal *Calendar) {
	if t.State != TimerRunning {
		return
	}
	t.fold(now, cal)
	t.State, t.Since, t.DueAt, t.WarnAt = TimerPaused, time.Time{}, time.Time{}, time.Time{}
}

func (t *Timer) resume(now time.Time, cal *Calendar, w Warning) {
	if t.State != TimerPaused {
		return
	}
	t.State, t.Since = TimerRunning, now
	t.schedule(cal, w)
}

// meet stops the timer: its goal is reached.
func (t *Timer) meet(now time.Time, cal *Calendar) {
	if t.State != TimerRunning && t.State != TimerPaused {
		return
	}
	t.fold(now, cal)
	if t.State == TimerRunning && !t.Breached && !now.Before(t.DueAt) && !t.DueAt.IsZero() {
		t.Breached, t.BreachedAt = true, t.DueAt
	}
	t.State, t.MetAt, t.Since, t.DueAt, t.WarnAt = TimerMet, now, time.Time{}, time.Time{}, time.Time{}
}

// reopen runs a met timer again, keeping its elapsed time (the resolution
// timer of a reopened ticket).
func (t *Timer) reopen(now time.Time, cal *Calendar, w Warning) {
	if t.State != TimerMet {
		return
	}
	t.State, t.MetAt = TimerPaused, time.Time{}
	t.resume(now, cal, w)
}

// retarget changes the target (a new priority) or the calendar (a new
// team) of a live timer.
func (t *Timer) retarget(target time.Duration, now time.Time, cal *Calendar, w Warning) {
	if t.State != TimerRunning && t.State != TimerPaused {
		return
	}
	if target <= 0 {
		*t = Timer{}
		return
	}
	t.fold(now, cal)
	t.Target = target
	if t.State == TimerRunning {
		t.schedule(cal, w)
	}
}

// next is the instant the timer next needs attention, or zero.
func (t *Timer) next() time.Time {
	if t.State != TimerRunning {
		return time.Time{}
	}
	if !t.Warned && !t.WarnAt.IsZero() && !t.Breached {
		return t.WarnAt
	}
	if !t.Breached {
		return t.DueAt
	}
	return time.Time{}
}

// EventKind says what an SLA event reports.
type EventKind string

const (
	EventWarning EventKind = "sla.warning" // a timer is close to its target
	EventBreach  EventKind = "sla.breach"  // a timer passed its target
)

// Event is an SLA warning or breach.
type Event struct {
	Kind           EventKind
	TenantID       string
	TicketID       string
	ConversationID string // the escalated conversation, if any
	Number         int64
	Metric         Metric
	Priority       Priority
	AssigneeID     string
	Team           string
	DueAt          time.Time
	At             time.Time
}

// Notifier receives SLA events; the agent event stream implements it.
type Notifier interface {
	// Notify delivers e. It must not block for long: it runs on the SLA
	// scheduler's goroutine. Delivery is best effort; it returns nothing.
	Notify(ctx context.Context, e Event)
}

// NotifierFunc adapts a function to Notifier.
type NotifierFunc func(ctx context.Context, e Event)

// Notify calls f.
func (f NotifierFunc) Notify(ctx context.Context, e Event) { f(ctx, e) }

// check marks warnings and breaches due at now and returns their events
// (without ticket fields).
func (t *Timer) check(m Metric, now time.Time) []Event {
	if t.State != TimerRunning {
		return nil
	}
	var evs []Event
	if !t.Breached && !t.DueAt.IsZero() && !now.Before(t.DueAt) {
		t.Breached, t.BreachedAt, t.Warned, t.WarnAt = true, t.DueAt, true, time.Time{}
		evs = append(evs, Event{Kind: EventBreach, Metric: m, DueAt: t.DueAt, At: now})
	} else if !t.Warned && !t.WarnAt.IsZero() && !now.Before(t.WarnAt) {
		t.Warned, t.WarnAt = true, time.Time{}
		evs = append(evs, Event{Kind: EventWarning, Metric: m, DueAt: t.DueAt, At: now})
	}
	return evs
}

// TimerView is a timer as seen at one instant.
type TimerView struct {
	Metric    Metric
	State     TimerState
	Target    time.Duration
	Elapsed   time.Duration // business time counted so far
	Remaining time.Duration // business time left; negative once breached
	DueAt     time.Time     // zero unless running
	Breached  bool
	MetAt     time.Time
}

// View returns the state of the ticket's timers at now, on its calendar.
func (s *SLA) View(now time.Time, cal *Calendar) []TimerView {
	var out []TimerView
	for _, m := range Metrics {
		t := s.Timer(m)
		if t.State == TimerOff {
			continue
		}
		v := TimerView{Metric: m, State: t.State, Target: t.Target, Elapsed: t.Elapsed, DueAt: t.DueAt, Breached: t.Breached, MetAt: t.MetAt}
		if t.State == TimerRunning {
			v.Elapsed += cal.Between(t.Since, now)
			if !t.DueAt.IsZero() && !now.Before(t.DueAt) {
				v.Breached = true
			}
		}
		v.Remaining = t.Target - v.Elapsed
		out = append(out, v)
	}
	return out
}

// Next returns the instant the SLA next needs checking, or zero.
func (s *SLA) Next() time.Time {
	var n time.Time
	for _, m := range Metrics {
		if t := s.Timer(m).next(); !t.IsZero() && (n.IsZero() || t.Before(n)) {
			n = t
		}
	}
	return n
}

// slaClock is what the SLA rules need to move a ticket's timers.
type slaClock struct {
	now    time.Time
	cal    *Calendar
	warn   Warning
	policy Targets
}

// startTimers starts the timers of a new ticket.
func (c slaClock) startTimers(t *Ticket) {
	paused := !t.Status.Active() || t.Status.Paused()
	t.SLA.FirstResponse.start(c.policy.FirstResponse, c.now, c.cal, c.warn, paused)
	t.SLA.Resolution.start(c.policy.Resolution, c.now, c.cal, c.warn, paused)
	if t.Status == StatusSolved {
		t.SLA.Resolution.meet(c.now, c.cal)
	}
}

// statusChanged moves the timers for a status change.
func (c slaClock) statusChanged(t *Ticket, from, to Status) {
	running := func(s Status) bool { return s == StatusNew || s == StatusOpen }
	for _, m := range Metrics {
		tm := t.SLA.Timer(m)
		switch {
		case to == StatusSolved && m == Resolution:
			tm.meet(c.now, c.cal)
		case to == StatusClosed && m == Resolution && from != StatusSolved:
			tm.meet(c.now, c.cal)
		case !running(to):
			tm.pause(c.now, c.cal)
		case !running(from) && from == StatusSolved && m == Resolution:
			tm.reopen(c.now, c.cal, c.warn)
		case !running(from):
			tm.resume(c.now, c.cal, c.warn)
		}
	}
}

// agentReplied meets the first response, or else the next response.
func (c slaClock) agentReplied(t *Ticket) []Metric {
	fr := &t.SLA.FirstResponse
	if fr.State == TimerRunning || fr.State == TimerPaused {
		fr.meet(c.now, c.cal)
		return []Metric{FirstResponse}
	}
	if nr := &t.SLA.NextResponse; nr.State == TimerRunning || nr.State == TimerPaused {
		nr.meet(c.now, c.cal)
		return []Metric{NextResponse}
	}
	return nil
}

// customerReplied starts the next response timer unless the first
// response (or a next response) is still awaited.
func (c slaClock) customerReplied(t *Ticket) bool {
	fr, nr := &t.SLA.FirstResponse, &t.SLA.NextResponse
	if fr.State == TimerRunning || fr.State == TimerPaused || nr.State == TimerRunning || nr.State == TimerPaused {
		return false
	}
	paused := !(t.Status == StatusNew || t.Status == StatusOpen)
	nr.start(c.policy.NextResponse, c.now, c.cal, c.warn, paused)
	return nr.State != TimerOff
}

// retarget applies new targets or a new calendar to live timers.
func (c slaClock) retarget(t *Ticket) {
	t.SLA.FirstResponse.retarget(c.policy.FirstResponse, c.now, c.cal, c.warn)
	t.SLA.NextResponse.retarget(c.policy.NextResponse, c.now, c.cal, c.warn)
	t.SLA.Resolution.retarget(c.policy.Resolution, c.now, c.cal, c.warn)
}

// check marks due warnings and breaches, returning their events.
func (c slaClock) check(t *Ticket) []Event {
	var evs []Event
	for _, m := range Metrics {
		for _, e := range t.SLA.Timer(m).check(m, c.now) {
			e.TenantID, e.TicketID, e.ConversationID, e.Number = t.TenantID, t.ID, t.ConversationID, t.Number
			e.Priority, e.AssigneeID, e.Team = t.Priority, t.AssigneeID, t.Team
			evs = append(evs, e)
		}
	}
	return evs
}
