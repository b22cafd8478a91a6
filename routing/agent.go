package routing

import (
	"slices"
	"time"
	"unicode/utf8"

	"github.com/assistd/assist"
)

// Presence says whether an agent takes new conversations.
type Presence string

const (
	Online  Presence = "online"  // takes offers
	Away    Presence = "away"    // keeps assigned conversations, gets no offers
	Offline Presence = "offline" // not working
)

// Valid reports whether p is a known presence.
func (p Presence) Valid() bool { return p == Online || p == Away || p == Offline }

// Limits on an agent's profile.
const (
	MaxSkills    = 50
	MaxLangs     = 10
	MaxTeams     = 20
	MaxCapacity  = 50
	MaxSkillName = 64
)

// Profile is what a supervisor sets about an agent.
type Profile struct {
	Skills   map[string]int `json:"skills"`   // skill → level 1-5
	Langs    []string       `json:"langs"`    // languages spoken ("zh", "en"); empty: any
	Teams    []string       `json:"teams"`    // teams the agent belongs to
	Capacity int            `json:"capacity"` // concurrent conversations, 1-MaxCapacity
}

// Validate checks the profile and returns EINVALID saying what is wrong.
func (p Profile) Validate() error {
	if len(p.Skills) > MaxSkills {
		return assist.Errorf(assist.EINVALID, "at most %d skills", MaxSkills)
	}
	for s, l := range p.Skills {
		if !validName(s, MaxSkillName) {
			return assist.Errorf(assist.EINVALID, "skill %q: names are 1-%d lower-case letters, digits, '-' or '_'", s, MaxSkillName)
		}
		if l < 1 || l > 5 {
			return assist.Errorf(assist.EINVALID, "skill %q: level must be 1-5, not %d", s, l)
		}
	}
	if len(p.Langs) > MaxLangs {
		return assist.Errorf(assist.EINVALID, "at most %d languages", MaxLangs)
	}
	for _, l := range p.Langs {
		if !validName(l, 16) {
			return assist.Errorf(assist.EINVALID, "language %q: use a code such as \"zh\" or \"en\"", l)
		}
	}
	if len(p.Teams) > MaxTeams {
		return assist.Errorf(assist.EINVALID, "at most %d teams", MaxTeams)
	}
	for _, t := range p.Teams {
		if !validName(t, MaxSkillName) {
			return assist.Errorf(assist.EINVALID, "team %q: names are 1-%d lower-case letters, digits, '-' or '_'", t, MaxSkillName)
		}
	}
	if p.Capacity < 1 || p.Capacity > MaxCapacity {
		return assist.Errorf(assist.EINVALID, "capacity must be 1-%d, not %d", MaxCapacity, p.Capacity)
	}
	return nil
}

// Agent is a staff member who takes conversations: a user of the auth
// store (role agent, supervisor or admin) with a routing profile.
type Agent struct {
	UserID   string   `json:"user_id"`
	TenantID string   `json:"tenant_id"`
	Profile           // skills, languages, teams, capacity
	Presence Presence `json:"presence"`
	// UpdatedAt is when the profile or presence last changed.
	UpdatedAt time.Time `json:"updated_at"`
}

func (a *Agent) clone() *Agent {
	c := *a
	c.Skills = make(map[string]int, len(a.Skills))
	for k, v := range a.Skills {
		c.Skills[k] = v
	}
	c.Langs = slices.Clone(a.Langs)
	c.Teams = slices.Clone(a.Teams)
	return &c
}

// speaks reports whether the agent can serve a conversation in lang.
func (a *Agent) speaks(lang string) bool {
	return lang == "" || len(a.Langs) == 0 || slices.Contains(a.Langs, lang)
}

// AgentStatus is an agent with its current load, as supervisors see it.
type AgentStatus struct {
	Agent
	Active        []string `json:"active"`  // conversations assigned and accepted
	Offered       []string `json:"offered"` // conversations offered, not yet accepted
	MissedOffers  int      `json:"missed_offers"`
	Load          int      `json:"load"` // len(Active) + len(Offered)
	AvailableSlot bool     `json:"available"`
}

// validName reports whether s is 1-max bytes of [a-z0-9_-].
func validName(s string, max int) bool {
	if s == "" || len(s) > max || !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
