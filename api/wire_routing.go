package api

import (
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/routing"
)

// AgentJSON is an agent with its profile, presence and load.
type AgentJSON struct {
	UserID       string         `json:"user_id"`
	Presence     string         `json:"presence"`
	Skills       map[string]int `json:"skills"`
	Langs        []string       `json:"langs"`
	Teams        []string       `json:"teams"`
	Capacity     int            `json:"capacity"`
	Load         int            `json:"load"`
	Active       []string       `json:"active"`
	Offered      []string       `json:"offered"`
	MissedOffers int            `json:"missed_offers"`
	Available    bool           `json:"available"`
	UpdatedAt    time.Time      `json:"updated_at"`
}

// AgentsResponse lists agents.
type AgentsResponse struct {
	Agents []AgentJSON `json:"agents"`
}

// PresenceRequest sets the caller's presence: online, away or offline.
type PresenceRequest struct {
	Presence string `json:"presence"`
}

// AgentProfileRequest sets an agent's routing profile.
type AgentProfileRequest struct {
	Skills   map[string]int `json:"skills"`
	Langs    []string       `json:"langs"`
	Teams    []string       `json:"teams"`
	Capacity int            `json:"capacity"`
}

// QueuedJSON is one waiting conversation.
type QueuedJSON struct {
	ConversationID string  `json:"conversation_id"`
	Position       int     `json:"position"`
	Priority       float64 `json:"priority"`
	WaitedSeconds  float64 `json:"waited_seconds"`
	Lang           string  `json:"lang,omitempty"`
	Reason         string  `json:"reason,omitempty"`
	Intent         string  `json:"intent,omitempty"`
	Tier           string  `json:"tier,omitempty"`
	Sentiment      float64 `json:"sentiment"` // the customer's sentiment trend at hand-off, −1 (angry) .. 1
	Overflowed     bool    `json:"overflowed,omitempty"`
}

// QueueJSON is one skill queue with its first entries in order.
type QueueJSON struct {
	Skill   string       `json:"skill"`
	Length  int          `json:"length"`
	Entries []QueuedJSON `json:"entries"`
}

// SkillsResponse lists the skill queues a conversation can be
// transferred to.
type SkillsResponse struct {
	Skills []routing.SkillView `json:"skills"`
}

// QueuesResponse lists queues.
type QueuesResponse struct {
	Queues []QueueJSON `json:"queues"`
}

// TransferRequest names where a conversation goes: an agent or a skill.
type TransferRequest struct {
	AgentID string `json:"agent_id,omitempty"`
	Skill   string `json:"skill,omitempty"`
	// Note is for the next agent (≤ 2,000 characters): the transfer's
	// routing decision and an internal note on the conversation's
	// tickets carry it.
	Note string `json:"note,omitempty"`
}

// AssignRequest names the agent a supervisor gives a conversation to.
type AssignRequest struct {
	AgentID string `json:"agent_id"`
}

// RoutingResponse is the decision a routing action made.
type RoutingResponse struct {
	Decision *routing.Decision `json:"decision"`
}

// DecisionsResponse lists a conversation's routing decisions, oldest first.
type DecisionsResponse struct {
	Decisions []*routing.Decision `json:"decisions"`
}

// PositionResponse is where a conversation stands: who owns it and, while
// it waits, its place in its queue.
type PositionResponse struct {
	Owner         string  `json:"owner"`
	State         string  `json:"state"`
	Skill         string  `json:"skill,omitempty"`
	Position      int     `json:"position"`
	QueueLength   int     `json:"queue_length"`
	WaitedSeconds float64 `json:"waited_seconds"`
	AgentID       string  `json:"agent_id,omitempty"` // staff only
}

func toAgent(a *routing.AgentStatus) AgentJSON {
	nn := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	return AgentJSON{
		UserID: a.UserID, Presence: string(a.Presence), Skills: a.Skills, Langs: nn(a.Langs), Teams: nn(a.Teams),
		Capacity: a.Capacity, Load: a.Load, Active: nn(a.Active), Offered: nn(a.Offered), MissedOffers: a.MissedOffers,
		Available: a.AvailableSlot, UpdatedAt: a.UpdatedAt,
	}
}

func toQueues(qs []routing.QueueView) []QueueJSON {
	out := make([]QueueJSON, 0, len(qs))
	for _, q := range qs {
		j := QueueJSON{Skill: q.Skill, Length: q.Length, Entries: make([]QueuedJSON, 0, len(q.Entries))}
		for _, e := range q.Entries {
			j.Entries = append(j.Entries, QueuedJSON{
				ConversationID: e.ConversationID, Position: e.Position, Priority: e.Priority,
				WaitedSeconds: e.Waited.Seconds(), Lang: e.Lang, Reason: e.Reason, Intent: e.Intent, Tier: string(e.Tier),
				Sentiment: e.Sentiment, Overflowed: e.Overflowed,
			})
		}
		out = append(out, j)
	}
	return out
}

// toPosition builds the position of a conversation from routing's view
// (ok) or, when routing does not hold it, from its owner.
func toPosition(c *assist.Conversation, pos routing.Position, ok bool, staff bool) PositionResponse {
	r := PositionResponse{Owner: string(c.Owner), State: string(pos.State)}
	if !ok {
		r.State = string(routing.StateBot)
		switch c.Owner {
		case assist.OwnerQueue:
			r.State = string(routing.StateQueued)
		case assist.OwnerAgent:
			r.State = string(routing.StateAssigned)
		case assist.OwnerClosed:
			r.State = string(routing.StateClosed)
		}
		return r
	}
	r.Owner = string(pos.State.Owner())
	r.Skill, r.Position, r.QueueLength, r.WaitedSeconds = pos.Skill, pos.Position, pos.Length, pos.Waited.Seconds()
	if staff {
		r.AgentID = pos.AgentID
	}
	return r
}
