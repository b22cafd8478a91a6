package gap

import (
	"context"
	"time"
)

// Kind says why a question is a gap.
type Kind string

const (
	KindDeclined      Kind = "declined"       // the help center had no answer
	KindLowConfidence Kind = "low_confidence" // answered, barely above the threshold
	KindFallback      Kind = "fallback"       // a task the bot cannot do, answered from the help center
	KindEscalation    Kind = "escalation"     // handed to people for want of an answer
	KindThumbsDown    Kind = "thumbs_down"    // the customer said the answer did not help
)

// Gap is one question the bot could not answer well. Question and
// AgentAnswer have personal data masked before they are stored.
type Gap struct {
	ID             string    `json:"id"`
	TenantID       string    `json:"-"`
	ConversationID string    `json:"conversation_id,omitempty"`
	MessageID      string    `json:"message_id,omitempty"`
	Kind           Kind      `json:"kind"`
	Question       string    `json:"question"`
	Lang           string    `json:"lang"`
	Intent         string    `json:"intent,omitempty"`
	Confidence     float64   `json:"confidence"`
	BestDoc        string    `json:"best_doc,omitempty"`
	Escalated      bool      `json:"escalated"`
	AgentAnswer    string    `json:"agent_answer,omitempty"` // the agent's messages after it, separated by blank lines
	ClusterID      string    `json:"cluster_id,omitempty"`
	At             time.Time `json:"at"`
}

// Status is where a cluster stands in its review.
type Status string

const (
	StatusOpen      Status = "open"
	StatusAccepted  Status = "accepted" // a knowledge manager edited or approved it
	StatusPublished Status = "published"
	StatusDismissed Status = "dismissed"
)

// Valid reports whether s is a status.
func (s Status) Valid() bool {
	return s == StatusOpen || s == StatusAccepted || s == StatusPublished || s == StatusDismissed
}

// Cluster is a group of similar gaps with its review. The stored fields
// come first; the report fills the rest from the cluster's gaps.
type Cluster struct {
	ID           string    `json:"id"`
	TenantID     string    `json:"-"`
	Status       Status    `json:"status"`
	Lang         string    `json:"lang"` // zh, en or mixed
	Intent       string    `json:"intent,omitempty"`
	Question     string    `json:"question"`         // the question to publish ("" until edited: the first representative)
	Variants     []string  `json:"variants"`         // more wordings to publish
	Answer       string    `json:"answer,omitempty"` // the accepted answer
	Note         string    `json:"note,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	ReviewedBy   string    `json:"reviewed_by,omitempty"`
	ReviewedAt   time.Time `json:"reviewed_at,omitzero"`
	PublishedDoc string    `json:"published_doc,omitempty"`

	Size           int       `json:"size"`
	Escalations    int       `json:"escalations"`
	ThumbsDown     int       `json:"thumbs_down"`
	FirstSeen      time.Time `json:"first_seen"`
	LastSeen       time.Time `json:"last_seen"`
	Score          float64   `json:"score"`
	Questions      []string  `json:"questions"`                 // representative questions, most typical first
	ProposedAnswer string    `json:"proposed_answer,omitempty"` // "" when no agent's reply answers the questions
	AgentReplies   []string  `json:"agent_replies"`             // what agents replied, for reference (distinct, at most MaxAgentReplies)
	Gaps           []Gap     `json:"gaps,omitempty"`            // GET one cluster only
}

// Filter narrows the gaps listed.
type Filter struct {
	ConversationID string // "" any
	ClusterID      string // "" any
	Unclustered    bool   // only gaps in no cluster yet
	Limit          int    // 0: all
}

// Store keeps gaps, clusters and customers' ratings. Implementation:
// store/sqlite.
type Store interface {
	// AddGap stores g; a second gap of the same kind for the same
	// message is ECONFLICT.
	AddGap(ctx context.Context, g *Gap) error
	// Gaps returns the tenant's gaps matching f, oldest first.
	Gaps(ctx context.Context, tenantID string, f Filter) ([]Gap, error)
	// MarkEscalated marks the conversation's gaps as having led to a
	// hand-off.
	MarkEscalated(ctx context.Context, tenantID, conversationID string) error
	// AddAgentAnswer appends an agent's message to the answers of the
	// conversation's gaps recorded before at.
	AddAgentAnswer(ctx context.Context, tenantID, conversationID, text string, at time.Time) error
	// SetCluster puts gaps in a cluster.
	SetCluster(ctx context.Context, tenantID, clusterID string, gapIDs []string) error
	// PutCluster creates or replaces a cluster's stored fields.
	PutCluster(ctx context.Context, c *Cluster) error
	// Clusters returns the tenant's clusters (stored fields).
	Clusters(ctx context.Context, tenantID string) ([]*Cluster, error)
	// Rate records a customer's rating of a bot message, once: a second
	// is ECONFLICT.
	Rate(ctx context.Context, tenantID, conversationID, messageID, rating string, at time.Time) error
}
