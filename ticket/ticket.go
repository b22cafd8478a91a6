package ticket

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/assistd/assist"
)

// Priority is how urgent a ticket is; each has its own SLA targets.
type Priority string

const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Priorities lists the priorities from the least to the most urgent.
var Priorities = []Priority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool { return slices.Contains(Priorities, p) }

// Status is where a ticket stands in its life.
type Status string

const (
	StatusNew     Status = "new"     // nobody has worked on it yet
	StatusOpen    Status = "open"    // being worked on
	StatusPending Status = "pending" // waiting for the customer; SLA timers pause
	StatusOnHold  Status = "on_hold" // waiting for a third party; SLA timers pause
	StatusSolved  Status = "solved"  // answered; the customer may still reopen it
	StatusClosed  Status = "closed"  // final; no more changes
)

// Statuses lists every status.
var Statuses = []Status{StatusNew, StatusOpen, StatusPending, StatusOnHold, StatusSolved, StatusClosed}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Paused reports whether SLA timers stand still in this status.
func (s Status) Paused() bool { return s == StatusPending || s == StatusOnHold }

// Active reports whether a ticket in this status still needs work (it is
// neither solved nor closed).
func (s Status) Active() bool { return s != StatusSolved && s != StatusClosed }

// transitions is the status transition table: from → the statuses it may
// move to. Staying in the same status is always allowed (a no-op).
var transitions = map[Status][]Status{
	StatusNew:     {StatusOpen, StatusPending, StatusOnHold, StatusSolved},
	StatusOpen:    {StatusPending, StatusOnHold, StatusSolved},
	StatusPending: {StatusOpen, StatusOnHold, StatusSolved},
	StatusOnHold:  {StatusOpen, StatusPending, StatusSolved},
	StatusSolved:  {StatusOpen, StatusClosed},
	StatusClosed:  {},
}

// CanTransition reports whether a ticket may move from one status to
// another.
func CanTransition(from, to Status) bool {
	return from == to || slices.Contains(transitions[from], to)
}

// Ticket is one customer issue.
type Ticket struct {
	ID             string
	TenantID       string
	Number         int64 // per tenant, from 1; set by the store
	Subject        string
	RequesterID    string // the shop's customer reference, if known
	ConversationID string // the conversation it was escalated from, if any
	EscalationKey  string // OpenFromEscalation's idempotency key; "" for others
	Reason         string // the escalation reason code, if any
	Priority       Priority
	Status         Status
	AssigneeID     string
	Team           string
	Tags           []string          // sorted, unique
	CustomFields   map[string]string // nil when empty
	SLA            SLA
	Version        int64 // 1 when created, +1 on every stored change
	CreatedAt      time.Time
	UpdatedAt      time.Time
	SolvedAt       time.Time // zero unless solved (or closed after solved)
}

// Clone returns a deep copy of t.
func (t *Ticket) Clone() *Ticket {
	c := *t
	c.Tags = slices.Clone(t.Tags)
	if t.CustomFields != nil {
		c.CustomFields = make(map[string]string, len(t.CustomFields))
		for k, v := range t.CustomFields {
			c.CustomFields[k] = v
		}
	}
	return &c
}

// Comment is a reply on a ticket: public (the customer sees it) or an
// internal note (staff only).
type Comment struct {
	ID         string
	TenantID   string
	TicketID   string
	AuthorID   string // user id, or "" for the customer or the system
	AuthorRole assist.Role
	Internal   bool
	Body       string
	CreatedAt  time.Time
}

// Audit is one append-only record of a change to an entity: who changed
// which field from what to what, and when. Entity names the kind of
// record ("ticket" here; other domains may log their own kinds).
type Audit struct {
	ID        string
	TenantID  string
	Entity    string // "ticket", ...
	EntityID  string
	ActorID   string      // user id; "" for the system or a customer
	ActorRole assist.Role // "" for the system
	Field     string      // "status", "tags", "custom_fields.order_id", "sla.first_response", ...
	Old       string
	New       string
	At        time.Time
}

// EntityTicket is the Audit.Entity of ticket records.
const EntityTicket = "ticket"

// Limits on what a ticket may hold.
const (
	MaxSubjectRunes    = 200
	MaxCommentRunes    = 10000
	MaxTags            = 20
	MaxTagLen          = 50
	MaxCustomFields    = 30
	MaxFieldKeyLen     = 64
	MaxFieldValueRunes = 500
	MaxRefLen          = 200 // requester, assignee, team ids
)

// normalizeTags lower-cases, sorts and de-duplicates tags and checks them:
// letters, digits and "-_:." only.
func normalizeTags(tags []string) ([]string, error) {
	if len(tags) > MaxTags {
		return nil, assist.Errorf(assist.ETOOLARGE, "at most %d tags", MaxTags)
	}
	out := make([]string, 0, len(tags))
	for _, tag := range tags {
		tag = strings.ToLower(strings.TrimSpace(tag))
		if tag == "" {
			return nil, assist.Errorf(assist.EINVALID, "a tag is empty")
		}
		if len(tag) > MaxTagLen {
			return nil, assist.Errorf(assist.ETOOLARGE, "tag %.20q… is over %d bytes", tag, MaxTagLen)
		}
		if !utf8.ValidString(tag) {
			return nil, assist.Errorf(assist.EINVALID, "a tag is not valid UTF-8")
		}
		for _, r := range tag {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == ':' || r == '.' || r > 127 && !isSpaceOrControl(r)) {
				return nil, assist.Errorf(assist.EINVALID, "tag %q may hold only letters, digits and - _ : .", tag)
			}
		}
		out = append(out, tag)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func isSpaceOrControl(r rune) bool {
	return r < 32 || r == 0x7f || r == 0x85 || r == 0xa0 || r == 0x3000 || (r >= 0x2000 && r <= 0x200f) || r == 0x2028 || r == 0x2029 || r == 0xfeff
}

// checkFieldKey checks a custom field's key: [a-z0-9_], 1 to 64 bytes.
func checkFieldKey(k string) error {
	if k == "" || len(k) > MaxFieldKeyLen {
		return assist.Errorf(assist.EINVALID, "custom field keys must be 1 to %d characters", MaxFieldKeyLen)
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return assist.Errorf(assist.EINVALID, "custom field key %q may hold only a-z, 0-9 and _", k)
		}
	}
	return nil
}

// checkText checks a free-text field: valid UTF-8, no NUL, at most max runes.
func checkText(what, s string, max int) error {
	if !utf8.ValidString(s) {
		return assist.Errorf(assist.EINVALID, "%s is not valid UTF-8 text", what)
	}
	if strings.ContainsRune(s, 0) {
		return assist.Errorf(assist.EINVALID, "%s holds a NUL character", what)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return assist.Errorf(assist.ETOOLARGE, "%s is %d characters, over the limit of %d", what, n, max)
	}
	return nil
}

// checkRef checks an id-like field (requester, assignee, team): printable
// ASCII-free of spaces, at most MaxRefLen bytes.
func checkRef(what, s string) error {
	if len(s) > MaxRefLen {
		return assist.Errorf(assist.ETOOLARGE, "%s is over %d bytes", what, MaxRefLen)
	}
	if !utf8.ValidString(s) {
		return assist.Errorf(assist.EINVALID, "%s is not valid UTF-8 text", what)
	}
	for _, r := range s {
		if isSpaceOrControl(r) || r == ' ' {
			return assist.Errorf(assist.EINVALID, "%s may not hold spaces or control characters", what)
		}
	}
	return nil
}

// checkTeam checks a team name: [a-z0-9_-], 1 to 64 bytes.
func checkTeam(team string) error {
	if team == "" || len(team) > 64 {
		return assist.Errorf(assist.EINVALID, "a team name must be 1 to 64 characters")
	}
	for _, r := range team {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return assist.Errorf(assist.EINVALID, "team %q may hold only a-z, 0-9, - and _", team)
		}
	}
	return nil
}

// joinTags is how tags appear in an audit record.
func joinTags(tags []string) string { return strings.Join(tags, ",") }

func errTransition(from, to Status) error {
	return &assist.Error{Code: assist.ECONFLICT, Message: fmt.Sprintf("a %s ticket cannot become %s", from, to)}
}
