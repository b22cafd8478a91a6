package routing

import (
	"testing"

	"github.com/assistd/assist/catalog"
)

// Routing serves each intent from the skill the catalogue gives it.
func TestSkillsFromCatalog(t *testing.T) {
	cfg := DefaultConfig()
	for _, in := range catalog.Default().Intents() {
		want := in.Skill
		if want == "" {
			want = cfg.DefaultSkill
		}
		if got := cfg.SkillFor(in.Label, ""); got != want {
			t.Errorf("%s goes to %q, the catalogue says %q", in.Label, got, want)
		}
	}
}
