package routing

// QueueServing implements conversation.QueueStaffing: how many agents
// online could serve the conversation where it waits (its skill, or the
// fallback team once it overflowed, and its language), busy or not; a
// conversation offered or assigned counts its agent. ok is false when the
// engine does not hold the conversation. The customer is promised a wait
// only when someone serves it.
func (e *Engine) QueueServing(tenantID, convID string) (agents int, ok bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.tenants[tenantID]
	if t == nil {
		return 0, false
	}
	en := t.entries[convID]
	if en == nil {
		return 0, false
	}
	if en.State != StateQueued {
		return 1, true
	}
	for _, a := range t.agents {
		if a.Presence != Online || !a.speaks(en.Lang) {
			continue
		}
		if a.Skills[en.Skill] > 0 || en.Overflowed && e.inFallback(a) {
			agents++
		}
	}
	return agents, true
}
