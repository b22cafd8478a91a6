package ticket

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/assistd/assist"
)

// Teams tells which teams an agent belongs to; routing implements it.
type Teams interface {
	// TeamsOf returns the teams of a staff member, or none. An unknown user
	// is not an error: it has no teams.
	TeamsOf(ctx context.Context, tenantID, userID string) ([]string, error)
}

// Service is the ticket core. Store is required; the other fields have
// defaults.
type Service struct {
	Store    Store
	Teams    Teams            // nil: agents belong to no team
	Notifier Notifier         // nil: SLA events are only logged
	Logger   *slog.Logger     // nil: discard
	Now      func() time.Time // nil: time.Now
	Defaults Policies         // targets of priorities a tenant has not set; nil: DefaultPolicies()
	Warning  Warning          // when timers warn; zero: no warnings
	NewID    func() string    // nil: UUIDv7

	calMu sync.Mutex
	cals  map[string]*Calendar // tenant + "\x00" + team → calendar; cached

	sched scheduler
}

// DefaultTeam is the team name of the business hours used by tickets
// without a team, or whose team has no hours of its own.
const DefaultTeam = "default"

func (s *Service) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) newID() string {
	if s.NewID != nil {
		return s.NewID()
	}
	return uuid.Must(uuid.NewV7()).String()
}

// NewTicket is what an agent fills in to open a ticket.
type NewTicket struct {
	Subject        string
	Description    string // stored as the first internal note; optional
	RequesterID    string
	ConversationID string
	Priority       Priority // "" is normal
	Status         Status   // "" is new; new, open, pending or on_hold
	AssigneeID     string
	Team           string
	Tags           []string
	CustomFields   map[string]string
}

// Update changes a ticket; nil fields stay as they are.
type Update struct {
	Subject      *string
	Priority     *Priority
	Status       *Status
	AssigneeID   *string // "" unassigns
	Team         *string // "" clears
	Tags         *[]string
	CustomFields map[string]string // sets each key; an empty value removes it
	Version      int64             // non-zero: the update applies only to this version (else ECONFLICT)
}

func staff(p assist.Principal) error {
	if !p.Role.Staff() || p.TenantID == "" {
		return assist.Errorf(assist.EFORBIDDEN, "only staff may do this")
	}
	return nil
}

func supervisor(p assist.Principal) bool {
	return p.Role == assist.RoleSupervisor || p.Role == assist.RoleAdmin
}

// visibility returns what an agent may see, or nil for supervisors and
// admins, who see the whole tenant.
func (s *Service) visibility(ctx context.Context, p assist.Principal) (*Visibility, error) {
	if supervisor(p) {
		return nil, nil
	}
	v := &Visibility{UserID: p.UserID}
	if s.Teams != nil {
		teams, err := s.Teams.TeamsOf(ctx, p.TenantID, p.UserID)
		if err != nil {
			return nil, fmt.Errorf("teams of %s: %w", p.UserID, err)
		}
		v.Teams = teams
	}
	return v, nil
}

func (v *Visibility) sees(t *Ticket) bool {
	return v == nil || t.AssigneeID == "" || t.AssigneeID == v.UserID || (t.Team != "" && slices.Contains(v.Teams, t.Team))
}

func notFound() error { return assist.Errorf(assist.ENOTFOUND, "ticket not found") }

// canSee returns ENOTFOUND unless p may read t.
func (s *Service) canSee(ctx context.Context, p assist.Principal, t *Ticket) error {
	if p.TenantID == "" || t.TenantID != p.TenantID {
		return notFound()
	}
	if p.Role == assist.RoleCustomer {
		if p.ConversationID == "" || t.ConversationID != p.ConversationID {
			return notFound()
		}
		return nil
	}
	if !p.Role.Staff() {
		return notFound()
	}
	v, err := s.visibility(ctx, p)
	if err != nil {
		return err
	}
	if !v.sees(t) {
		return notFound()
	}
	return nil
}

// clock returns the SLA clock of a ticket of the tenant and team, with the
// targets of the priority.
func (s *Service) clock(ctx context.Context, tenantID, team string, pr Priority, now time.Time) (slaClock, error) {
	cal, err := s.Calendar(ctx, tenantID, team)
	if err != nil {
		return slaClock{}, err
	}
	pol, err := s.Policies(ctx, tenantID)
	if err != nil {
		return slaClock{}, err
	}
	return slaClock{now: now, cal: cal, warn: s.Warning, policy: pol[pr]}, nil
}

// Calendar returns the business-hours calendar of a team: its own hours,
// else the tenant's DefaultTeam hours, else 24/7.
func (s *Service) Calendar(ctx context.Context, tenantID, team string) (*Calendar, error) {
	if team == "" {
		team = DefaultTeam
	}
	key := tenantID + "\x00" + team
	s.calMu.Lock()
	cal, ok := s.cals[key]
	s.calMu.Unlock()
	if ok {
		return cal, nil
	}
	h, err := s.Store.Hours(ctx, tenantID, team)
	if err != nil {
		return nil, fmt.Errorf("business hours of %s: %w", team, err)
	}
	if h == nil && team != DefaultTeam {
		return s.Calendar(ctx, tenantID, DefaultTeam)
	}
	cal, err = NewCalendar(h)
	if err != nil {
		return nil, fmt.Errorf("business hours of %s: %w", team, err)
	}
	s.calMu.Lock()
	if s.cals == nil {
		s.cals = map[string]*Calendar{}
	}
	s.cals[key] = cal
	s.calMu.Unlock()
	return cal, nil
}

// Policies returns the tenant's SLA targets: its own, and the defaults for
// the priorities it has not set.
func (s *Service) Policies(ctx context.Context, tenantID string) (Policies, error) {
	stored, err := s.Store.Policies(ctx, tenantID)
	if err != nil {
		return nil, fmt.Errorf("sla policies: %w", err)
	}
	out := Policies{}
	def := s.Defaults
	if def == nil {
		def = DefaultPolicies()
	}
	maps.Copy(out, def)
	maps.Copy(out, stored)
	return out, nil
}

// SetPolicies replaces the tenant's SLA targets for the priorities given.
// They apply to timers started or retargeted afterwards. Supervisors and
// admins only.
func (s *Service) SetPolicies(ctx context.Context, p assist.Principal, pol Policies) (Policies, error) {
	if !supervisor(p) {
		return nil, assist.Errorf(assist.EFORBIDDEN, "only supervisors and admins may change SLA policies")
	}
	if err := pol.Check(); err != nil {
		return nil, err
	}
	stored, err := s.Store.Policies(ctx, p.TenantID)
	if err != nil {
		return nil, fmt.Errorf("sla policies: %w", err)
	}
	if stored == nil {
		stored = Policies{}
	}
	maps.Copy(stored, pol)
	if err := s.Store.SetPolicies(ctx, p.TenantID, stored); err != nil {
		return nil, fmt.Errorf("set sla policies: %w", err)
	}
	s.auditSettings(ctx, p, "sla_policies", "policies", fmt.Sprint(len(pol))+" priorities")
	return s.Policies(ctx, p.TenantID)
}

// Hours returns a team's own business hours, nil when it has none.
func (s *Service) Hours(ctx context.Context, p assist.Principal, team string) (*Hours, error) {
	if err := staff(p); err != nil {
		return nil, err
	}
	if err := checkTeam(team); err != nil {
		return nil, err
	}
	return s.Store.Hours(ctx, p.TenantID, team)
}

// SetHours replaces a team's business hours (nil or empty: 24/7, or the
// tenant's DefaultTeam hours). Supervisors and admins only. Running timers
// keep their due times until their ticket next changes.
func (s *Service) SetHours(ctx context.Context, p assist.Principal, team string, h *Hours) error {
	if !supervisor(p) {
		return assist.Errorf(assist.EFORBIDDEN, "only supervisors and admins may change business hours")
	}
	if err := checkTeam(team); err != nil {
		return err
	}
	if h != nil {
		if err := h.Normalize(); err != nil {
			return err
		}
		if h.AlwaysOpen() {
			h = nil
		}
	}
	if err := s.Store.SetHours(ctx, p.TenantID, team, h); err != nil {
		return fmt.Errorf("set hours of %s: %w", team, err)
	}
	s.calMu.Lock()
	for k := range s.cals {
		if strings.HasPrefix(k, p.TenantID+"\x00") {
			delete(s.cals, k)
		}
	}
	s.calMu.Unlock()
	s.auditSettings(ctx, p, "team_hours", team, "updated")
	return nil
}

func (s *Service) auditSettings(ctx context.Context, p assist.Principal, entity, id, what string) {
	err := s.Store.AppendAudit(ctx, &Audit{ID: s.newID(), TenantID: p.TenantID, Entity: entity, EntityID: id,
		ActorID: p.UserID, ActorRole: p.Role, Field: entity, New: what, At: s.now()})
	if err != nil {
		s.logger().ErrorContext(ctx, "audit of a settings change failed", "entity", entity, "err", err)
	}
}

// audit is a helper building the records of one ticket change.
type audit struct {
	s     *Service
	t     *Ticket
	p     assist.Principal
	now   time.Time
	items []*Audit
}

func (a *audit) add(field, old, new string) {
	if old == new {
		return
	}
	a.items = append(a.items, &Audit{ID: a.s.newID(), TenantID: a.t.TenantID, Entity: EntityTicket, EntityID: a.t.ID,
		ActorID: a.p.UserID, ActorRole: a.p.Role, Field: field, Old: old, New: new, At: a.now})
}

func checkNew(in *NewTicket) error {
	if strings.TrimSpace(in.Subject) == "" {
		return assist.Errorf(assist.EINVALID, "subject is required")
	}
	if err := checkText("subject", in.Subject, MaxSubjectRunes); err != nil {
		return err
	}
	if err := checkText("description", in.Description, MaxCommentRunes); err != nil {
		return err
	}
	for what, v := range map[string]string{"requester_id": in.RequesterID, "conversation_id": in.ConversationID, "assignee_id": in.AssigneeID} {
		if err := checkRef(what, v); err != nil {
			return err
		}
	}
	if in.Team != "" {
		if err := checkTeam(in.Team); err != nil {
			return err
		}
	}
	if in.Priority == "" {
		in.Priority = PriorityNormal
	}
	if !in.Priority.Valid() {
		return assist.Errorf(assist.EINVALID, "unknown priority %q (low, normal, high, urgent)", in.Priority)
	}
	if in.Status == "" {
		in.Status = StatusNew
	}
	if !in.Status.Valid() {
		return assist.Errorf(assist.EINVALID, "unknown status %q", in.Status)
	}
	if !in.Status.Active() {
		return assist.Errorf(assist.EINVALID, "a new ticket cannot be %s", in.Status)
	}
	return nil
}

func checkFields(fields map[string]string) error {
	if len(fields) > MaxCustomFields {
		return assist.Errorf(assist.ETOOLARGE, "at most %d custom fields", MaxCustomFields)
	}
	for k, v := range fields {
		if err := checkFieldKey(k); err != nil {
			return err
		}
		if err := checkText("custom field "+k, v, MaxFieldValueRunes); err != nil {
			return err
		}
	}
	return nil
}

// Create opens a ticket on behalf of a staff member.
func (s *Service) Create(ctx context.Context, p assist.Principal, in NewTicket) (*Ticket, error) {
	if err := staff(p); err != nil {
		return nil, err
	}
	if err := checkNew(&in); err != nil {
		return nil, err
	}
	tags, err := normalizeTags(in.Tags)
	if err != nil {
		return nil, err
	}
	if err := checkFields(in.CustomFields); err != nil {
		return nil, err
	}
	var fields map[string]string
	for k, v := range in.CustomFields {
		if v != "" {
			if fields == nil {
				fields = map[string]string{}
			}
			fields[k] = v
		}
	}
	if in.AssigneeID != "" && in.AssigneeID != p.UserID && !supervisor(p) {
		return nil, assist.Errorf(assist.EFORBIDDEN, "only supervisors may assign tickets to someone else")
	}
	now := s.now()
	t := &Ticket{
		ID: s.newID(), TenantID: p.TenantID, Subject: strings.TrimSpace(in.Subject), RequesterID: in.RequesterID,
		ConversationID: in.ConversationID, Priority: in.Priority, Status: in.Status, AssigneeID: in.AssigneeID,
		Team: in.Team, Tags: tags, CustomFields: fields, Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	var ch Change
	if strings.TrimSpace(in.Description) != "" {
		ch.Comments = append(ch.Comments, &Comment{ID: s.newID(), TenantID: t.TenantID, TicketID: t.ID, AuthorID: p.UserID,
			AuthorRole: p.Role, Internal: true, Body: in.Description, CreatedAt: now})
	}
	return s.create(ctx, p, t, ch, "created by staff")
}

func (s *Service) create(ctx context.Context, p assist.Principal, t *Ticket, ch Change, how string) (*Ticket, error) {
	c, err := s.clock(ctx, t.TenantID, t.Team, t.Priority, t.CreatedAt)
	if err != nil {
		return nil, err
	}
	c.startTimers(t)
	a := &audit{s: s, t: t, p: p, now: t.CreatedAt}
	a.add("ticket", "", how)
	ch.Audit = append(ch.Audit, a.items...)
	stored, created, err := s.Store.CreateTicket(ctx, t, ch)
	if err != nil {
		return nil, fmt.Errorf("create ticket: %w", err)
	}
	if created {
		s.logger().InfoContext(ctx, "ticket created", "tenant_id", t.TenantID, "ticket_id", stored.ID,
			"number", stored.Number, "priority", string(stored.Priority), "conversation_id", stored.ConversationID)
	}
	s.schedule(stored)
	return stored, nil
}

// OpenFromEscalation opens the ticket of a conversation the bot handed to
// a person: subject and priority from the reason, and a plain-text
// summary of the bot part as its first internal note. It is idempotent per
// conversation and escalation (see EscalationKey): a retry returns the
// ticket opened the first time.
func (s *Service) OpenFromEscalation(ctx context.Context, conv assist.Conversation, reason string, botPart []*assist.Message) (*Ticket, error) {
	return s.OpenFromHandoff(ctx, conv, assist.Handoff{Reason: reason}, botPart)
}

// OpenFromHandoff is OpenFromEscalation with the whole hand-off: its
// reason, and the escalation's evidence, sentiment trend and VIP flag,
// which the summary note lists for the agent (see HandoffDetails). A VIP
// hand-off is urgent whatever its reason.
func (s *Service) OpenFromHandoff(ctx context.Context, conv assist.Conversation, h assist.Handoff, botPart []*assist.Message) (*Ticket, error) {
	return s.openFromHandoff(ctx, conv, h, botPart, "")
}

// openFromHandoff is OpenFromHandoff with the note written elsewhere (the
// structured hand-off summary); "" writes the transcript summary.
func (s *Service) openFromHandoff(ctx context.Context, conv assist.Conversation, h assist.Handoff, botPart []*assist.Message, note string) (*Ticket, error) {
	reason := h.Reason
	if conv.ID == "" || conv.TenantID == "" {
		return nil, assist.Errorf(assist.EINVALID, "the conversation needs an id and a tenant")
	}
	if err := checkRef("reason", reason); err != nil {
		return nil, err
	}
	now := s.now()
	t := &Ticket{
		ID: s.newID(), TenantID: conv.TenantID, Subject: EscalationSubject(&conv, reason, botPart),
		RequesterID: oneLine(conv.CustomerRef, MaxRefLen), ConversationID: conv.ID,
		EscalationKey: EscalationKey(&conv, reason, botPart), Reason: reason,
		Priority: PriorityFor(reason), Status: StatusNew, Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	if reason != "" {
		t.Tags = []string{"escalation"}
		if tag, err := normalizeTags([]string{"reason:" + reason}); err == nil {
			t.Tags = append(t.Tags, tag...)
			slices.Sort(t.Tags)
		}
	}
	if h.VIP {
		t.Priority = PriorityUrgent
	}
	summary := note
	if summary == "" {
		summary = EscalationSummary(&conv, reason, botPart)
		if details := HandoffDetails(h); details != "" {
			summary = strings.Replace(summary, "\n", "\n"+details, 1)
		}
	} else {
		summary += "\n\n" + transcriptLine(&conv, botPart)
	}
	if rs := []rune(summary); len(rs) > MaxCommentRunes {
		summary = string(rs[:MaxCommentRunes-1]) + "…"
	}
	ch := Change{Comments: []*Comment{{ID: s.newID(), TenantID: t.TenantID, TicketID: t.ID, Internal: true, Body: summary, CreatedAt: now}}}
	return s.create(ctx, assist.Principal{TenantID: conv.TenantID}, t, ch, "created from escalation")
}

// Get returns a ticket p may see; anything else is ENOTFOUND.
func (s *Service) Get(ctx context.Context, p assist.Principal, id string) (*Ticket, error) {
	if id == "" || len(id) > MaxRefLen {
		return nil, notFound()
	}
	t, err := s.Store.Ticket(ctx, p.TenantID, id)
	if err != nil {
		return nil, err
	}
	if err := s.canSee(ctx, p, t); err != nil {
		return nil, err
	}
	return t, nil
}

// Comments returns a ticket's comments, without internal notes for
// customers.
func (s *Service) Comments(ctx context.Context, p assist.Principal, id string) ([]*Comment, error) {
	if _, err := s.Get(ctx, p, id); err != nil {
		return nil, err
	}
	return s.Store.Comments(ctx, p.TenantID, id, p.Role.Staff())
}

// AuditLog returns a ticket's audit records; staff only.
func (s *Service) AuditLog(ctx context.Context, p assist.Principal, id string) ([]*Audit, error) {
	if err := staff(p); err != nil {
		return nil, err
	}
	if _, err := s.Get(ctx, p, id); err != nil {
		return nil, err
	}
	return s.Store.AuditLog(ctx, p.TenantID, EntityTicket, id)
}

// List returns the tickets p may see that match f: agents their own,
// their teams' and unassigned tickets; supervisors and admins the whole
// tenant; customers the tickets of their conversation.
func (s *Service) List(ctx context.Context, p assist.Principal, f Filter) ([]*Ticket, error) {
	if p.TenantID == "" {
		return nil, assist.Errorf(assist.EFORBIDDEN, "no tenant")
	}
	for _, st := range f.Status {
		if !st.Valid() {
			return nil, assist.Errorf(assist.EINVALID, "unknown status %q", st)
		}
	}
	for _, pr := range f.Priority {
		if !pr.Valid() {
			return nil, assist.Errorf(assist.EINVALID, "unknown priority %q", pr)
		}
	}
	if f.Limit < 0 || f.Limit > MaxPageSize {
		return nil, assist.Errorf(assist.EINVALID, "limit must be between 1 and %d", MaxPageSize)
	}
	switch {
	case p.Role == assist.RoleCustomer:
		if p.ConversationID == "" {
			return nil, assist.Errorf(assist.EFORBIDDEN, "no conversation")
		}
		f.ConversationID = p.ConversationID
	case p.Role.Staff():
		v, err := s.visibility(ctx, p)
		if err != nil {
			return nil, err
		}
		f.Visible = v
	default:
		return nil, assist.Errorf(assist.EFORBIDDEN, "not allowed")
	}
	return s.Store.ListTickets(ctx, p.TenantID, f)
}

// errUnchanged aborts an UpdateTicket that has nothing to write.
var errUnchanged = errors.New("unchanged")

// Update applies u to a ticket p may see. A status the transition table
// does not allow, or a closed ticket, is ECONFLICT; a stale u.Version is
// ECONFLICT; agents may assign only to themselves or unassign.
func (s *Service) Update(ctx context.Context, p assist.Principal, id string, u Update) (*Ticket, error) {
	if err := staff(p); err != nil {
		return nil, err
	}
	if u.Subject != nil {
		if strings.TrimSpace(*u.Subject) == "" {
			return nil, assist.Errorf(assist.EINVALID, "subject cannot be empty")
		}
		if err := checkText("subject", *u.Subject, MaxSubjectRunes); err != nil {
			return nil, err
		}
	}
	if u.Priority != nil && !u.Priority.Valid() {
		return nil, assist.Errorf(assist.EINVALID, "unknown priority %q (low, normal, high, urgent)", *u.Priority)
	}
	if u.Status != nil && !u.Status.Valid() {
		return nil, assist.Errorf(assist.EINVALID, "unknown status %q", *u.Status)
	}
	if u.AssigneeID != nil {
		if err := checkRef("assignee_id", *u.AssigneeID); err != nil {
			return nil, err
		}
		if *u.AssigneeID != "" && *u.AssigneeID != p.UserID && !supervisor(p) {
			return nil, assist.Errorf(assist.EFORBIDDEN, "only supervisors may assign tickets to someone else")
		}
	}
	if u.Team != nil && *u.Team != "" {
		if err := checkTeam(*u.Team); err != nil {
			return nil, err
		}
	}
	var tags []string
	if u.Tags != nil {
		var err error
		if tags, err = normalizeTags(*u.Tags); err != nil {
			return nil, err
		}
	}
	if err := checkFields(u.CustomFields); err != nil {
		return nil, err
	}
	for range maxAttempts {
		t, err := s.update(ctx, p, id, u, tags)
		if errors.Is(err, errStale) {
			continue
		}
		return t, err
	}
	return nil, assist.Errorf(assist.EUNAVAILABLE, "the ticket is changing too fast; retry")
}

// errStale aborts a write whose ticket changed team or priority since the
// clocks were read; the caller reads again and retries.
var errStale = errors.New("stale clocks")

// maxAttempts bounds the retries after errStale.
const maxAttempts = 5

func (s *Service) update(ctx context.Context, p assist.Principal, id string, u Update, tags []string) (*Ticket, error) {
	cur, err := s.Get(ctx, p, id)
	if err != nil {
		return nil, err
	}
	// The clocks of the ticket's current and next team and priority; read
	// before the write, since fn must only compute.
	now := s.now()
	oldClock, err := s.clock(ctx, cur.TenantID, cur.Team, cur.Priority, now)
	if err != nil {
		return nil, err
	}
	team, pr := cur.Team, cur.Priority
	if u.Team != nil {
		team = *u.Team
	}
	if u.Priority != nil {
		pr = *u.Priority
	}
	newClock, err := s.clock(ctx, cur.TenantID, team, pr, now)
	if err != nil {
		return nil, err
	}
	vis, err := s.visibility(ctx, p)
	if err != nil {
		return nil, err
	}
	t, err := s.Store.UpdateTicket(ctx, p.TenantID, id, func(t *Ticket) (Change, error) {
		if !vis.sees(t) {
			return Change{}, notFound()
		}
		if t.Team != cur.Team || t.Priority != cur.Priority {
			return Change{}, errStale
		}
		if u.Version != 0 && u.Version != t.Version {
			return Change{}, assist.Errorf(assist.ECONFLICT, "the ticket changed since version %d (now %d); reload it", u.Version, t.Version)
		}
		if t.Status == StatusClosed {
			return Change{}, assist.Errorf(assist.ECONFLICT, "the ticket is closed")
		}
		a := &audit{s: s, t: t, p: p, now: now}
		if u.Subject != nil {
			sub := strings.TrimSpace(*u.Subject)
			a.add("subject", t.Subject, sub)
			t.Subject = sub
		}
		if u.AssigneeID != nil {
			a.add("assignee_id", t.AssigneeID, *u.AssigneeID)
			t.AssigneeID = *u.AssigneeID
		}
		if u.Tags != nil {
			a.add("tags", joinTags(t.Tags), joinTags(tags))
			t.Tags = tags
		}
		for _, k := range slices.Sorted(maps.Keys(u.CustomFields)) {
			v := u.CustomFields[k]
			a.add("custom_fields."+k, t.CustomFields[k], v)
			if v == "" {
				delete(t.CustomFields, k)
				continue
			}
			if t.CustomFields == nil {
				t.CustomFields = map[string]string{}
			}
			t.CustomFields[k] = v
		}
		if len(t.CustomFields) == 0 {
			t.CustomFields = nil
		}
		if len(t.CustomFields) > MaxCustomFields {
			return Change{}, assist.Errorf(assist.ETOOLARGE, "at most %d custom fields", MaxCustomFields)
		}
		if team != t.Team || pr != t.Priority {
			// Count the time so far on the old calendar, then move on.
			for _, m := range Metrics {
				t.SLA.Timer(m).fold(now, oldClock.cal)
			}
			a.add("team", t.Team, team)
			a.add("priority", string(t.Priority), string(pr))
			t.Team, t.Priority = team, pr
			newClock.retarget(t)
		}
		if u.Status != nil && *u.Status != t.Status {
			if !CanTransition(t.Status, *u.Status) {
				return Change{}, errTransition(t.Status, *u.Status)
			}
			s.setStatus(a, newClock, t, *u.Status)
		}
		if len(a.items) == 0 {
			return Change{}, errUnchanged
		}
		t.UpdatedAt = now
		return Change{Audit: a.items}, nil
	})
	if errors.Is(err, errUnchanged) {
		return s.Get(ctx, p, id)
	}
	if err != nil {
		return nil, err
	}
	s.schedule(t)
	return t, nil
}

// setStatus moves t to status to, with its timers and audit records.
func (s *Service) setStatus(a *audit, c slaClock, t *Ticket, to Status) {
	from := t.Status
	a.add("status", string(from), string(to))
	t.Status = to
	switch {
	case to == StatusSolved:
		t.SolvedAt = c.now
	case from == StatusSolved && to != StatusClosed:
		t.SolvedAt = time.Time{}
	}
	before := t.SLA
	c.statusChanged(t, from, to)
	auditTimers(a, &before, &t.SLA)
}

// auditTimers records the timers whose state changed.
func auditTimers(a *audit, before, after *SLA) {
	for _, m := range Metrics {
		b, n := before.Timer(m), after.Timer(m)
		if b.State != n.State {
			a.add("sla."+string(m), timerLabel(b), timerLabel(n))
		}
	}
}

func timerLabel(t *Timer) string {
	if t.State == TimerOff {
		return "off"
	}
	return string(t.State)
}

// Reply adds a public reply or an internal note by a staff member. The
// first public reply meets the first response target, later ones the next
// response; a public reply on a new ticket opens it. A closed ticket is
// ECONFLICT.
func (s *Service) Reply(ctx context.Context, p assist.Principal, id, body string, internal bool) (*Comment, *Ticket, error) {
	if err := staff(p); err != nil {
		return nil, nil, err
	}
	if strings.TrimSpace(body) == "" {
		return nil, nil, assist.Errorf(assist.EINVALID, "the comment is empty")
	}
	if err := checkText("comment", body, MaxCommentRunes); err != nil {
		return nil, nil, err
	}
	for range maxAttempts {
		com, t, err := s.reply(ctx, p, id, body, internal)
		if errors.Is(err, errStale) {
			continue
		}
		return com, t, err
	}
	return nil, nil, assist.Errorf(assist.EUNAVAILABLE, "the ticket is changing too fast; retry")
}

func (s *Service) reply(ctx context.Context, p assist.Principal, id, body string, internal bool) (*Comment, *Ticket, error) {
	cur, err := s.Get(ctx, p, id)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	c, err := s.clock(ctx, cur.TenantID, cur.Team, cur.Priority, now)
	if err != nil {
		return nil, nil, err
	}
	vis, err := s.visibility(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	com := &Comment{ID: s.newID(), TenantID: p.TenantID, TicketID: id, AuthorID: p.UserID, AuthorRole: p.Role,
		Internal: internal, Body: body, CreatedAt: now}
	t, err := s.Store.UpdateTicket(ctx, p.TenantID, id, func(t *Ticket) (Change, error) {
		if !vis.sees(t) {
			return Change{}, notFound()
		}
		if t.Team != cur.Team || t.Priority != cur.Priority {
			return Change{}, errStale
		}
		if t.Status == StatusClosed {
			return Change{}, assist.Errorf(assist.ECONFLICT, "the ticket is closed")
		}
		a := &audit{s: s, t: t, p: p, now: now}
		kind := "public"
		if internal {
			kind = "internal"
		}
		a.add("comment", "", kind+" "+com.ID)
		if !internal {
			before := t.SLA
			c.agentReplied(t)
			auditTimers(a, &before, &t.SLA)
			if t.Status == StatusNew {
				s.setStatus(a, c, t, StatusOpen)
			}
		}
		t.UpdatedAt = now
		return Change{Comments: []*Comment{com}, Audit: a.items}, nil
	})
	if err != nil {
		return nil, nil, err
	}
	s.schedule(t)
	return com, t, nil
}

// CustomerReplied tells the tickets of a conversation that its customer
// wrote again: each active ticket waiting for nothing starts its next
// response timer, and a pending or solved ticket reopens. The conversation
// service calls it for customer messages of escalated conversations. It
// returns the tickets changed.
func (s *Service) CustomerReplied(ctx context.Context, tenantID, conversationID string) ([]*Ticket, error) {
	p := assist.Principal{TenantID: tenantID, Role: assist.RoleCustomer, ConversationID: conversationID}
	return s.follow(ctx, p, conversationID, []Status{StatusNew, StatusOpen, StatusPending, StatusOnHold, StatusSolved},
		func(a *audit, c slaClock, t *Ticket) {
			if t.Status == StatusPending || t.Status == StatusSolved {
				s.setStatus(a, c, t, StatusOpen)
			}
			if t.Status.Active() {
				before := t.SLA
				c.customerReplied(t)
				auditTimers(a, &before, &t.SLA)
			}
		})
}

// SLAView returns the state of a ticket's timers now.
func (s *Service) SLAView(ctx context.Context, t *Ticket) ([]TimerView, error) {
	cal, err := s.Calendar(ctx, t.TenantID, t.Team)
	if err != nil {
		return nil, err
	}
	return t.SLA.View(s.now(), cal), nil
}

// NumberString is how a ticket number reads: "#42".
func NumberString(n int64) string { return "#" + strconv.FormatInt(n, 10) }
