package routing

import (
	"context"
	"sort"
	"time"
)

// Run checks the timeouts every Config.Tick until ctx is done.
func (e *Engine) Run(ctx context.Context) {
	tick := time.NewTicker(e.cfg.Tick)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			e.Tick(ctx)
		}
	}
}

// Tick applies the timeouts due now: offers not accepted within
// OfferTimeout go back to the queue (and an agent who missed
// MaxMissedOffers in a row is set away, unless their workspace is
// connected to the event stream); conversations waiting longer than
// OverflowWait become open to the fallback team; conversations whose
// customer has not written for CustomerIdleTimeout are closed.
func (e *Engine) Tick(ctx context.Context) {
	err := e.run(ctx, func(b *batch) error {
		now := e.now()
		ids := make([]string, 0, len(e.tenants))
		for id := range e.tenants {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			e.tickTenantLocked(e.tenants[id], now, b)
		}
		return nil
	})
	if err != nil {
		e.log.ErrorContext(ctx, "routing timeouts", "err", err)
	}
}

func (e *Engine) tickTenantLocked(t *tenant, now time.Time, b *batch) {
	var expired, overflow, gone []*entry
	for _, en := range t.entries {
		switch {
		case e.cfg.CustomerIdleTimeout > 0 && now.Sub(en.LastCustomerAt) >= e.cfg.CustomerIdleTimeout:
			gone = append(gone, en)
		case en.State == StateOffered && now.Sub(en.OfferedAt) >= e.cfg.OfferTimeout:
			expired = append(expired, en)
		case en.State == StateQueued && !en.Overflowed && e.cfg.FallbackTeam != "" && e.cfg.OverflowWait > 0 &&
			now.Sub(en.EnqueuedAt) >= e.cfg.OverflowWait:
			overflow = append(overflow, en)
		}
	}
	byArrival := func(s []*entry) {
		sort.Slice(s, func(i, j int) bool { return s[i].seq < s[j].seq })
	}
	byArrival(gone)
	byArrival(expired)
	byArrival(overflow)

	for _, en := range gone {
		e.endLocked(t, en, TCustomerGone, "", now, b)
	}
	var requeued []*entry
	for _, en := range expired {
		if en.State != StateOffered { // withdrawn meanwhile by an agent set away below
			continue
		}
		a := t.agents[en.AgentID]
		d := e.newDecision(en, now, ActionRequeue, RuleOfferTimeout)
		d.AgentID = en.AgentID
		e.record(b, d)
		b.event(Event{Type: EventOfferWithdrawn, TenantID: t.id, ConversationID: en.ConversationID, AgentID: en.AgentID, Reason: RuleOfferTimeout, At: now}, en.AgentID)
		e.requeueLocked(t, en)
		e.putEntry(b, en)
		requeued = append(requeued, en)
		if a != nil {
			a.misses++
			// A connected workspace is presence: its agent is there, and
			// only missed these; one with none is set away.
			if a.misses >= e.cfg.MaxMissedOffers && a.Presence == Online && !e.bus.Connected(t.id, a.UserID) {
				e.setPresenceLocked(t, a, Away, "missed_offers", now, b)
			}
		}
	}
	for _, en := range overflow {
		en.Overflowed = true
		e.putEntry(b, en)
		requeued = append(requeued, en)
	}
	for _, en := range requeued {
		if en.State == StateQueued {
			e.dispatchEntryLocked(t, en, now, b)
		}
	}
}
