package routing

import "time"

// Rules name why a decision went the way it did.
const (
	RuleBestSkill     = "best_skill"         // the winner has the highest skill level
	RuleLeastLoaded   = "least_loaded"       // equal skill; the winner has the lowest load
	RuleRoundRobin    = "round_robin"        // equal skill and load; picked least recently
	RuleOnlyCandidate = "only_candidate"     // one agent was available
	RuleOverflow      = "overflow"           // waited past the overflow time; a fallback-team agent took it
	RuleNoAgent       = "no_agent_available" // nobody available: queued
	RuleNextInQueue   = "next_in_queue"      // an agent became available and this was first in their queues
	RuleAccepted      = "accepted"
	RuleDeclined      = "declined"
	RuleOfferTimeout  = "offer_timeout"
	RuleTransferAgent = "transfer_agent"
	RuleTransferQueue = "transfer_queue"
	RuleSupervisor    = "supervisor_assign"
	RuleClaimed       = "claimed" // an agent took it from a queue they serve
	RuleReleased      = "released"
	RuleClosed        = "closed"
	RuleCustomerGone  = "customer_gone"
	RuleCustomerLeft  = "customer_left" // the customer left the queue before a person took it
	RuleReconciled    = "reconciled"    // found in the conversation store at start, missing from routing
	RuleAgentAway     = "agent_unavailable"
)

// Actions: what a decision did.
const (
	ActionQueue   = "queue"
	ActionOffer   = "offer"
	ActionAccept  = "accept"
	ActionDecline = "decline"
	ActionRequeue = "requeue"
	ActionAssign  = "assign"
	ActionRelease = "release"
	ActionClose   = "close"
)

// Candidate is one agent considered for a conversation, with the scores
// the rules compared.
type Candidate struct {
	AgentID    string  `json:"agent_id"`
	SkillLevel int     `json:"skill_level"` // 0: fallback team, no skill
	Load       int     `json:"load"`
	Capacity   int     `json:"capacity"`
	LoadRatio  float64 `json:"load_ratio"`
	LastPick   uint64  `json:"last_pick"` // round-robin counter; lower was picked longer ago
	Rank       int     `json:"rank"`      // 1 is the winner
}

// Decision is one routing decision about one conversation, with why it was
// made.
type Decision struct {
	ID             string    `json:"id"`
	TenantID       string    `json:"tenant_id"`
	ConversationID string    `json:"conversation_id"`
	At             time.Time `json:"at"`
	Action         string    `json:"action"`
	Rule           string    `json:"rule"`
	Skill          string    `json:"skill,omitempty"`
	Priority       float64   `json:"priority"`           // effective priority at the time
	AgentID        string    `json:"agent_id,omitempty"` // the agent it went to (or from, for a decline)
	ByUserID       string    `json:"by_user_id,omitempty"`
	Position       int       `json:"position,omitempty"` // queue position when queued
	// Candidates are the best agents considered, best first; Considered
	// counts every agent looked at and Excluded why the others could not
	// take it ("offline", "at_capacity", "language", "declined", "no_skill").
	Candidates []Candidate    `json:"candidates,omitempty"`
	Considered int            `json:"considered"`
	Excluded   map[string]int `json:"excluded,omitempty"`
	Note       string         `json:"note,omitempty"`
}
