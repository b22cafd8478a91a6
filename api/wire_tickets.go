package api

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/ticket"
)

// TicketJSON is a ticket on the wire. Customers get only the fields
// without the shop's internal data (no assignee, team, tags, custom
// fields, reason or SLA).
type TicketJSON struct {
	ID             string            `json:"id"`
	Number         int64             `json:"number"`
	Subject        string            `json:"subject"`
	RequesterID    string            `json:"requester_id,omitempty"`
	ConversationID string            `json:"conversation_id,omitempty"`
	Reason         string            `json:"reason,omitempty"`
	Priority       string            `json:"priority"`
	Status         string            `json:"status"`
	AssigneeID     string            `json:"assignee_id,omitempty"`
	Team           string            `json:"team,omitempty"`
	Tags           []string          `json:"tags,omitempty"`
	CustomFields   map[string]string `json:"custom_fields,omitempty"`
	SLA            []SLATimerJSON    `json:"sla,omitempty"`
	Version        int64             `json:"version"`
	CreatedAt      time.Time         `json:"created_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
	SolvedAt       *time.Time        `json:"solved_at,omitempty"`
}

// SLATimerJSON is one SLA timer as it stands at the response's time.
// Times are in business time; remaining is negative once breached.
type SLATimerJSON struct {
	Metric           string     `json:"metric"` // first_response, next_response, resolution
	State            string     `json:"state"`  // running, paused, met
	TargetSeconds    int64      `json:"target_seconds"`
	ElapsedSeconds   int64      `json:"elapsed_seconds"`
	RemainingSeconds int64      `json:"remaining_seconds"`
	DueAt            *time.Time `json:"due_at,omitempty"`
	Breached         bool       `json:"breached"`
	MetAt            *time.Time `json:"met_at,omitempty"`
}

// CommentJSON is a public reply or an internal note.
type CommentJSON struct {
	ID         string    `json:"id"`
	AuthorID   string    `json:"author_id,omitempty"`
	AuthorRole string    `json:"author_role,omitempty"`
	Internal   bool      `json:"internal"`
	Body       string    `json:"body"`
	CreatedAt  time.Time `json:"created_at"`
}

// TicketResponse is one ticket with its comments.
type TicketResponse struct {
	Ticket   TicketJSON    `json:"ticket"`
	Comments []CommentJSON `json:"comments"`
}

// TicketsResponse is a page of tickets, highest number first. NextBefore,
// when set, is the before= value of the next page.
type TicketsResponse struct {
	Tickets    []TicketJSON `json:"tickets"`
	NextBefore int64        `json:"next_before,omitempty"`
}

// CreateTicketRequest opens a ticket. Description becomes the first
// internal note.
type CreateTicketRequest struct {
	Subject        string            `json:"subject"`
	Description    string            `json:"description,omitempty"`
	RequesterID    string            `json:"requester_id,omitempty"`
	ConversationID string            `json:"conversation_id,omitempty"`
	Priority       string            `json:"priority,omitempty"`
	Status         string            `json:"status,omitempty"`
	AssigneeID     string            `json:"assignee_id,omitempty"`
	Team           string            `json:"team,omitempty"`
	Tags           []string          `json:"tags,omitempty"`
	CustomFields   map[string]string `json:"custom_fields,omitempty"`
}

// UpdateTicketRequest changes a ticket: only the fields sent change. An
// empty assignee_id or team clears it; an empty custom field value removes
// the field; version, when sent, must be the ticket's current version.
type UpdateTicketRequest struct {
	Subject      *string           `json:"subject,omitempty"`
	Priority     *string           `json:"priority,omitempty"`
	Status       *string           `json:"status,omitempty"`
	AssigneeID   *string           `json:"assignee_id,omitempty"`
	Team         *string           `json:"team,omitempty"`
	Tags         *[]string         `json:"tags,omitempty"`
	CustomFields map[string]string `json:"custom_fields,omitempty"`
	Version      int64             `json:"version,omitempty"`
}

// CommentRequest adds a public reply or an internal note.
type CommentRequest struct {
	Body     string `json:"body"`
	Internal bool   `json:"internal,omitempty"`
}

// CommentResponse is the added comment and the ticket after it.
type CommentResponse struct {
	Comment CommentJSON `json:"comment"`
	Ticket  TicketJSON  `json:"ticket"`
}

// AuditJSON is one audit record.
type AuditJSON struct {
	ID        string    `json:"id"`
	Entity    string    `json:"entity"`
	EntityID  string    `json:"entity_id"`
	ActorID   string    `json:"actor_id,omitempty"`
	ActorRole string    `json:"actor_role,omitempty"`
	Field     string    `json:"field"`
	Old       string    `json:"old"`
	New       string    `json:"new"`
	At        time.Time `json:"at"`
}

// AuditResponse is a ticket's audit log, oldest first.
type AuditResponse struct {
	Records []AuditJSON `json:"records"`
}

// SLAPolicyJSON is the SLA targets of one priority, in seconds of business
// time; 0 means no timer.
type SLAPolicyJSON struct {
	Priority             string `json:"priority"`
	FirstResponseSeconds int64  `json:"first_response_seconds"`
	NextResponseSeconds  int64  `json:"next_response_seconds"`
	ResolutionSeconds    int64  `json:"resolution_seconds"`
}

// SLAPoliciesJSON is the SLA targets by priority. In a PUT, the
// priorities sent replace the tenant's; the others keep theirs.
type SLAPoliciesJSON struct {
	Policies []SLAPolicyJSON `json:"policies"`
}

// SpanJSON is an open period of a day, "09:00" to "18:00" ("24:00" is
// midnight at the end of the day).
type SpanJSON struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// HoursJSON is a team's business hours: open spans per weekday ("mon" …
// "sun"; a missing day is closed), in an IANA time zone, closed on the
// holidays ("2026-10-01"). No weekday at all means open 24/7.
type HoursJSON struct {
	Team     string                `json:"team"`
	TimeZone string                `json:"time_zone,omitempty"`
	Weekly   map[string][]SpanJSON `json:"weekly,omitempty"`
	Holidays []string              `json:"holidays,omitempty"`
	Always   bool                  `json:"always_open"` // set in responses: no schedule
}

var weekdays = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func toTicket(t *ticket.Ticket, timers []ticket.TimerView, customer bool) TicketJSON {
	j := TicketJSON{
		ID: t.ID, Number: t.Number, Subject: t.Subject, ConversationID: t.ConversationID,
		Priority: string(t.Priority), Status: string(t.Status), Version: t.Version,
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, SolvedAt: optTime(t.SolvedAt),
	}
	if customer {
		return j
	}
	j.RequesterID, j.Reason, j.AssigneeID, j.Team, j.Tags, j.CustomFields = t.RequesterID, t.Reason, t.AssigneeID, t.Team, t.Tags, t.CustomFields
	for _, v := range timers {
		j.SLA = append(j.SLA, SLATimerJSON{
			Metric: string(v.Metric), State: string(v.State), TargetSeconds: seconds(v.Target),
			ElapsedSeconds: seconds(v.Elapsed), RemainingSeconds: seconds(v.Remaining),
			DueAt: optTime(v.DueAt), Breached: v.Breached, MetAt: optTime(v.MetAt),
		})
	}
	return j
}

// seconds rounds d down to whole seconds (towards minus infinity, so one
// nanosecond late is -1, not 0).
func seconds(d time.Duration) int64 {
	s := int64(d / time.Second)
	if d < 0 && d%time.Second != 0 {
		s--
	}
	return s
}

func toComment(c *ticket.Comment) CommentJSON {
	return CommentJSON{ID: c.ID, AuthorID: c.AuthorID, AuthorRole: string(c.AuthorRole), Internal: c.Internal, Body: c.Body, CreatedAt: c.CreatedAt}
}

func toAudit(a *ticket.Audit) AuditJSON {
	return AuditJSON{ID: a.ID, Entity: a.Entity, EntityID: a.EntityID, ActorID: a.ActorID, ActorRole: string(a.ActorRole),
		Field: a.Field, Old: a.Old, New: a.New, At: a.At}
}

func (r CreateTicketRequest) ticketValue() ticket.NewTicket {
	return ticket.NewTicket{
		Subject: r.Subject, Description: r.Description, RequesterID: r.RequesterID, ConversationID: r.ConversationID,
		Priority: ticket.Priority(r.Priority), Status: ticket.Status(r.Status), AssigneeID: r.AssigneeID, Team: r.Team,
		Tags: r.Tags, CustomFields: r.CustomFields,
	}
}

func (r UpdateTicketRequest) ticketValue() ticket.Update {
	u := ticket.Update{Subject: r.Subject, AssigneeID: r.AssigneeID, Team: r.Team, Tags: r.Tags, CustomFields: r.CustomFields, Version: r.Version}
	if r.Priority != nil {
		p := ticket.Priority(*r.Priority)
		u.Priority = &p
	}
	if r.Status != nil {
		s := ticket.Status(*r.Status)
		u.Status = &s
	}
	return u
}

func toPolicies(p ticket.Policies) SLAPoliciesJSON {
	out := SLAPoliciesJSON{Policies: []SLAPolicyJSON{}}
	for _, pr := range ticket.Priorities {
		if t, ok := p[pr]; ok {
			out.Policies = append(out.Policies, SLAPolicyJSON{Priority: string(pr), FirstResponseSeconds: seconds(t.FirstResponse),
				NextResponseSeconds: seconds(t.NextResponse), ResolutionSeconds: seconds(t.Resolution)})
		}
	}
	return out
}

func (j SLAPoliciesJSON) ticketValue() (ticket.Policies, error) {
	if len(j.Policies) == 0 {
		return nil, assist.Errorf(assist.EINVALID, "policies is empty")
	}
	out := ticket.Policies{}
	for _, p := range j.Policies {
		pr := ticket.Priority(p.Priority)
		if !pr.Valid() {
			return nil, assist.Errorf(assist.EINVALID, "unknown priority %q (low, normal, high, urgent)", p.Priority)
		}
		if _, dup := out[pr]; dup {
			return nil, assist.Errorf(assist.EINVALID, "priority %s is given twice", pr)
		}
		max := int64(ticket.MaxTarget / time.Second)
		for _, s := range []int64{p.FirstResponseSeconds, p.NextResponseSeconds, p.ResolutionSeconds} {
			if s < 0 || s > max {
				return nil, assist.Errorf(assist.EINVALID, "%s: targets must be between 0 and %d seconds", pr, max)
			}
		}
		out[pr] = ticket.Targets{FirstResponse: time.Duration(p.FirstResponseSeconds) * time.Second,
			NextResponse: time.Duration(p.NextResponseSeconds) * time.Second, Resolution: time.Duration(p.ResolutionSeconds) * time.Second}
	}
	return out, nil
}

func clockMinutes(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// parseClock reads "HH:MM" (00:00 to 24:00) as minutes after midnight.
func parseClock(s string) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || len(h) != 2 || len(m) != 2 || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || hh == 24 && mm != 0 {
		return 0, assist.Errorf(assist.EINVALID, "%q is not a time of day like 09:30", s)
	}
	return hh*60 + mm, nil
}

func toHours(team string, h *ticket.Hours) HoursJSON {
	j := HoursJSON{Team: team, Always: h.AlwaysOpen()}
	if h == nil {
		return j
	}
	j.TimeZone, j.Holidays = h.TimeZone, h.Holidays
	for d, spans := range h.Weekly {
		for _, s := range spans {
			if j.Weekly == nil {
				j.Weekly = map[string][]SpanJSON{}
			}
			j.Weekly[weekdays[d]] = append(j.Weekly[weekdays[d]], SpanJSON{Start: clockMinutes(s.Start), End: clockMinutes(s.End)})
		}
	}
	return j
}

func (j HoursJSON) ticketValue() (*ticket.Hours, error) {
	h := &ticket.Hours{TimeZone: j.TimeZone, Holidays: j.Holidays}
	for day, spans := range j.Weekly {
		d := -1
		for i, name := range weekdays {
			if strings.EqualFold(day, name) {
				d = i
			}
		}
		if d < 0 {
			return nil, assist.Errorf(assist.EINVALID, "unknown weekday %q (mon, tue, wed, thu, fri, sat, sun)", day)
		}
		if len(spans) > 24 {
			return nil, assist.Errorf(assist.ETOOLARGE, "%s: at most 24 spans a day", day)
		}
		for _, s := range spans {
			start, err := parseClock(s.Start)
			if err != nil {
				return nil, err
			}
			end, err := parseClock(s.End)
			if err != nil {
				return nil, err
			}
			h.Weekly[d] = append(h.Weekly[d], ticket.Span{Start: start, End: end})
		}
	}
	return h, nil
}
