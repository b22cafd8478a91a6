package agentassist

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/assistd/assist"
)

// Macro is a saved reply of a tenant, in one language, optionally for an
// intent. Its text may hold variables, {{name}}, filled from the
// conversation when it is suggested (see Variables).
type Macro struct {
	ID        string    `json:"id"`
	TenantID  string    `json:"-"`
	Title     string    `json:"title"`
	Lang      string    `json:"lang"`
	Intent    string    `json:"intent,omitempty"`
	Text      string    `json:"text"`
	UpdatedBy string    `json:"updated_by,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Variables are the names a macro may use: the conversation's facts.
var Variables = []string{"order_id", "tracking_number", "product", "amount", "date"}

// Limits on macros.
const (
	MaxMacroTitle = 120
	MaxMacroText  = 2000
	MaxMacros     = 500 // per tenant
)

var variable = regexp.MustCompile(`\{\{\s*([a-z_]+)\s*\}\}`)

// Validate checks a macro and tidies its fields. Errors: EINVALID saying
// what is wrong.
func (m *Macro) Validate() error {
	m.Title, m.Text, m.Intent = strings.TrimSpace(m.Title), strings.TrimSpace(m.Text), strings.TrimSpace(m.Intent)
	switch {
	case m.Title == "" || utf8.RuneCountInString(m.Title) > MaxMacroTitle:
		return assist.Errorf(assist.EINVALID, "title must be 1-%d characters", MaxMacroTitle)
	case m.Text == "" || utf8.RuneCountInString(m.Text) > MaxMacroText:
		return assist.Errorf(assist.EINVALID, "text must be 1-%d characters", MaxMacroText)
	case !utf8.ValidString(m.Title + m.Text + m.Intent):
		return assist.Errorf(assist.EINVALID, "title, text and intent must be valid UTF-8")
	case m.Lang != "zh" && m.Lang != "en":
		return assist.Errorf(assist.EINVALID, "lang must be \"zh\" or \"en\"")
	case len(m.Intent) > 64:
		return assist.Errorf(assist.EINVALID, "intent is too long")
	}
	for _, v := range variable.FindAllStringSubmatch(m.Text, -1) {
		if !isVariable(v[1]) {
			return assist.Errorf(assist.EINVALID, "unknown variable {{%s}}; use one of %s", v[1], strings.Join(Variables, ", "))
		}
	}
	return nil
}

func isVariable(name string) bool {
	for _, v := range Variables {
		if v == name {
			return true
		}
	}
	return false
}

// Fill replaces the macro's variables with the facts it knows; the others
// stay as {{name}} for the agent to fill, and are returned.
func (m *Macro) Fill(facts map[string]string) (string, []string) {
	var missing []string
	out := variable.ReplaceAllStringFunc(m.Text, func(v string) string {
		name := variable.FindStringSubmatch(v)[1]
		if val, ok := facts[name]; ok && val != "" {
			return val
		}
		if !contains(missing, name) {
			missing = append(missing, name)
		}
		return "{{" + name + "}}"
	})
	return out, missing
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// MacroStore keeps macros. Implementation: store/sqlite.
type MacroStore interface {
	// Macros returns the tenant's macros, by title.
	Macros(ctx context.Context, tenantID string) ([]*Macro, error)
	// PutMacro creates or replaces m (by TenantID and ID).
	PutMacro(ctx context.Context, m *Macro) error
	// DeleteMacro deletes one. Errors: ENOTFOUND.
	DeleteMacro(ctx context.Context, tenantID, id string) error
}

// addMacro suggests the tenant's saved reply for the intent in the
// conversation's language, its variables filled.
func (s *Service) addMacro(ctx context.Context, c *assist.Conversation, set *Set, intent string, facts map[string]string, lang string) {
	if s.Macros == nil || intent == "" {
		return
	}
	ms, err := s.Macros.Macros(ctx, c.TenantID)
	if err != nil {
		s.logger().WarnContext(ctx, "assist: macros unavailable", "tenant_id", c.TenantID, "err", err)
		return
	}
	for _, m := range ms {
		if m.Intent != intent || m.Lang != lang {
			continue
		}
		text, missing := m.Fill(facts)
		// A saved reply for the intent is a sure thing; one the agent
		// must complete a little less so.
		score := 0.9 - 0.1*float64(len(missing))
		set.Suggestions = append(set.Suggestions, Suggestion{Source: SourceMacro, Text: text, MacroID: m.ID, Missing: missing, Score: score})
		return
	}
}

// ListMacros returns the tenant's macros, optionally only those of a
// language and an intent. Errors: EUNAVAILABLE without a store.
func (s *Service) ListMacros(ctx context.Context, tenantID, lang, intent string) ([]*Macro, error) {
	if s.Macros == nil {
		return nil, assist.Errorf(assist.EUNAVAILABLE, "macros are not configured")
	}
	ms, err := s.Macros.Macros(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	out := []*Macro{}
	for _, m := range ms {
		if (lang == "" || m.Lang == lang) && (intent == "" || m.Intent == intent) {
			out = append(out, m)
		}
	}
	return out, nil
}

// SaveMacro creates a macro (m.ID "") or replaces one, checked, stamped
// with who and when. Errors: EINVALID from Validate, ENOTFOUND for an
// unknown id, ECONFLICT past MaxMacros, EUNAVAILABLE without a store.
func (s *Service) SaveMacro(ctx context.Context, tenantID, by string, m Macro) (*Macro, error) {
	if s.Macros == nil {
		return nil, assist.Errorf(assist.EUNAVAILABLE, "macros are not configured")
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	ms, err := s.Macros.Macros(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	if m.ID == "" {
		if len(ms) >= MaxMacros {
			return nil, assist.Errorf(assist.ECONFLICT, "a tenant has at most %d macros", MaxMacros)
		}
		m.ID = uuid.Must(uuid.NewV7()).String()
	} else if !slices.ContainsFunc(ms, func(x *Macro) bool { return x.ID == m.ID }) {
		return nil, assist.Errorf(assist.ENOTFOUND, "no macro %q", m.ID)
	}
	m.TenantID, m.UpdatedBy, m.UpdatedAt = tenantID, by, s.now()
	if err := s.Macros.PutMacro(ctx, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// DeleteMacro deletes one of the tenant's macros. Errors: ENOTFOUND.
func (s *Service) DeleteMacro(ctx context.Context, tenantID, id string) error {
	if s.Macros == nil {
		return assist.Errorf(assist.EUNAVAILABLE, "macros are not configured")
	}
	return s.Macros.DeleteMacro(ctx, tenantID, id)
}
