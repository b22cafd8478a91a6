package ticket

import (
	"container/heap"
	"context"
	"errors"
	"sync"
	"time"

	"github.com/assistd/assist"
)

// scheduler holds the next instant each ticket's SLA needs a check, and
// wakes RunSLA when the earliest one changes.
type scheduler struct {
	mu   sync.Mutex
	h    schedHeap
	idx  map[schedKey]*schedEntry
	wake chan struct{}
}

type schedKey struct{ tenantID, ticketID string }

type schedEntry struct {
	key schedKey
	at  time.Time
	i   int // index in the heap
}

type schedHeap []*schedEntry

func (h schedHeap) Len() int           { return len(h) }
func (h schedHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h schedHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i]; h[i].i = i; h[j].i = j }
func (h *schedHeap) Push(x any)        { e := x.(*schedEntry); e.i = len(*h); *h = append(*h, e) }
func (h *schedHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return e
}

func (s *scheduler) init() {
	if s.idx == nil {
		s.idx = map[schedKey]*schedEntry{}
		s.wake = make(chan struct{}, 1)
	}
}

// set schedules the check of a ticket at at; a zero at removes it.
func (s *scheduler) set(k schedKey, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	e, ok := s.idx[k]
	switch {
	case at.IsZero() && ok:
		heap.Remove(&s.h, e.i)
		delete(s.idx, k)
		return
	case at.IsZero():
		return
	case ok:
		if e.at.Equal(at) {
			return
		}
		e.at = at
		heap.Fix(&s.h, e.i)
	default:
		e = &schedEntry{key: k, at: at}
		heap.Push(&s.h, e)
		s.idx[k] = e
	}
	if s.h[0] == e {
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

// due removes and returns the tickets whose check is due at now.
func (s *scheduler) due(now time.Time) []schedKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []schedKey
	for len(s.h) > 0 && !s.h[0].at.After(now) {
		e := heap.Pop(&s.h).(*schedEntry)
		delete(s.idx, e.key)
		out = append(out, e.key)
	}
	return out
}

// next returns the earliest scheduled check.
func (s *scheduler) next() (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.h) == 0 {
		return time.Time{}, false
	}
	return s.h[0].at, true
}

func (s *scheduler) wakeup() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	return s.wake
}

// Scheduled returns how many tickets have an SLA check scheduled.
func (s *Service) Scheduled() int {
	s.sched.mu.Lock()
	defer s.sched.mu.Unlock()
	return len(s.sched.h)
}

// schedule (re)schedules the SLA check of t.
func (s *Service) schedule(t *Ticket) {
	var at time.Time
	if t.Status.Active() {
		at = t.SLA.Next()
	}
	s.sched.set(schedKey{t.TenantID, t.ID}, at)
}

// restorePage is how many tickets RunSLA reads at a time at start.
const restorePage = 500

// Restore schedules the SLA checks of every active ticket in the store;
// RunSLA calls it first. It returns how many tickets it scheduled.
func (s *Service) Restore(ctx context.Context) (int, error) {
	n, after := 0, ""
	for {
		list, err := s.Store.ActiveTickets(ctx, after, restorePage)
		if err != nil {
			return n, err
		}
		for _, t := range list {
			s.schedule(t)
			if !t.SLA.Next().IsZero() {
				n++
			}
			after = t.ID
		}
		if len(list) < restorePage {
			return n, nil
		}
	}
}

// RunSLA restores the timers of open tickets, then warns before and
// reports at each breach, through Notifier, until ctx is done. The clock is
// time's (time.Now and time.Timer), so testing/synctest drives it.
func (s *Service) RunSLA(ctx context.Context) error {
	n, err := s.Restore(ctx)
	if err != nil {
		return err
	}
	s.logger().InfoContext(ctx, "sla timers restored", "tickets", n)
	wake := s.sched.wakeup()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		if at, ok := s.sched.next(); ok {
			timer.Reset(max(0, at.Sub(s.now())))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-timer.C:
		}
		timer.Stop()
		s.CheckDue(ctx)
	}
}

// CheckDue checks every ticket whose SLA check is due now: it marks
// warnings and breaches, records them in the audit log, and notifies.
// RunSLA calls it; it returns how many events it sent.
func (s *Service) CheckDue(ctx context.Context) int {
	sent := 0
	for _, k := range s.sched.due(s.now()) {
		evs, err := s.check(ctx, k)
		if err != nil {
			if ctx.Err() != nil {
				return sent
			}
			if assist.ErrorCode(err) == assist.ENOTFOUND {
				continue // gone: nothing to watch
			}
			s.logger().ErrorContext(ctx, "sla check failed", "tenant_id", k.tenantID, "ticket_id", k.ticketID, "err", err)
			// Try again in a minute rather than never.
			s.sched.set(k, s.now().Add(time.Minute))
			continue
		}
		for _, e := range evs {
			s.logger().InfoContext(ctx, "sla event", "kind", string(e.Kind), "tenant_id", e.TenantID,
				"ticket_id", e.TicketID, "metric", string(e.Metric), "due_at", e.DueAt)
			if s.Notifier != nil {
				s.Notifier.Notify(ctx, e)
			}
			sent++
		}
	}
	return sent
}

func (s *Service) check(ctx context.Context, k schedKey) ([]Event, error) {
	now := s.now()
	var evs []Event
	var seen *Ticket
	t, err := s.Store.UpdateTicket(ctx, k.tenantID, k.ticketID, func(t *Ticket) (Change, error) {
		seen = t.Clone()
		if !t.Status.Active() {
			return Change{}, errUnchanged
		}
		c := slaClock{now: now}
		evs = c.check(t)
		if len(evs) == 0 {
			return Change{}, errUnchanged
		}
		a := &audit{s: s, t: t, now: now}
		for _, e := range evs {
			a.add("sla."+string(e.Metric), "running", map[EventKind]string{EventWarning: "warning", EventBreach: "breached"}[e.Kind])
		}
		return Change{Audit: a.items}, nil
	})
	switch {
	case errors.Is(err, errUnchanged):
		s.schedule(seen)
		return nil, nil
	case err != nil:
		return nil, err
	}
	s.schedule(t)
	return evs, nil
}
