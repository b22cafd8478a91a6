package analytics

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/assistd/assist"
)

// Conversation is what the numbers need of one conversation started in
// the period.
type Conversation struct {
	ID               string
	CreatedAt        time.Time
	CustomerMessages int      // messages the customer wrote
	Intents          []string // the intents the bot recognised (its recent ones)
}

// Handoff is one escalation from the bot to people: the ticket it opened.
type Handoff struct {
	ConversationID string
	Reason         string
	At             time.Time
	FirstAgentAt   time.Time // the first agent message after At; zero: none yet
	ClosedAt       time.Time // the conversation's close after At; zero: not closed
}

// Rating is a customer's satisfaction rating of a conversation.
type Rating struct {
	TenantID       string
	ConversationID string
	Score          int // 1..5
	Comment        string
	At             time.Time
}

// Store reads the records the numbers come from and keeps ratings.
type Store interface {
	// Conversations returns the conversations created in [from, to).
	Conversations(ctx context.Context, tenantID string, from, to time.Time) ([]Conversation, error)
	// Handoffs returns the hand-offs made in [from, to).
	Handoffs(ctx context.Context, tenantID string, from, to time.Time) ([]Handoff, error)
	// Ratings returns the ratings given in [from, to).
	Ratings(ctx context.Context, tenantID string, from, to time.Time) ([]Rating, error)
	// HourlyVolume returns the conversations created per hour in
	// [from, to), keyed by the hour's start (UTC); hours without any are
	// absent.
	HourlyVolume(ctx context.Context, tenantID string, from, to time.Time) (map[time.Time]int, error)
	// AddRating stores a rating. A second rating of the same conversation
	// is ECONFLICT.
	AddRating(ctx context.Context, r Rating) error
}

// Limits on a period and a rating.
const (
	MaxPeriod         = 366 * 24 * time.Hour
	MaxCommentRunes   = 1000
	TopIntents        = 10
	satisfiedMinScore = 4
)

// Count is a key with how often it occurred.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// Durations summarises a set of durations in seconds.
type Durations struct {
	Count         int     `json:"count"`
	MedianSeconds float64 `json:"median_seconds"`
	P90Seconds    float64 `json:"p90_seconds"`
}

// CSAT summarises the ratings.
type CSAT struct {
	Count     int     `json:"count"`
	Average   float64 `json:"average"`   // 0 without ratings
	Satisfied float64 `json:"satisfied"` // share of 4 and 5
	Scores    [5]int  `json:"scores"`    // how many 1, 2, 3, 4, 5
}

// Day is one day's conversations and hand-offs.
type Day struct {
	Date          string `json:"date"` // YYYY-MM-DD, UTC
	Conversations int    `json:"conversations"`
	Handoffs      int    `json:"handoffs"`
}

// Report is the service's numbers over [From, To).
type Report struct {
	From          time.Time `json:"from"`
	To            time.Time `json:"to"`
	Conversations int       `json:"conversations"` // started, with at least one customer message
	Deflected     int       `json:"deflected"`     // of those, never handed to a person
	Deflection    float64   `json:"deflection"`    // Deflected / Conversations; 0 without conversations
	Handoffs      int       `json:"handoffs"`
	ByReason      []Count   `json:"handoffs_by_reason"`
	FirstResponse Durations `json:"first_response"` // hand-off to the first agent message
	Handling      Durations `json:"handling"`       // first agent message to close
	CSAT          CSAT      `json:"csat"`
	TopIntents    []Count   `json:"top_intents"`
	Daily         []Day     `json:"daily"`
	Forecast      Forecast  `json:"forecast"`
}

// Service computes reports and records ratings.
type Service struct {
	Store Store
	Now   func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Report computes the numbers of [from, to) for a tenant; the forecast is
// for the 24 hours after now, whatever the period.
func (s *Service) Report(ctx context.Context, tenantID string, from, to time.Time) (*Report, error) {
	from, to = from.UTC(), to.UTC()
	if !to.After(from) {
		return nil, assist.Errorf(assist.EINVALID, "the period's end must be after its start")
	}
	if to.Sub(from) > MaxPeriod {
		return nil, assist.Errorf(assist.EINVALID, "the period may be at most 366 days")
	}
	convs, err := s.Store.Conversations(ctx, tenantID, from, to)
	if err != nil {
		return nil, fmt.Errorf("analytics conversations: %w", err)
	}
	hos, err := s.Store.Handoffs(ctx, tenantID, from, to)
	if err != nil {
		return nil, fmt.Errorf("analytics hand-offs: %w", err)
	}
	rs, err := s.Store.Ratings(ctx, tenantID, from, to)
	if err != nil {
		return nil, fmt.Errorf("analytics ratings: %w", err)
	}
	r := &Report{From: from, To: to, ByReason: []Count{}, TopIntents: []Count{}, Daily: []Day{}}
	days := map[string]*Day{}
	day := func(t time.Time) *Day {
		k := t.UTC().Format(time.DateOnly)
		if days[k] == nil {
			days[k] = &Day{Date: k}
		}
		return days[k]
	}
	handed := map[string]bool{}
	reasons := map[string]int{}
	var first, handling []time.Duration
	for _, h := range hos {
		handed[h.ConversationID] = true
		reasons[h.Reason]++
		day(h.At).Handoffs++
		if !h.FirstAgentAt.IsZero() && !h.FirstAgentAt.Before(h.At) {
			first = append(first, h.FirstAgentAt.Sub(h.At))
			if !h.ClosedAt.IsZero() && !h.ClosedAt.Before(h.FirstAgentAt) {
				handling = append(handling, h.ClosedAt.Sub(h.FirstAgentAt))
			}
		}
	}
	r.Handoffs = len(hos)
	intents := map[string]int{}
	for _, c := range convs {
		if c.CustomerMessages == 0 {
			continue
		}
		r.Conversations++
		day(c.CreatedAt).Conversations++
		if !handed[c.ID] {
			r.Deflected++
		}
		for _, in := range c.Intents {
			if in != "" {
				intents[in]++
			}
		}
	}
	if r.Conversations > 0 {
		r.Deflection = float64(r.Deflected) / float64(r.Conversations)
	}
	r.ByReason = top(reasons, 0)
	r.TopIntents = top(intents, TopIntents)
	r.FirstResponse = summarise(first)
	r.Handling = summarise(handling)
	sum := 0
	for _, x := range rs {
		if x.Score < 1 || x.Score > 5 {
			continue
		}
		r.CSAT.Count++
		r.CSAT.Scores[x.Score-1]++
		sum += x.Score
		if x.Score >= satisfiedMinScore {
			r.CSAT.Satisfied++
		}
	}
	if r.CSAT.Count > 0 {
		r.CSAT.Average = float64(sum) / float64(r.CSAT.Count)
		r.CSAT.Satisfied /= float64(r.CSAT.Count)
	}
	for d := from.Truncate(24 * time.Hour); d.Before(to); d = d.Add(24 * time.Hour) {
		r.Daily = append(r.Daily, *day(d))
	}
	now := s.now()
	start := now.Truncate(time.Hour).Add(-(HistoryWeeks*7*24 + 7*24) * time.Hour)
	vol, err := s.Store.HourlyVolume(ctx, tenantID, start, now.Truncate(time.Hour).Add(time.Hour))
	if err != nil {
		return nil, fmt.Errorf("analytics volume: %w", err)
	}
	r.Forecast = NewForecast(vol, now)
	return r, nil
}

// top returns the counts, most frequent first (ties by key), at most n
// (0: all).
func top(m map[string]int, n int) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{Key: k, Count: v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// summarise returns the count, median and 90th percentile (nearest rank).
func summarise(ds []time.Duration) Durations {
	if len(ds) == 0 {
		return Durations{}
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	rank := func(p float64) time.Duration {
		i := int(p*float64(len(ds))+0.999999) - 1
		return ds[max(0, min(i, len(ds)-1))]
	}
	return Durations{Count: len(ds), MedianSeconds: rank(0.5).Seconds(), P90Seconds: rank(0.9).Seconds()}
}

// Rate records the conversation's customer's satisfaction with it: a score
// from 1 to 5 and an optional comment, once per conversation.
func (s *Service) Rate(ctx context.Context, tenantID, conversationID string, score int, comment string) (*Rating, error) {
	if score < 1 || score > 5 {
		return nil, assist.Errorf(assist.EINVALID, "score must be a whole number from 1 to 5")
	}
	comment = strings.TrimSpace(comment)
	if !utf8.ValidString(comment) || utf8.RuneCountInString(comment) > MaxCommentRunes {
		return nil, assist.Errorf(assist.EINVALID, "comment must be valid UTF-8 of at most %d characters", MaxCommentRunes)
	}
	r := &Rating{TenantID: tenantID, ConversationID: conversationID, Score: score, Comment: comment, At: s.now()}
	if err := s.Store.AddRating(ctx, *r); err != nil {
		return nil, err
	}
	return r, nil
}

// Tenant names a tenant for the per-tenant gauges.
type Tenant struct{ ID, Slug string }

// TenantLister is what a Store may also do: list the tenants, for the
// gauges on /metrics.
type TenantLister interface {
	Tenants(ctx context.Context) ([]Tenant, error)
}

// Tenants lists the tenants, when the store can.
func (s *Service) Tenants(ctx context.Context) ([]Tenant, error) {
	tl, ok := s.Store.(TenantLister)
	if !ok {
		return nil, nil
	}
	return tl.Tenants(ctx)
}
