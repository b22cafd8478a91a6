package routing

import (
	"context"
	"testing"

	"github.com/assistd/assist"
)

// A hand-off's intent and reason choose the skill queue through the
// default maps, with the reason winning.
func TestHandOffSkill(t *testing.T) {
	tests := []struct {
		intent, reason, skill string
	}{
		{"return_request", "no_automation", "returns"},
		{"track_shipment", "no_automation", "orders"},
		{"invoice", "customer_request", "billing"},
		{"complaint", "complaint", "complaints"},
		{"track_shipment", "angry", "senior"},
		{"", "customer_request", "general"},
		{"greeting", "customer_request", "general"},
	}
	for _, tc := range tests {
		t.Run(tc.intent+"/"+tc.reason, func(t *testing.T) {
			env := newTestEnv(t, DefaultConfig())
			c := env.convs.add(tenantA, "c1", assist.OwnerQueue)
			m := &assist.Message{Text: "hello"}
			if err := env.e.HandOff(context.Background(), c, assist.Handoff{Reason: tc.reason, Intent: tc.intent}, m); err != nil {
				t.Fatal(err)
			}
			if en := env.entry("c1"); en.Skill != tc.skill {
				t.Errorf("skill %q, want %q", en.Skill, tc.skill)
			}
		})
	}
}
