package assist

import (
	"context"
	"time"
)

// Role is what an authenticated principal may do within its tenant.
type Role string

const (
	RoleCustomer   Role = "customer"          // one conversation, through its customer token
	RoleAgent      Role = "agent"             // works conversations and tickets
	RoleSupervisor Role = "supervisor"        // sees everything in the tenant, reassigns
	RoleKnowledge  Role = "knowledge_manager" // curates the knowledge base and gap reports
	RoleAdmin      Role = "admin"             // manages users, keys and settings
)

// Roles lists the staff roles in increasing order of privilege.
var Roles = []Role{RoleAgent, RoleKnowledge, RoleSupervisor, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleCustomer, RoleAgent, RoleSupervisor, RoleKnowledge, RoleAdmin:
		return true
	}
	return false
}

// Staff reports whether r is a role of the shop's own people.
func (r Role) Staff() bool { return r.Valid() && r != RoleCustomer }

// Tenant is one shop. Every stored row carries its tenant's id.
type Tenant struct {
	ID        string    `json:"id"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// User is a member of a shop's staff.
type User struct {
	ID           string    `json:"id"`
	TenantID     string    `json:"tenant_id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
}

// Principal is who is making a request: a staff member (UserID set) or a
// customer holding the token of one conversation (ConversationID set).
type Principal struct {
	TenantID       string
	UserID         string
	Role           Role
	ConversationID string
}

// CanSee reports whether p may read conversation c.
func (p Principal) CanSee(c *Conversation) bool {
	if c == nil || p.TenantID != c.TenantID {
		return false
	}
	if p.Role == RoleCustomer {
		return p.ConversationID == c.ID
	}
	return p.Role.Staff()
}

// Owner says who answers a conversation's customer right now.
type Owner string

const (
	OwnerBot    Owner = "bot"    // the bot answers
	OwnerQueue  Owner = "queue"  // waiting for a person; the bot is silent
	OwnerAgent  Owner = "agent"  // a person answers; the bot is silent
	OwnerClosed Owner = "closed" // finished; new messages are refused
)

// Handoff says why a conversation left the bot: a reason code and, when
// the bot understood the message, the customer's intent (routing picks the
// skill queue from both).
type Handoff struct {
	Reason    string
	Intent    string
	Evidence  map[string]string // what made the escalation rule fire
	Sentiment float64           // the conversation's sentiment trend, −1..1 (0 unknown)
	VIP       bool              // the customer is a VIP member
	Lang      string            // the language the customer writes in: "zh" or "en" ("" unknown)
}

// Conversation is one customer's thread with the shop.
type Conversation struct {
	ID          string    `json:"id"`
	TenantID    string    `json:"tenant_id"`
	Channel     string    `json:"channel"`
	CustomerRef string    `json:"customer_ref,omitempty"`
	Lang        string    `json:"lang,omitempty"`
	Owner       Owner     `json:"owner"`
	AssigneeID  string    `json:"assignee_id,omitempty"`
	Reason      string    `json:"reason,omitempty"` // why it left the bot, a reason code
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`

	// TokenHash is the SHA-256 of the customer token; never sent out.
	TokenHash []byte `json:"-"`
}

// Author says who wrote a message.
type Author string

const (
	AuthorCustomer Author = "customer"
	AuthorBot      Author = "bot"
	AuthorAgent    Author = "agent"
	AuthorSystem   Author = "system"
)

// Message is one message of a conversation. Seq orders the messages of a
// conversation and increases with every stored message.
type Message struct {
	ID             string `json:"id"`
	TenantID       string `json:"-"`
	ConversationID string `json:"conversation_id"`
	Seq            int64  `json:"seq"`
	Author         Author `json:"author"`
	AuthorID       string `json:"author_id,omitempty"`
	Text           string `json:"text"`
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	ReplyTo        string `json:"reply_to,omitempty"`
	// Attachments are a bot message's structured parts (quick replies,
	// order and shipment cards, sources), shown by channels that can;
	// the text says the same in words. Nil for most messages.
	Attachments *Attachments `json:"attachments,omitempty"`
	Handled     bool         `json:"-"` // a customer message whose turn has run
	CreatedAt   time.Time    `json:"created_at"`
}

// Attachments are the structured parts of a bot message.
type Attachments struct {
	// Choices are quick replies: sending a choice's Value as the
	// customer's text selects it.
	Choices []Choice `json:"choices,omitempty"`
	Cards   []Card   `json:"cards,omitempty"`   // orders and shipments shown as cards
	Sources []Source `json:"sources,omitempty"` // the help-center articles an answer cites
}

// Empty reports whether a has nothing to show (a nil a included).
func (a *Attachments) Empty() bool {
	return a == nil || len(a.Choices) == 0 && len(a.Cards) == 0 && len(a.Sources) == 0
}

// Choice is one quick reply.
type Choice struct {
	Label string `json:"label"` // what the button shows
	Value string `json:"value"` // the text sent when it is picked
}

// Card kinds.
const (
	CardOrder    = "order"
	CardShipment = "shipment"
)

// Card shows an order or a shipment as labelled fields.
type Card struct {
	Kind   string  `json:"kind"` // CardOrder or CardShipment
	Title  string  `json:"title"`
	Fields []Field `json:"fields"`
}

// Field is one labelled value of a card.
type Field struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Source is one cited help-center article; N is the number the answer's
// text cites ("[1]").
type Source struct {
	N     int    `json:"n"`
	Title string `json:"title"`
	Doc   string `json:"doc"`
}

type principalKey struct{}

// NewContextWithPrincipal returns a context carrying p.
func NewContextWithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFromContext returns the principal stored in ctx, if any.
func PrincipalFromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

type requestIDKey struct{}

// NewContextWithRequestID returns a context carrying the id of the request
// being served, so logs written deeper down can name it.
func NewContextWithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestIDFromContext returns the request id stored in ctx, or "".
func RequestIDFromContext(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
