package routing

import (
	"fmt"
	"strings"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
)

// Tier is a customer's service tier.
type Tier string

const (
	TierStandard Tier = ""
	TierVIP      Tier = "vip"
)

// Config is the router's policy. Zero fields take the defaults of
// DefaultConfig.
type Config struct {
	// IntentSkills maps an NLU intent to the skill that serves it;
	// ReasonSkills an escalation reason code. The reason wins (an angry
	// customer goes to "senior" whatever they asked); neither: DefaultSkill.
	IntentSkills map[string]string
	ReasonSkills map[string]string
	DefaultSkill string

	VIPWeight       float64            // added to a VIP's priority
	SentimentWeight float64            // × negativity (0..1) of the customer's sentiment
	ReasonWeights   map[string]float64 // added by escalation reason
	AgingPerMinute  float64            // priority gained per minute waited

	OfferTimeout        time.Duration // an offer not accepted in time is withdrawn and the conversation requeued
	MaxMissedOffers     int           // an agent who lets this many offers in a row expire is set away
	OverflowWait        time.Duration // after waiting this long, FallbackTeam agents may take it; 0: never
	FallbackTeam        string        // the team that takes overflow; "": none
	CustomerIdleTimeout time.Duration // no customer message for this long while queued or assigned: closed; 0: never
	DefaultCapacity     int           // capacity of an agent who has no profile yet
	Tick                time.Duration // how often Run checks timeouts

	// MaxCandidates is how many of the candidates a Decision keeps (the
	// best ones; the others are counted).
	MaxCandidates int
}

// DefaultConfig returns the default policy.
func DefaultConfig() Config {
	return Config{
		// The skills the intent catalogue gives; intents without one go
		// to DefaultSkill.
		IntentSkills: catalog.Default().Skills(),
		// Reasons are the codes of catalog.Reasons, the ones the dialog
		// hands off with.
		ReasonSkills: map[string]string{
			catalog.ReasonAnger:        "senior",
			catalog.ReasonVIPComplaint: "senior",
		},
		DefaultSkill:    "general",
		VIPWeight:       30,
		SentimentWeight: 20,
		ReasonWeights: map[string]float64{
			catalog.ReasonAnger:            20,
			catalog.ReasonVIPComplaint:     30,
			catalog.ReasonNegativeTrend:    10,
			catalog.ReasonRepeatedFallback: 8,
			catalog.ReasonBotError:         10,
			catalog.ReasonCustomerRequest:  5,
		},
		AgingPerMinute:      2,
		OfferTimeout:        30 * time.Second,
		MaxMissedOffers:     3,
		OverflowWait:        5 * time.Minute,
		FallbackTeam:        "",
		CustomerIdleTimeout: 30 * time.Minute,
		DefaultCapacity:     3,
		Tick:                time.Second,
		MaxCandidates:       5,
	}
}

// withDefaults fills zero fields from DefaultConfig. Maps given (even
// empty) are kept.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.IntentSkills == nil {
		c.IntentSkills = d.IntentSkills
	}
	if c.ReasonSkills == nil {
		c.ReasonSkills = d.ReasonSkills
	}
	if c.DefaultSkill == "" {
		c.DefaultSkill = d.DefaultSkill
	}
	if c.ReasonWeights == nil {
		c.ReasonWeights = d.ReasonWeights
	}
	if c.AgingPerMinute <= 0 {
		c.AgingPerMinute = d.AgingPerMinute
	}
	if c.OfferTimeout <= 0 {
		c.OfferTimeout = d.OfferTimeout
	}
	if c.MaxMissedOffers <= 0 {
		c.MaxMissedOffers = d.MaxMissedOffers
	}
	if c.DefaultCapacity <= 0 {
		c.DefaultCapacity = d.DefaultCapacity
	}
	if c.Tick <= 0 {
		c.Tick = d.Tick
	}
	if c.MaxCandidates <= 0 {
		c.MaxCandidates = d.MaxCandidates
	}
	return c
}

// Validate checks the names in the configuration.
func (c Config) Validate() error {
	for _, m := range []map[string]string{c.IntentSkills, c.ReasonSkills} {
		for k, s := range m {
			if k == "" || !validName(s, MaxSkillName) {
				return assist.Errorf(assist.EINVALID, "skill map %q=%q: skills are 1-%d lower-case letters, digits, '-' or '_'", k, s, MaxSkillName)
			}
		}
	}
	for k := range c.ReasonSkills {
		if !catalog.IsReason(k) {
			return assist.Errorf(assist.EINVALID, "reason skill %q: unknown hand-off reason (one of %s)", k, strings.Join(catalog.Reasons(), ", "))
		}
	}
	for k := range c.ReasonWeights {
		if !catalog.IsReason(k) {
			return assist.Errorf(assist.EINVALID, "reason weight %q: unknown hand-off reason (one of %s)", k, strings.Join(catalog.Reasons(), ", "))
		}
	}
	if c.DefaultSkill != "" && !validName(c.DefaultSkill, MaxSkillName) {
		return assist.Errorf(assist.EINVALID, "default skill %q is not a valid skill name", c.DefaultSkill)
	}
	if c.FallbackTeam != "" && !validName(c.FallbackTeam, MaxSkillName) {
		return assist.Errorf(assist.EINVALID, "fallback team %q is not a valid team name", c.FallbackTeam)
	}
	if c.AgingPerMinute < 0 || c.VIPWeight < 0 || c.SentimentWeight < 0 {
		return assist.Errorf(assist.EINVALID, "priority weights and aging must not be negative")
	}
	return nil
}

// SkillFor returns the skill that serves an escalation: by reason, then by
// intent, then the default.
func (c Config) SkillFor(intent, reason string) string {
	if s, ok := c.ReasonSkills[reason]; ok && reason != "" {
		return s
	}
	if s, ok := c.IntentSkills[intent]; ok && intent != "" {
		return s
	}
	return c.DefaultSkill
}

// BasePriority is the part of a conversation's priority that does not
// change while it waits (see the package documentation).
func (c Config) BasePriority(tier Tier, sentiment float64, reason string) float64 {
	p := c.ReasonWeights[reason]
	if tier == TierVIP {
		p += c.VIPWeight
	}
	if sentiment < 0 {
		p += c.SentimentWeight * min(1, -sentiment)
	}
	return p
}

// Priority is the effective priority of a conversation with base priority
// base that has waited since enqueued, at now.
func (c Config) Priority(base float64, enqueued, now time.Time) float64 {
	waited := now.Sub(enqueued).Minutes()
	if waited < 0 {
		waited = 0
	}
	return base + c.AgingPerMinute*waited
}

// ParseSkillMap reads "key=skill" pairs, as the configuration lists them.
func ParseSkillMap(pairs []string) (map[string]string, error) {
	m := make(map[string]string, len(pairs))
	for _, p := range pairs {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || !validName(v, MaxSkillName) {
			return nil, fmt.Errorf("skill map entry %q: want key=skill, skill of lower-case letters, digits, '-' or '_'", p)
		}
		m[k] = v
	}
	return m, nil
}
