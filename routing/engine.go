package routing

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu/text"
)

// Engine routes conversations to agents. Its state lives in memory under
// one mutex; every change is also queued, in the order it was made, as
// writes to the Store and the conversation owner, and as events for the
// Bus. The call that made a change returns once its writes are done
// (flush), so a caller never sees success for something not persisted.
// Create it with New and load the persisted state with Restore.
type Engine struct {
	cfg   Config
	store Store
	convs Conversations
	bus   *Bus
	log   *slog.Logger
	now   func() time.Time

	mu      sync.Mutex
	tenants map[string]*tenant
	pending []*batch

	flushMu sync.Mutex // one flush at a time, so writes keep their order
}

// New returns an engine. store and convs are required; bus and logger may
// be nil (no events, no logs).
func New(cfg Config, store Store, convs Conversations, bus *Bus, logger *slog.Logger) (*Engine, error) {
	if store == nil || convs == nil {
		return nil, fmt.Errorf("routing: a store and the conversations are required")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Engine{
		cfg:     cfg.withDefaults(),
		store:   store,
		convs:   convs,
		bus:     bus,
		log:     logger,
		now:     func() time.Time { return time.Now().UTC() },
		tenants: map[string]*tenant{},
	}, nil
}

// Config returns the engine's configuration, defaults filled in.
func (e *Engine) Config() Config { return e.cfg }

// tenant is one tenant's routing state.
type tenant struct {
	id      string
	agents  map[string]*agentState
	entries map[string]*entry
	queues  map[string]*queue
	seq     uint64 // arrival order, breaks priority ties
	picks   uint64 // round-robin clock
}

type agentState struct {
	Agent
	active   map[string]struct{}
	offered  map[string]struct{}
	lastPick uint64
	misses   int
}

func (a *agentState) load() int { return len(a.active) + len(a.offered) }

func (a *agentState) available() bool {
	return a.Presence == Online && a.load() < a.Capacity
}

type entry struct {
	Entry
	key   float64
	seq   uint64
	index int // in its queue's heap; -1 when not queued
}

func (e *Engine) tenantLocked(id string) *tenant {
	t := e.tenants[id]
	if t == nil {
		t = &tenant{id: id, agents: map[string]*agentState{}, entries: map[string]*entry{}, queues: map[string]*queue{}}
		e.tenants[id] = t
	}
	return t
}

func (t *tenant) queue(skill string) *queue {
	q := t.queues[skill]
	if q == nil {
		q = &queue{skill: skill}
		t.queues[skill] = q
	}
	return q
}

// batch is the writes and events of one change, applied in order by flush.
type batch struct {
	writes  []func(ctx context.Context) error
	entryAt map[string]int // conversation → index of its entry write, so the last state wins
	events  []Event
	err     error
}

func (b *batch) write(f func(ctx context.Context) error) { b.writes = append(b.writes, f) }

func (e *Engine) putEntry(b *batch, en *entry) {
	snap := en.Entry.clone()
	f := func(ctx context.Context) error { return e.store.PutEntry(ctx, snap) }
	if i, ok := b.entryAt[en.ConversationID]; ok {
		b.writes[i] = f
		return
	}
	if b.entryAt == nil {
		b.entryAt = map[string]int{}
	}
	b.entryAt[en.ConversationID] = len(b.writes)
	b.write(f)
}

func (e *Engine) deleteEntry(b *batch, tenantID, convID string) {
	if i, ok := b.entryAt[convID]; ok {
		b.writes[i] = func(context.Context) error { return nil }
		delete(b.entryAt, convID)
	}
	b.write(func(ctx context.Context) error { return e.store.DeleteEntry(ctx, tenantID, convID) })
}

func (e *Engine) putAgent(b *batch, a *agentState) {
	snap := a.Agent.clone()
	b.write(func(ctx context.Context) error { return e.store.PutAgent(ctx, snap) })
}

func (e *Engine) setOwner(b *batch, tenantID, convID string, owner assist.Owner, assignee, reason string) {
	b.write(func(ctx context.Context) error {
		return e.convs.SetOwner(ctx, tenantID, convID, owner, assignee, reason)
	})
}

func (e *Engine) record(b *batch, d *Decision) {
	b.write(func(ctx context.Context) error { return e.store.AddDecision(ctx, d) })
}

// run applies fn under the lock and then flushes what it queued. fn must
// validate before it changes anything: an error from it means nothing
// changed.
func (e *Engine) run(ctx context.Context, fn func(b *batch) error) error {
	b := &batch{}
	e.mu.Lock()
	err := fn(b)
	if err == nil && (len(b.writes) > 0 || len(b.events) > 0) {
		e.pending = append(e.pending, b)
	}
	e.mu.Unlock()
	if err != nil {
		return err
	}
	e.flush(ctx)
	if b.err != nil {
		return fmt.Errorf("routing: persist: %w", b.err)
	}
	return nil
}

// flush applies pending batches in order. When it returns, every batch
// queued before it was called has been applied.
func (e *Engine) flush(ctx context.Context) {
	e.flushMu.Lock()
	defer e.flushMu.Unlock()
	ctx = context.WithoutCancel(ctx)
	for {
		e.mu.Lock()
		p := e.pending
		e.pending = nil
		e.mu.Unlock()
		if len(p) == 0 {
			return
		}
		for _, b := range p {
			for _, w := range b.writes {
				if err := w(ctx); err != nil {
					e.log.ErrorContext(ctx, "routing write failed", "err", err)
					if b.err == nil {
						b.err = err
					}
				}
			}
			if e.bus != nil {
				for _, ev := range b.events {
					e.bus.Publish(ev)
				}
			}
		}
	}
}

func (e *Engine) newDecision(en *entry, now time.Time, action, rule string) *Decision {
	return &Decision{
		ID:             uuid.Must(uuid.NewV7()).String(),
		TenantID:       en.TenantID,
		ConversationID: en.ConversationID,
		At:             now,
		Action:         action,
		Rule:           rule,
		Skill:          en.Skill,
		Priority:       e.cfg.Priority(en.BasePriority, en.EnqueuedAt, now),
	}
}

// event queues ev for the agents in to and the tenant's supervisors.
func (b *batch) event(ev Event, to ...string) {
	for _, u := range to {
		if u != "" && !slices.Contains(ev.To, u) {
			ev.To = append(ev.To, u)
		}
	}
	ev.Roles = supervisorRoles
	b.events = append(b.events, ev)
}

// queueEvent tells the agents of a skill and the supervisors that its
// queue changed.
func (b *batch) queueEvent(t *tenant, skill, convID, reason string, now time.Time) {
	var to []string
	for id, a := range t.agents {
		if a.Skills[skill] > 0 {
			to = append(to, id)
		}
	}
	n := 0
	if q := t.queues[skill]; q != nil {
		n = q.Len()
	}
	b.events = append(b.events, Event{Type: EventQueue, TenantID: t.id, ConversationID: convID, Skill: skill,
		QueueLength: n, Reason: reason, At: now, To: to, Roles: supervisorRoles})
}

// Escalation is a conversation handed to people, with what sets its skill
// and priority.
type Escalation struct {
	TenantID       string
	ConversationID string
	Lang           string
	Reason         string  // the escalation reason code
	Intent         string  // the NLU intent, if known
	Tier           Tier    // the customer's tier
	Sentiment      float64 // -1..1; negative raises the priority
	At             time.Time
	// Evidence is what made the escalation rule fire ("anger": "0.91");
	// the first decision's note keeps it, cut to safe keys and short
	// values (see EvidenceNote).
	Evidence map[string]string
}

func (x Escalation) validate() error {
	switch {
	case x.TenantID == "" || x.ConversationID == "":
		return assist.Errorf(assist.EINVALID, "tenant and conversation are required")
	case x.Tier != TierStandard && x.Tier != TierVIP:
		return assist.Errorf(assist.EINVALID, "unknown tier %q", x.Tier)
	case x.Sentiment < -1 || x.Sentiment > 1 || x.Sentiment != x.Sentiment:
		return assist.Errorf(assist.EINVALID, "sentiment must be between -1 and 1")
	case len(x.Reason) > 64 || len(x.Intent) > 64 || len(x.Lang) > 16:
		return assist.Errorf(assist.EINVALID, "reason, intent or language is too long")
	}
	return nil
}

func (e *Engine) newEntryLocked(t *tenant, x Escalation, state State, now time.Time) *entry {
	at := x.At
	if at.IsZero() || at.After(now) {
		at = now
	}
	en := &entry{index: -1}
	en.Entry = Entry{
		TenantID:       t.id,
		ConversationID: x.ConversationID,
		State:          state,
		Skill:          e.cfg.SkillFor(x.Intent, x.Reason),
		Lang:           x.Lang,
		Reason:         x.Reason,
		Intent:         x.Intent,
		Tier:           x.Tier,
		Sentiment:      x.Sentiment,
		BasePriority:   e.cfg.BasePriority(x.Tier, x.Sentiment, x.Reason),
		EnqueuedAt:     at.UTC(),
		LastCustomerAt: at.UTC(),
	}
	e.indexLocked(t, en)
	t.entries[en.ConversationID] = en
	return en
}

func (e *Engine) indexLocked(t *tenant, en *entry) {
	t.seq++
	en.seq = t.seq
	en.key = heapKey(en.BasePriority, e.cfg.AgingPerMinute, en.EnqueuedAt)
}

// Enqueue puts an escalated conversation in its skill's queue and offers
// it to the best available agent, if any. A conversation the engine
// already routes is ECONFLICT.
func (e *Engine) Enqueue(ctx context.Context, x Escalation) (*Decision, error) {
	if err := x.validate(); err != nil {
		return nil, err
	}
	var d *Decision
	err := e.run(ctx, func(b *batch) error {
		t := e.tenantLocked(x.TenantID)
		if en := t.entries[x.ConversationID]; en != nil {
			return assist.Errorf(assist.ECONFLICT, "conversation is already %s", en.State)
		}
		if _, err := Next(StateBot, THandoff); err != nil {
			return err
		}
		now := e.now()
		en := e.newEntryLocked(t, x, StateQueued, now)
		t.queue(en.Skill).add(en)
		e.putEntry(b, en)
		b.queueEvent(t, en.Skill, en.ConversationID, "enqueued", now)
		d = e.dispatchEntryLocked(t, en, now, b)
		// Under the lock, before the batch is flushed: the stored decision
		// and its events carry the note.
		d.Note = EvidenceNote(x.Reason, x.Evidence)
		return nil
	})
	return d, err
}

// HandOff implements conversation.HandoffHandler: a turn handed the
// conversation to people. h.VIP, or a reason starting with "vip_", marks a
// VIP; h.Sentiment (clamped to −1..1, NaN as 0) raises the priority when
// negative; h.Evidence goes into the first decision's note. The entry's
// language is the turn's (h.Lang), else the conversation's, else the
// message's (text.ReplyLang).
func (e *Engine) HandOff(ctx context.Context, c *assist.Conversation, h assist.Handoff, m *assist.Message) error {
	reason := h.Reason
	x := Escalation{TenantID: c.TenantID, ConversationID: c.ID, Lang: h.Lang, Reason: reason, Intent: h.Intent,
		Sentiment: clampSentiment(h.Sentiment), Evidence: h.Evidence}
	if x.Lang == "" {
		x.Lang = c.Lang
	}
	if m != nil {
		x.At = m.CreatedAt
		if x.Lang == "" {
			x.Lang = string(text.ReplyLang(m.Text, ""))
		}
	}
	if h.VIP || len(reason) > 4 && reason[:4] == "vip_" {
		x.Tier = TierVIP
	}
	_, err := e.Enqueue(ctx, x)
	if assist.ErrorCode(err) == assist.ECONFLICT {
		return nil // already routed: a repeated hand-off changes nothing
	}
	return err
}

// candidate is an eligible agent with its scores.
type candidate struct {
	a     *agentState
	level int
}

// better is the assignment order: skill level, then load ratio, then
// round-robin, then id (for determinism).
func better(x, y candidate) bool {
	if x.level != y.level {
		return x.level > y.level
	}
	lx, ly := x.a.load()*y.a.Capacity, y.a.load()*x.a.Capacity
	if lx != ly {
		return lx < ly
	}
	if x.a.lastPick != y.a.lastPick {
		return x.a.lastPick < y.a.lastPick
	}
	return x.a.UserID < y.a.UserID
}

func (e *Engine) inFallback(a *agentState) bool {
	return e.cfg.FallbackTeam != "" && slices.Contains(a.Teams, e.cfg.FallbackTeam)
}

// exclusion says why agent a cannot take en, or "" if it can, with the
// skill level it would serve at.
func (e *Engine) exclusion(a *agentState, en *entry) (string, int) {
	switch {
	case a.Presence != Online:
		return string(a.Presence), 0
	case a.load() >= a.Capacity:
		return "at_capacity", 0
	case !a.speaks(en.Lang):
		return "language", 0
	case slices.Contains(en.Declined, a.UserID):
		return "declined", 0
	}
	if l := a.Skills[en.Skill]; l > 0 {
		return "", l
	}
	if en.Overflowed && e.inFallback(a) {
		return "", 0
	}
	return "no_skill", 0
}

// selectAgentLocked picks the best agent for en and fills d with the
// candidates and the rule. It returns nil when nobody can take it.
func (e *Engine) selectAgentLocked(t *tenant, en *entry, d *Decision) *agentState {
	k := e.cfg.MaxCandidates
	top := make([]candidate, 0, k+1)
	for _, a := range t.agents {
		d.Considered++
		why, level := e.exclusion(a, en)
		if why != "" {
			if d.Excluded == nil {
				d.Excluded = map[string]int{}
			}
			d.Excluded[why]++
			continue
		}
		c := candidate{a: a, level: level}
		if len(top) == k && !better(c, top[k-1]) {
			continue
		}
		i := sort.Search(len(top), func(i int) bool { return better(c, top[i]) })
		top = slices.Insert(top, i, c)
		if len(top) > k {
			top = top[:k]
		}
	}
	for i, c := range top {
		d.Candidates = append(d.Candidates, Candidate{
			AgentID: c.a.UserID, SkillLevel: c.level, Load: c.a.load(), Capacity: c.a.Capacity,
			LoadRatio: float64(c.a.load()) / float64(c.a.Capacity), LastPick: c.a.lastPick, Rank: i + 1,
		})
	}
	if len(top) == 0 {
		d.Rule = RuleNoAgent
		return nil
	}
	w := top[0]
	switch {
	case w.level == 0:
		d.Rule = RuleOverflow
	case len(top) == 1:
		d.Rule = RuleOnlyCandidate
	case w.level != top[1].level:
		d.Rule = RuleBestSkill
	case w.a.load()*top[1].a.Capacity != top[1].a.load()*w.a.Capacity:
		d.Rule = RuleLeastLoaded
	default:
		d.Rule = RuleRoundRobin
	}
	return w.a
}

// dispatchEntryLocked offers a queued entry to the best available agent,
// or leaves it queued, and records the decision.
func (e *Engine) dispatchEntryLocked(t *tenant, en *entry, now time.Time, b *batch) *Decision {
	d := e.newDecision(en, now, ActionQueue, RuleNoAgent)
	if a := e.selectAgentLocked(t, en, d); a != nil {
		d.Action = ActionOffer
		d.AgentID = a.UserID
		e.offerLocked(t, en, a, now, b, d)
	} else {
		d.Position = t.queue(en.Skill).position(en)
	}
	e.record(b, d)
	return d
}

func (e *Engine) offerLocked(t *tenant, en *entry, a *agentState, now time.Time, b *batch, d *Decision) {
	t.queue(en.Skill).remove(en)
	en.State = StateOffered
	en.AgentID = a.UserID
	en.OfferedAt = now
	a.offered[en.ConversationID] = struct{}{}
	t.picks++
	a.lastPick = t.picks
	e.putEntry(b, en)
	b.event(Event{Type: EventOffer, TenantID: t.id, ConversationID: en.ConversationID, AgentID: a.UserID,
		Skill: en.Skill, State: StateOffered, Priority: d.Priority, Reason: en.Reason, Decision: d, At: now}, a.UserID)
}

// fillAgentLocked offers an available agent the best conversations it can
// take, while it has room.
func (e *Engine) fillAgentLocked(t *tenant, a *agentState, now time.Time, b *batch) {
	fallback := e.inFallback(a)
	for a.available() {
		var best *entry
		for _, q := range t.queues {
			level := a.Skills[q.skill]
			if level == 0 && !fallback {
				continue
			}
			q.each(func(en *entry) bool {
				if best != nil && !before(en, best) {
					return false
				}
				if !a.speaks(en.Lang) || slices.Contains(en.Declined, a.UserID) || level == 0 && !en.Overflowed {
					return true
				}
				best = en
				return false
			})
		}
		if best == nil {
			return
		}
		d := e.newDecision(best, now, ActionOffer, RuleNextInQueue)
		level := a.Skills[best.Skill]
		if level == 0 {
			d.Rule = RuleOverflow
		}
		d.AgentID = a.UserID
		d.Considered = 1
		d.Candidates = []Candidate{{AgentID: a.UserID, SkillLevel: level, Load: a.load(), Capacity: a.Capacity,
			LoadRatio: float64(a.load()) / float64(a.Capacity), LastPick: a.lastPick, Rank: 1}}
		e.offerLocked(t, best, a, now, b, d)
		e.record(b, d)
	}
}

// requeueLocked puts an offered or assigned entry back in its queue,
// freeing its agent, and returns that agent.
func (e *Engine) requeueLocked(t *tenant, en *entry) *agentState {
	a := e.detachLocked(t, en)
	en.State = StateQueued
	en.AgentID = ""
	en.OfferedAt = time.Time{}
	t.queue(en.Skill).add(en)
	return a
}

// detachLocked frees the entry's agent and takes it out of its queue.
func (e *Engine) detachLocked(t *tenant, en *entry) *agentState {
	if q := t.queues[en.Skill]; q != nil {
		q.remove(en)
	}
	a := t.agents[en.AgentID]
	if a != nil {
		delete(a.active, en.ConversationID)
		delete(a.offered, en.ConversationID)
	}
	return a
}

// agentLocked returns the agent, creating it offline with the default
// profile when the tenant has none by that id.
func (e *Engine) agentLocked(t *tenant, userID string, now time.Time, b *batch) *agentState {
	a := t.agents[userID]
	if a == nil {
		a = newAgentState(&Agent{UserID: userID, TenantID: t.id, Presence: Offline, UpdatedAt: now,
			Profile: Profile{Skills: map[string]int{e.cfg.DefaultSkill: 1}, Capacity: e.cfg.DefaultCapacity}})
		t.agents[userID] = a
		e.putAgent(b, a)
	}
	return a
}

func newAgentState(a *Agent) *agentState {
	if a.Skills == nil {
		a.Skills = map[string]int{}
	}
	return &agentState{Agent: *a, active: map[string]struct{}{}, offered: map[string]struct{}{}}
}

func canWork(p assist.Principal) bool {
	return p.Role == assist.RoleAgent || p.Role == assist.RoleSupervisor || p.Role == assist.RoleAdmin
}

func isSupervisor(p assist.Principal) bool {
	return p.Role == assist.RoleSupervisor || p.Role == assist.RoleAdmin
}

func (e *Engine) offeredTo(t *tenant, p assist.Principal, convID string) (*entry, error) {
	en := t.entries[convID]
	if en == nil {
		return nil, assist.Errorf(assist.ENOTFOUND, "conversation is not waiting for an agent")
	}
	if en.State != StateOffered {
		return nil, assist.Errorf(assist.ECONFLICT, "conversation is %s, not offered", en.State)
	}
	if en.AgentID != p.UserID {
		return nil, assist.Errorf(assist.EFORBIDDEN, "this conversation is offered to another agent")
	}
	return en, nil
}

// Accept makes an offered conversation the agent's: ENOTFOUND if it is not
// routed, ECONFLICT if it is not offered, EFORBIDDEN if it is offered to
// someone else.
func (e *Engine) Accept(ctx context.Context, p assist.Principal, convID string) (*Decision, error) {
	if !canWork(p) {
		return nil, assist.Errorf(assist.EFORBIDDEN, "only agents accept conversations")
	}
	var d *Decision
	err := e.run(ctx, func(b *batch) error {
		t := e.tenantLocked(p.TenantID)
		en, err := e.offeredTo(t, p, convID)
		if err != nil {
			return err
		}
		to, err := Next(en.State, TAccept)
		if err != nil {
			return err
		}
		now := e.now()
		a := t.agents[p.UserID]
		delete(a.offered, convID)
		a.active[convID] = struct{}{}
		a.misses = 0
		en.State = to
		d = e.newDecision(en, now, ActionAccept, RuleAccepted)
		d.AgentID, d.ByUserID = p.UserID, p.UserID
		e.setOwner(b, t.id, convID, assist.OwnerAgent, p.UserID, "accepted")
		e.putEntry(b, en)
		e.record(b, d)
		b.event(Event{Type: EventAssigned, TenantID: t.id, ConversationID: convID, AgentID: p.UserID, Skill: en.Skill, State: to, Reason: RuleAccepted, At: now}, p.UserID)
		return nil
	})
	return d, err
}

// Decline refuses an offer: the agent is excluded for this conversation,
// which is offered to the next candidate or waits. Errors as Accept.
func (e *Engine) Decline(ctx context.Context, p assist.Principal, convID string) (*Decision, error) {
	if !canWork(p) {
		return nil, assist.Errorf(assist.EFORBIDDEN, "only agents decline conversations")
	}
	var d *Decision
	err := e.run(ctx, func(b *batch) error {
		t := e.tenantLocked(p.TenantID)
		en, err := e.offeredTo(t, p, convID)
		if err != nil {
			return err
		}
		if _, err := Next(en.State, TDecline); err != nil {
			return err
		}
		now := e.now()
		d = e.newDecision(en, now, ActionDecline, RuleDeclined)
		d.AgentID, d.ByUserID = p.UserID, p.UserID
		e.record(b, d)
		a := e.requeueLocked(t, en)
		en.Declined = append(en.Declined, p.UserID)
		e.putEntry(b, en)
		b.event(Event{Type: EventOfferWithdrawn, TenantID: t.id, ConversationID: convID, AgentID: p.UserID, Reason: RuleDeclined, At: now}, p.UserID)
		e.dispatchEntryLocked(t, en, now, b)
		if a != nil {
			e.fillAgentLocked(t, a, now, b)
		}
		return nil
	})
	return d, err
}

// Target is where a transfer goes: an agent, or a skill queue.
type Target struct {
	AgentID string
	Skill   string
	// Note is what the agent tells the next one (≤ MaxTransferNote
	// runes); it is the note of the transfer's decision.
	Note string
}

// MaxTransferNote bounds a transfer note, in runes.
const MaxTransferNote = 2000

// transferNote is the note of a transfer's decision: the agent's note,
// else who it came from.
func transferNote(to Target, from string) string {
	if n := strings.TrimSpace(to.Note); n != "" {
		return n
	}
	return "from " + from
}

// Transfer moves an assigned conversation to another agent (who must be
// online with room: else ECONFLICT) or to a skill queue, where it is
// offered to anyone but the agent who transferred it. The assigned
// agent or a supervisor may transfer; others get EFORBIDDEN.
func (e *Engine) Transfer(ctx context.Context, p assist.Principal, convID string, to Target) (*Decision, error) {
	if !canWork(p) {
		return nil, assist.Errorf(assist.EFORBIDDEN, "only agents transfer conversations")
	}
	if (to.AgentID == "") == (to.Skill == "") {
		return nil, assist.Errorf(assist.EINVALID, "transfer to an agent_id or to a skill, not both")
	}
	if to.Skill != "" && !validName(to.Skill, MaxSkillName) {
		return nil, assist.Errorf(assist.EINVALID, "skill %q is not a valid skill name", to.Skill)
	}
	if n := utf8.RuneCountInString(to.Note); n > MaxTransferNote || !utf8.ValidString(to.Note) {
		return nil, assist.Errorf(assist.EINVALID, "the transfer note has %d characters or invalid UTF-8; at most %d", n, MaxTransferNote)
	}
	var d *Decision
	err := e.run(ctx, func(b *batch) error {
		t := e.tenantLocked(p.TenantID)
		en := t.entries[convID]
		if en == nil {
			return assist.Errorf(assist.ENOTFOUND, "conversation is not assigned")
		}
		if en.AgentID != p.UserID && !isSupervisor(p) {
			return assist.Errorf(assist.EFORBIDDEN, "only the assigned agent or a supervisor may transfer this conversation")
		}
		if en.State != StateAssigned {
			return assist.Errorf(assist.ECONFLICT, "conversation is %s, not assigned", en.State)
		}
		now := e.now()
		from := en.AgentID
		if to.AgentID != "" {
			next, err := Next(en.State, TTransferAgent)
			if err != nil {
				return err
			}
			target := t.agents[to.AgentID]
			switch {
			case target == nil:
				return assist.Errorf(assist.ENOTFOUND, "no agent %q", to.AgentID)
			case to.AgentID == from:
				return assist.Errorf(assist.ECONFLICT, "the conversation is already this agent's")
			case !target.available():
				return assist.Errorf(assist.ECONFLICT, "agent %s is not available (%s, %d of %d)", to.AgentID, target.Presence, target.load(), target.Capacity)
			}
			old := e.detachLocked(t, en)
			en.State, en.AgentID = next, to.AgentID
			target.active[convID] = struct{}{}
			d = e.newDecision(en, now, ActionAssign, RuleTransferAgent)
			d.AgentID, d.ByUserID, d.Note = to.AgentID, p.UserID, transferNote(to, from)
			e.setOwner(b, t.id, convID, assist.OwnerAgent, to.AgentID, "transferred")
			e.putEntry(b, en)
			e.record(b, d)
			b.event(Event{Type: EventTransfer, TenantID: t.id, ConversationID: convID, AgentID: to.AgentID, Skill: en.Skill, State: next, Reason: RuleTransferAgent, At: now}, from, to.AgentID)
			b.event(Event{Type: EventAssigned, TenantID: t.id, ConversationID: convID, AgentID: to.AgentID, Skill: en.Skill, State: next, Reason: RuleTransferAgent, At: now}, to.AgentID)
			if old != nil {
				e.fillAgentLocked(t, old, now, b)
			}
			return nil
		}
		if _, err := Next(en.State, TTransferQueue); err != nil {
			return err
		}
		// The conversation keeps its place in time: the customer has been
		// waiting for an answer since the hand-off. The agent who passed it
		// on is not offered it again.
		old := e.requeueLocked(t, en)
		if from != "" && !slices.Contains(en.Declined, from) {
			en.Declined = append(en.Declined, from)
		}
		t.queue(en.Skill).remove(en)
		en.Skill = to.Skill
		en.Overflowed = false
		t.queue(en.Skill).add(en)
		e.setOwner(b, t.id, convID, assist.OwnerQueue, "", "transferred")
		e.putEntry(b, en)
		dt := e.newDecision(en, now, ActionRequeue, RuleTransferQueue)
		dt.ByUserID, dt.Note = p.UserID, transferNote(to, from)
		e.record(b, dt)
		b.event(Event{Type: EventTransfer, TenantID: t.id, ConversationID: convID, Skill: to.Skill, State: StateQueued, Reason: RuleTransferQueue, At: now}, from)
		b.queueEvent(t, en.Skill, convID, "transferred", now)
		d = e.dispatchEntryLocked(t, en, now, b)
		if old != nil {
			e.fillAgentLocked(t, old, now, b)
		}
		return nil
	})
	return d, err
}

// Assign gives a conversation to an agent on a supervisor's word,
// whatever its state (bot, queued, offered, assigned), even past the
// agent's capacity. EFORBIDDEN for others; ENOTFOUND for an unknown
// conversation or agent; ECONFLICT for a closed conversation.
func (e *Engine) Assign(ctx context.Context, p assist.Principal, convID, agentID string) (*Decision, error) {
	if !isSupervisor(p) {
		return nil, assist.Errorf(assist.EFORBIDDEN, "only supervisors assign conversations")
	}
	c, err := e.convs.Conversation(ctx, p.TenantID, convID)
	if err != nil {
		return nil, err
	}
	var d *Decision
	err = e.run(ctx, func(b *batch) error {
		t := e.tenantLocked(p.TenantID)
		target := t.agents[agentID]
		if target == nil {
			return assist.Errorf(assist.ENOTFOUND, "no agent %q", agentID)
		}
		en := t.entries[convID]
		from := stateOf(c.Owner)
		if en != nil {
			from = en.State
		}
		next, err := Next(from, TAssign)
		if err != nil {
			return err
		}
		if en != nil && en.State == StateAssigned && en.AgentID == agentID {
			return assist.Errorf(assist.ECONFLICT, "the conversation is already this agent's")
		}
		now := e.now()
		var old *agentState
		prev := ""
		if en == nil {
			en = e.newEntryLocked(t, Escalation{TenantID: t.id, ConversationID: convID, Lang: c.Lang, Reason: c.Reason}, next, now)
		} else {
			prev = en.AgentID
			old = e.detachLocked(t, en)
		}
		en.State, en.AgentID, en.OfferedAt = next, agentID, time.Time{}
		target.active[convID] = struct{}{}
		d = e.newDecision(en, now, ActionAssign, RuleSupervisor)
		d.AgentID, d.ByUserID = agentID, p.UserID
		if target.load() > target.Capacity {
			d.Note = "over capacity"
		}
		e.setOwner(b, t.id, convID, assist.OwnerAgent, agentID, "assigned")
		e.putEntry(b, en)
		e.record(b, d)
		b.event(Event{Type: EventAssigned, TenantID: t.id, ConversationID: convID, AgentID: agentID, Skill: en.Skill, State: next, Reason: RuleSupervisor, At: now}, agentID)
		if prev != "" && prev != agentID {
			b.event(Event{Type: EventTransfer, TenantID: t.id, ConversationID: convID, AgentID: agentID, State: next, Reason: RuleSupervisor, At: now}, prev)
		}
		if old != nil && old != target {
			e.fillAgentLocked(t, old, now, b)
		}
		return nil
	})
	return d, err
}

// Release hands a conversation back to the bot; Close closes it. The
// assigned agent or a supervisor may do either; a conversation the
// engine does not hold can be released or closed by a supervisor only.
func (e *Engine) Release(ctx context.Context, p assist.Principal, convID string) (*Decision, error) {
	return e.finish(ctx, p, convID, TRelease)
}

// Close closes a conversation; see Release.
func (e *Engine) Close(ctx context.Context, p assist.Principal, convID string) (*Decision, error) {
	return e.finish(ctx, p, convID, TClose)
}

func (e *Engine) finish(ctx context.Context, p assist.Principal, convID string, tr Transition) (*Decision, error) {
	if !canWork(p) {
		return nil, assist.Errorf(assist.EFORBIDDEN, "only agents and supervisors may do this")
	}
	c, err := e.convs.Conversation(ctx, p.TenantID, convID)
	if err != nil {
		return nil, err
	}
	var d *Decision
	err = e.run(ctx, func(b *batch) error {
		t := e.tenantLocked(p.TenantID)
		en := t.entries[convID]
		from := stateOf(c.Owner)
		if en != nil {
			from = en.State
		}
		if !isSupervisor(p) && (en == nil || en.State != StateAssigned || en.AgentID != p.UserID) {
			return assist.Errorf(assist.EFORBIDDEN, "only the assigned agent or a supervisor may do this")
		}
		if _, err := Next(from, tr); err != nil {
			return err
		}
		if en == nil {
			// Not routed (the bot has it): just change the owner.
			en = &entry{Entry: Entry{TenantID: t.id, ConversationID: convID}, index: -1}
		}
		d = e.endLocked(t, en, tr, p.UserID, e.now(), b)
		return nil
	})
	return d, err
}

// endLocked releases or closes a conversation and forgets it.
func (e *Engine) endLocked(t *tenant, en *entry, tr Transition, by string, now time.Time, b *batch) *Decision {
	a := e.detachLocked(t, en)
	_, routed := t.entries[en.ConversationID]
	delete(t.entries, en.ConversationID)
	action, rule, owner, evType := ActionClose, RuleClosed, assist.OwnerClosed, EventClosed
	switch tr {
	case TRelease:
		action, rule, owner, evType = ActionRelease, RuleReleased, assist.OwnerBot, EventReleased
	case TCustomerGone:
		rule = RuleCustomerGone
	case TCustomerLeft:
		action, rule, owner, evType = ActionRelease, RuleCustomerLeft, assist.OwnerBot, EventReleased
	}
	d := e.newDecision(en, now, action, rule)
	d.AgentID, d.ByUserID = en.AgentID, by
	e.setOwner(b, t.id, en.ConversationID, owner, "", rule)
	if routed {
		e.deleteEntry(b, t.id, en.ConversationID)
	}
	e.record(b, d)
	b.event(Event{Type: evType, TenantID: t.id, ConversationID: en.ConversationID, AgentID: en.AgentID, Skill: en.Skill, Reason: rule, At: now}, en.AgentID)
	if a != nil {
		e.fillAgentLocked(t, a, now, b)
	}
	return d
}

// Withdraw implements conversation.QueueLeaver: the customer no longer
// waits for a person, so a queued or offered conversation goes back to
// the bot and leaves its queue (an offer is withdrawn). A conversation
// the engine does not hold is left alone; one a person has is ECONFLICT.
func (e *Engine) Withdraw(ctx context.Context, c *assist.Conversation) error {
	return e.run(ctx, func(b *batch) error {
		t := e.tenantLocked(c.TenantID)
		en := t.entries[c.ID]
		if en == nil {
			return nil
		}
		if _, err := Next(en.State, TCustomerLeft); err != nil {
			return err
		}
		e.endLocked(t, en, TCustomerLeft, "", e.now(), b)
		return nil
	})
}

// CustomerMessage is told of every customer message stored while people
// own the conversation: it restarts the customer-idle clock and forwards
// the message to the agent holding the conversation. The clock is kept in
// memory only; after a restart each customer gets a full idle period.
func (e *Engine) CustomerMessage(ctx context.Context, c *assist.Conversation, m *assist.Message) {
	_ = e.run(ctx, func(b *batch) error {
		t := e.tenantLocked(c.TenantID)
		en := t.entries[c.ID]
		if en == nil {
			return nil
		}
		if m.CreatedAt.After(en.LastCustomerAt) {
			en.LastCustomerAt = m.CreatedAt
		}
		if en.AgentID != "" {
			b.event(Event{Type: EventCustomerMessage, TenantID: t.id, ConversationID: c.ID, AgentID: en.AgentID, State: en.State, Message: m, At: e.now()}, en.AgentID)
		}
		return nil
	})
}

// Claim makes a queued conversation the calling agent's: one waiting in
// a queue they serve (a skill they have, or the fallback team's once it
// overflowed), in a language they speak, with room in their capacity. A
// conversation offered to them is accepted. Errors: EFORBIDDEN for staff
// who do not take conversations and for a queue or language the agent
// does not serve; ENOTFOUND when the conversation is not waiting;
// ECONFLICT when it is assigned or offered to someone else, or the agent
// is at capacity.
func (e *Engine) Claim(ctx context.Context, p assist.Principal, convID string) (*Decision, error) {
	if !canWork(p) || p.UserID == "" {
		return nil, assist.Errorf(assist.EFORBIDDEN, "only agents claim conversations")
	}
	e.mu.Lock()
	en := e.tenantLocked(p.TenantID).entries[convID]
	offeredToMe := en != nil && en.State == StateOffered && en.AgentID == p.UserID
	e.mu.Unlock()
	if offeredToMe {
		return e.Accept(ctx, p, convID)
	}
	var d *Decision
	err := e.run(ctx, func(b *batch) error {
		t := e.tenantLocked(p.TenantID)
		en := t.entries[convID]
		if en == nil {
			return assist.Errorf(assist.ENOTFOUND, "conversation is not waiting for an agent")
		}
		if en.State != StateQueued {
			return assist.Errorf(assist.ECONFLICT, "conversation is %s, not waiting in a queue", en.State)
		}
		next, err := Next(en.State, TClaim)
		if err != nil {
			return err
		}
		now := e.now()
		a := e.agentLocked(t, p.UserID, now, b)
		level := a.Skills[en.Skill]
		switch {
		case level == 0 && !(en.Overflowed && e.inFallback(a)):
			return assist.Errorf(assist.EFORBIDDEN, "you do not serve the %s queue", en.Skill)
		case !a.speaks(en.Lang):
			return assist.Errorf(assist.EFORBIDDEN, "the customer writes %s, which is not among your languages", en.Lang)
		case a.load() >= a.Capacity:
			return assist.Errorf(assist.ECONFLICT, "you are at capacity (%d of %d)", a.load(), a.Capacity)
		}
		t.queue(en.Skill).remove(en)
		en.State, en.AgentID, en.OfferedAt = next, p.UserID, time.Time{}
		a.active[convID] = struct{}{}
		d = e.newDecision(en, now, ActionAssign, RuleClaimed)
		d.AgentID, d.ByUserID = p.UserID, p.UserID
		e.setOwner(b, t.id, convID, assist.OwnerAgent, p.UserID, RuleClaimed)
		e.putEntry(b, en)
		e.record(b, d)
		b.event(Event{Type: EventAssigned, TenantID: t.id, ConversationID: convID, AgentID: p.UserID, Skill: en.Skill, State: next, Reason: RuleClaimed, At: now}, p.UserID)
		b.queueEvent(t, en.Skill, convID, "claimed", now)
		return nil
	})
	return d, err
}
