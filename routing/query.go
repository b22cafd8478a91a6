package routing

import (
	"context"
	"sort"
	"time"

	"github.com/assistd/assist"
)

// Position is where a conversation stands, as the customer and agents see
// it.
type Position struct {
	State    State         `json:"state"`
	Skill    string        `json:"skill,omitempty"`
	Position int           `json:"position"` // 1-based place in its queue; 0 when not queued
	Length   int           `json:"length"`   // conversations in that queue
	Priority float64       `json:"priority"` // effective priority now
	Waited   time.Duration `json:"waited"`
	AgentID  string        `json:"agent_id,omitempty"`
}

// Position returns where a routed conversation stands; ok is false when
// the engine does not hold it (the bot has it, or it is closed). The
// caller checks that the asker may see the conversation.
func (e *Engine) Position(tenantID, convID string) (Position, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.tenants[tenantID]
	if t == nil {
		return Position{}, false
	}
	en := t.entries[convID]
	if en == nil {
		return Position{}, false
	}
	now := e.now()
	pos := Position{State: en.State, Skill: en.Skill, AgentID: en.AgentID,
		Priority: e.cfg.Priority(en.BasePriority, en.EnqueuedAt, now), Waited: now.Sub(en.EnqueuedAt)}
	if q := t.queues[en.Skill]; q != nil {
		pos.Length = q.Len()
		if en.State == StateQueued {
			pos.Position = q.position(en)
		}
	}
	return pos, true
}

// Entry returns a copy of a routed conversation's state.
func (e *Engine) Entry(tenantID, convID string) (*Entry, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if t := e.tenants[tenantID]; t != nil {
		if en := t.entries[convID]; en != nil {
			return en.Entry.clone(), true
		}
	}
	return nil, false
}

// QueuedEntry is one waiting conversation in a queue view.
type QueuedEntry struct {
	ConversationID string        `json:"conversation_id"`
	Position       int           `json:"position"`
	Priority       float64       `json:"priority"`
	Waited         time.Duration `json:"waited"`
	Lang           string        `json:"lang,omitempty"`
	Reason         string        `json:"reason,omitempty"`
	Intent         string        `json:"intent,omitempty"`
	Tier           Tier          `json:"tier,omitempty"`
	Sentiment      float64       `json:"sentiment"` // the customer's sentiment trend at hand-off, −1..1
	Overflowed     bool          `json:"overflowed,omitempty"`
}

// QueueView is one skill queue, its first entries in order.
type QueueView struct {
	Skill   string        `json:"skill"`
	Length  int           `json:"length"`
	Entries []QueuedEntry `json:"entries"`
}

// Queues returns the tenant's queues with up to limit entries each (0:
// 100): every queue for supervisors and admins, the queues of their
// skills for agents; EFORBIDDEN for other roles.
func (e *Engine) Queues(p assist.Principal, limit int) ([]QueueView, error) {
	if !canWork(p) {
		return nil, assist.Errorf(assist.EFORBIDDEN, "only agents and supervisors see queues")
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	out := []QueueView{}
	t := e.tenants[p.TenantID]
	if t == nil {
		return out, nil
	}
	var mine map[string]int
	if !isSupervisor(p) {
		mine = map[string]int{}
		if a := t.agents[p.UserID]; a != nil {
			mine = a.Skills
		}
	}
	now := e.now()
	skills := map[string]*queue{}
	if mine == nil {
		for skill, q := range t.queues {
			if q.Len() > 0 {
				skills[skill] = q
			}
		}
	} else {
		for skill, level := range mine {
			if level > 0 {
				skills[skill] = t.queue(skill) // an agent sees their skills' queues, even empty
			}
		}
	}
	for skill, q := range skills {
		v := QueueView{Skill: skill, Length: q.Len(), Entries: []QueuedEntry{}}
		q.each(func(en *entry) bool {
			v.Entries = append(v.Entries, QueuedEntry{
				ConversationID: en.ConversationID, Position: len(v.Entries) + 1,
				Priority: e.cfg.Priority(en.BasePriority, en.EnqueuedAt, now), Waited: now.Sub(en.EnqueuedAt),
				Lang: en.Lang, Reason: en.Reason, Intent: en.Intent, Tier: en.Tier, Sentiment: en.Sentiment, Overflowed: en.Overflowed,
			})
			return len(v.Entries) < limit
		})
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Skill < out[j].Skill })
	return out, nil
}

// Decisions returns the decisions about a conversation, oldest first;
// staff only. The caller checks the conversation is the tenant's.
func (e *Engine) Decisions(ctx context.Context, p assist.Principal, convID string, limit int) ([]*Decision, error) {
	if !p.Role.Staff() {
		return nil, assist.Errorf(assist.EFORBIDDEN, "only staff see routing decisions")
	}
	return e.store.Decisions(ctx, p.TenantID, convID, limit)
}

// SkillView is one skill queue of a tenant a conversation can be
// transferred to, with the agents who serve it.
type SkillView struct {
	Skill  string `json:"skill"`
	Agents int    `json:"agents"` // agents with the skill
	Online int    `json:"online"` // of them, online now
	Length int    `json:"length"` // conversations waiting in it
}

// Skills returns every skill queue of the tenant, sorted: the skills of
// its agents, the skills the configuration routes to (by intent, by
// reason, the default) and the queues with conversations waiting. Agents
// and supervisors may list them: an agent transfers to any queue, not
// only to their own skills. EFORBIDDEN for other roles.
func (e *Engine) Skills(p assist.Principal) ([]SkillView, error) {
	if !canWork(p) {
		return nil, assist.Errorf(assist.EFORBIDDEN, "only agents and supervisors transfer conversations")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	views := map[string]*SkillView{}
	add := func(skill string) *SkillView {
		v := views[skill]
		if v == nil {
			v = &SkillView{Skill: skill}
			views[skill] = v
		}
		return v
	}
	for _, s := range e.cfg.IntentSkills {
		add(s)
	}
	for _, s := range e.cfg.ReasonSkills {
		add(s)
	}
	if e.cfg.DefaultSkill != "" {
		add(e.cfg.DefaultSkill)
	}
	if t := e.tenants[p.TenantID]; t != nil {
		for _, a := range t.agents {
			for skill, level := range a.Skills {
				if level <= 0 {
					continue
				}
				v := add(skill)
				v.Agents++
				if a.Presence == Online {
					v.Online++
				}
			}
		}
		for skill, q := range t.queues {
			if q.Len() > 0 {
				add(skill).Length = q.Len()
			}
		}
	}
	out := make([]SkillView, 0, len(views))
	for _, v := range views {
		out = append(out, *v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Skill < out[j].Skill })
	return out, nil
}
