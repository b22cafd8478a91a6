package routing

import (
	"slices"
	"sync"
	"time"

	"github.com/assistd/assist"
)

// Event types published on the Bus.
const (
	EventOffer           = "offer"            // a conversation is offered to the agent
	EventAssigned        = "assigned"         // a conversation is the agent's (accepted, assigned, transferred to them)
	EventOfferWithdrawn  = "offer_withdrawn"  // declined, expired or taken elsewhere
	EventCustomerMessage = "customer_message" // the customer wrote in a conversation the agent holds
	EventTransfer        = "transfer"         // a conversation moved to another agent or queue
	EventReleased        = "released"         // back to the bot
	EventClosed          = "closed"           // closed
	EventQueue           = "queue"            // a queue changed (entry added, taken, removed)
	EventPresence        = "presence"         // an agent's presence or profile changed
	EventSLAWarning      = "sla_warning"      // a ticket's SLA is about to be breached (published by ticket)
	EventSLABreach       = "sla_breach"       // a ticket's SLA was breached (published by ticket)
)

// Event is one thing staff should hear about. To and Roles say who: a
// subscriber of the event's tenant gets it when its user is in To or its
// role in Roles.
type Event struct {
	Type           string          `json:"type"`
	TenantID       string          `json:"-"`
	ConversationID string          `json:"conversation_id,omitempty"`
	TicketID       string          `json:"ticket_id,omitempty"`
	Metric         string          `json:"metric,omitempty"` // SLA events: first_response, next_response, resolution
	DueAt          time.Time       `json:"due_at,omitzero"`  // SLA events: when the target is (was) due
	AgentID        string          `json:"agent_id,omitempty"`
	Skill          string          `json:"skill,omitempty"`
	State          State           `json:"state,omitempty"`
	Presence       Presence        `json:"presence,omitempty"`
	Priority       float64         `json:"priority,omitempty"`
	QueueLength    int             `json:"queue_length,omitempty"`
	Reason         string          `json:"reason,omitempty"`
	Message        *assist.Message `json:"message,omitempty"`
	Decision       *Decision       `json:"decision,omitempty"`
	At             time.Time       `json:"at"`

	To    []string      `json:"-"`
	Roles []assist.Role `json:"-"`
	// Payload, when set, is sent instead of the event itself: the body of
	// events published by other services (agent assist's "assist").
	Payload any `json:"-"`
}

// supervisorRoles receive every routing event of their tenant.
var supervisorRoles = []assist.Role{assist.RoleSupervisor, assist.RoleAdmin}

// SupervisorRoles returns the roles that see every event of their tenant,
// for publishers outside this package (SLA warnings).
func SupervisorRoles() []assist.Role { return slices.Clone(supervisorRoles) }

// Bus fans events out to live staff subscribers in this process. The zero
// value is ready to use.
type Bus struct {
	mu     sync.Mutex
	subs   map[string]map[*Subscription]struct{} // by tenant
	Buffer int                                   // events a subscriber may fall behind; 0: 64
}

// Subscription receives the events meant for one staff member. C is
// closed when the subscription is closed or when the subscriber fell too
// far behind (Lagged then reports true).
type Subscription struct {
	C      <-chan Event
	c      chan Event
	bus    *Bus
	tenant string
	user   string
	role   assist.Role
	lagged bool
	once   sync.Once
}

// Subscribe returns a subscription for a staff member of a tenant.
func (b *Bus) Subscribe(tenantID, userID string, role assist.Role) *Subscription {
	n := b.Buffer
	if n <= 0 {
		n = 64
	}
	c := make(chan Event, n)
	s := &Subscription{C: c, c: c, bus: b, tenant: tenantID, user: userID, role: role}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.subs == nil {
		b.subs = make(map[string]map[*Subscription]struct{})
	}
	m := b.subs[tenantID]
	if m == nil {
		m = make(map[*Subscription]struct{})
		b.subs[tenantID] = m
	}
	m[s] = struct{}{}
	return s
}

// Publish sends e, without blocking, to the subscribers of its tenant it
// is meant for; one whose buffer is full is dropped.
func (b *Bus) Publish(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs[e.TenantID] {
		if !slices.Contains(e.To, s.user) && !slices.Contains(e.Roles, s.role) {
			continue
		}
		select {
		case s.c <- e:
		default:
			s.lagged = true
			b.removeLocked(s)
		}
	}
}

// Subscribers returns how many subscriptions are open.
func (b *Bus) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, m := range b.subs {
		n += len(m)
	}
	return n
}

// Connected reports whether a staff member of a tenant has an event
// stream open: their workspace is connected. A nil Bus has nobody.
func (b *Bus) Connected(tenantID, userID string) bool {
	if b == nil {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs[tenantID] {
		if s.user == userID {
			return true
		}
	}
	return false
}

// Lagged reports whether the subscription was dropped for falling behind.
func (s *Subscription) Lagged() bool {
	s.bus.mu.Lock()
	defer s.bus.mu.Unlock()
	return s.lagged
}

// Close ends the subscription; it is safe to call more than once.
func (s *Subscription) Close() {
	s.bus.mu.Lock()
	defer s.bus.mu.Unlock()
	s.bus.removeLocked(s)
}

func (b *Bus) removeLocked(s *Subscription) {
	s.once.Do(func() {
		if m := b.subs[s.tenant]; m != nil {
			delete(m, s)
			if len(m) == 0 {
				delete(b.subs, s.tenant)
			}
		}
		close(s.c)
	})
}
